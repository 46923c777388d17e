/**
 * Every ride kept, in real Chromium with its real IndexedDB on the real stack: a ride's
 * summary and its place in History, a reload mid-ride resumed as the same ride, and a
 * crashed renderer's ride finished and saved.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppDb } from '../support/app-db.ts';
import { openTabletPage, rideSeconds } from '../support/browser.ts';
import { stackAndBrowser } from '../support/stack.ts';

const env = stackAndBrowser();

const readDb = readAppDb;

const rideAttr = (page: Page, name: string) => page.locator('.ride').getAttribute(`data-${name}`).then(Number);

async function startRiding(page: Page, watts: number, resume = false): Promise<void> {
  await page.getByRole('button', { name: resume ? /^Resume ride/ : 'Ride with virtual power' }).click();
  // Before the episode is up, so that every sample carries this power.
  await page.getByRole('slider', { name: 'virtual power' }).fill(String(watts));
  await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
}

async function holdToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Hold to end/ }).hover();
  await page.mouse.down();
  await expect.poll(() => page.getByTestId('summary').isVisible(), { timeout: 15_000 }).toBe(true);
  await page.mouse.up();
}

/**
 * Samples keep to a one-second grid of wall time; a loaded machine delays a timer or a frame
 * by up to a few hundred ms (CI saw 1.28 s once with frame-driven sampling alone).
 */
const MAX_SAMPLE_GAP_S = 1.3;
const gaps = (s: { t: number }[]) => s.slice(1).map((x, i) => (x.t - s[i]!.t) / 1000);

describe('a ride kept', () => {
  let page: Page;
  let hudMetres = 0;

  beforeAll(async () => {
    ({ page } = await openTabletPage(env.browser, env.home, { autoPause: false, fullscreen: false, ftp: 250 }));
  });
  afterAll(async () => { await page?.close(); });

  it('ends a 30 s ride at 200 W with a summary whose totals match the ride', async () => {
    await startRiding(page, 200);
    await expect.poll(() => rideSeconds(page), { timeout: 90_000, interval: 250 }).toBeGreaterThanOrEqual(30);
    // Paused, the bike stands and the distance holds: what the HUD says is what the ride was.
    await page.getByRole('button', { name: 'pause' }).click();
    await expect.poll(() => page.getByTestId('paused').isVisible()).toBe(true);
    hudMetres = await rideAttr(page, 'distance');
    await holdToEnd(page);
    const { rides, samples } = await readDb(page);
    expect(rides).toHaveLength(1);
    const [ride] = rides;
    expect(ride!.state).toBe('finished');
    expect(samples.every((s) => s.power === 200)).toBe(true);
    expect(samples.length).toBeGreaterThanOrEqual(29);
    expect(Math.max(...gaps(samples))).toBeLessThanOrEqual(MAX_SAMPLE_GAP_S);
    // Distance within 2 % of what the HUD said at End; average power exactly the power set.
    expect(Math.abs(ride!.totals!.distance - hudMetres) / hudMetres).toBeLessThan(0.02);
    expect(ride!.totals!.avgPower).toBe(200);
    expect(await page.getByTestId('summary-avg-power').textContent()).toBe('200');
    expect(await page.getByTestId('summary-distance').textContent()).toBe((ride!.totals!.distance / 1000).toFixed(2));
    // With an FTP of 250 W, 200 W (80 %) is all tempo: Z3 holds the moving time, the others none.
    const moving = await page.getByTestId('summary-moving').textContent();
    expect(await page.getByTestId('summary-zones').locator('li.z3').textContent()).toBe(`Z3 Tempo${moving}`);
    expect(await page.getByTestId('summary-zones').locator('li.z4').textContent()).toMatch(/0:00$/);
    // Coordinates from the default map origin at sea (0.5° N, 24.5° W): a ride of a few hundred metres stays near it.
    expect(Math.abs(samples[0]!.lat - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(samples[0]!.lon + 24.5)).toBeLessThan(0.05);
  }, 150_000);

  it('keeps a new name, and lists the saved ride in History with the same totals', async () => {
    const name = await page.getByTestId('ride-name');
    await name.fill('Tom & "Jerry" <3');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'History' }).click();
    const row = page.getByTestId('history-ride');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Tom & "Jerry" <3');
    const { rides } = await readDb(page);
    expect(await row.getByTestId('history-distance').textContent()).toBe((rides[0]!.totals!.distance / 1000).toFixed(2));
    expect(await row.getByTestId('history-power').textContent()).toBe('200');
    await row.click();
    expect(await page.getByTestId('summary-avg-power').textContent()).toBe('200');
    await page.getByRole('button', { name: 'Save' }).click();
  });

  it('deletes a ride after a confirm, and brings it back on Undo', async () => {
    await page.getByTestId('history-ride').click();
    await page.getByRole('button', { name: 'Discard…' }).click();
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await expect.poll(() => page.getByTestId('history-empty').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByTestId('history-ride').count()).toBe(1);
  });
});

