/**
 * The app's rides database as a page holds it, through raw IndexedDB in the page (nothing of
 * the app's own code): for tests that check what was stored, and tests and benches that put
 * rides there as the app would have.
 */
import type { Page } from 'playwright-core';
import type { RideSample } from '../../app/rides/sample.ts';
import type { RideHeader } from '../../app/rides/store.ts';

export type StoredSample = RideSample & { rideId: string };

/** Resolves once the app has made its database (Home opens it to look for an unfinished ride). */
export async function appDbReady(page: Page): Promise<void> {
  await page.waitForFunction(`indexedDB.databases().then((d) => d.some((x) => x.name === 'cycarla' && x.version === 2))`);
}

export function readAppDb(page: Page): Promise<{ rides: RideHeader[]; samples: StoredSample[] }> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('cycarla');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['rides', 'samples']);
      const rides = tx.objectStore('rides').getAll(), samples = tx.objectStore('samples').getAll();
      tx.oncomplete = () => { db.close(); resolve({ rides: rides.result, samples: samples.result }); };
      tx.onerror = () => reject(tx.error);
    };
  })`);
}

export async function putInAppDb(page: Page, rides: readonly RideHeader[], samples: readonly StoredSample[] = []): Promise<void> {
  await appDbReady(page);
  await page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('cycarla');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result, tx = db.transaction(['rides', 'samples'], 'readwrite');
      for (const s of ${JSON.stringify(samples)}) tx.objectStore('samples').put(s);
      for (const r of ${JSON.stringify(rides)}) tx.objectStore('rides').put(r);
      tx.oncomplete = () => { db.close(); resolve(true); };
      tx.onerror = () => reject(tx.error);
    };
  })`);
}

/** A finished ride's header with plausible totals (what History shows). */
export function finishedRide(id: string, name: string, startedAt: number, over: Partial<RideHeader['totals'] & object> = {}): RideHeader {
  return {
    id, name, startedAt, updatedAt: startedAt, state: 'finished', car: 'main', startIndex: 0, samples: 0, last: null, ftp: null,
    totals: {
      elapsedS: 3700, movingS: 3600, distance: 30000, elevationGain: 310, avgPower: 201, maxPower: 600, normalizedPower: 220,
      avgHr: 140, maxHr: 170, avgCadence: 85, avgSpeed: 8.3, maxSpeed: 14, workKj: 720, intensityFactor: null, tss: null, zones: null, ...over,
    },
  };
}
