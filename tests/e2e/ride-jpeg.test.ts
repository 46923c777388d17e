/**
 * A ride with JPEG pictures (the encoding a tablet on Wi-Fi gets by default) in real Chromium on
 * the real stack: the relay encodes, the worker decodes with the browser's image decoder onto
 * the same canvas, the picture is a real one and the ride goes on.
 */
import { PNG } from 'pngjs';
import { afterEach, expect, it } from 'vitest';
import { openTabletPage, rideSeconds } from '../support/browser.ts';
import { stackAndBrowser } from '../support/stack.ts';
import { ThrottledLink } from '../support/throttled-link.ts';

const env = stackAndBrowser();
// A failed test's page must not keep the car's driver slot from the next one.
afterEach(async () => { for (const c of env.browser.contexts()) await c.close(); });

it('rides with JPEG pictures: a real picture, frames and ride time going on, no errors', async () => {
  const { page, errors } = await openTabletPage(env.browser, env.home, { encoding: 'jpeg', fullscreen: false, quality: 'high' });
  const socket = page.waitForEvent('websocket');
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  expect((await socket).url()).toContain('encoding=jpeg');
  await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
  // Ride time is wall time: on a busy machine fewer frames come in it, so frames are counted.
  await expect.poll(() => page.locator('.ride').getAttribute('data-frames').then(Number), { timeout: 60_000, interval: 250 }).toBeGreaterThan(60);
  expect(await rideSeconds(page)).toBeGreaterThanOrEqual(2);
  expect(Number(await page.locator('.ride').getAttribute('data-draw-ms'))).toBeGreaterThan(0);
  const png = PNG.sync.read(await page.getByTestId('view').screenshot());
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 13) colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
  expect(colours.size).toBeGreaterThan(300);
  expect(Number(await page.locator('.ride').getAttribute('data-skipped'))).toBe(0);
  // The link figures tell a slow link from a slow simulator: fps, latency and what the link carries.
  const figures = (await page.getByTestId('link-figures').textContent())!;
  // …and, for JPEG, the quality in use and what decoding a picture costs.
  expect(figures).toMatch(/^\d+ fps · \d+ ms · \d+\.\d Mbit\/s · JPEG \d+ · decode \d+\.\d ms$/);
  expect(Number(/([\d.]+) Mbit/.exec(figures)![1])).toBeGreaterThan(0.1);
  expect(Number(/decode ([\d.]+) ms/.exec(figures)![1])).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  await page.context().close(); // the car's driver slot is free for the next test
}, 120_000);

it('draws JPEG pictures with createImageBitmap in a browser without WebCodecs\' ImageDecoder', async () => {
  // The stream worker's script is served with ImageDecoder taken away (service workers blocked,
  // so that the script comes from the network, through this route). A script the test serves
  // has no address of its own, so Chromium's local-network checks would stop its WebSocket to
  // 127.0.0.1: the permission a rider's browser would ask for is granted.
  let patched = 0, fallbacks = 0;
  const FALLBACK_USED = 'cycarla-test: createImageBitmap decodes';
  // Gone, and createImageBitmap says once that it is the one decoding.
  const WITHOUT_IMAGE_DECODER = `self.ImageDecoder = undefined;
    { const decode = self.createImageBitmap.bind(self); let told = false;
      self.createImageBitmap = (...a) => { if (!told) { told = true; console.info(${JSON.stringify(FALLBACK_USED)}); } return decode(...a); }; }`;
  const { page, errors } = await openTabletPage(env.browser, env.home, { encoding: 'jpeg', fullscreen: false }, {
    context: { serviceWorkers: 'block', permissions: ['local-network-access'] },
    beforeLoad: async (p) => {
      p.on('console', (m) => { if (m.text() === FALLBACK_USED) fallbacks++; });
      await p.route(/\/assets\/.*\.js$/, async (route) => {
        const res = await route.fetch();
        const body = await res.text();
        if (!body.includes('ImageDecoder')) { await route.fulfill({ response: res }); return; }
        patched++;
        await route.fulfill({ response: res, body: `${WITHOUT_IMAGE_DECODER}\n${body}` });
      });
    },
  });
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  await expect.poll(() => rideSeconds(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(4);
  expect(patched).toBeGreaterThan(0);
  expect(fallbacks).toBe(1);
  const ride = page.locator('.ride');
  expect(Number(await ride.getAttribute('data-decode-ms'))).toBeGreaterThan(0);
  expect(Number(await ride.getAttribute('data-skipped'))).toBe(0);
  const png = PNG.sync.read(await page.getByTestId('view').screenshot());
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 13) colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
  expect(colours.size).toBeGreaterThan(300);
  expect(errors).toEqual([]);
  await page.context().close();
}, 120_000);

it('keeps a JPEG quality the rider pinned in Settings', async () => {
  const { page, errors } = await openTabletPage(env.browser, env.home, { encoding: 'jpeg', jpegQuality: '50', fullscreen: false });
  const socket = page.waitForEvent('websocket');
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  expect((await socket).url()).toMatch(/encoding=jpeg&quality=50$/);
  await expect.poll(() => rideSeconds(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(3);
  expect(await page.getByTestId('link-figures').textContent()).toContain('JPEG 50 ·');
  expect(errors).toEqual([]);
  await page.context().close(); // the car's driver slot is free for the next test
}, 120_000);

it('over a 3 Mbit/s link, "Auto" JPEG quality steps down and the ride goes on', async () => {
  const port = Number(new URL(env.home).port);
  const link = await ThrottledLink.start(port, { bitsPerSecond: 3e6, delayMs: 5 });
  try {
    const { page, errors } = await openTabletPage(env.browser, `http://127.0.0.1:${link.port}/`, { encoding: 'jpeg', jpegQuality: 'auto', quality: 'standard', fullscreen: false });
    await page.getByRole('button', { name: 'Ride with virtual power' }).click();
    const ride = page.locator('.ride');
    await expect.poll(() => ride.getAttribute('data-jpeg-quality').then(Number), { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const start = Number(await ride.getAttribute('data-jpeg-quality'));
    await expect.poll(() => ride.getAttribute('data-jpeg-quality').then(Number), { timeout: 60_000, interval: 500 }).toBeLessThan(start);
    const frames = Number(await ride.getAttribute('data-frames'));
    await expect.poll(() => ride.getAttribute('data-frames').then(Number), { timeout: 30_000 }).toBeGreaterThan(frames + 30);
    expect(errors).toEqual([]);
    await page.context().close();
  } finally {
    await link.close();
  }
}, 180_000);
