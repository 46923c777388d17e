/**
 * Rides in IndexedDB (fake-indexeddb here; the browser tests use Chromium's own): the schema,
 * its upgrade from version 1, and the recorder that writes a sample a second and loses none.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { RideRecorder, RETRY_AFTER_MS, type SampleSink } from '../../app/rides/recorder.ts';
import type { RideSample } from '../../app/rides/sample.ts';
import { RideStore, type RideV1 } from '../../app/rides/store.ts';

let n = 0;
const dbName = () => `cycarla-test-${n++}`;
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const sample = (i: number, over: Partial<RideSample> = {}): RideSample => ({
  t: T0 + i * 1000, simMs: i * 1000, x: i * 5, y: 0, z: 0, lat: 0, lon: 0, ele: 100,
  speed: 5, power: 200, cadence: 90, hr: null, grade: 0, distance: i * 5, paused: false, ...over,
});
const header = (id: string, startedAt = T0) => ({ id, name: `Ride ${id}`, startedAt, car: 'main', startIndex: 2, ftp: null });

describe('the ride store', () => {
  it('keeps samples with their ride and moves its header on in the same write', async () => {
    const store = await RideStore.open(dbName());
    await store.create(header('a'));
    await store.append('a', [sample(0), sample(1)], 1);
    await store.append('a', [sample(2)], 2);
    expect((await store.samples('a')).map((s) => s.t)).toEqual([T0, T0 + 1000, T0 + 2000]);
    expect(await store.get('a')).toMatchObject({ state: 'recording', samples: 3, last: { t: T0 + 2000, distance: 10, movingS: 2 } });
  });

  it('finds the ride a closed tab left unfinished, and lists only finished rides, newest first, with totals', async () => {
    const store = await RideStore.open(dbName());
    for (const [id, at] of [['old', T0 - 86_400_000], ['new', T0], ['open', T0 + 1000]] as const) {
      await store.create(header(id, at));
      await store.append(id, [sample(0, { t: at }), sample(1, { t: at + 1000 })], 1);
    }
    await store.finish('old', null);
    await store.finish('new', 250);
    expect((await store.unfinished())?.id).toBe('open');
    const list = await store.list();
    expect(list.map((h) => h.id)).toEqual(['new', 'old']);
    expect(list[0]!.totals).toMatchObject({ movingS: 1, distance: 5, avgPower: 200 });
    expect(list[0]!.ftp).toBe(250);
  });

  it('deletes a ride with its samples, and an undo brings both back', async () => {
    const store = await RideStore.open(dbName());
    await store.create(header('a'));
    await store.append('a', [sample(0), sample(1)], 1);
    await store.finish('a', null);
    const removed = await store.remove('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.samples('a')).toEqual([]);
    await store.restore(removed!);
    expect((await store.samples('a')).length).toBe(2);
    expect((await store.list()).map((h) => h.id)).toEqual(['a']);
  });

  it('opens a version 1 database and keeps its rides: samples moved out, totals computed', async () => {
    const name = dbName();
    const v1 = await openDB(name, 1, { upgrade(db) { db.createObjectStore('rides', { keyPath: 'id' }); } });
    const old: RideV1 = { id: 'v1-ride', name: 'Before the upgrade', startedAt: T0, samples: [sample(0), sample(1), sample(2)] };
    await v1.put('rides', old);
    v1.close();
    const store = await RideStore.open(name);
    const [h] = await store.list();
    expect(h).toMatchObject({ id: 'v1-ride', name: 'Before the upgrade', state: 'finished', samples: 3, totals: { movingS: 2, distance: 10 } });
    expect((await store.samples('v1-ride')).length).toBe(3);
    expect(h).not.toHaveProperty('samples', expect.any(Array));
  });
});

describe('the recorder', () => {
  const moment = (i: number, paused = false) => ({ simMs: i * 33, x: i, y: 0, z: 2, speed: 5, power: 180, cadence: 85, hr: null, grade: 0.01, distance: i, paused });

  it('takes one sample a second of wall time however many frames come, with coordinates and elevation', async () => {
    const got: RideSample[] = [];
    const rec = new RideRecorder('r', { append: async (_id, s) => { got.push(...s); } }, { lat: 0, lon: 0 });
    for (let f = 0; f <= 300; f++) rec.observe(T0 + f * 33.4, moment(f)); // 10 s at 30 fps
    await rec.flush();
    expect(got.map((s) => s.t - T0).map((ms) => Math.round(ms / 1000))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got[0]).toMatchObject({ ele: 102, lat: 0, lon: 0, power: 180, paused: false });
    expect(rec.movingS).toBeCloseTo(10, 0);
  });

  it('keeps to a one-second grid: a late sample is followed by an early one, never closer than half a second', async () => {
    const got: RideSample[] = [];
    const rec = new RideRecorder('r', { append: async (_id, s) => { got.push(...s); } });
    for (const at of [0, 1300, 1700, 2000, 2400, 3000, 3100, 4000]) rec.observe(T0 + at, moment(at / 1000));
    await rec.flush();
    expect(got.map((s) => s.t - T0)).toEqual([0, 1300, 2000, 3000, 4000]);
  });

  it('keeps samples in memory while the disk is full, says so, and writes them all when there is room', async () => {
    let full = true;
    const written: RideSample[] = [];
    const sink: SampleSink = {
      async append(_id, s) {
        if (full) throw new DOMException('quota', 'QuotaExceededError');
        written.push(...s);
      },
    };
    const rec = new RideRecorder('r', sink);
    for (let i = 0; i < 8; i++) { rec.observe(T0 + i * 1000, moment(i)); await Promise.resolve(); await new Promise((r) => setTimeout(r, 0)); }
    expect(rec.state).toBe('full');
    expect(rec.problem).toMatch(/out of storage/);
    expect(written).toEqual([]);
    expect(rec.unsaved).toBe(8);
    full = false;
    rec.observe(T0 + 8000 + RETRY_AFTER_MS, moment(8));
    await rec.flush();
    expect(rec.state).toBe('ok');
    expect(written.map((s) => (s.t - T0) / 1000)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8 + RETRY_AFTER_MS / 1000]);
  });

  it('carries the moving time of a resumed ride on, and counts no pause in it', async () => {
    const rec = new RideRecorder('r', { append: async () => {} }, undefined, { t: T0, movingS: 100 });
    rec.observe(T0 + 1000, moment(1));
    rec.observe(T0 + 2000, moment(2, true));
    rec.observe(T0 + 3000, moment(3));
    await rec.flush();
    expect(rec.movingS).toBe(102);
  });
});
