/**
 * Turns the gap between the rider's virtual speed and the simulated bike's measured
 * forward speed into throttle or brake. A feed-forward term supplies the force the road
 * needs at the target speed (so a steady ride needs no integral action to hold), a
 * proportional–integral term closes the rest, and the integral is clamped and bled off when
 * the output saturates (no wind-up, so no overshoot after a long climb). On descents, when
 * the rider is slower than gravity would make the bike, it brakes.
 */
export interface VehicleModel {
  massKg: number;
  /** Drive force at full throttle and the power limit behind it. */
  maxDriveForceN: number;
  maxDrivePowerW: number;
  maxBrakeForceN: number;
  cda: number;
  crr: number;
}

/** The simulator's bicycle (sim/vehicle.ts); a real CARLA vehicle gets its own numbers. */
export const SIM_BICYCLE: VehicleModel = { massKg: 90, maxDriveForceN: 420, maxDrivePowerW: 2600, maxBrakeForceN: 760, cda: 0.45, crr: 0.005 };

export interface Pedals { throttle: number; brake: number }

export class SpeedController {
  private integral = 0;
  constructor(
    readonly vehicle: VehicleModel = SIM_BICYCLE,
    readonly kp = 0.5,
    readonly ki = 0.6,
  ) {}

  reset(): void { this.integral = 0; }

  update(targetSpeed: number, measuredSpeed: number, grade: number, dt: number): Pedals {
    const m = this.vehicle;
    const v = Math.max(0, measuredSpeed);
    const theta = Math.atan(grade);
    // Force the road takes at the target speed, as a fraction of what full throttle gives.
    const need = m.massKg * 9.81 * Math.sin(theta) + m.crr * m.massKg * 9.81 * Math.cos(theta) + 0.5 * 1.225 * m.cda * targetSpeed * targetSpeed;
    const maxDrive = Math.min(m.maxDriveForceN, m.maxDrivePowerW / Math.max(v, 1));
    const error = targetSpeed - v;
    let u = need / (need >= 0 ? maxDrive : m.maxBrakeForceN) + this.kp * error + this.integral;
    if (targetSpeed <= 0.05 && v < 0.3) { this.integral = 0; return { throttle: 0, brake: 1 }; }
    // Integrate only near the target and while the output is not pushed against its limits:
    // what builds up while accelerating would come out as overshoot.
    const saturated = u > 1 || u < -1;
    if (!saturated && Math.abs(error) < 1) this.integral += this.ki * error * dt;
    else if (saturated) this.integral *= 0.9;
    this.integral = Math.max(-0.5, Math.min(0.5, this.integral));
    u = Math.max(-1, Math.min(1, u));
    return u >= 0 ? { throttle: u, brake: 0 } : { throttle: 0, brake: -u };
  }
}
