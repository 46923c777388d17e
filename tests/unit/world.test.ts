import { describe, expect, it } from 'vitest';
import { depthMetres } from '../../proto/index.ts';
import { ZERO_CONTROL } from '../../sim/server/episode.ts';
import { stepVehicle, type VehicleState } from '../../sim/dynamics/vehicle.ts';
import { World } from '../../sim/world/world.ts';

const world = World.forSeed(1);

describe('the course', () => {
  const c = world.course;
  it('is a closed loop of several kilometres', () => {
    expect(c.length).toBeGreaterThan(3000);
    const last = c.count - 1;
    expect(Math.hypot(c.x[0]! - c.x[last]!, c.y[0]! - c.y[last]!)).toBeLessThan(1);
    expect(Math.abs(c.z[0]! - c.z[last]!)).toBeLessThan(0.2);
  });

  it('climbs up to about +10 % and descends to about −8 %', () => {
    let max = -1, min = 1;
    for (let i = 0; i < c.count; i++) { max = Math.max(max, c.grade[i]!); min = Math.min(min, c.grade[i]!); }
    expect(max).toBeGreaterThan(0.085);
    expect(max).toBeLessThanOrEqual(0.101);
    expect(min).toBeLessThan(-0.065);
    expect(min).toBeGreaterThanOrEqual(-0.081);
  });

  it('has real bends, none tighter than a rider can take', () => {
    let k = 0;
    for (let i = 0; i < c.count; i++) k = Math.max(k, Math.abs(c.curvature[i]!));
    expect(1 / k).toBeLessThan(80);
    expect(1 / k).toBeGreaterThan(30);
  });

  it('maps road coordinates to the world and back', () => {
    for (const s of [10, 777, 2500]) {
      const p = c.toWorld(s, 1.75);
      const back = c.project(p.x, p.y);
      expect(back.s).toBeCloseTo(s, 0);
      expect(back.t).toBeCloseTo(1.75, 1);
    }
  });

  it('places start spots in the right-hand lane, on the road surface', () => {
    for (const spot of world.startSpots) {
      const node = world.terrain.nodeAt(spot.x, spot.y);
      expect(world.terrain.roadTOf(node)).toBeGreaterThan(0.5);
      expect(world.terrain.roadTOf(node)).toBeLessThan(3);
      expect(spot.z).toBeCloseTo(c.at(spot.s).z, 1);
    }
  });

  it('has scenery: trees, lamps, poles, signs and buildings', () => {
    const kinds = new Set(Array.from(world.scenery.kind.subarray(0, world.scenery.count)));
    expect([...kinds].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(world.buildings.length).toBeGreaterThan(20);
  });
});

describe('the bicycle', () => {
  const flatSpot = (() => {
    let best = 0;
    for (let i = 0; i < world.course.count; i += 20) if (Math.abs(world.course.grade[i]!) < Math.abs(world.course.grade[best]!)) best = i;
    return best * world.course.step;
  })();
  const at = (s: number, speed = 0): VehicleState => {
    const p = world.course.toWorld(s, 1.75);
    return { x: p.x, y: p.y, z: p.z, yaw: p.heading, pitch: 0, speed, acceleration: { x: 0, y: 0, z: 0 }, s, t: 1.75 };
  };
  const ride = (v: VehicleState, control: Partial<typeof ZERO_CONTROL>, seconds: number) => {
    for (let i = 0; i < seconds * 30; i++) v = stepVehicle(world, v, { ...ZERO_CONTROL, ...control }, 1 / 30, false);
    return v;
  };

  it('accelerates under throttle and reaches a bounded top speed on the flat', () => {
    const v = ride(at(flatSpot), { throttle: 1 }, 40);
    expect(v.speed).toBeGreaterThan(14);
    expect(v.speed).toBeLessThan(25);
  });

  it('stops under full brake within a few metres from 8 m/s, and never rolls backwards', () => {
    const start = at(flatSpot, 8);
    const v = ride(start, { brake: 1 }, 3);
    expect(v.speed).toBe(0);
    expect(Math.hypot(v.x - start.x, v.y - start.y)).toBeLessThan(6);
  });

  it('feels the grade: a climb slows it, a descent speeds it up', () => {
    let up = 0, down = 0;
    for (let i = 0; i < world.course.count; i++) {
      if (world.course.grade[i]! > world.course.grade[up]!) up = i;
      if (world.course.grade[i]! < world.course.grade[down]!) down = i;
    }
    const climb = ride(at(up * world.course.step - 10, 6), {}, 2);
    const descent = ride(at(down * world.course.step - 10, 6), {}, 2);
    expect(climb.speed).toBeLessThan(5);
    expect(descent.speed).toBeGreaterThan(6.5);
  });

  it('turns right under positive steer, left under negative (yaw grows to the right)', () => {
    const right = ride(at(flatSpot, 6), { steer: 0.5, throttle: 0.3 }, 1);
    const left = ride(at(flatSpot, 6), { steer: -0.5, throttle: 0.3 }, 1);
    const h = at(flatSpot).yaw;
    const d = (a: number) => Math.atan2(Math.sin(a - h), Math.cos(a - h));
    expect(d(right.yaw)).toBeGreaterThan(0.2);
    expect(d(left.yaw)).toBeLessThan(-0.2);
  });

  it('rides backwards slowly in reverse', () => {
    const v = ride(at(flatSpot), { throttle: 1, reverse: true }, 5);
    expect(v.speed).toBeLessThan(-1);
    expect(v.speed).toBeGreaterThan(-3);
  });
});

describe('depth encoding', () => {
  it('decodes spec §6.3 values: R least significant, 1000 m full scale', () => {
    expect(depthMetres(0, 0, 0)).toBe(0);
    expect(depthMetres(255, 255, 255)).toBe(1000);
    expect(depthMetres(0, 1, 0)).toBeCloseTo(256 / 16777215 * 1000, 9);
  });
});
