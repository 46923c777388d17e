/**
 * Bad bytes from a simulator never crash the ride: a strict fake CARLA server, through the
 * real relay, sends the app proper frames mixed with an unknown sensor id, camera messages cut
 * short and Measurements that are not protobuf. In real headless Chromium the picture keeps
 * coming, the bad messages are counted and skipped, and the HUD says what was skipped.
 */
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageType, cameraPayloadBytes, writeCameraHeader } from '../../proto/index.ts';
import { launchChromium, openTabletPage } from '../support/browser.ts';
import { FakeCarla } from '../support/fake-carla.ts';
import { ROOT } from '../support/processes.ts';
import { startRelay, type RelayProcess } from '../support/relay-process.ts';

const RIDER_VIEW = 0x51de;
const W = 64, H = 40;

function riderView(k: number): Uint8Array {
  const p = new Uint8Array(cameraPayloadBytes(W, H));
  writeCameraHeader(p, { sensorId: RIDER_VIEW, frameNumber: k, width: W, height: H, imageType: ImageType.SCENE_FINAL, fov: 90 });
  // B, G, R, A: a blue the canvas must show as rgb(40, 110, 210).
  for (let i = 28; i < p.length; i += 4) p.set([210, 110, 40, 255], i);
  return p;
}
const UNKNOWN_SENSOR = Uint8Array.from([0x99, 0, 0, 0, 1, 2, 3, 4]);

let fake: FakeCarla;
let relay: RelayProcess;
let browser: Browser;

beforeAll(async () => {
  fake = new FakeCarla({
    synchronous: false, frameIntervalMs: 33,
    sceneSensors: [{ id: RIDER_VIEW, name: 'RiderView' }],
    sensorPayloads: (k) => [k % 10 === 5 ? riderView(k).subarray(0, 1000) : riderView(k), UNKNOWN_SENSOR],
    measurementsPayload: (k) => (k % 25 === 12 ? Uint8Array.from([0xff, 0xff, 0xff, 0xff]) : null),
  });
  await fake.listen();
  relay = await startRelay({ cars: { main: { host: '127.0.0.1', port: fake.port } }, staticDir: join(ROOT, 'dist') });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await relay?.proc.stop();
  await fake?.close();
});

it('keeps drawing through unknown sensors, short camera messages and broken Measurements, and says what it skipped', async () => {
  const { page, errors } = await openTabletPage(browser, relay.http + '/');
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  const frames = async () => Number(await page.locator('.ride').getAttribute('data-frames'));
  await expect.poll(frames, { timeout: 30_000 }).toBeGreaterThan(60);
  expect(Number(await page.locator('.ride').getAttribute('data-skipped'))).toBeGreaterThan(60);
  await expect.poll(() => page.getByTestId('warning').textContent(), { timeout: 5000 }).toMatch(/Skipped a (camera message|frame)/);
  // The picture is the camera's colour, not a stale or torn one.
  const png = PNG.sync.read(await page.getByTestId('view').screenshot());
  const mid = ((png.height >> 1) * png.width + (png.width >> 1)) * 4;
  expect([png.data[mid], png.data[mid + 1], png.data[mid + 2]]).toEqual([40, 110, 210]);
  expect(await page.getByTestId('relay-chip').textContent()).toContain('Relay: Connected');
  const before = await frames();
  await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(before + 30);
  expect(errors).toEqual([]);
  expect(fake.violations).toEqual([]);
}, 120_000);
