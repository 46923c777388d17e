/**
 * The rider's virtual bike: speed and distance from the rider's power through the road-load
 * model (proto/road-load.ts), integrated over simulation time,
 *   P·η = v·F_road(v, grade) + m·v·dv/dt.
 */
import { AIR_DENSITY, roadLoad, type RoadBody } from '../../proto/road-load.ts';

export interface RiderSetup extends RoadBody {
  rho: number;
  drivetrainEfficiency: number;
}

export const DEFAULT_SETUP: RiderSetup = { massKg: 84, cda: 0.32, crr: 0.004, rho: AIR_DENSITY, drivetrainEfficiency: 0.975 };

/** Below this speed the power term P/v is taken at this speed: a standing start stays finite. */
const MIN_POWER_SPEED = 0.5;
/** Longest integration step: longer frames (a slow simulator, a hiccup) are cut into these. */
const MAX_STEP_S = 0.02;

/** The speed at which a steady power balances the road load (m/s; 0 if it cannot move). */
export function steadySpeed(s: RiderSetup, powerW: number, grade: number, wind = 0): number {
  const wheel = powerW * s.drivetrainEfficiency;
  if (wheel <= 0) return 0;
  // v·F(v) grows with v wherever F(v) > 0: bisection on the excess power.
  let lo = 0, hi = 40;
  if (hi * roadLoad(s, hi, grade, wind) < wheel) return hi;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mid * roadLoad(s, mid, grade, wind) > wheel) hi = mid; else lo = mid;
  }
  return (lo + hi) / 2;
}

export class VirtualBike {
  speed = 0;
  distance = 0;

  constructor(public setup: RiderSetup = DEFAULT_SETUP) {}

  step(powerW: number, grade: number, dt: number, wind = 0): void {
    const s = this.setup;
    const n = Math.max(1, Math.ceil(dt / MAX_STEP_S));
    const h = dt / n;
    for (let i = 0; i < n; i++) {
      const drive = (Math.max(0, powerW) * s.drivetrainEfficiency) / Math.max(this.speed, MIN_POWER_SPEED);
      let v = this.speed + ((drive - roadLoad(s, this.speed, grade, wind)) / s.massKg) * h;
      // Nobody rolls backwards on a bicycle trainer ride: a climb without power stops you.
      if (v < 0) v = 0;
      this.distance += ((this.speed + v) / 2) * h;
      this.speed = v;
    }
  }
}
