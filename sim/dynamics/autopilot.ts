/**
 * What the server's autopilot would do this frame (PlayerMeasurements.autopilot_control):
 * keep to the right-hand lane of the direction the bike faces (pure pursuit on the lane
 * centre), ride at a sensible cycling speed, slow for bends and for traffic ahead.
 */
import { roadLoad, type Control } from '../../proto/index.ts';
import { LANE_WIDTH, wrapAngle } from '../world/course.ts';
import { BIKE, BIKE_BODY, gradeAt, maxSteerAt, type VehicleState } from './vehicle.ts';
import type { World } from '../world/world.ts';

export const AUTOPILOT_CRUISE = 7.5; // m/s, 27 km/h
const LATERAL_COMFORT = 2.0; // m/s²

export function autopilotControl(world: World, v: VehicleState, gapAhead: number): Control {
  const course = world.course;
  const along = course.directionAt(v.s, v.yaw);
  const speed = Math.max(0, v.speed);
  const lookahead = Math.max(4, speed * 1.1);
  const target = course.toWorld(v.s + along * lookahead, along * (LANE_WIDTH / 2));
  const alpha = wrapAngle(Math.atan2(target.y - v.y, target.x - v.x) - v.yaw);
  const curvature = (2 * Math.sin(alpha)) / lookahead;
  const steerAngle = Math.atan(curvature * BIKE.wheelbase);
  const steer = Math.max(-1, Math.min(1, steerAngle / maxSteerAt(speed)));

  let maxBend = 0;
  for (let d = 0; d <= 40; d += 5) maxBend = Math.max(maxBend, Math.abs(course.at(v.s + along * d).curvature));
  let targetSpeed = Math.min(AUTOPILOT_CRUISE, Math.sqrt(LATERAL_COMFORT / Math.max(maxBend, 1e-4)));
  if (gapAhead < 25) targetSpeed = Math.min(targetSpeed, Math.max(0, (gapAhead - 6) * 0.5));
  const grade = gradeAt(world, v.x, v.y, v.yaw);
  // Feed-forward for the force the grade and the air need, plus a proportional term.
  const need = roadLoad(BIKE_BODY, speed, grade);
  const error = targetSpeed - speed;
  const throttle = Math.max(0, Math.min(1, need / BIKE.maxDriveForce + 0.35 * error));
  const brake = error < -0.8 ? Math.min(1, -error * 0.3) : 0;
  return { steer, throttle: brake > 0 ? 0 : throttle, brake, handBrake: false, reverse: false };
}
