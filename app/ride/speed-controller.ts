/**
 * Turns the gap between the rider's virtual speed and the simulated vehicle's measured
 * forward speed into throttle or brake, for a vehicle it does not know: our simulator's
 * bicycle, or whatever car a real CARLA server drives, with its own throttle map, mass and lag.
 *
 * Output u in [-1, 1] (throttle above 0, brake below) is a feed-forward term plus a
 * proportional–integral correction. The feed-forward is a model the controller learns as it
 * rides: u_ff = w · [1, sin θ, v²] — what the vehicle needs to hold a speed (its rolling, its
 * grade and its air terms, in pedal units). While the target holds steady and the output is
 * not saturated, the integral is moved into the model a little every step (so u itself does
 * not jump): the integral learns the vehicle here and now, the model remembers it for the next
 * grade and speed, and a change of grade is met at once instead of by a slow integral.
 * Integration stops while saturated or far from the target (no wind-up, so no overshoot after
 * a long climb); gains are modest so that a laggy vehicle does not oscillate.
 */
import { roadAngle } from '../../proto/road-load.ts';

export interface Pedals { throttle: number; brake: number }

export interface ControllerGains {
  /** Pedal per m/s of speed error. */
  kp: number;
  /** Pedal per m of accumulated error. */
  ki: number;
  /** Share of the integral moved into the learned model per second. */
  learnRate: number;
}

export const DEFAULT_GAINS: ControllerGains = { kp: 0.35, ki: 0.25, learnRate: 0.4 };

/**
 * A prior for the model, per feature [1, 10·sin θ, v²/100] (scaled so that each is about 1
 * over a ride): a light vehicle of middling power. Any vehicle is learned from here within a
 * few seconds of riding; the prior only has to be the right sign and order of magnitude.
 */
const PRIOR: readonly [number, number, number] = [0.03, 0.2, 0.05];
/** Brakes are stronger than drives: a need for negative force is met with this share of brake. */
const BRAKE_SHARE = 0.5;
/** Learn only near the target (m/s) and while the target stands still (m/s²). */
const LEARN_WITHIN = 0.5;
const STEADY_TARGET = 0.2;
const INTEGRATE_WITHIN = 1.5;
const MAX_INTEGRAL = 0.6;

type Features = readonly [number, number, number];
const featuresOf = (speed: number, grade: number): Features => [1, 10 * Math.sin(roadAngle(grade)), (speed * speed) / 100];

export class SpeedController {
  /** The learned feed-forward model's weights (see PRIOR). */
  readonly model: [number, number, number] = [...PRIOR];
  private integral = 0;
  private lastTarget = NaN;

  constructor(readonly gains: ControllerGains = DEFAULT_GAINS) {}

  /** Forgets the integral (a new episode), keeping what was learned of the vehicle. */
  reset(): void {
    this.integral = 0;
    this.lastTarget = NaN;
  }

  /** The learned model's pedal for holding a speed on a grade, without any correction. */
  feedForward(speed: number, grade: number): Pedals {
    const need = this.need(featuresOf(speed, grade));
    return need >= 0 ? { throttle: Math.min(1, need), brake: 0 } : { throttle: 0, brake: Math.min(1, -need * BRAKE_SHARE) };
  }

  private need(f: Features): number {
    return this.model[0] * f[0] + this.model[1] * f[1] + this.model[2] * f[2];
  }

  update(targetSpeed: number, measuredSpeed: number, grade: number, dt: number): Pedals {
    const v = Math.max(0, measuredSpeed);
    const targetRate = Number.isNaN(this.lastTarget) ? 0 : Math.abs(targetSpeed - this.lastTarget) / dt;
    this.lastTarget = targetSpeed;
    if (targetSpeed <= 0.05 && v < 0.3) { this.integral = 0; return { throttle: 0, brake: 1 }; }

    const features = featuresOf(targetSpeed, grade);
    const need = this.need(features);
    const feedForward = need >= 0 ? need : need * BRAKE_SHARE;
    const error = targetSpeed - v;
    const { kp, ki, learnRate } = this.gains;
    const u = feedForward + kp * error + this.integral;
    const saturated = u > 1 || u < -1;
    if (!saturated && Math.abs(error) < INTEGRATE_WITHIN) this.integral += ki * error * dt;
    this.integral = Math.max(-MAX_INTEGRAL, Math.min(MAX_INTEGRAL, this.integral));

    // Normalised LMS on the model: the learned amount raises u_ff at this operating point by
    // exactly what leaves the integral. Only on the throttle side, where the model is defined.
    if (need > 0 && !saturated && Math.abs(error) < LEARN_WITHIN && targetRate < STEADY_TARGET) {
      const moved = this.integral * Math.min(1, learnRate * dt);
      const norm = features[0] * features[0] + features[1] * features[1] + features[2] * features[2];
      for (let i = 0; i < 3; i++) this.model[i]! += (moved * features[i]!) / norm;
      this.integral -= moved;
    }

    const out = Math.max(-1, Math.min(1, u));
    return out >= 0 ? { throttle: out, brake: 0 } : { throttle: 0, brake: -out };
  }
}
