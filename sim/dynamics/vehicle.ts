/**
 * The rider's bicycle: a kinematic bicycle model driven by longitudinal forces. Throttle is
 * a drive force limited by power (an e-bike's worth, so that a controller following a
 * rider's virtual speed always has headroom), brake and hand brake oppose motion, gravity
 * acts along the grade under the wheels, and air drag and rolling resistance slow it.
 * Steering turns the bike at most as sharply as a lateral acceleration limit allows.
 */
import { AIR_DENSITY, airForce, gravityForce, roadAngle, rollingForce, type Control, type RoadBody, type Vector3 } from '../../proto/index.ts';
import { wrapAngle } from '../world/course.ts';
import type { World } from '../world/world.ts';

export const BIKE = {
  mass: 90,
  wheelbase: 1.05,
  maxDriveForce: 420,
  maxDrivePower: 2600,
  maxReverseSpeed: 2.5,
  brakeForce: 760,
  handBrakeForce: 420,
  cda: 0.45,
  crr: 0.005,
  maxLateralAccel: 6,
  maxSteerAngle: (35 * Math.PI) / 180,
  extent: { x: 0.9, y: 0.35, z: 0.85 } as Vector3,
} as const;

/** The bike as the road-load model sees it. */
export const BIKE_BODY: RoadBody = { massKg: BIKE.mass, cda: BIKE.cda, crr: BIKE.crr, rho: AIR_DENSITY };
/** Rolling resistance off the road (grass, gravel) is this many times the road's. */
const OFF_ROAD_ROLLING = 4;

export interface VehicleState {
  x: number; y: number; z: number;
  /** Radians. */
  yaw: number;
  pitch: number;
  /** Signed speed along the heading, m/s. */
  speed: number;
  acceleration: Vector3;
  /** Road position, tracked each step. */
  s: number;
  t: number;
}

export function clampControl(c: Control): Control {
  const clamp = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : 0);
  return {
    steer: clamp(c.steer, -1, 1),
    throttle: clamp(c.throttle, 0, 1),
    brake: clamp(c.brake, 0, 1),
    handBrake: !!c.handBrake,
    reverse: !!c.reverse,
  };
}

/** Steering angle for a full-lock command at this speed. */
export function maxSteerAt(speed: number): number {
  const v2 = Math.max(1, speed * speed);
  return Math.min(BIKE.maxSteerAngle, Math.atan((BIKE.wheelbase * BIKE.maxLateralAccel) / v2));
}

/** Grade (rise over run) under a point, looking along a heading. */
export function gradeAt(world: World, x: number, y: number, yaw: number): number {
  const c = Math.cos(yaw) * 0.75, s = Math.sin(yaw) * 0.75;
  return (world.terrain.heightAt(x + c, y + s) - world.terrain.heightAt(x - c, y - s)) / 1.5;
}

/**
 * The bike's longitudinal dynamics: its speed after dt seconds under a control on a grade
 * (rise over run). Pure, so that a controller can be tested against the very same plant.
 */
export function nextSpeed(speed: number, control: Control, grade: number, dt: number, offRoad = false): number {
  const c = clampControl(control);
  const theta = roadAngle(grade);
  const dir = Math.sign(speed);
  let drive = 0;
  if (c.reverse) {
    drive = speed > -BIKE.maxReverseSpeed ? -c.throttle * 160 : 0;
  } else {
    drive = c.throttle * Math.min(BIKE.maxDriveForce, BIKE.maxDrivePower / Math.max(Math.abs(speed), 1));
  }
  const gravity = -gravityForce(BIKE.mass, theta);
  const drag = -airForce(AIR_DENSITY, BIKE.cda, speed);
  const rolling = -dir * rollingForce(BIKE.crr * (offRoad ? OFF_ROAD_ROLLING : 1), BIKE.mass, theta);
  const brakeForce = c.brake * BIKE.brakeForce + (c.handBrake ? BIKE.handBrakeForce : 0);
  let next = speed + ((drive + gravity + drag + rolling) / BIKE.mass) * dt;
  // Brakes stop the bike but never push it backwards.
  const brakeDv = (brakeForce / BIKE.mass) * dt;
  if (brakeDv > 0) {
    if (Math.abs(next) <= brakeDv) next = 0;
    else next -= Math.sign(next) * brakeDv;
  }
  // Rolling resistance alone must not flip the direction of a slowly rolling bike either.
  if (dir !== 0 && Math.sign(next) !== dir && drive === 0 && Math.abs(gravity) < rollingForce(BIKE.crr, BIKE.mass, 0)) next = 0;
  return next;
}

/**
 * Advances the bike by dt seconds under a control. Returns the state it would take without
 * resolving collisions; the episode decides whether the move is allowed.
 */
export function stepVehicle(world: World, v: VehicleState, control: Control, dt: number, offRoad: boolean): VehicleState {
  const c = clampControl(control);
  const grade = gradeAt(world, v.x, v.y, v.yaw);
  const theta = roadAngle(grade);
  const speed = v.speed;
  const next = nextSpeed(speed, c, grade, dt, offRoad);

  const mean = (speed + next) / 2;
  const steerAngle = c.steer * maxSteerAt(mean) * (c.handBrake ? 0.6 : 1);
  const yawRate = (mean / BIKE.wheelbase) * Math.tan(steerAngle);
  const yaw = wrapAngle(v.yaw + yawRate * dt);
  const mid = v.yaw + (yawRate * dt) / 2;
  const x = v.x + mean * Math.cos(mid) * dt;
  const y = v.y + mean * Math.sin(mid) * dt;
  const z = world.terrain.heightAt(x, y);
  const vx0 = speed * Math.cos(v.yaw), vy0 = speed * Math.sin(v.yaw);
  const vx1 = next * Math.cos(yaw), vy1 = next * Math.sin(yaw);
  const road = world.course.project(x, y, v.s);
  return {
    x, y, z, yaw,
    pitch: theta,
    speed: next,
    acceleration: { x: (vx1 - vx0) / dt, y: (vy1 - vy0) / dt, z: (next * Math.sin(theta) - speed * Math.sin(v.pitch)) / dt },
    s: road.s, t: road.t,
  };
}
