/**
 * GPX 1.1 from a ride: what Strava needs, escaping that cannot be forgotten, pauses as
 * segment breaks; and the file validates against the GPX 1.1 schema (xmllint, with the bare
 * <power> elements taken out: the spec's one known deviation).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { gpxFileName, segments, toGpx } from '../../app/rides/gpx.ts';
import { toLatLon } from '../../app/rides/geo.ts';
import type { RideSample } from '../../app/rides/sample.ts';

/** The GPX 1.1 schema (Topografix), kept with the tests so that a clone validates on its own. */
const SCHEMA = join(import.meta.dirname, '../fixtures/gpx-1.1.xsd');
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const ride = (n: number, f: (i: number) => Partial<RideSample> = () => ({})): RideSample[] =>
  Array.from({ length: n }, (_, i) => ({
    t: T0 + i * 1000, simMs: i * 1000, x: i * 5, y: 0, z: 0, lat: 0.5, lon: -24.5 + i * 1e-5, ele: 100 + i / 10,
    speed: 5, power: 200 + i, cadence: 90, hr: 140, grade: 0, distance: i * 5, paused: false, ...f(i),
  }));

describe('GPX export', () => {
  it('writes creator "… with barometer", a VirtualRide track and one point per moving sample, in order', () => {
    const gpx = toGpx({ name: 'Morning', startedAt: T0, samples: ride(5) });
    expect(gpx).toContain('creator="cycarla with barometer"');
    expect(gpx).toContain('<type>VirtualRide</type>');
    expect(gpx).toContain('xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"');
    expect(gpx.match(/<trkpt /g)).toHaveLength(5);
    expect(gpx).toContain('<trkpt lat="0.5" lon="-24.49996"><ele>100.4</ele><time>2026-12-03T09:00:04.000Z</time><extensions><power>204</power><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr><gpxtpx:cad>90</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>');
  });

  it('keeps a name like Tom & "Jerry" <3 intact through escaping', () => {
    const name = 'Tom & "Jerry" <3';
    const gpx = toGpx({ name, startedAt: T0, samples: ride(2) });
    expect(gpx).not.toContain(name);
    const parsed = new XMLParser().parse(gpx) as { gpx: { trk: { name: string } } };
    expect(parsed.gpx.trk.name).toBe(name);
  });

  it('leaves paused samples out and starts a new segment after each pause or hole', () => {
    const s = [...ride(4), ...ride(3, (i) => ({ t: T0 + (4 + i) * 1000, paused: true })), ...ride(2, (i) => ({ t: T0 + (7 + i) * 1000 })), ...ride(2, (i) => ({ t: T0 + (30 + i) * 1000 }))];
    expect(segments(s).map((seg) => seg.length)).toEqual([4, 2, 2]);
    expect(toGpx({ name: 'x', startedAt: T0, samples: s }).match(/<trkseg>/g)).toHaveLength(3);
  });

  it('writes no hr or cad without a source, but always power', () => {
    const gpx = toGpx({ name: 'x', startedAt: T0, samples: ride(1, () => ({ hr: null, cadence: null })) });
    expect(gpx).toContain('<extensions><power>200</power></extensions>');
    expect(gpx).not.toContain('TrackPointExtension>');
  });

  it('validates against the GPX 1.1 schema, the bare <power> elements aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycarla-gpx-'));
    const file = join(dir, 'ride.gpx');
    const gpx = toGpx({ name: 'Tom & "Jerry" <3', startedAt: T0, samples: ride(120, (i) => ({ paused: i > 50 && i < 60, hr: i % 3 ? 150 : null })) });
    writeFileSync(file, gpx.replace(/<power>\d+<\/power>/g, ''));
    const out = execFileSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });

  it('names the file after the ride\'s date and name, in safe characters', () => {
    expect(gpxFileName({ name: 'Tom & "Jerry" <3', startedAt: T0 })).toBe('2026-12-03-Tom-Jerry-3.gpx');
    expect(gpxFileName({ name: '', startedAt: T0 })).toBe('2026-12-03.gpx');
  });
});

describe('coordinates', () => {
  it('puts 1 km north (CARLA y = −1000) 0.0089832° north, and 1 km east 0.0089835° east at 0.5° N', () => {
    // 1000 / 6378137 · 180/π = 0.00898315°; east divides by cos 0.5° = 0.9999619.
    const p = toLatLon(0, -1000, { lat: 0.5, lon: -24.5 });
    expect(p.lat - 0.5).toBeCloseTo(0.00898315, 8);
    expect(p.lon).toBe(-24.5);
    const q = toLatLon(1000, 0, { lat: 0.5, lon: -24.5 });
    expect(q.lon + 24.5).toBeCloseTo(0.00898315 / 0.9999619, 8);
  });
});
