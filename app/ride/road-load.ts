/**
 * The road-load model (spec bluetooth-fitness.md §10): the rider's power at the wheel
 * balances gravity, rolling resistance, air drag and acceleration,
 *   P·η = v·(m·g·sin θ + Crr·m·g·cos θ + ½·ρ·CdA·(v + v_wind)²) + m·v·dv/dt.
 * Pure code: the stream worker runs it every frame on simulation time.
 */
export interface RiderSetup {
  /** Rider plus bike, kg. */
  massKg: number;
  cda: number;
  crr: number;
  /** Air density, kg/m³. */
  rho: number;
  drivetrainEfficiency: number;
}

export const DEFAULT_SETUP: RiderSetup = { massKg: 84, cda: 0.32, crr: 0.004, rho: 1.225, drivetrainEfficiency: 0.975 };

const G = 9.81;
/** Below this speed the power term P/v is taken at this speed: a standing start stays finite. */
const MIN_POWER_SPEED = 0.5;

/** Forces resisting motion at speed v on a grade (rise over run), N. */
export function resistance(s: RiderSetup, v: number, grade: number, wind = 0): number {
  const theta = Math.atan(grade);
  const air = v + wind;
  return s.massKg * G * Math.sin(theta) + s.crr * s.massKg * G * Math.cos(theta) + 0.5 * s.rho * s.cda * air * Math.abs(air);
}

/** The speed at which a steady power balances the road load (m/s; 0 if it cannot move). */
export function steadySpeed(s: RiderSetup, powerW: number, grade: number, wind = 0): number {
  const wheel = powerW * s.drivetrainEfficiency;
  if (wheel <= 0) return 0;
  // v·F(v) grows with v wherever F(v) > 0: bisection on the excess power.
  let lo = 0, hi = 40;
  if (hi * resistance(s, hi, grade, wind) < wheel) return hi;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mid * resistance(s, mid, grade, wind) > wheel) hi = mid; else lo = mid;
  }
  return (lo + hi) / 2;
}

/** The rider's virtual bike: speed and distance from power, integrated over simulation time. */
export class VirtualBike {
  speed = 0;
  distance = 0;

  constructor(public setup: RiderSetup = DEFAULT_SETUP) {}

  step(powerW: number, grade: number, dt: number, wind = 0): void {
    const s = this.setup;
    // Sub-steps keep the integration stable for long frames (a slow simulator, a hiccup).
    const n = Math.max(1, Math.ceil(dt / 0.02));
    const h = dt / n;
    for (let i = 0; i < n; i++) {
      const drive = (Math.max(0, powerW) * s.drivetrainEfficiency) / Math.max(this.speed, MIN_POWER_SPEED);
      let v = this.speed + ((drive - resistance(s, this.speed, grade, wind)) / s.massKg) * h;
      // Nobody rolls backwards on a bicycle trainer ride: a climb without power stops you.
      if (v < 0) v = 0;
      this.distance += ((this.speed + v) / 2) * h;
      this.speed = v;
    }
  }
}
