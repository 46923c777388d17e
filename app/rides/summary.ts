/**
 * A ride's figures from its 1 Hz samples, each a pure function of the samples (and the
 * rider's FTP where it needs one), so that each is tested against figures worked out by hand.
 *
 * Time: each sample closes the interval since the one before it. That interval counts to the
 * elapsed time always, and to the moving time when the sample is not paused and the interval
 * is not a gap in the recording (a reload, a crash: longer than MAX_SAMPLE_GAP_S). Averages
 * over time (power, heart rate, cadence) are taken over moving samples; cadence leaves out
 * zeros (coasting), as Strava does by default.
 */
import type { RideSample } from './sample.ts';

/** An interval longer than this between samples is a hole in the recording, not riding. */
export const MAX_SAMPLE_GAP_S = 2;
/** Normalized power's rolling window, s. */
export const NP_WINDOW_S = 30;

/** Coggan's seven power zones, as shares of FTP (upper bounds; Z7 has none). */
export const POWER_ZONES = [
  { zone: 'Z1', label: 'Active recovery', upTo: 0.55 },
  { zone: 'Z2', label: 'Endurance', upTo: 0.75 },
  { zone: 'Z3', label: 'Tempo', upTo: 0.9 },
  { zone: 'Z4', label: 'Threshold', upTo: 1.05 },
  { zone: 'Z5', label: 'VO2 max', upTo: 1.2 },
  { zone: 'Z6', label: 'Anaerobic', upTo: 1.5 },
  { zone: 'Z7', label: 'Neuromuscular', upTo: Infinity },
] as const;

export interface RideTotals {
  elapsedS: number;
  movingS: number;
  /** Metres. */
  distance: number;
  /** Metres climbed. */
  elevationGain: number;
  avgPower: number;
  maxPower: number;
  /** Null for a ride shorter than the 30 s window. */
  normalizedPower: number | null;
  avgHr: number | null;
  maxHr: number | null;
  avgCadence: number | null;
  /** m/s: distance over moving time; the fastest sample. */
  avgSpeed: number;
  maxSpeed: number;
  /** Kilojoules of work (about kilocalories eaten, at a body's ~24 % efficiency). */
  workKj: number;
  /** With an FTP only. */
  intensityFactor: number | null;
  tss: number | null;
  /** Seconds in Z1…Z7, with an FTP only. */
  zones: number[] | null;
}

/** Whether the `dtS` seconds a sample closes count as moving: not paused, and not a hole in the recording. */
export const isMovingInterval = (dtS: number, paused: boolean): boolean => !paused && dtS > 0 && dtS <= MAX_SAMPLE_GAP_S;

/** The seconds each sample closes (0 for the first), and whether they count as moving. */
function intervals(samples: readonly RideSample[]): { dt: number; moving: boolean }[] {
  return samples.map((s, i) => {
    if (i === 0) return { dt: 0, moving: false };
    const dt = (s.t - samples[i - 1]!.t) / 1000;
    return { dt, moving: isMovingInterval(dt, s.paused) };
  });
}

/**
 * A time-weighted mean, taken about the first value (mathematically the same as Σv·w/Σw), so
 * that a constant series gives exactly its value back: 200 W held is "200", not 199.99999.
 */
class WeightedMean {
  private base: number | null = null;
  private sum = 0;
  private weight = 0;

  add(v: number, w: number): void {
    if (this.base === null) this.base = v;
    this.sum += (v - this.base) * w;
    this.weight += w;
  }

  get value(): number | null {
    return this.base === null || this.weight <= 0 ? null : this.base + this.sum / this.weight;
  }
}

/** 4th root of the mean 4th power of the 30 s rolling average of power (moving samples, at 1 Hz). */
export function normalizedPower(powers: readonly number[], windowS = NP_WINDOW_S): number | null {
  if (powers.length < windowS) return null;
  let sum = 0;
  for (let i = 0; i < windowS; i++) sum += powers[i]!;
  let acc = 0, n = 0;
  for (let i = windowS - 1; i < powers.length; i++) {
    if (i >= windowS) sum += powers[i]! - powers[i - windowS]!;
    const avg = sum / windowS;
    acc += avg ** 4;
    n++;
  }
  return (acc / n) ** 0.25;
}

/** The zone index (0 = Z1) of a power for an FTP. */
export function zoneOf(power: number, ftp: number): number {
  const share = power / ftp;
  return POWER_ZONES.findIndex((z) => share < z.upTo);
}

export function summarise(samples: readonly RideSample[], ftp: number | null = null): RideTotals {
  const iv = intervals(samples);
  let elapsedS = 0, movingS = 0, workJ = 0, maxPower = 0, maxSpeed = 0, elevationGain = 0;
  const power = new WeightedMean(), hr = new WeightedMean(), cadence = new WeightedMean();
  let maxHr: number | null = null;
  const movingPowers: number[] = [];
  const zones = ftp ? new Array<number>(POWER_ZONES.length).fill(0) : null;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!, { dt, moving } = iv[i]!;
    elapsedS += dt;
    if (s.speed > maxSpeed) maxSpeed = s.speed;
    if (s.hr !== null && (maxHr === null || s.hr > maxHr)) maxHr = s.hr;
    if (!moving) continue;
    movingS += dt;
    workJ += s.power * dt;
    power.add(s.power, dt);
    if (s.power > maxPower) maxPower = s.power;
    movingPowers.push(s.power);
    if (s.hr !== null) hr.add(s.hr, dt);
    if (s.cadence !== null && s.cadence > 0) cadence.add(s.cadence, dt);
    const rise = s.ele - samples[i - 1]!.ele;
    if (rise > 0) elevationGain += rise;
    if (zones && ftp) zones[zoneOf(s.power, ftp)]! += dt;
  }
  const distance = samples.length ? samples[samples.length - 1]!.distance - samples[0]!.distance : 0;
  const np = normalizedPower(movingPowers);
  const intensityFactor = ftp && np !== null ? np / ftp : null;
  return {
    elapsedS, movingS, distance, elevationGain,
    avgPower: power.value ?? 0,
    maxPower,
    normalizedPower: np,
    avgHr: hr.value,
    maxHr,
    avgCadence: cadence.value,
    avgSpeed: movingS > 0 ? distance / movingS : 0,
    maxSpeed,
    workKj: workJ / 1000,
    intensityFactor,
    tss: ftp && np !== null && intensityFactor !== null ? ((movingS * np * intensityFactor) / (ftp * 3600)) * 100 : null,
    zones,
  };
}
