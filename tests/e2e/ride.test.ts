/**
 * A ride in real headless Chromium on the real stack (`npm start`: relay + embedded
 * simulator), as a rider meets it. The settings test has a page of its own; the ride's tests
 * share one ride (20 s on 250 W of virtual power) and run in the order a rider would go.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETUP, steadySpeed } from '../../app/ride/index.ts';
import { SEGMENTATION_COLOURS } from '../../app/stream/index.ts';
import { openTabletPage, rideSeconds } from '../support/browser.ts';
import { ARTIFACTS } from '../support/images.ts';
import { stackAndBrowser } from '../support/stack.ts';

const env = stackAndBrowser();
mkdirSync(ARTIFACTS, { recursive: true });

const shoot = async (page: Page, name: string) => writeFileSync(join(ARTIFACTS, name), await page.screenshot());

describe('settings', () => {
  it('refuses a wrong value with its range and keeps the old one; choices survive a reload', async () => {
    const { page, errors } = await openTabletPage(env.browser, env.home);
    await page.getByRole('button', { name: 'Settings' }).click();
    const rider = page.locator('[data-setting="riderKg"]');
    await rider.fill('400');
    await rider.press('Tab');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Rider mass must be 20–250 kg');
    expect(await rider.inputValue()).toBe('75');
    await rider.fill('80');
    await rider.press('Tab');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await page.locator('[data-setting="autoPause"]').check();
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.locator('[data-setting="riderKg"]').inputValue()).toBe('80');
    expect(await page.locator('[data-setting="autoPause"]').isChecked()).toBe(true);
    // What the device holds for the app, as the browser says.
    await expect.poll(() => page.getByTestId('storage-estimate').textContent()).toMatch(/^[\d.]+ MB used of [\d.]+ MB this browser allows\.$/);
    writeFileSync(join(ARTIFACTS, 'e2e-settings.png'), await page.screenshot({ fullPage: true }));
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a ride of 20 s on 250 W of virtual power', () => {
  let page: Page;
  let errors: string[];
  const num = async (id: string) => Number(await page.getByTestId(id).textContent());
  const ride = (name: string) => page.locator('.ride').getAttribute(`data-${name}`).then(Number);
  /** Waits until `frames` more frames have been ridden: time passing, as the ride counts it. */
  const framesPass = async (frames: number) => {
    const from = await ride('frames');
    await expect.poll(() => ride('frames'), { timeout: 15_000 }).toBeGreaterThanOrEqual(from + frames);
  };
  let startZ = 0;
  /** The inset picture's pixels as 0xRRGGBB, inside its border and rounded corners. */
  const insetPixels = async (): Promise<number[]> => {
    const png = PNG.sync.read(await page.getByTestId('inset').screenshot());
    const m = 8, out: number[] = [];
    for (let y = m; y < png.height - m; y++) {
      for (let x = m; x < png.width - m; x++) {
        const i = (y * png.width + x) * 4;
        out.push((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
      }
    }
    return out;
  };

  beforeAll(async () => {
    ({ page, errors } = await openTabletPage(env.browser, env.home, { riderKg: 80, inset: 'segmentation', autoPause: true }));
  });
  afterAll(async () => { await page?.close(); });

  it('shows on the home screen that the relay is connected and the car ready', async () => {
    await expect.poll(() => page.getByTestId('relay-state').textContent()).toContain('Relay: Connected');
    await expect.poll(() => page.getByTestId('car-state').textContent()).toBe('Ready');
    await shoot(page, 'e2e-home.png');
  });

  it('goes full screen from the Start tap and connects to the simulator', async () => {
    await page.getByRole('button', { name: 'Ride with virtual power' }).click();
    await expect.poll(() => page.evaluate('document.fullscreenElement !== null')).toBe(true);
    await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
    expect(await page.getByTestId('relay-chip').textContent()).toContain('Relay: Connected');
    await expect.poll(() => ride('frames'), { timeout: 15_000 }).toBeGreaterThan(0);
    startZ = await ride('z');
  }, 60_000);

  it('takes the power from the + button in steps of 10 W', async () => {
    for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'more power' }).click();
    await expect.poll(() => page.getByTestId('power').textContent()).toBe('250');
  });

  it("rides the road-load model's speed for 250 W, and the simulated bike follows it", async () => {
    // 20 s of ride time: simulation time, as the model counts it.
    await expect.poll(() => rideSeconds(page), { timeout: 90_000, interval: 250 }).toBeGreaterThanOrEqual(20);
    const speed = await num('speed'), bike = await num('sim-speed'), grade = (await num('grade')) / 100;
    await shoot(page, 'e2e-ride.png');
    // The simulated bike follows the rider's virtual speed (the controller's ±0.5 m/s, and HUD rounding).
    expect(Math.abs(speed - bike)).toBeLessThanOrEqual(1.8);
    // Between the steady speeds of grades 5 % steeper and gentler than the road's now: the
    // speed takes tens of seconds to settle on a new grade (unit tests pin the figures exactly).
    const setup = { ...DEFAULT_SETUP, massKg: 80 + 9 }; // the rider mass set above, and the default bike
    expect(speed).toBeGreaterThan(steadySpeed(setup, 250, grade + 0.05) * 3.6);
    expect(speed).toBeLessThan(steadySpeed(setup, 250, grade - 0.05) * 3.6);
    expect(await num('distance')).toBeGreaterThan(0.1);
  }, 120_000);

  it('draws a picture, and the inset in the spectrum of the segmentation palette with road in it', async () => {
    const png = PNG.sync.read(await page.getByTestId('view').screenshot());
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 13) colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
    expect(colours.size).toBeGreaterThan(300);
    const inset = await insetPixels();
    const palette = new Set(SEGMENTATION_COLOURS.map(([r, g, b]) => (r << 16) | (g << 8) | b));
    let inPalette = 0;
    const seen = new Set<number>();
    for (const c of inset) {
      if (palette.has(c)) { inPalette++; seen.add(c); }
    }
    expect(inPalette / inset.length).toBeGreaterThan(0.9);
    expect(seen.has((128 << 16) | (64 << 8) | 128)).toBe(true);
  });

  it('names the map and the start spot', async () => {
    expect(await page.getByTestId('scene').textContent()).toMatch(/^CycarlaLoop · start 1 of 10$/);
  });

  it('draws the elevation profile and the mini-map of the ride so far', async () => {
    for (const id of ['profile', 'minimap']) {
      const img = PNG.sync.read(await page.getByTestId(id).screenshot());
      let marked = 0;
      for (let i = 0; i < img.data.length; i += 4) if (img.data[i]! > 100 || img.data[i + 1]! > 100) marked++;
      expect(marked, id).toBeGreaterThan(50);
    }
  });

  it('shows an estimated cadence, no heart rate without a strap, and the metres climbed', async () => {
    expect(await num('cadence')).toBeGreaterThan(60);
    expect(await page.getByTestId('heart-rate').textContent()).toBe('—');
    // Climbed sums the rises: at least the net rise since the start, at most what a 15 % road
    // could give over the distance ridden; the HUD shows it rounded to the metre.
    const climbed = await ride('climbed'), rise = (await ride('z')) - startZ, ridden = (await num('distance')) * 1000;
    expect(climbed).toBeGreaterThanOrEqual(Math.max(0, rise) - 0.5);
    expect(climbed).toBeLessThan(ridden * 0.15);
    expect(await num('climbed')).toBe(Math.round(climbed));
  });

  it('makes every other control inert while the screen is locked, and gives them back on unlock', async () => {
    await page.getByRole('button', { name: 'lock screen' }).click();
    expect(await page.locator('.controls').getAttribute('inert')).not.toBeNull();
    await expect(page.getByRole('button', { name: 'more power' }).click({ timeout: 1000, trial: true })).rejects.toThrow();
    await page.getByRole('button', { name: 'unlock screen' }).click();
    await page.getByRole('button', { name: 'more power' }).click({ timeout: 5000, trial: true });
  });

  it('pauses with one tap: the clock stops and the bike is held while frames go on; Resume carries on', async () => {
    await page.getByRole('button', { name: 'pause' }).click();
    await expect.poll(() => page.getByTestId('paused').isVisible()).toBe(true);
    await expect.poll(() => num('sim-speed'), { timeout: 10_000 }).toBeLessThan(1);
    const frozen = await page.getByTestId('elapsed').textContent();
    await framesPass(45);
    expect(await page.getByTestId('elapsed').textContent()).toBe(frozen);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('elapsed').textContent(), { timeout: 5000 }).not.toBe(frozen);
    await expect.poll(() => num('sim-speed'), { timeout: 10_000 }).toBeGreaterThan(5);
    await shoot(page, 'e2e-ride-resumed.png');
  }, 60_000);

  it('auto-pauses with no power and the bike stopped, says so, and starts again with the first watts', async () => {
    expect(await page.getByTestId('auto-pause').textContent()).toBe('Auto-pause on');
    await page.getByRole('slider', { name: 'virtual power' }).fill('0');
    await page.getByRole('button', { name: 'pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('auto-pause').textContent(), { timeout: 15_000 }).toContain('Auto-paused');
    const stopped = await page.getByTestId('elapsed').textContent();
    await framesPass(45);
    expect(await page.getByTestId('elapsed').textContent()).toBe(stopped);
    await page.getByRole('button', { name: 'more power' }).click();
    await expect.poll(() => page.getByTestId('auto-pause').textContent(), { timeout: 5000 }).toBe('Auto-pause on');
    await expect.poll(() => page.getByTestId('elapsed').textContent(), { timeout: 5000 }).not.toBe(stopped);
  }, 60_000);

  it('ignores a tap on End, and ends the ride after a hold of about a second with its summary, leaving full screen', async () => {
    const end = page.getByRole('button', { name: /Hold to end/ });
    await end.hover();
    await page.mouse.down();
    await page.waitForTimeout(300); // a tap: shorter than the hold
    await page.mouse.up();
    await page.waitForTimeout(1200); // longer than the hold would have taken
    expect(await page.getByTestId('view').isVisible()).toBe(true);
    await end.hover();
    await page.mouse.down();
    await expect.poll(() => page.getByTestId('summary').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.mouse.up();
    await expect.poll(() => page.evaluate('document.fullscreenElement === null')).toBe(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Ride with virtual power' }).isVisible(), { timeout: 5000 }).toBe(true);
  });

  it("offers the map's own start spots on the home screen after the ride", async () => {
    await expect.poll(() => page.getByTestId('spots-note').textContent(), { timeout: 5000 }).toBe('10 on CycarlaLoop');
    expect(await page.getByTestId('start-spot').locator('option').count()).toBe(10);
  });

  it('has judged the link for the next ride\'s "Auto" picture quality', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.getByTestId('auto-width').textContent()).toMatch(/^Next ride: (480|640|800) px wide\.$/);
  });

  it('starts a new ride at once with another start spot and inset: an episode of its own, not the old one continued', async () => {
    const episodes = () => env.stack.output().split('\n').filter((l) => l.includes('"msg":"episode ready"')).map((l) => JSON.parse(l) as { startSpot: number });
    const before = episodes().length;
    await page.locator('[data-setting="inset"]').selectOption('depth');
    await page.getByRole('button', { name: 'Ride', exact: true }).click();
    await page.getByTestId('start-spot').selectOption({ label: '3' });
    await page.getByRole('button', { name: 'Ride with virtual power' }).click();
    await expect.poll(() => episodes().length, { timeout: 30_000 }).toBe(before + 1);
    expect(episodes().at(-1)!.startSpot).toBe(2);
    await expect.poll(() => page.getByTestId('scene').textContent(), { timeout: 30_000 }).toBe('CycarlaLoop · start 3 of 10');
    await framesPass(20);
    // The inset is the new episode's depth camera: grey, in many levels (not black, not classes).
    const inset = await insetPixels();
    let grey = 0;
    const levels = new Set<number>();
    for (const c of inset) {
      const r = c >> 16, g = (c >> 8) & 255, b = c & 255;
      if (r === g && g === b) { grey++; levels.add(r); }
    }
    expect(grey / inset.length).toBeGreaterThan(0.95);
    expect(levels.size).toBeGreaterThan(20);
  });

  it('raised no page or worker error in the whole ride', () => {
    expect(errors).toEqual([]);
  });
});
