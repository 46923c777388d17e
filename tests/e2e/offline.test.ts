/**
 * The installed, offline app (A13, A14) in real Chromium with a persistent profile: installable
 * with its icons; after one visit, with the relay stopped and the network gone, the shell loads
 * from the service worker, History lists the rides, a ride's detail opens and its GPX downloads
 * — a file that validates against the GPX 1.1 schema and that an independent reader (gpxpy)
 * reads back point for point; and Start says what to do instead of a browser error page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRide, putInAppDb } from '../support/app-db.ts';
import { launchPersistentChromium } from '../support/browser.ts';
import { ROOT, type RunningProcess } from '../support/processes.ts';
import { startStack } from '../support/stack.ts';

const SCHEMA = join(ROOT, 'tests/fixtures/gpx-1.1.xsd');
const T0 = Date.UTC(2026, 11, 1, 7, 30, 0);
let stack: RunningProcess;
let context: BrowserContext;
let page: Page;
let home: string;

/** A finished ride with heart rate and cadence, put into the app's database as the app itself would keep it. */
const SEEDED = {
  id: 'seeded-ride', name: 'Tempo & "hills" <3', n: 120,
  sample: (i: number) => ({
    rideId: 'seeded-ride', t: T0 + i * 1000, simMs: i * 1000, x: i * 8, y: -i, z: 2 + i / 20, lat: 0.5 - i * 1e-5, lon: -24.5 + i * 7e-5,
    ele: 102 + i / 20, speed: 8, power: 180 + (i % 40), cadence: 80 + (i % 10), hr: 130 + (i % 25), grade: 0.05, distance: i * 8,
    paused: i >= 60 && i < 70,
  }),
};

beforeAll(async () => {
  ({ proc: stack, home } = await startStack());
  context = await launchPersistentChromium(mkdtempSync(join(tmpdir(), 'cycarla-profile-')));
  // The plain-download path (headless Chromium's save dialog cannot be answered).
  await context.addInitScript('delete window.showSaveFilePicker');
  page = context.pages()[0] ?? await context.newPage();
}, 90_000);
afterAll(async () => {
  await context?.close();
  await stack?.stop();
});

describe('the installable app', () => {
  it('has no installability errors, and every manifest icon loads as the image it says', async () => {
    await page.goto(home);
    await page.evaluate('navigator.serviceWorker.ready');
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors') as { installabilityErrors: unknown[] };
    expect(installabilityErrors).toEqual([]);
    const manifest = await (await fetch(new URL('/manifest.webmanifest', home))).json() as { icons: { src: string; sizes: string; type: string; purpose: string }[]; display: string; orientation: string; id: string };
    expect(manifest).toMatchObject({ display: 'fullscreen', orientation: 'landscape', id: '/' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, home));
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type'), icon.src).toContain(icon.type);
    }
  });

  it('keeps the app and its rides after one visit, with the relay stopped and the network gone', async () => {
    // The first visit installs the service worker; the reload is the first page it controls.
    await page.reload();
    await expect.poll(() => page.evaluate('navigator.serviceWorker.controller !== null')).toBe(true);
    const samples = Array.from({ length: SEEDED.n }, (_, i) => SEEDED.sample(i));
    await putInAppDb(page, [{ ...finishedRide(SEEDED.id, SEEDED.name, T0), samples: samples.length }], samples);
    await stack.stop();
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('button', { name: 'History' }).click();
    await expect.poll(() => page.getByTestId('history-ride').count()).toBe(1);
    expect(await page.getByTestId('history-ride').textContent()).toContain(SEEDED.name);
  }, 60_000);

  it('opens the ride offline and exports a GPX that validates and reads back point for point', async () => {
    await page.getByTestId('history-ride').click();
    await expect.poll(() => page.getByTestId('summary-avg-power').isVisible()).toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export GPX' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('2026-12-01-Tempo-hills-3.gpx');
    const dir = mkdtempSync(join(tmpdir(), 'cycarla-gpx-'));
    const path = join(dir, file.suggestedFilename());
    await file.saveAs(path);
    // The schema allows only foreign-namespace extensions: the bare <power> goes for validation.
    const noPower = join(dir, 'no-power.gpx');
    writeFileSync(noPower, readFileSync(path, 'utf8').replace(/<power>\d+<\/power>/g, ''));
    execFileSync('xmllint', ['--noout', '--schema', SCHEMA, noPower], { stdio: ['ignore', 'pipe', 'pipe'] });
    const read = JSON.parse(execFileSync('/usr/bin/python3', [join(ROOT, 'tests/support/read-gpx.py'), path], { encoding: 'utf8' })) as {
      creator: string; name: string; type: string; segments: number; points: { time: string; ele: number; power: number; hr: number; cad: number }[];
    };
    expect(read).toMatchObject({ creator: 'cycarla with barometer', name: SEEDED.name, type: 'VirtualRide', segments: 2 });
    const moving = Array.from({ length: SEEDED.n }, (_, i) => SEEDED.sample(i)).filter((s) => !s.paused);
    expect(read.points).toHaveLength(moving.length);
    read.points.forEach((p, i) => {
      const s = moving[i]!;
      expect(new Date(p.time).getTime()).toBe(s.t);
      expect(p.ele).toBeCloseTo(s.ele, 2);
      expect([p.power, p.hr, p.cad]).toEqual([s.power, s.hr, s.cadence]);
    });
  });

  it('says on Start that the computer running the simulator cannot be reached, with Retry', async () => {
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Ride', exact: true }).click();
    await expect.poll(() => page.getByTestId('relay-state').textContent(), { timeout: 10_000 })
      .toContain('The computer running the simulator cannot be reached. Start cycarla on the computer, then tap Retry.');
    expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Ride with virtual power' }).isDisabled()).toBe(true);
  });
});
