/**
 * Vehicles for the speed controller to drive in unit tests: each steps its forward speed under
 * a pedal command. The controller is told nothing of them.
 */
import type { Pedals } from '../../app/ride/index.ts';
import { nextSpeed } from '../../sim/index.ts';
import { airForce, gravityForce, roadAngle, rollingForce } from '../../proto/index.ts';

export interface Plant {
  readonly name: string;
  speed: number;
  step(pedals: Pedals, grade: number, dt: number): void;
}

/** Our simulator's bicycle: its own longitudinal dynamics (sim/dynamics). */
export function simBicycle(v0 = 0): Plant {
  return {
    name: 'simulator bicycle', speed: v0,
    step(p, grade, dt) {
      this.speed = nextSpeed(this.speed, { steer: 0, throttle: p.throttle, brake: p.brake, handBrake: false, reverse: false }, grade, dt);
    },
  };
}

/**
 * A car unlike the bicycle: 1,800 kg, a throttle map that is not linear (force ∝ throttle^1.4),
 * a drive limited by 90 kW, an engine and driveline that answer with a 0.45 s lag, brakes
 * with a 0.2 s lag, and 100 ms of transport delay on every command — what a CARLA 0.8 car
 * looks like from the control port.
 */
export function heavyLaggyCar(v0 = 0): Plant {
  const MASS = 1800, MAX_FORCE = 5500, MAX_POWER = 90_000, MAX_BRAKE = 14_000, CDA = 0.75, CRR = 0.012;
  const DRIVE_LAG = 0.45, BRAKE_LAG = 0.2, DELAY = 0.1;
  let drive = 0, brake = 0;
  const queue: { at: number; p: Pedals }[] = [];
  let t = 0;
  let applied: Pedals = { throttle: 0, brake: 0 };
  return {
    name: 'heavy laggy car', speed: v0,
    step(p, grade, dt) {
      t += dt;
      queue.push({ at: t + DELAY, p });
      while (queue.length && queue[0]!.at <= t + 1e-9) applied = queue.shift()!.p;
      const v = this.speed;
      const wantDrive = Math.pow(applied.throttle, 1.4) * Math.min(MAX_FORCE, MAX_POWER / Math.max(v, 1));
      drive += (wantDrive - drive) * Math.min(1, dt / DRIVE_LAG);
      brake += (applied.brake * MAX_BRAKE - brake) * Math.min(1, dt / BRAKE_LAG);
      const theta = roadAngle(grade);
      const resist = gravityForce(MASS, theta) + (v > 0 ? rollingForce(CRR, MASS, theta) + airForce(1.225, CDA, v) : 0);
      let next = v + ((drive - resist) / MASS) * dt;
      const brakeDv = (brake / MASS) * dt;
      next = next > brakeDv ? next - brakeDv : next < -brakeDv ? next + brakeDv : 0;
      this.speed = Math.max(0, next);
    },
  };
}
