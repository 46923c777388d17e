/**
 * One car of the relay (relay/car.ts) in-process: its driver and spectators on a WebSocket
 * server of the test's own, its CARLA link to the strict fake. Who may drive, what a driver
 * may send, which Controls CARLA gets, and how the car ends — without the relay's HTTP front.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import sharp from 'sharp';
import { CAMERA_HEADER_BYTES, Channel, CloseCode, ErrorCode, writeCameraHeader, type Encoding, type ImageType, type Role } from '../../proto/index.ts';
import { JpegPool } from '../../relay/jpeg/index.ts';
import { Car } from '../../relay/car.ts';
import { RelayMetrics } from '../../relay/metrics.ts';
import { validateConfig } from '../../relay/index.ts';
import { FakeCarla, type FakeScript } from '../support/fake-carla.ts';
import { RelayTestClient } from '../support/relay-client.ts';
import { FAST_RECONNECT, FAST_TIMEOUTS } from '../support/relay-process.ts';

const INI = '[CARLA/Server]\nSynchronousMode=True\n';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** A car on the fake CARLA, and a way to join it as a driver or a spectator (raw or JPEG). */
async function carOnFake(script: FakeScript = { sensorBytes: 3000 }, syncFps = 200) {
  const fake = new FakeCarla(script);
  await fake.listen();
  cleanups.push(() => fake.close());
  const cfg = validateConfig({ cars: { main: { host: '127.0.0.1', port: fake.port, syncFps } }, timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT });
  const pool = new JpegPool(1);
  cleanups.push(() => pool.close());
  const car = new Car('main', cfg.cars.main!, cfg, ['main'], pino({ level: 'silent' }), new RelayMetrics(), () => pool);
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => {
    const q = new URL(req.url!, 'http://x').searchParams;
    car.attach(ws, q.get('role') as Role, { encoding: (q.get('encoding') ?? 'raw') as Encoding, quality: Number(q.get('quality') ?? 75) });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    await car.shutdown();
    for (const ws of wss.clients) ws.terminate();
    await new Promise((r) => server.close(r));
  });
  const port = (server.address() as AddressInfo).port;
  const join = async (role: Role, query = '') => {
    const c = await RelayTestClient.open(`ws://127.0.0.1:${port}/?role=${role}${query}`);
    cleanups.push(() => c.close());
    return c;
  };
  return { fake, car, join };
}

/** A driver that answers every frame, as the app does. */
function keepDriving(d: RelayTestClient, throttle = 0.5): () => void {
  const t = setInterval(() => d.control({ throttle }), 10);
  cleanups.push(() => clearInterval(t));
  return () => clearInterval(t);
}

