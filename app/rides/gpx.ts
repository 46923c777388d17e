/**
 * A ride as GPX 1.1 (spec gpx-strava.md §1): `creator` ending in "with barometer" (so Strava
 * keeps the course's own elevation), `trk/type` VirtualRide, one `trkpt` per moving sample with
 * `ele`, UTC `time`, a bare `<power>` and the Garmin TrackPointExtension v1 `hr`/`cad`.
 *
 * Paused stretches are left out, and each stretch of riding between pauses (or around a hole
 * in the recording) is its own `trkseg`: a GPX reader then neither draws a line across a pause
 * nor counts it as moving, and Strava's moving time matches the summary's.
 *
 * The XML is built by fast-xml-parser's XMLBuilder from plain objects, so every name and value
 * goes through its entity escaping: a ride named `Tom & "Jerry" <3` cannot break the file, and
 * no code path writes text into the document unescaped.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { RideSample } from './sample.ts';
import { MAX_SAMPLE_GAP_S } from './summary.ts';

export const GPX_CREATOR = 'cycarla with barometer';
export const GPX_TYPE = 'VirtualRide';
const GPXTPX = 'http://www.garmin.com/xmlschemas/TrackPointExtension/v1';

export interface GpxRide { name: string; startedAt: number; samples: readonly RideSample[] }

/** Moving samples split into segments at every pause or hole in the recording. */
export function segments(samples: readonly RideSample[]): RideSample[][] {
  const out: RideSample[][] = [];
  let current: RideSample[] = [];
  let last: RideSample | null = null;
  for (const s of samples) {
    const hole = last !== null && (s.t - last.t) / 1000 > MAX_SAMPLE_GAP_S;
    if (s.paused || hole) {
      if (current.length) out.push(current);
      current = [];
    }
    if (!s.paused) current.push(s);
    last = s;
  }
  if (current.length) out.push(current);
  return out;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

function trackPoint(s: RideSample): Record<string, unknown> {
  const tpx: Record<string, unknown> = {};
  if (s.hr !== null) tpx['gpxtpx:hr'] = Math.round(s.hr);
  if (s.cadence !== null) tpx['gpxtpx:cad'] = Math.round(s.cadence);
  const extensions: Record<string, unknown> = { power: Math.round(s.power) };
  if (Object.keys(tpx).length) extensions['gpxtpx:TrackPointExtension'] = tpx;
  return {
    '@_lat': round(s.lat, 7), '@_lon': round(s.lon, 7),
    ele: round(s.ele, 2), time: new Date(s.t).toISOString(), extensions,
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: true });

export function toGpx(ride: GpxRide): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    gpx: {
      '@_version': '1.1', '@_creator': GPX_CREATOR,
      '@_xmlns': 'http://www.topografix.com/GPX/1/1',
      '@_xmlns:gpxtpx': GPXTPX,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:schemaLocation': 'http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd',
      metadata: { name: ride.name, time: new Date(ride.startedAt).toISOString() },
      trk: {
        name: ride.name,
        type: GPX_TYPE,
        trkseg: segments(ride.samples).map((seg) => ({ trkpt: seg.map(trackPoint) })),
      },
    },
  };
  return builder.build(doc) as string;
}

/** A file name for the ride: its date and name, in characters every file system takes. */
export function gpxFileName(ride: { name: string; startedAt: number }): string {
  const day = new Date(ride.startedAt).toISOString().slice(0, 10);
  const name = ride.name.normalize('NFKD').replace(/[^\w\- ]+/g, '').trim().replace(/\s+/g, '-').slice(0, 60);
  return `${day}${name ? `-${name}` : ''}.gpx`;
}
