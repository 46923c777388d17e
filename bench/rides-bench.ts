/**
 * Rides: what keeping a ride costs. Each figure beside a baseline in the same run:
 * - recording one sample (RideRecorder + RideStore.append) against a bare IndexedDB put of the
 *   same sample (fake-indexeddb in Node: the ratio says what our code adds);
 * - GPX export of a 4-hour ride (14,400 points) against JSON.stringify of the same samples;
 * - the summary of a 4-hour ride against one bare pass summing its power;
 * - History with 500 stored rides in headless Chromium (real IndexedDB): tap to first paint of
 *   the list, against tap to first paint of Settings (a view that reads nothing).
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { toGpx } from '../app/rides/gpx.ts';
import { RideRecorder } from '../app/rides/recorder.ts';
import type { RideSample } from '../app/rides/sample.ts';
import { RideStore } from '../app/rides/store.ts';
import { summarise } from '../app/rides/summary.ts';
import { launchChromium } from '../tests/support/browser.ts';
import { finishedRide, putInAppDb } from '../tests/support/app-db.ts';
import { startStack } from '../tests/support/stack.ts';
import { table } from './support.ts';

const FOUR_HOURS = 4 * 3600;
const T0 = Date.UTC(2026, 11, 3, 6, 0, 0);
const sample = (i: number): RideSample => ({
  t: T0 + i * 1000, simMs: i * 1000, x: i * 8, y: Math.sin(i / 50) * 40, z: 5 + Math.sin(i / 300) * 20, lat: 0.5, lon: -24.5 + i * 7e-5,
  ele: 105 + Math.sin(i / 300) * 20, speed: 8, power: 150 + (i % 97), cadence: 85, hr: 120 + (i % 40), grade: 0.02, distance: i * 8, paused: i % 900 < 10,
});

function timeIt(fn: () => void, rounds: number): number {
  fn(); // warm
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) fn();
  return (performance.now() - t0) / rounds;
}

async function recordingPerSample(): Promise<[number, number]> {
  const n = 2000;
  const store = await RideStore.open(`bench-${Date.now()}`);
  await store.create({ id: 'r', name: 'bench', startedAt: T0, car: 'main', startIndex: 0, ftp: null });
  const rec = new RideRecorder('r', store);
  let t0 = performance.now();
  for (let i = 0; i < n; i++) {
    rec.observe(T0 + i * 1000, { simMs: i * 1000, x: i, y: 0, z: 0, speed: 8, power: 200, cadence: 85, hr: null, grade: 0, distance: i * 8, paused: false });
    await rec.flush();
  }
  const ours = (performance.now() - t0) / n;
  const raw = await openDB(`bench-raw-${Date.now()}`, 1, { upgrade(db) { db.createObjectStore('samples', { keyPath: ['rideId', 't'] }); } });
  t0 = performance.now();
  for (let i = 0; i < n; i++) await raw.put('samples', { ...sample(i), rideId: 'r' });
  const bare = (performance.now() - t0) / n;
  store.close();
  raw.close();
  return [ours, bare];
}

async function historyFirstPaint(): Promise<[number, number, number]> {
  const { proc: stack, home } = await startStack();
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(home);
    await putInAppDb(page, Array.from({ length: 500 }, (_, i) => finishedRide(`r${i}`, `Ride ${i}`, T0 - i * 86_400_000)));
    const tapToPaint = async (button: string, selector: string) => {
      await page.getByRole('button', { name: 'Ride', exact: true }).click();
      await page.waitForSelector('text=Ride with virtual power');
      return page.evaluate(`new Promise((resolve) => {
        const t0 = performance.now();
        [...document.querySelectorAll('nav button')].find((b) => b.textContent === ${JSON.stringify(button)}).click();
        const wait = () => document.querySelector(${JSON.stringify(selector)}) ? requestAnimationFrame(() => resolve(performance.now() - t0)) : requestAnimationFrame(wait);
        wait();
      })`) as Promise<number>;
    };
    const runs = 5;
    let history = 0, all = 0, settings = 0;
    for (let r = 0; r < runs; r++) {
      history += await tapToPaint('History', '[data-testid="history-list"] li');
      all += await tapToPaint('History', '[data-testid="history-list"] li:nth-child(500)');
      settings += await tapToPaint('Settings', '[data-testid="storage-estimate"]');
    }
    return [history / runs, settings / runs, all / runs];
  } finally {
    await browser.close();
    await stack.stop();
  }
}

export async function runRidesBench(): Promise<void> {
  console.log('\n## Rides (app/rides/): keeping, exporting and listing rides\n');
  const ride = Array.from({ length: FOUR_HOURS }, (_, i) => sample(i));
  const [rec, recBase] = await recordingPerSample();
  const gpx = timeIt(() => toGpx({ name: 'Four hours', startedAt: T0, samples: ride }), 5);
  const gpxBase = timeIt(() => JSON.stringify(ride), 5);
  const sum = timeIt(() => summarise(ride, 250), 20);
  const sumBase = timeIt(() => { let p = 0; for (const s of ride) p += s.power; if (p < 0) throw new Error(); }, 20);
  const [hist, histBase, histAll] = await historyFirstPaint();
  const verdict = (ms: number, target: number) => `< ${target} ms: ${ms < target ? 'met' : 'NOT met'}`;
  console.log(table(['measure', 'ms', 'baseline', 'baseline ms', 'ratio', 'target'], [
    ['recording, per sample (store + header, one transaction)', rec, 'bare IndexedDB put', recBase, `${(rec / recBase).toFixed(1)}×`, verdict(rec, 1)],
    ['GPX export, 4 h (14,400 points)', gpx, 'JSON.stringify of the samples', gpxBase, `${(gpx / gpxBase).toFixed(1)}×`, verdict(gpx, 1000)],
    ['summary, 4 h (NP, zones, all totals)', sum, 'one pass summing power', sumBase, `${(sum / sumBase).toFixed(0)}×`, verdict(sum, 100)],
    ['History with 500 rides: tap to first paint of the list', hist, 'tap to first paint of Settings', histBase, `${(hist / histBase).toFixed(1)}×`, verdict(hist, 200)],
    ['History with 500 rides: tap to all 500 rows in the DOM', histAll, 'tap to first paint of Settings', histBase, `${(histAll / histBase).toFixed(1)}×`, '(reference)'],
  ]));
  console.log('\nrecording: Node with fake-indexeddb (the ratio is what our code adds to a put); History: headless Chromium, real IndexedDB.');
}
