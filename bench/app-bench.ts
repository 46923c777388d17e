/**
 * The app's hot path in headless Chromium: the stream worker's decode + draw capacity for
 * 800×600 frames (a bench relay answers each Control with the next frame at once), the
 * latency from the simulator stamping a frame to the canvas drawing it at 30 fps on the real
 * stack, and main-thread long tasks during a ride.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import {
  CAMERA_HEADER_BYTES, decodeMeasurements, encodeEpisodeReady, encodeMeasurements, encodeSceneDescription, writeCameraHeader,
} from '../proto/index.ts';
import { Channel, tagged } from '../proto/index.ts';
import { launchChromium } from '../tests/support/browser.ts';
import { runNpm } from '../tests/support/processes.ts';
import { ROOT, table } from './support.ts';

const CAPACITY_SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const RIDE_SECONDS = Number(process.env.BENCH_RIDE_SECONDS ?? 60);
const W = 800, H = 600, CAMERA_ID = 77;

/** Serves dist/ and a /carla endpoint that sends the next 800×600 frame for each Control. */
async function benchRelay(): Promise<{ port: number; frames: () => number; close: () => Promise<void> }> {
  const statics = sirv(join(ROOT, 'dist'), { single: true });
  const server = http.createServer((req, res) => {
    if (req.url === '/api/cars') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ name: 'main', state: 'idle', driver: false, spectators: 0, protocol: '0.8', scene: null }]));
      return;
    }
    statics(req, res, () => { res.writeHead(404).end(); });
  });
  const wss = new WebSocketServer({ server, path: '/carla', perMessageDeflate: false });
  const image = new Uint8Array(CAMERA_HEADER_BYTES + 4 * W * H);
  for (let i = CAMERA_HEADER_BYTES; i < image.length; i++) image[i] = (i * 7) & 255;
  let frames = 0, frameNumber = 0;
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'hello', version: 1, car: 'main', role: 'driver', cars: ['main'], protocol: '0.8', state: 'idle' }));
    const frame = () => {
      frameNumber++;
      writeCameraHeader(image, { sensorId: CAMERA_ID, frameNumber, width: W, height: H, imageType: 1, fov: 90 });
      const m = encodeMeasurements({ ...decodeMeasurements(new Uint8Array(0)), frameNumber, gameTimestamp: frameNumber * 33, platformTimestamp: Date.now() >>> 0 });
      ws.send(tagged(Channel.MEASUREMENTS, m));
      ws.send(tagged(Channel.SENSOR, image));
      ws.send(Buffer.of(Channel.FRAME_END));
      frames++;
    };
    ws.on('message', (d: Buffer) => {
      if (d[0] === Channel.REQUEST_NEW_EPISODE) {
        ws.send(tagged(Channel.SCENE_DESCRIPTION, encodeSceneDescription({ playerStartSpots: [], sensors: [{ id: CAMERA_ID, type: 1, name: 'RiderView' }], mapName: 'Bench' })));
      } else if (d[0] === Channel.EPISODE_START) {
        ws.send(JSON.stringify({ type: 'state', state: 'streaming' }));
        ws.send(tagged(Channel.EPISODE_READY, encodeEpisodeReady(true)));
        frame();
      } else if (d[0] === Channel.CONTROL) {
        frame();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    frames: () => frames,
    close: () => new Promise<void>((r) => { for (const c of wss.clients) c.terminate(); server.close(() => r()); }),
  };
}

async function startRide(page: import('playwright-core').Page, url: string): Promise<void> {
  await page.goto(url);
  // Long tasks on the main thread, from the moment the ride starts.
  // Runs in the page (browser globals, typed loosely here in Node's view of the world).
  await page.evaluate(() => {
    type Observer = new (cb: (list: { getEntries(): { duration: number }[] }) => void) => { observe(o: { type: string; buffered: boolean }): void };
    const g = globalThis as unknown as { __longTasks: number[]; PerformanceObserver: Observer };
    g.__longTasks = [];
    new g.PerformanceObserver((list) => { for (const e of list.getEntries()) g.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: false });
  });
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'more power' }).click();
}

export async function runAppBench(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) {
    console.log('\n## App: dist/ is not built (npm run build); skipped');
    return;
  }
  console.log(`\n## App (headless Chromium): decode + draw ${CAPACITY_SECONDS} s; ride ${RIDE_SECONDS} s on the real stack at 30 fps\n`);
  const browser = await launchChromium();
  const rows: (string | number)[][] = [];

  const relay = await benchRelay();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await startRide(page, `http://127.0.0.1:${relay.port}/`);
  await page.waitForTimeout(1500);
  const f0 = relay.frames(), t0 = performance.now();
  await page.waitForTimeout(CAPACITY_SECONDS * 1000);
  const fps = (relay.frames() - f0) / ((performance.now() - t0) / 1000);
  const drawMs = Number(await page.locator('.ride').getAttribute('data-draw-ms'));
  await page.close();
  await relay.close();
  const capacity = 1000 / drawMs;
  rows.push(['worker decode + draw, 800×600 frame (mean)', `${drawMs.toFixed(2)} ms = ${capacity.toFixed(0)} fps capacity`, '≥ 120 fps', capacity >= 120 ? 'met' : 'NOT met']);
  rows.push(['frames through Chromium\'s WebSocket into the worker, ping-pong', `${fps.toFixed(0)} fps (${((fps * 4 * W * H) / 1e6).toFixed(0)} MB/s)`, '(reference)', '']);

  const { freePortTriple } = await import('../tests/support/ports.ts');
  const port = await freePortTriple();
  const stack = runNpm('start', ['--port', String(port), '--sim-port', String(await freePortTriple()), '--host', '127.0.0.1', '--log-level', 'warn']);
  await stack.waitForLog('simulator listening', 90_000).catch(() => {});
  await new Promise((r) => setTimeout(r, 1500));
  const ride = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await startRide(ride, `http://127.0.0.1:${port}/`);
  await ride.waitForTimeout(RIDE_SECONDS * 1000);
  const attr = async (n: string) => Number(await ride.locator('.ride').getAttribute(n));
  const p50 = await attr('data-latency-p50'), p95 = await attr('data-latency-p95');
  const longTasks = await ride.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks);
  const worst = longTasks.length ? Math.max(...longTasks) : 0;
  await ride.close();
  await stack.stop();
  await browser.close();
  rows.push(['simulator → canvas latency at 30 fps, p50 / p95', `${p50} / ${p95} ms`, 'p95 < 50 ms', p95 < 50 ? 'met' : 'NOT met']);
  rows.push([`main-thread tasks over 50 ms in a ${RIDE_SECONDS} s ride`, `${longTasks.length} (longest ${worst.toFixed(0)} ms)`, 'none', longTasks.length === 0 ? 'met' : 'NOT met']);
  console.log(table(['measure', 'figure', 'target', ''], rows));
  console.log('\nlatency: platform_timestamp (the server\'s clock when it built the frame) to putImageData in the worker, ms resolution.');
}