describe('a car of the relay', () => {
  it("passes the driver's newest Control to CARLA, exactly one per frame", async () => {
    const { fake, join } = await carOnFake();
    const driver = await join('driver');
    keepDriving(driver, 0.7);
    await driver.ride(INI);
    await driver.framesAtLeast(20);
    expect(fake.controls.at(-1)).toMatchObject({ throttle: expect.closeTo(0.7, 5), brake: 0 });
    expect(fake.violations).toEqual([]);
  });

  it('refuses a second driver while the first one is fresh, and lets one take over from a silent one', async () => {
    const { join } = await carOnFake();
    const first = await join('driver');
    const stop = keepDriving(first);
    await first.ride(INI);
    const refused = await join('driver');
    expect(await refused.closed()).toBe(CloseCode.DRIVER_TAKEN);
    expect(refused.events.find((e) => e.type === 'error')).toMatchObject({ code: ErrorCode.DRIVER_TAKEN });
    stop();
    await first.event('control', (e) => e.state === 'stale', 5000, first.events.length);
    const next = await join('driver');
    await next.event('hello');
    expect(await first.closed()).toBe(CloseCode.REPLACED);
  });

  it('tells a spectator once that it cannot send, and keeps it watching', async () => {
    const { join } = await carOnFake();
    const driver = await join('driver');
    keepDriving(driver);
    await driver.ride(INI);
    const spectator = await join('spectator');
    spectator.control({ throttle: 1 });
    spectator.control({ throttle: 1 });
    await spectator.event('error', (e) => e.code === ErrorCode.SPECTATOR_SENT);
    await spectator.framesAtLeast(3);
    expect(spectator.events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(spectator.closeCode).toBeNull();
  });

  it.each([
    ['an unknown tag', Uint8Array.from([0x7f, 1, 2]), ErrorCode.UNKNOWN_CHANNEL, /unknown channel 0x7f/],
    ['a relay-to-browser tag', Uint8Array.from([Channel.MEASUREMENTS, 0]), ErrorCode.UNKNOWN_CHANNEL, /MEASUREMENTS \(0x10\) goes from the relay to browsers/],
    ['a Control that is not protobuf', Uint8Array.from([Channel.CONTROL, 0xff, 0xff, 0xff]), ErrorCode.MALFORMED_MESSAGE, /./],
  ])('closes a driver that sends %s with 1003, saying what was wrong', async (_what, message, code, text) => {
    const { fake, join } = await carOnFake();
    const driver = await join('driver');
    await driver.event('hello');
    driver.ws.send(message);
    expect(await driver.closed()).toBe(CloseCode.UNSUPPORTED_DATA);
    const e = driver.events.find((x) => x.type === 'error');
    expect(e).toMatchObject({ code });
    expect((e as { message: string }).message).toMatch(text);
    expect(fake.controls).toEqual([]);
  });

  it.each([100, 1000 / 60])('releases synchronous frames at the server\'s own step (%d ms), whatever syncFps says: ride time is wall time, a late timer not adding up to a burst', async (stepMs) => {
    const { fake, join } = await carOnFake({ sensorBytes: 3000, stepMs }, 30);
    const driver = await join('driver');
    driver.keepFrames = false;
    keepDriving(driver);
    await driver.ride(INI);
    // The event loop is made late now and then (as a busy relay's is): the timeline may absorb
    // the lateness, never release frames early to catch up past the wall clock.
    const blocker = setInterval(() => { const until = performance.now() + 15; while (performance.now() < until); }, 200);
    cleanups.push(() => clearInterval(blocker));
    await driver.framesAtLeast(3);
    const f0 = fake.framesSent, t0 = performance.now();
    await new Promise((r) => setTimeout(r, 3000));
    const simulated = (fake.framesSent - f0) * stepMs, wall = performance.now() - t0;
    expect(simulated).toBeLessThanOrEqual(wall + 2 * stepMs);
    // Paced at syncFps (30) a 60 fps server would ride at half the wall's pace; a busy machine may
    // lose a few frames, not half of them.
    expect(simulated).toBeGreaterThanOrEqual(wall * 0.75);
    expect(fake.violations).toEqual([]);
  });

  it('ends the episode at once when the driver ends its ride (close 1000), with no grace period', async () => {
    const { car, join } = await carOnFake();
    const driver = await join('driver');
    keepDriving(driver);
    await driver.ride(INI);
    driver.ws.close(1000, 'ride ended');
    await expect.poll(() => car.link.state, { timeout: 1000 }).toBe('idle');
  });

  it('brakes the bike while the driver is away, keeps the episode for the grace period, then ends it', async () => {
    const { fake, car, join } = await carOnFake();
    const driver = await join('driver');
    keepDriving(driver);
    await driver.ride(INI);
    await driver.framesAtLeast(5);
    const from = fake.controls.length;
    driver.close();
    await expect.poll(() => fake.controls.slice(from).some((c) => c.brake === 1 && c.throttle === 0), { timeout: 3000 }).toBe(true);
    expect(car.link.state).toBe('streaming');
    await expect.poll(() => car.link.state, { timeout: FAST_TIMEOUTS.driverGraceMs + 3000 }).toBe('idle');
    expect(fake.violations).toEqual([]);
  });

  it('on shutdown sends CARLA a safe Control and closes every WebSocket with 1001', async () => {
    const { fake, car, join } = await carOnFake();
    const driver = await join('driver');
    keepDriving(driver);
    await driver.ride(INI);
    const spectator = await join('spectator');
    await spectator.event('hello');
    await car.shutdown();
    expect(await driver.closed()).toBe(CloseCode.GOING_AWAY);
    expect(await spectator.closed()).toBe(CloseCode.GOING_AWAY);
    expect(fake.controls.at(-1)).toMatchObject({ throttle: 0, brake: 1 });
  });
});

describe('a car with a client that asks for JPEG', () => {
  const W = 96, H = 64;
  /** A colour camera (left half red, right half blue) and a depth camera, in CARLA's layout. */
  const camera = (id: number, imageType: number, k: number) => {
    const p = new Uint8Array(CAMERA_HEADER_BYTES + 4 * W * H);
    writeCameraHeader(p, { sensorId: id, frameNumber: k, width: W, height: H, imageType: imageType as ImageType, fov: 90 });
    for (let i = 0; i < W * H; i++) p.set(imageType === 2 ? [k & 255, i & 255, (i >> 8) & 255, 255] : (i % W) < W / 2 ? [0, 0, 255, 255] : [255, 0, 0, 255], CAMERA_HEADER_BYTES + i * 4);
    return p;
  };
  const script: FakeScript = {
    sceneSensors: [{ id: 1, name: 'Rgb' }, { id: 2, name: 'Depth' }],
    sensorPayloads: (k) => [camera(1, 1, k), camera(2, 2, k)],
  };

  it('sends colour images as JPEG in their frame, depth byte for byte, and raw clients the raw bytes', async () => {
    const { fake, join } = await carOnFake(script);
    const driver = await join('driver');
    keepDriving(driver);
    await driver.ride(INI);
    const jpegClient = await join('spectator', '&encoding=jpeg&quality=80');
    expect(await jpegClient.event('hello')).toMatchObject({ encoding: 'jpeg', version: 3 });
    await jpegClient.framesAtLeast(5);
    const f = jpegClient.frames.at(-1)!;
    // In frame order: Measurements, the JPEG image, the depth image, the end.
    expect(f.order).toEqual([Channel.MEASUREMENTS, Channel.SENSOR_JPEG, Channel.SENSOR, Channel.FRAME_END]);
    const header = f.jpegs[0]!.subarray(0, CAMERA_HEADER_BYTES);
    const frameNumber = Number(new DataView(header.buffer, header.byteOffset).getBigUint64(4, true));
    expect(frameNumber).toBe(f.measurements.frameNumber - 100 - 1);
    const { data, info } = await sharp(f.jpegs[0]!.subarray(CAMERA_HEADER_BYTES)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([W, H]);
    expect(data[3 * (10 * W + 5)]).toBeGreaterThan(200); // red stays red
    expect(data[3 * (10 * W + 90) + 2]).toBeGreaterThan(200);
    expect(Buffer.compare(f.sensors[0]!, camera(2, 2, frameNumber))).toBe(0);
    // The driver (raw) gets CARLA's bytes unchanged.
    const d = driver.frames.at(-1)!;
    expect(d.jpegs).toEqual([]);
    expect(d.sensors[0]!.byteLength).toBe(CAMERA_HEADER_BYTES + 4 * W * H);
    expect(fake.violations).toEqual([]);
  });

  /** A colour camera of noise: its JPEG size follows the quality (flat colours compress to almost nothing at any). */
  const noisy = (k: number) => {
    const p = camera(1, 1, k);
    for (let i = CAMERA_HEADER_BYTES; i < p.byteLength; i++) if ((i & 3) !== 3) p[i] = (i * 2654435761 + k * 97) >>> 24;
    return p;
  };

  it('lets a JPEG driver change its quality at any frame, and refuses a quality outside 30–95', async () => {
    const { join } = await carOnFake({ sceneSensors: [{ id: 1, name: 'Rgb' }], sensorPayloads: (k) => [noisy(k)] });
    const driver = await join('driver', '&encoding=jpeg&quality=90');
    keepDriving(driver);
    await driver.ride(INI);
    await driver.framesAtLeast(5);
    const sizeNow = () => driver.frames.at(-1)!.jpegs[0]!.byteLength;
    const high = sizeNow();
    driver.send(Channel.QUALITY, Uint8Array.of(30));
    const from = driver.frameCount;
    await driver.framesAtLeast(from + 3);
    const low = sizeNow();
    expect(low).toBeLessThan(high * 0.6);
    driver.send(Channel.QUALITY, Uint8Array.of(96));
    expect(await driver.event('error')).toMatchObject({ code: ErrorCode.BAD_ENCODING, message: expect.stringMatching(/30 to 95, not 96/) });
    expect(await driver.closed()).toBe(CloseCode.UNSUPPORTED_DATA);
  });

  it('skips a colour image the encoder cannot read, says so once, and goes on with the rest of each frame', async () => {
    // A header that promises 96×64 with half the pixels missing.
    const short = (k: number) => camera(1, 1, k).subarray(0, CAMERA_HEADER_BYTES + 2 * W * H);
    const { join } = await carOnFake({ ...script, sensorPayloads: (k) => [short(k), camera(2, 2, k)] });
    const driver = await join('driver');
    keepDriving(driver);
    await driver.ride(INI);
    const jpegClient = await join('spectator', '&encoding=jpeg');
    await jpegClient.framesAtLeast(5);
    expect(jpegClient.events.filter((e) => e.type === 'error')).toEqual([
      { type: 'error', code: ErrorCode.CARLA_PROTOCOL, message: expect.stringMatching(/could not be encoded as JPEG and was skipped/) },
    ]);
    for (const f of jpegClient.frames) expect(f.order).toEqual([Channel.MEASUREMENTS, Channel.SENSOR, Channel.FRAME_END]);
    // The raw driver still gets CARLA's bytes as they came.
    expect(driver.frames.at(-1)!.sensors[0]!.byteLength).toBe(CAMERA_HEADER_BYTES + 2 * W * H);
  });

  it('skips whole frames for a JPEG spectator that stops reading, and the driver keeps its pace', async () => {
    const { join } = await carOnFake({ ...script, sensorPayloads: (k) => [noisy(k), camera(2, 2, k)] });
    const driver = await join('driver');
    driver.keepFrames = false;
    keepDriving(driver);
    await driver.ride(INI);
    const slow = await join('spectator', '&encoding=jpeg');
    await slow.framesAtLeast(3);
    const socket = (slow.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    const start = driver.frameCount;
    // syncFps 200: 300 frames is 1.5 s of riding past a spectator that reads nothing.
    await driver.framesAtLeast(start + 300, 10_000);
    expect(driver.events.filter((e) => e.type === 'drops')).toEqual([]);
    socket.resume();
    const seen = slow.frameCount;
    const drops = await slow.event('drops');
    await slow.framesAtLeast(seen + 5);
    // It got what its buffers had room for; the rest of those 300 frames were skipped, not queued.
    expect(drops.dropped).toBeGreaterThan(0);
    expect(slow.frameCount).toBeLessThan(driver.frameCount - 150);
    // Every frame it did get is whole and in order, its JPEG and its exact depth image with it.
    for (const f of slow.frames) expect(f.order).toEqual([Channel.MEASUREMENTS, Channel.SENSOR_JPEG, Channel.SENSOR, Channel.FRAME_END]);
    for (const f of slow.frames) {
      const depthFrame = Number(new DataView(f.sensors[0]!.buffer, f.sensors[0]!.byteOffset).getBigUint64(4, true));
      expect(Buffer.compare(f.sensors[0]!, camera(2, 2, depthFrame))).toBe(0);
      expect(f.jpegs[0]!.subarray(4, 12)).toEqual(f.sensors[0]!.subarray(4, 12)); // the same frame number
    }
  });
});

