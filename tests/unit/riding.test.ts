import { describe, expect, it } from 'vitest';
import { DEFAULT_SETUP, GradeEstimator, VirtualBike, steadySpeed } from '../../app/ride/index.ts';
import { roadLoad } from '../../proto/index.ts';

describe('road-load model', () => {
  // Figures worked out by hand (and checked with a separate bisection outside this code base)
  // from P·η = v·(m·g·sin θ + Crr·m·g·cos θ + ½·ρ·CdA·v²), m 84 kg, CdA 0.32, Crr 0.004,
  // ρ 1.225, η 0.975.
  it('gives 9.422 m/s (33.9 km/h) for 200 W on the flat', () => {
    // 195 W at the wheel = 0.19600·v³ + 3.2962·v  →  v = 9.422
    expect(steadySpeed(DEFAULT_SETUP, 200, 0)).toBeCloseTo(9.422, 3);
  });

  it('climbs at 3.419 m/s on +8 % and descends at 59.0 km/h on −5 % at 250 W', () => {
    // +8 %: 243.75 W against 65.69 N gravity + 3.285 N rolling + 1.15 N air at 3.419 m/s.
    expect(steadySpeed(DEFAULT_SETUP, 250, 0.08)).toBeCloseTo(3.419, 3);
    expect(steadySpeed(DEFAULT_SETUP, 250, -0.05) * 3.6).toBeCloseTo(59.04, 1);
    expect(steadySpeed(DEFAULT_SETUP, 0, 0)).toBe(0);
  });

  it('loads the wheel with 16.91 N at 30 km/h on the flat, and 98.89 N up +10 %', () => {
    // ½·1.225·0.32·8.333² = 13.61 N air + 0.004·84·9.81 = 3.296 N rolling.
    expect(roadLoad(DEFAULT_SETUP, 30 / 3.6, 0)).toBeCloseTo(16.91, 2);
    // +10 %: θ = 5.711°, gravity 84·9.81·0.099504 = 81.995 N, rolling 3.2962·0.99504 = 3.280 N,
    // air 13.611 N: 98.886 N.
    expect(roadLoad(DEFAULT_SETUP, 30 / 3.6, 0.1)).toBeCloseTo(98.886, 2);
    // A 5 m/s headwind is 5 m/s more air speed: ½·1.225·0.32·13.333² = 34.84 N.
    expect(roadLoad(DEFAULT_SETUP, 30 / 3.6, 0, 5)).toBeCloseTo(38.14, 2);
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
