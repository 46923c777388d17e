/**
 * A ride with JPEG pictures (the encoding a tablet on Wi-Fi gets by default) in real Chromium on
 * the real stack: the relay encodes, the worker decodes with the browser's image decoder onto
 * the same canvas, the picture is a real one and the ride goes on.
 */
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, openTabletPage, rideSeconds } from '../support/browser.ts';
import type { RunningProcess } from '../support/processes.ts';
import { startStack } from '../support/stack.ts';

let stack: RunningProcess;
let browser: Browser;
let home: string;

beforeAll(async () => {
  ({ proc: stack, home } = await startStack());
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('rides with JPEG pictures: a real picture, frames and ride time going on, no errors', async () => {
  const { page, errors } = await openTabletPage(browser, home, { encoding: 'jpeg', fullscreen: false, quality: 'high' });
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
  expect(errors).toEqual([]);
}, 120_000);
