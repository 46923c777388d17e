/**
 * Other road users: cars that keep to their lane around the loop at their own cruising
 * speed, slowing for bends and keeping a safe gap (a simple Intelligent Driver Model)
 * to whoever is ahead in their lane — the rider included — and pedestrians walking the
 * sidewalks.
 */
import { LANE_WIDTH } from './course.ts';
import { createRandom } from './random.ts';
import type { MovingSprite } from '../render/renderer.ts';
import { SpriteKind } from '../render/renderer.ts';
import type { World } from './world.ts';

export interface Car {
  id: number;
  /** +1 drives towards increasing s (right lane), −1 the other way. */
  dir: 1 | -1;
  s: number;
  speed: number;
  cruise: number;
  length: number; width: number; height: number;
  color: number;
}

export interface Walker {
  id: number;
  dir: 1 | -1;
  side: 1 | -1;
  s: number;
  speed: number;
  phase: number;
  color: number;
}

const CAR_COLORS = [0xb01e23, 0x1f4e96, 0xe8e8e4, 0x222428, 0x8a8d91, 0x2f6b3a, 0xd6a021, 0x5b2a6e, 0x9aa3ad];
const SHIRT_COLORS = [0xc2452d, 0x2d6cc2, 0xe0c341, 0x3f8f4f, 0x7a4fa0, 0xdddddd, 0x333333];

export class Traffic {
  readonly cars: Car[] = [];
  readonly walkers: Walker[] = [];

  constructor(private readonly world: World, vehicles: number, pedestrians: number, seedVehicles: number, seedPedestrians: number, keepClearS: number) {
    const L = world.course.length;
    const rv = createRandom(seedVehicles ^ world.seed);
    for (let i = 0; i < vehicles; i++) {
      let s = ((i + rv() * 0.6) / vehicles) * L;
      // Nobody spawns on top of the rider.
      if (Math.abs(((s - keepClearS + L * 1.5) % L) - L / 2) < 40) s = (s + 80) % L;
      const big = rv() < 0.15;
      this.cars.push({
        id: (0x0ca20000 + i * 7919) >>> 0,
        dir: rv() < 0.5 ? 1 : -1,
        s, speed: 0, cruise: 9 + rv() * 5,
        length: big ? 5.6 : 4.2 + rv() * 0.6, width: big ? 2.1 : 1.8, height: big ? 2.2 : 1.45,
        color: CAR_COLORS[Math.floor(rv() * CAR_COLORS.length)]!,
      });
    }
    const rp = createRandom(seedPedestrians ^ world.seed ^ 0x9ed);
    for (let i = 0; i < pedestrians; i++) {
      // Pedestrians keep to the towns, where the sidewalks lead somewhere.
      const town = world.towns[i % world.towns.length]!;
      this.walkers.push({
        id: (0x0fed0000 + i * 104729) >>> 0,
        dir: rp() < 0.5 ? 1 : -1, side: rp() < 0.5 ? 1 : -1,
        s: town.from + rp() * (town.to - town.from),
        speed: 1.0 + rp() * 0.6, phase: rp() * 6.28,
        color: SHIRT_COLORS[Math.floor(rp() * SHIRT_COLORS.length)]!,
      });
    }
  }

  /** Gap (m) along the road from s, in direction dir, to the next obstacle in that lane. */
  static gapAhead(L: number, s: number, dir: 1 | -1, obstacleS: number): number {
    return (((obstacleS - s) * dir) % L + L) % L;
  }

  step(dt: number, rider: { s: number; t: number; speed: number }): void {
    const course = this.world.course;
    const L = course.length;
    for (const car of this.cars) {
      let gap = Infinity, leaderSpeed = 0;
      for (const other of this.cars) {
        if (other === car || other.dir !== car.dir) continue;
        const g = Traffic.gapAhead(L, car.s, car.dir, other.s) - other.length;
        if (g < gap) { gap = g; leaderSpeed = other.speed; }
      }
      // The rider counts as a leader when riding in this car's lane.
      if (rider.t * car.dir > -0.6 && rider.t * car.dir < LANE_WIDTH + 0.6) {
        const g = Traffic.gapAhead(L, car.s, car.dir, rider.s) - car.length / 2 - 1;
        if (g < gap) { gap = g; leaderSpeed = Math.max(0, rider.speed); }
      }
      let maxBend = 0;
      for (let d = 0; d <= 50; d += 10) maxBend = Math.max(maxBend, Math.abs(course.at(car.s + car.dir * d).curvature));
      const desired = Math.min(car.cruise, Math.sqrt(2.6 / Math.max(maxBend, 1e-4)));
      const v = car.speed;
      const sStar = 2.5 + v * 1.3 + (v * (v - leaderSpeed)) / (2 * Math.sqrt(1.6 * 3));
      const interaction = gap < 200 ? (Math.max(0, sStar) / Math.max(0.1, gap)) ** 2 : 0;
      const accel = Math.max(-9, 1.6 * (1 - (v / desired) ** 4 - interaction));
      car.speed = Math.max(0, v + accel * dt);
      car.s = course.wrapS(car.s + car.dir * car.speed * dt);
    }
    for (const w of this.walkers) {
      w.s = course.wrapS(w.s + w.dir * w.speed * dt);
      w.phase += w.speed * dt * 4.5;
    }
  }

  /** World pose of a car: centred in its lane, facing its direction of travel. */
  carPose(car: Car): { x: number; y: number; z: number; yaw: number; pitch: number } {
    const p = this.world.course.toWorld(car.s, car.dir * (LANE_WIDTH / 2));
    const grade = this.world.course.at(car.s).grade * car.dir;
    return { x: p.x, y: p.y, z: p.z, yaw: car.dir > 0 ? p.heading : p.heading + Math.PI, pitch: Math.atan(grade) };
  }

  walkerPose(w: Walker): { x: number; y: number; z: number; yaw: number } {
    const p = this.world.course.toWorld(w.s, w.side * 5.1);
    return { x: p.x, y: p.y, z: this.world.terrain.heightAt(p.x, p.y), yaw: w.dir > 0 ? p.heading : p.heading + Math.PI };
  }

  sprites(): MovingSprite[] {
    const out: MovingSprite[] = [];
    for (const car of this.cars) {
      const p = this.carPose(car);
      out.push({ kind: SpriteKind.Vehicle, x: p.x, y: p.y, z: p.z, yaw: p.yaw, length: car.length, width: car.width, height: car.height, color: car.color, phase: 0 });
    }
    for (const w of this.walkers) {
      const p = this.walkerPose(w);
      out.push({ kind: SpriteKind.Pedestrian, x: p.x, y: p.y, z: p.z, yaw: p.yaw, length: 0.4, width: 0.5, height: 1.75, color: w.color, phase: w.phase });
    }
    return out;
  }
}