describe('a ride interrupted', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ page } = await openTabletPage(env.browser, env.home, { autoPause: false, fullscreen: false }));
    context = page.context();
  });
  afterAll(async () => { await context?.close(); });

  it('offers "Resume ride" after a reload and carries the same ride on, with no gap over 1 s before the reload', async () => {
    await startRiding(page, 180);
    await expect.poll(() => rideSeconds(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(10);
    const reloadedAt = Date.now();
    await page.reload();
    const resume = page.getByRole('button', { name: /^Resume ride \(0:\d\d\)$/ });
    await expect.poll(() => resume.isVisible(), { timeout: 10_000 }).toBe(true);
    await startRiding(page, 180, true);
    // Ride time carries on from where it was.
    expect(await rideAttr(page, 'elapsed')).toBeGreaterThanOrEqual(8);
    const before = await rideSeconds(page);
    await expect.poll(() => rideSeconds(page), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(before + 5);
    await holdToEnd(page);
    const { rides, samples } = await readDb(page);
    expect(rides).toHaveLength(1);
    const beforeReload = samples.filter((s) => s.t < reloadedAt);
    expect(beforeReload.length).toBeGreaterThanOrEqual(9);
    expect(Math.max(...gaps(beforeReload))).toBeLessThanOrEqual(MAX_SAMPLE_GAP_S);
    expect(samples.filter((s) => s.t > reloadedAt).length).toBeGreaterThanOrEqual(4);
    // The same record: its distance runs on across the reload.
    const after = samples.filter((s) => s.t > reloadedAt)[0]!;
    expect(after.distance).toBeGreaterThanOrEqual(beforeReload.at(-1)!.distance);
    await page.getByRole('button', { name: 'Save' }).click();
  }, 150_000);

  it('finishes and saves the ride of a crashed renderer from the home screen', async () => {
    await startRiding(page, 220);
    await expect.poll(() => rideSeconds(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(6);
    const cdp = await context.newCDPSession(page);
    void cdp.send('Page.crash').catch(() => {});
    await expect.poll(() => page.isClosed() || page.evaluate(() => 1).then(() => false, () => true), { timeout: 10_000 }).toBe(true);
    const next = await context.newPage();
    await next.goto(env.home);
    await expect.poll(() => next.getByTestId('unfinished').isVisible(), { timeout: 10_000 }).toBe(true);
    await next.getByRole('button', { name: 'Finish and save' }).click();
    await expect.poll(() => next.getByTestId('summary').isVisible(), { timeout: 10_000 }).toBe(true);
    const { rides } = await readDb(next);
    const crashed = rides.find((r) => r.totals?.avgPower === 220);
    expect(crashed?.state).toBe('finished');
    expect(crashed!.totals!.movingS).toBeGreaterThanOrEqual(4);
  }, 120_000);
});

describe('storage', () => {
  it('tells the rider when the disk is full, keeps riding, and writes every held sample once there is room', async () => {
    const { page } = await openTabletPage(env.browser, env.home, { autoPause: false, fullscreen: false });
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(env.home).origin;
    await startRiding(page, 160);
    await expect.poll(() => rideSeconds(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    const usage = await page.evaluate('navigator.storage.estimate().then((e) => e.usage)') as number;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage });
    await expect.poll(() => page.getByTestId('recording-problem').textContent(), { timeout: 20_000 }).toMatch(/out of storage/);
    const fullAt = Date.now();
    await expect.poll(() => rideSeconds(page), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(12);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await expect.poll(() => page.getByTestId('recording-problem').count(), { timeout: 20_000 }).toBe(0);
    await holdToEnd(page);
    const { samples } = await readDb(page);
    // Nothing was dropped while the disk was full: one sample a second throughout.
    expect(samples.filter((s) => s.t > fullAt).length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...gaps(samples))).toBeLessThanOrEqual(MAX_SAMPLE_GAP_S);
    await page.close();
  }, 150_000);

  it('opens a version 1 database and keeps its rides', async () => {
    const { page } = await openTabletPage(env.browser, new URL('/healthz', env.home).href);
    await page.evaluate(`new Promise((resolve, reject) => {
      const open = indexedDB.open('cycarla', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('rides', { keyPath: 'id' });
      open.onsuccess = () => {
        const db = open.result, tx = db.transaction('rides', 'readwrite');
        const samples = Array.from({ length: 40 }, (_, i) => ({ t: ${Date.UTC(2025, 5, 1, 8)} + i * 1000, simMs: i * 1000, x: i * 6, y: 0, z: 0,
          lat: 0, lon: 0, ele: 100, speed: 6, power: 210, cadence: 88, hr: null, grade: 0, distance: i * 6, paused: false }));
        tx.objectStore('rides').put({ id: 'from-v1', name: 'Kept from version 1', startedAt: samples[0].t, samples });
        tx.oncomplete = () => { db.close(); resolve(true); };
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    })`);
    await page.goto(env.home);
    await page.getByRole('button', { name: 'History' }).click();
    const row = page.getByTestId('history-ride');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Kept from version 1');
    expect(await row.getByTestId('history-power').textContent()).toBe('210');
    await page.close();
  });
});
