/**
 * An outage as a rider meets it, in real Chromium on the real relay and simulator: the
 * simulator freezes mid-ride (SIGSTOP). At once the figures fall to 0 fps, the simulator chip
 * says Reconnecting… and the words say what happened; once the relay gives up on the stream they
 * say when it tries again, with the technical reason underneath; when the simulator is back the
 * ride goes on and the words go. And a fixed-step simulator that cannot keep its pace is named.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, openTabletPage, rideSeconds } from '../support/browser.ts';
import { ROOT, runNpm, scriptPid, type RunningProcess } from '../support/processes.ts';
import { startSim, type StartedSim } from '../support/sim-process.ts';

let sim: StartedSim;
let relay: RunningProcess;
let browser: Browser;
let home: string;

beforeAll(async () => {
  sim = await startSim([], { fixedStep: false });
  const configFile = join(mkdtempSync(join(tmpdir(), 'cycarla-e2e-')), 'relay.json');
  writeFileSync(configFile, JSON.stringify({
    port: 0, host: '127.0.0.1', tls: { enabled: false }, staticDir: join(ROOT, 'dist'), cars: { main: { host: '127.0.0.1', port: sim.port } },
    timeouts: { stallMs: 3000, handshakeMs: 20_000 }, reconnect: { initialDelayMs: 4000, maxDelayMs: 8000 },
  }));
  relay = runNpm('start', ['--config', configFile]);
  home = `http://127.0.0.1:${(await relay.waitForLog('relay listening')).port as number}/`;
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  try { process.kill(scriptPid(sim.child.pid!, 'sim/cli.ts'), 'SIGCONT'); } catch { /* gone */ }
  await sim?.stop();
});

it('tells the rider at once, in words, with the countdown to the next try, and goes on when the simulator is back', async () => {
  const { page, errors } = await openTabletPage(browser, home, { fullscreen: false, quality: 'low' }, { context: { serviceWorkers: 'block' } });
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
  await expect.poll(async () => Number(await page.locator('.ride').getAttribute('data-fps')), { timeout: 10_000 }).toBeGreaterThan(5);
  await expect.poll(() => rideSeconds(page), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(6);

  const simPid = scriptPid(sim.child.pid!, 'sim/cli.ts');
  process.kill(simPid, 'SIGSTOP');
  const frozenAt = Date.now();
  // Within two seconds: the figures fall and the rider knows.
  await expect.poll(() => page.getByTestId('outage').textContent(), { timeout: 3000, interval: 100 }).toMatch(/^The simulator has sent no pictures for \d s — waiting for it$/);
  expect(Date.now() - frozenAt).toBeLessThan(2500);
  expect(await page.getByTestId('link').textContent()).toContain('Simulator: Reconnecting…');
  await expect.poll(() => page.getByTestId('link-figures').textContent(), { timeout: 2000 }).toMatch(/^0 fps/);

  // The relay's stallMs (3 s) passes: what happened, when the next try is, and why underneath.
  await expect.poll(() => page.getByTestId('outage').textContent(), { timeout: 6000, interval: 100 }).toMatch(/^The simulator stopped sending pictures — trying again in \d s/);
  expect(await page.getByTestId('outage-detail').textContent()).toBe('no frame for 3000 ms');
  const first = Number(/in (\d) s/.exec((await page.getByTestId('outage').textContent())!)![1]);
  await expect.poll(async () => Number(/in (\d) s/.exec((await page.getByTestId('outage').textContent()) ?? '')?.[1] ?? -1), { timeout: 3000 }).toBeLessThan(first);
  expect(await page.getByTestId('warning').count()).toBe(0); // no raw relay text besides

  process.kill(simPid, 'SIGCONT');
  await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 40_000 }).toContain('Simulator: Connected');
  // The new episode starts at the spot nearest ahead of where the bike was, not back at spot 1.
  const spots = sim.output().split('\n').filter((l) => l.includes('"msg":"episode ready"')).map((l) => (JSON.parse(l) as { startSpot: number }).startSpot);
  expect(spots.length).toBeGreaterThanOrEqual(2);
  expect(spots[0]).toBe(0);
  expect(spots.at(-1)).not.toBe(0);
  await expect.poll(() => page.getByTestId('outage').count(), { timeout: 5000 }).toBe(0);
  await expect.poll(async () => Number(await page.locator('.ride').getAttribute('data-fps')), { timeout: 10_000 }).toBeGreaterThan(5);
  expect(errors).toEqual([]);
}, 120_000);

it('says when a fixed-step simulator cannot keep its pace: the world runs in slow motion, and by how much', async () => {
  // CARLA started with -benchmark at 60 fps, on a machine that cannot render 800×600 that fast.
  const slowSim = await startSim(['--fps', '60', '--benchmark']);
  const configFile = join(mkdtempSync(join(tmpdir(), 'cycarla-e2e-')), 'relay.json');
  writeFileSync(configFile, JSON.stringify({ port: 0, host: '127.0.0.1', tls: { enabled: false }, staticDir: join(ROOT, 'dist'), cars: { main: { host: '127.0.0.1', port: slowSim.port } } }));
  const slowRelay = runNpm('start', ['--config', configFile]);
  try {
    const url = `http://127.0.0.1:${(await slowRelay.waitForLog('relay listening')).port as number}/`;
    const { page, errors } = await openTabletPage(browser, url, { fullscreen: false, quality: 'high' }, { context: { serviceWorkers: 'block' } });
    await page.getByRole('button', { name: 'Ride with virtual power' }).click();
    await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
    await expect.poll(() => page.getByTestId('world-pace').textContent(), { timeout: 15_000 }).toMatch(/^Simulator behind: the world runs at \d+ % speed$/);
    const pct = Number(/at (\d+) %/.exec((await page.getByTestId('world-pace').textContent())!)![1]);
    expect(pct).toBeLessThan(95);
    expect(errors).toEqual([]);
    await page.context().close();
  } finally {
    await slowRelay.stop();
    await slowSim.stop();
  }
}, 90_000);
