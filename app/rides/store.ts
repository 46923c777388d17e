/**
 * Rides in IndexedDB (idb), shared by the worker that records and the page that lists them.
 *
 * Schema version 2:
 * - `rides`: one header per ride, keyed by id, indexed by start time — what History reads
 *   (totals are stored with a finished ride, so a list never touches samples);
 * - `samples`: the 1 Hz samples, keyed by [rideId, t].
 * Version 1 kept each ride's samples inside its record; opening a version 1 database moves
 * them into `samples` and gives each ride its header and totals, so no ride is lost.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { RideSample } from './sample.ts';
import { summarise, type RideTotals } from './summary.ts';

export const DB_NAME = 'cycarla';
export const DB_VERSION = 2;

export type RideState = 'recording' | 'finished';

export interface RideHeader {
  id: string;
  name: string;
  /** Wall clock of the first sample (or of the start), ms. */
  startedAt: number;
  updatedAt: number;
  state: RideState;
  /** What a resumed ride needs to ask for the same start again. */
  car: string;
  startIndex: number;
  samples: number;
  /** The newest sample's figures, for "Resume ride (12:34)" without reading samples. */
  last: { t: number; distance: number; movingS: number } | null;
  /** Set when the ride is finished. */
  totals: RideTotals | null;
  ftp: number | null;
}

/** A version 1 record: the ride with its samples inside. */
export interface RideV1 { id: string; name: string; startedAt: number; samples: RideSample[] }

interface RidesDB extends DBSchema {
  rides: { key: string; value: RideHeader; indexes: { byStart: number } };
  samples: { key: [string, number]; value: RideSample & { rideId: string }; indexes: { byRide: string } };
}

type UpgradeTx = IDBPTransaction<RidesDB, ('rides' | 'samples')[], 'versionchange'>;

async function upgradeFromV1(tx: UpgradeTx): Promise<void> {
  // The v1 store has the v2 store's name: read every record, then rewrite it as a header.
  const store = tx.objectStore('rides');
  const old = (await store.getAll()) as unknown as RideV1[];
  for (const r of old) {
    const samples = Array.isArray(r.samples) ? r.samples : [];
    for (const s of samples) await tx.objectStore('samples').put({ ...s, rideId: r.id });
    const lastSample = samples[samples.length - 1];
    const totals = summarise(samples);
    await store.put({
      id: r.id, name: r.name, startedAt: r.startedAt, updatedAt: lastSample?.t ?? r.startedAt, state: 'finished',
      car: '', startIndex: 0, samples: samples.length,
      last: lastSample ? { t: lastSample.t, distance: lastSample.distance, movingS: totals.movingS } : null,
      totals, ftp: null,
    });
  }
}

export class RideStore {
  /** False once the connection is gone (closed, or given up to a newer version of the app). */
  isOpen = true;

  private constructor(private readonly db: IDBPDatabase<RidesDB>) {}

  static async open(name = DB_NAME): Promise<RideStore> {
    let store: RideStore | null = null;
    const db = await openDB<RidesDB>(name, DB_VERSION, {
      async upgrade(db, oldVersion, _newVersion, tx) {
        // A database another page created without stores (an empty version 1) gets them too.
        if (!db.objectStoreNames.contains('rides')) db.createObjectStore('rides', { keyPath: 'id' });
        if (oldVersion < 2) {
          tx.objectStore('rides').createIndex('byStart', 'startedAt');
          db.createObjectStore('samples', { keyPath: ['rideId', 't'] }).createIndex('byRide', 'rideId');
          if (oldVersion === 1) await upgradeFromV1(tx);
        }
      },
      // A newer version of the app wants the database: let it go rather than block it.
      blocking() { if (store) store.close(); else db.close(); },
      terminated() { if (store) store.isOpen = false; },
    });
    store = new RideStore(db);
    return store;
  }

  close(): void {
    this.isOpen = false;
    this.db.close();
  }

  async create(header: Omit<RideHeader, 'updatedAt' | 'state' | 'samples' | 'last' | 'totals'>): Promise<RideHeader> {
    const h: RideHeader = { ...header, updatedAt: header.startedAt, state: 'recording', samples: 0, last: null, totals: null };
    await this.db.put('rides', h);
    return h;
  }

  get(id: string): Promise<RideHeader | undefined> { return this.db.get('rides', id); }

  /** Adds samples and moves the header on, in one transaction: both or neither are kept. */
  async append(id: string, samples: readonly RideSample[], movingS: number): Promise<void> {
    if (!samples.length) return;
    const tx = this.db.transaction(['rides', 'samples'], 'readwrite');
    const header = await tx.objectStore('rides').get(id);
    if (!header) throw new Error(`no ride ${id}`);
    for (const s of samples) void tx.objectStore('samples').put({ ...s, rideId: id });
    const last = samples[samples.length - 1]!;
    header.samples += samples.length;
    header.updatedAt = last.t;
    header.last = { t: last.t, distance: last.distance, movingS };
    void tx.objectStore('rides').put(header);
    await tx.done;
  }

  async samples(id: string): Promise<RideSample[]> {
    // Within one rideId the index keeps primary-key order: by time.
    const rows = await this.db.getAllFromIndex('samples', 'byRide', id);
    return rows.map(({ rideId: _rideId, ...s }) => s);
  }

  /** The newest ride still being recorded (a tab that closed or crashed mid-ride), if any. */
  async unfinished(): Promise<RideHeader | null> {
    let found: RideHeader | null = null;
    let cursor = await this.db.transaction('rides').store.index('byStart').openCursor(null, 'prev');
    while (cursor) {
      if (cursor.value.state === 'recording') { found = cursor.value; break; }
      cursor = await cursor.continue();
    }
    return found;
  }

  /** Finished rides' headers, newest first. */
  async list(): Promise<RideHeader[]> {
    const all = await this.db.getAllFromIndex('rides', 'byStart');
    return all.filter((h) => h.state === 'finished').reverse();
  }

  /** Computes and keeps the ride's totals; the ride is finished. */
  async finish(id: string, ftp: number | null): Promise<RideHeader> {
    const header = await this.get(id);
    if (!header) throw new Error(`no ride ${id}`);
    const samples = await this.samples(id);
    const totals = summarise(samples, ftp);
    const done: RideHeader = { ...header, state: 'finished', totals, ftp, startedAt: samples[0]?.t ?? header.startedAt };
    await this.db.put('rides', done);
    return done;
  }

  async rename(id: string, name: string): Promise<void> {
    const h = await this.get(id);
    if (h) await this.db.put('rides', { ...h, name });
  }

  /** Deletes a ride and its samples; returns what restore() needs to bring it back (undo). */
  async remove(id: string): Promise<{ header: RideHeader; samples: RideSample[] } | null> {
    const header = await this.get(id);
    if (!header) return null;
    const samples = await this.samples(id);
    const tx = this.db.transaction(['rides', 'samples'], 'readwrite');
    const samplesStore = tx.objectStore('samples');
    for (const key of await samplesStore.index('byRide').getAllKeys(id)) void samplesStore.delete(key);
    void tx.objectStore('rides').delete(id);
    await tx.done;
    return { header, samples };
  }

  async restore(removed: { header: RideHeader; samples: RideSample[] }): Promise<void> {
    const tx = this.db.transaction(['rides', 'samples'], 'readwrite');
    for (const s of removed.samples) void tx.objectStore('samples').put({ ...s, rideId: removed.header.id });
    void tx.objectStore('rides').put(removed.header);
    await tx.done;
  }
}
