/** A ride's figures from its samples, against figures worked out by hand (and, for NP, in Python). */
import { describe, expect, it } from 'vitest';
import type { RideSample } from '../../app/rides/sample.ts';
import { normalizedPower, summarise, zoneOf } from '../../app/rides/summary.ts';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

/** One sample a second; `f(i)` sets what differs from a 5 m/s, 200 W, flat ride. */
function ride(n: number, f: (i: number) => Partial<RideSample> = () => ({})): RideSample[] {
  return Array.from({ length: n }, (_, i) => ({
    t: T0 + i * 1000, simMs: i * 1000, x: i * 5, y: 0, z: 0, lat: 0, lon: 0, ele: 100,
    speed: 5, power: 200, cadence: 90, hr: 140, grade: 0, distance: i * 5, paused: false, ...f(i),
  }));
}

describe('ride summary', () => {
  it('counts 3600 s elapsed and moving for an hour of samples, 18 km at 5 m/s', () => {
    const t = summarise(ride(3601));
    expect(t.elapsedS).toBe(3600);
    expect(t.movingS).toBe(3600);
    expect(t.distance).toBe(18_000);
    expect(t.avgSpeed).toBe(5);
    // 200 W for an hour: 720 kJ.
    expect(t.workKj).toBe(720);
  });

  it('leaves paused seconds and holes in the recording out of moving time, but not out of elapsed time', () => {
    // 0–59 riding, 60–89 paused, then a 20 s hole (a reload), then 30 s riding.
    const s = ride(90, (i) => ({ paused: i >= 60 }));
    const after = ride(31, (i) => ({ t: T0 + (109 + i) * 1000, distance: 300 + i * 5 }));
    const t = summarise([...s, ...after]);
    expect(t.elapsedS).toBe(139);
    expect(t.movingS).toBe(59 + 30);
  });

  it('averages power, heart rate and cadence over moving time; cadence leaves out zeros', () => {
    const t = summarise(ride(11, (i) => ({ power: i <= 5 ? 100 : 300, hr: 120 + i, cadence: i % 2 ? 0 : 80, paused: i === 10 })));
    // Moving samples 1…9: power 100 ×5, 300 ×4 → 1700/9.
    expect(t.avgPower).toBeCloseTo(1700 / 9, 9);
    expect(t.maxPower).toBe(300);
    // Heart rate 121…129 → 125; the maximum counts every sample (130 while paused).
    expect(t.avgHr).toBe(125);
    expect(t.maxHr).toBe(130);
    expect(t.avgCadence).toBe(80);
  });

  it('gives no heart rate figures without a strap', () => {
    const t = summarise(ride(20, () => ({ hr: null, cadence: null })));
    expect(t.avgHr).toBeNull();
    expect(t.maxHr).toBeNull();
    expect(t.avgCadence).toBeNull();
  });

  it('sums only the rises for the elevation gain', () => {
    const heights = [100, 101, 103, 102, 104, 104, 101, 105];
    expect(summarise(ride(heights.length, (i) => ({ ele: heights[i]! }))).elevationGain).toBe(1 + 2 + 2 + 4);
  });

  it('has a normalized power of 223.07 W for 30 s at 100 W then 30 s at 300 W (average 200 W)', () => {
    // Rolling 30 s means: 100, then 100 + 200k/30 for k = 1…30; the 4th-power mean of those
    // 31 values, to the ¼ (computed separately in Python): 223.0694887793.
    const powers = [...new Array(30).fill(100), ...new Array(30).fill(300)];
    expect(normalizedPower(powers)).toBeCloseTo(223.0694887793, 8);
    expect(normalizedPower(new Array(29).fill(250))).toBeNull();
    expect(normalizedPower(new Array(600).fill(250))).toBeCloseTo(250, 9);
  });

  it('gives IF 0.8 and TSS 64 for an hour at 200 W with an FTP of 250 W, and none without an FTP', () => {
    const samples = ride(3601);
    const t = summarise(samples, 250);
    expect(t.intensityFactor).toBeCloseTo(0.8, 12);
    expect(t.tss).toBeCloseTo(64, 9);
    expect(summarise(samples).tss).toBeNull();
    expect(summarise(samples).zones).toBeNull();
  });

  it('puts each moving second in its Coggan zone by share of FTP', () => {
    const ftp = 200;
    // 50 % Z1, 60 % Z2, 80 % Z3, 100 % Z4, 110 % Z5, 140 % Z6, 200 % Z7.
    expect([100, 120, 160, 200, 220, 280, 400].map((p) => zoneOf(p, ftp))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Boundaries belong to the zone above: 55 % is Z2.
    expect(zoneOf(110, ftp)).toBe(1);
    const powers = [0, 100, 100, 160, 400, 400, 400];
    const t = summarise(ride(powers.length, (i) => ({ power: powers[i]! })), ftp);
    expect(t.zones).toEqual([2, 0, 1, 0, 0, 0, 3]);
  });
});

describe('averages of a steady ride', () => {
  it('give exactly the power held, whatever the sample intervals', () => {
    const jittery = ride(60, (i) => ({ t: T0 + i * 1000 + (i % 3) * 33 }));
    expect(summarise(jittery).avgPower).toBe(200);
    expect(summarise(jittery).avgHr).toBe(140);
  });
});
