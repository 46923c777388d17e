/**
 * A ride against a CARLA 0.7 server (our simulator in 0.7 mode: SceneCapture INI, bulk images,
 * centimetres and km/h) through the real relay, in real headless Chromium, in imperial units
 * with a depth inset — and the relay dying mid-ride and coming back on the same port.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETUP, steadySpeed } from '../../app/ride/index.ts';
import { launchChromium, openTabletPage, rideSeconds } from '../support/browser.ts';
import { ARTIFACTS } from '../support/images.ts';
import { freePortTriple } from '../support/ports.ts';
import { ROOT, runNpm, type RunningProcess } from '../support/processes.ts';
import { startSim, type StartedSim } from '../support/sim-process.ts';

let sim: StartedSim;
let relay: RunningProcess;
let browser: Browser;
let port: number;
let configFile: string;

beforeAll(async () => {
  sim = await startSim(['--protocol', '0.7', '--host', '127.0.0.1']);
  // The relay comes back on the same port mid-ride, so this port is chosen before it starts.
  port = await freePortTriple();
  configFile = join(mkdtempSync(join(tmpdir(), 'cycarla-e2e-')), 'relay.json');
  writeFileSync(configFile, JSON.stringify({
    port, host: '127.0.0.1', staticDir: join(ROOT, 'dist'), cars: { garage: { host: '127.0.0.1', port: sim.port, protocol: '0.7' } },
  }));
  relay = runNpm('start', ['--config', configFile]);
  await relay.waitForLog('relay listening');
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await sim?.stop();
});

describe('a ride on a CARLA 0.7 server, in imperial units with a depth inset', () => {
  let page: Page;
  let errors: string[];
  const frames = async () => Number(await page.locator('.ride').getAttribute('data-frames'));

  beforeAll(async () => {
    ({ page, errors } = await openTabletPage(browser, `http://127.0.0.1:${port}/`, { units: 'imperial', inset: 'depth' }));
  });
  afterAll(async () => { await page?.close(); });

  it("lists the car as a 0.7 server and rides it at the model's speed in mph", async () => {
    await expect.poll(() => page.getByTestId('relay-state').textContent()).toContain('Relay: Connected');
    expect(await page.getByText('CARLA 0.7').count()).toBe(1);
    await page.getByRole('button', { name: 'Ride with virtual power' }).click();
    await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
    await expect.poll(() => rideSeconds(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(10);
    // Speeds in mph: the rider's model at 150 W, and the simulated bike (km/h on the wire) with it.
    expect(await page.locator('.figure', { has: page.getByTestId('speed') }).textContent()).toContain('mph');
    const mph = Number(await page.getByTestId('speed').textContent());
    const bike = Number(await page.getByTestId('sim-speed').textContent());
    const grade = Number(await page.getByTestId('grade').textContent()) / 100;
    const toMph = 2.236936;
    expect(mph).toBeGreaterThan(steadySpeed(DEFAULT_SETUP, 150, grade + 0.05) * toMph);
    expect(mph).toBeLessThan(steadySpeed(DEFAULT_SETUP, 150, grade - 0.05) * toMph);
    expect(Math.abs(mph - bike)).toBeLessThanOrEqual(1.2);
    expect(await page.getByTestId('distance').locator('xpath=..').textContent()).toContain('mi');
  }, 120_000);

  it('shows the depth view in the inset: grey, near dark and far light', async () => {
    const inset = PNG.sync.read(await page.getByTestId('inset').screenshot());
    const greys = new Set<number>();
    let coloured = 0;
    for (let i = 0; i < inset.data.length; i += 4) {
      const [r, g, b] = [inset.data[i]!, inset.data[i + 1]!, inset.data[i + 2]!];
      if (Math.abs(r - g) > 3 || Math.abs(g - b) > 3) coloured++;
      else greys.add(r);
    }
    expect(greys.size).toBeGreaterThan(30);
    // Only the rounded border's anti-aliasing may be anything but grey.
    expect(coloured / (inset.data.length / 4)).toBeLessThan(0.05);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'e2e-ride-07-depth-inset.png'), await page.screenshot());
  });

  it('says the relay holds the brake while it is gone, and carries on when it is back', async () => {
    await relay.stop('SIGKILL');
    await expect.poll(() => page.getByTestId('relay-chip').textContent(), { timeout: 10_000 }).toContain('Relay: Reconnecting…');
    expect(await page.getByTestId('warning').textContent()).toBe('Connection lost — the relay is holding the brake.');
    expect(await page.getByTestId('holding-brake').isVisible()).toBe(true);
    const before = await frames();
    relay = runNpm('start', ['--config', configFile]);
    await relay.waitForLog('relay listening');
    await expect.poll(() => page.getByTestId('relay-chip').textContent(), { timeout: 15_000 }).toContain('Relay: Connected');
    await expect.poll(frames, { timeout: 30_000 }).toBeGreaterThan(before + 30);
    expect(await page.getByTestId('link').textContent()).toContain('Simulator: Connected');
    expect(await page.getByTestId('holding-brake').count()).toBe(0);
    // The lost-connection warning is gone (another may show: the relay saying how it got the simulator back).
    const warning = page.getByTestId('warning');
    if (await warning.count()) expect(await warning.textContent()).not.toBe('Connection lost — the relay is holding the brake.');
  }, 90_000);

  it('raised no page or worker error', () => {
    expect(errors).toEqual([]);
  });
});
