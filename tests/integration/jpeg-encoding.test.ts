/**
 * JPEG encoding of the simulator's real camera frames (relay/jpeg), off the event loop in
 * worker threads: the picture survives (mean absolute error per channel within a bound, red
 * stays red), depth and segmentation are refused (they stay exact), and a pool's jobs come
 * back to the right callers.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SensorDataError, parseCameraPayload } from '../../proto/index.ts';
import { encodeCameraJpeg, JpegPool } from '../../relay/jpeg/index.ts';
import { CarlaTestClient, iniFor } from '../support/carla-client.ts';
import { startSim, type StartedSim } from '../support/sim-process.ts';

let sim: StartedSim;
/** Camera payloads of one real frame, by sensor name. */
let payloads: Map<string, Uint8Array>;

beforeAll(async () => {
  sim = await startSim(['--seed', '1']);
  const c = new CarlaTestClient(sim.port);
  await c.episode(iniFor({ vehicles: 6, sensors: [
    { name: 'Rgb', w: 800, h: 600 }, { name: 'Depth', post: 'Depth', w: 200, h: 150 }, { name: 'Seg', post: 'SemanticSegmentation', w: 200, h: 150 },
  ] }), 1);
  const f = await c.readFrame();
  payloads = new Map();
  for (const m of f.raw.slice(1).filter((x) => x.byteLength > 28)) {
    const img = parseCameraPayload(m);
    payloads.set(img.width === 800 ? 'Rgb' : img.imageType === 2 ? 'Depth' : 'Seg', Uint8Array.from(m));
  }
  c.close();
}, 60_000);
afterAll(async () => { await sim?.stop(); });

/** Mean absolute error per channel (R, G, B) between a BGRA camera payload and decoded JPEG RGB. */
async function channelErrors(payload: Uint8Array, jpeg: Uint8Array): Promise<[number, number, number]> {
  const img = parseCameraPayload(payload);
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([img.width, img.height]);
  const err: [number, number, number] = [0, 0, 0];
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const b = img.pixels[i * 4]!, g = img.pixels[i * 4 + 1]!, r = img.pixels[i * 4 + 2]!;
    err[0] += Math.abs(r - data[i * info.channels]!);
    err[1] += Math.abs(g - data[i * info.channels + 1]!);
    err[2] += Math.abs(b - data[i * info.channels + 2]!);
  }
  return err.map((e) => e / n) as [number, number, number];
}

describe('JPEG camera frames', () => {
  it('keeps a real 800×600 frame within 4 levels of mean error per channel at quality 75, in a fifth of the bytes or less', async () => {
    const rgb = payloads.get('Rgb')!;
    const jpeg = await encodeCameraJpeg(rgb, 75);
    const errors = await channelErrors(rgb, jpeg);
    for (const e of errors) expect(e).toBeLessThan(4);
    expect(jpeg.byteLength).toBeLessThan(rgb.byteLength / 5);
  });

  it('keeps red red: B and R are not swapped on the way', async () => {
    // A 16×8 image, left half pure red, right half pure blue, in CARLA's BGRA.
    const w = 16, h = 8, payload = new Uint8Array(28 + 4 * w * h);
    const dv = new DataView(payload.buffer);
    dv.setUint32(12, w, true); dv.setUint32(16, h, true); dv.setUint32(20, 1, true);
    for (let i = 0; i < w * h; i++) payload.set((i % w) < w / 2 ? [0, 0, 255, 255] : [255, 0, 0, 255], 28 + i * 4);
    const { data } = await sharp(await encodeCameraJpeg(payload, 90)).raw().toBuffer({ resolveWithObject: true });
    expect(data[3 * (2 * w + 2)]).toBeGreaterThan(200); // red at the left
    expect(data[3 * (2 * w + 13) + 2]).toBeGreaterThan(200); // blue at the right
  });

  it('refuses depth and segmentation: their bytes are numbers and stay exact', async () => {
    await expect(encodeCameraJpeg(payloads.get('Depth')!, 75)).rejects.toThrow(SensorDataError);
    await expect(encodeCameraJpeg(payloads.get('Seg')!, 75)).rejects.toThrow(/not a colour image/);
  });

  it('encodes in worker threads, each job back to its caller, the caller\'s buffer untouched', async () => {
    const pool = new JpegPool(2);
    try {
      const rgb = payloads.get('Rgb')!;
      const copy = Uint8Array.from(rgb);
      const [a, b, c] = await Promise.all([pool.encode(rgb, 40), pool.encode(rgb, 90), pool.encode(rgb, 40)]);
      expect(b!.byteLength).toBeGreaterThan(a!.byteLength);
      expect(Buffer.compare(a!, c!)).toBe(0);
      expect(Buffer.compare(rgb, copy)).toBe(0);
      await expect(pool.encode(payloads.get('Depth')!, 75)).rejects.toThrow(/not a colour image/);
    } finally {
      await pool.close();
    }
  });
});
