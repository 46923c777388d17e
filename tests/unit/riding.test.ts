import { describe, expect, it } from 'vitest';
import { DEFAULT_SETUP, GradeEstimator, SIM_BICYCLE, SpeedController, VirtualBike, resistance, steadySpeed } from '../../app/ride/index.ts';
import { BIKE, nextSpeed } from '../../sim/vehicle.ts';

describe('road-load model', () => {
  it('gives about 34 km/h for 200 W on the flat (84 kg, CdA 0.32, Crr 0.004)', () => {
    const v = steadySpeed(DEFAULT_SETUP, 200, 0);
    expect(v * 3.6).toBeCloseTo(33.8, 0);
    // Hand-computed check: at that speed the wheel power equals the road load.
    expect(v * resistance(DEFAULT_SETUP, v, 0)).toBeCloseTo(200 * 0.975, 3);
  });

  it('climbs slowly and descends fast at the same power', () => {
    // 8 %: 243.75 W at the wheel against 65.7 N gravity + 3.3 N rolling + ~2.3 N air ≈ 3.42 m/s.
    expect(steadySpeed(DEFAULT_SETUP, 250, 0.08) * 3.6).toBeCloseTo(12.3, 1);
    expect(steadySpeed(DEFAULT_SETUP, 250, -0.05) * 3.6).toBeGreaterThan(50);
    expect(steadySpeed(DEFAULT_SETUP, 0, 0)).toBe(0);
  });

  it('integrates towards the steady speed over simulation time', () => {
    const bike = new VirtualBike();
    for (let t = 0; t < 120; t += 1 / 30) bike.step(250, 0, 1 / 30);
    expect(bike.speed).toBeCloseTo(steadySpeed(DEFAULT_SETUP, 250, 0), 1);
    expect(bike.distance).toBeGreaterThan(1000);
  });

  it('comes to a stop without power on a climb, and never rolls backwards', () => {
    const bike = new VirtualBike();
    bike.speed = 5;
    for (let t = 0; t < 20; t += 0.1) bike.step(0, 0.1, 0.1);
    expect(bike.speed).toBe(0);
  });

  it('gives the same ride with half-second steps as with frame-length steps', () => {
    const coarse = new VirtualBike(), fine = new VirtualBike();
    for (let k = 0; k < 60; k++) coarse.step(300, 0.02, 0.5);
    for (let k = 0; k < 900; k++) fine.step(300, 0.02, 1 / 30);
    expect(coarse.speed).toBeCloseTo(fine.speed, 2);
    expect(coarse.distance).toBeCloseTo(fine.distance, 0);
  });
});

describe('grade estimator', () => {
  const road = (s: number) => (s < 50 ? 0 : (s - 50) * 0.08);

  it('follows a change of grade within its window (8 m, under 2 s at 20 km/h)', () => {
    const g = new GradeEstimator(8);
    let at = 0, half = 0;
    for (let s = 0; s < 80; s += 0.3) {
      const v = g.update(s, road(s));
      if (s > 50 && !half && v > 0.04) half = s;
      if (s > 50 && !at && v > 0.075) at = s;
    }
    expect(g.grade).toBeCloseTo(0.08, 3);
    expect(half - 50).toBeLessThan(4.5);
    expect(at - 50).toBeLessThan(8);
  });

  it('averages away height noise', () => {
    const g = new GradeEstimator(8);
    let min = 1, max = -1;
    for (let s = 0; s < 300; s += 0.3) {
      const v = g.update(s, s * 0.03 + Math.sin(s * 97) * 0.02);
      if (s > 20) { min = Math.min(min, v); max = Math.max(max, v); }
    }
    expect(max - min).toBeLessThan(0.01);
  });

  it('keeps its grade while the bike stands still', () => {
    const g = new GradeEstimator();
    for (let s = 0; s < 20; s += 0.5) g.update(s, s * 0.05);
    for (let k = 0; k < 50; k++) g.update(20, 1 + k * 0.01);
    expect(g.grade).toBeCloseTo(0.05, 3);
  });
});

describe('speed controller against the simulator bicycle', () => {
  it("knows the simulator's bicycle as the simulator defines it", () => {
    expect(SIM_BICYCLE).toEqual({
      massKg: BIKE.mass, maxDriveForceN: BIKE.maxDriveForce, maxDrivePowerW: BIKE.maxDrivePower,
      maxBrakeForceN: BIKE.brakeForce, cda: BIKE.cda, crr: BIKE.crr,
    });
  });

  // The plant is sim/vehicle.ts's own longitudinal dynamics.
  function ride(target: (t: number) => number, grade: number, seconds: number, v0 = 0) {
    const c = new SpeedController();
    let v = v0;
    const trace: { t: number; v: number; target: number; throttle: number; brake: number }[] = [];
    for (let t = 0; t < seconds; t += 1 / 30) {
      const out = c.update(target(t), v, grade, 1 / 30);
      v = nextSpeed(v, { steer: 0, throttle: out.throttle, brake: out.brake, handBrake: false, reverse: false }, grade, 1 / 30);
      trace.push({ t, v, target: target(t), ...out });
    }
    return trace;
  }

  it('follows a steady speed on the flat within ±0.5 m/s, with no overshoot beyond that', () => {
    const tr = ride(() => 9.4, 0, 30);
    const settled = tr.filter((p) => p.t > 6);
    for (const p of settled) expect(Math.abs(p.v - 9.4)).toBeLessThan(0.5);
    expect(Math.max(...tr.map((p) => p.v))).toBeLessThan(9.4 + 0.5);
  });

  it('does not oscillate: no overshoot, and once settled the speed stays put', () => {
    const tr = ride(() => 8, 0.03, 40);
    expect(Math.max(...tr.map((p) => p.v))).toBeLessThan(8 + 0.3);
    const late = tr.filter((p) => p.t > 15).map((p) => p.v);
    expect(Math.max(...late) - Math.min(...late)).toBeLessThan(0.05);
    expect(Math.abs(late.at(-1)! - 8)).toBeLessThan(0.05);
  });

  it('brakes on a descent when the rider is slower than gravity would make the bike', () => {
    const tr = ride(() => 6, -0.08, 30, 6);
    for (const p of tr.filter((x) => x.t > 3)) expect(Math.abs(p.v - 6)).toBeLessThan(0.5);
    expect(tr.filter((x) => x.t > 3).every((p) => p.brake > 0 && p.throttle === 0)).toBe(true);
  });

  it('holds a slow climb at +10 %', () => {
    const tr = ride(() => 3, 0.1, 30);
    for (const p of tr.filter((x) => x.t > 6)) expect(Math.abs(p.v - 3)).toBeLessThan(0.5);
  });

  it('follows the rider from a sprint down to a stop', () => {
    const tr = ride((t) => (t < 20 ? 12 : 0), 0, 30);
    expect(tr.find((p) => Math.abs(p.t - 19.9) < 0.02)!.v).toBeCloseTo(12, 0);
    expect(tr.at(-1)!.v).toBe(0);
  });
});
