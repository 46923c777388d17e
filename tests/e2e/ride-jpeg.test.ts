/**
 * A ride with JPEG pictures (the encoding a tablet on Wi-Fi gets by default) in real Chromium on
 * the real stack: the relay encodes, the worker decodes with the browser's image decoder onto
 * the same canvas, the picture is a real one and the ride goes on.
 */
import { PNG } from 'pngjs';
import { expect, it } from 'vitest';
import { openTabletPage, rideSeconds } from '../support/browser.ts';
import { stackAndBrowser } from '../support/stack.ts';

const env = stackAndBrowser();

it('rides with JPEG pictures: a real picture, frames and ride time going on, no errors', async () => {
  const { page, errors } = await openTabletPage(env.browser, env.home, { encoding: 'jpeg', fullscreen: false, quality: 'high' });
  const socket = page.waitForEvent('websocket');
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  expect((await socket).url()).toContain('encoding=jpeg');
  await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
  await expect.poll(() => rideSeconds(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(8);
  expect(Number(await page.locator('.ride').getAttribute('data-frames'))).toBeGreaterThan(60);
  expect(Number(await page.locator('.ride').getAttribute('data-draw-ms'))).toBeGreaterThan(0);
  const png = PNG.sync.read(await page.getByTestId('view').screenshot());
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 13) colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
  expect(colours.size).toBeGreaterThan(300);
  expect(Number(await page.locator('.ride').getAttribute('data-skipped'))).toBe(0);
  // The link figures tell a slow link from a slow simulator: fps, latency and what the link carries.
  const figures = (await page.getByTestId('link-figures').textContent())!;
  expect(figures).toMatch(/^\d+ fps · \d+ ms · \d+\.\d Mbit\/s$/);
  expect(Number(/([\d.]+) Mbit/.exec(figures)![1])).toBeGreaterThan(0.1);
  expect(errors).toEqual([]);
}, 120_000);
