/**
 * The road-load model (spec bluetooth-fitness.md §10), written once for everything that
 * moves a wheel on a road: the rider's virtual bike, the speed controller's feed-forward, the
 * simulator's vehicle and its autopilot, and (later) the trainer's SIM-mode parameters.
 *
 *   F = m·g·sin θ + Crr·m·g·cos θ + ½·ρ·CdA·(v + v_wind)·|v + v_wind|,   θ = atan(grade)
 *
 * Each term has its own function, because the simulator applies them with signs of its own
 * (rolling and air oppose the direction of travel) and with a rolling factor off the road.
 * The order of each product is fixed: the simulator's frames depend on these bits.
 */
export const GRAVITY = 9.81; // m/s²
/** Sea level, 15 °C. */
export const AIR_DENSITY = 1.225; // kg/m³

export interface RoadBody {
  /** Everything that moves: rider and bike, or the vehicle, kg. */
  massKg: number;
  /** Drag area, m². */
  cda: number;
  /** Rolling resistance coefficient. */
  crr: number;
  /** Air density, kg/m³ (AIR_DENSITY unless the ride says otherwise). */
  rho?: number;
}

/** The road's angle for a grade (rise over run). */
export function roadAngle(grade: number): number {
  return Math.atan(grade);
}

/** Gravity along the road, N: positive uphill (resists), negative downhill (pulls). */
export function gravityForce(massKg: number, theta: number): number {
  return massKg * GRAVITY * Math.sin(theta);
}

/** Rolling resistance, N (its magnitude; it opposes the direction of travel). */
export function rollingForce(crr: number, massKg: number, theta: number): number {
  return crr * massKg * GRAVITY * Math.cos(theta);
}

/** Air drag, N, signed with the air speed (v + v_wind): it opposes the motion through the air. */
export function airForce(rho: number, cda: number, airSpeed: number): number {
  return 0.5 * rho * cda * airSpeed * Math.abs(airSpeed);
}

/** The whole road load at speed v on a grade, N: what a wheel must push to hold v. */
export function roadLoad(body: RoadBody, v: number, grade: number, wind = 0): number {
  const theta = roadAngle(grade);
  return gravityForce(body.massKg, theta) + rollingForce(body.crr, body.massKg, theta) + airForce(body.rho ?? AIR_DENSITY, body.cda, v + wind);
}
