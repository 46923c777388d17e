/**
 * The world a seed describes: the course, its ground, buildings and props, the towns, and
 * where a rider may start. Everything here is static; moving things live in the episode.
 */
import type { Transform } from '../../proto/index.ts';
import { buildCourse, Course, LANE_WIDTH } from './course.ts';
import { placeScenery, Scenery } from './scenery.ts';
import { buildTerrain, Terrain, type Building, type TownSection } from './terrain.ts';

export const MAP_NAME = 'CycarlaLoop';

export interface StartSpot { s: number; x: number; y: number; z: number; yaw: number }

export class World {
  /** Worlds are deterministic and costly to build (about a second): one per seed per process. */
  static readonly #bySeed = new Map<number, World>();

  static forSeed(seed: number): World {
    let w = World.#bySeed.get(seed);
    if (!w) {
      w = new World(seed);
      World.#bySeed.set(seed, w);
    }
    return w;
  }

  readonly seed: number;
  readonly course: Course;
  readonly terrain: Terrain;
  readonly buildings: Building[];
  readonly scenery: Scenery;
  readonly towns: TownSection[];
  readonly startSpots: StartSpot[];

  constructor(seed: number) {
    this.seed = seed;
    this.course = buildCourse(seed);
    const L = this.course.length;
    this.towns = [
      { from: 0.08 * L, to: 0.08 * L + 520 },
      { from: 0.55 * L, to: 0.55 * L + 420 },
    ];
    const { terrain, buildings } = buildTerrain(this.course, this.towns, seed);
    this.terrain = terrain;
    this.buildings = buildings;
    this.scenery = placeScenery(this.course, terrain, this.towns, seed);
    // Starts in the right-hand lane, facing the traffic direction: in each town, at the foot
    // of the steepest climb, at the top of the longest descent, and spread in between.
    const spotsS = [0.02, 0.1, 0.22, 0.35, 0.47, 0.58, 0.7, 0.84].map((f) => f * L);
    spotsS.push(this.steepest(1), this.steepest(-1));
    this.startSpots = spotsS.map((s) => {
      const p = this.course.toWorld(s, LANE_WIDTH / 2);
      return { s, x: p.x, y: p.y, z: this.terrain.heightAt(p.x, p.y), yaw: (p.heading * 180) / Math.PI };
    });
  }

  /** s a little before the steepest climb (sign 1) or descent (−1). */
  private steepest(sign: 1 | -1): number {
    let best = 0, bestG = -Infinity;
    for (let i = 0; i < this.course.count; i++) {
      const g = this.course.grade[i]! * sign;
      if (g > bestG) { bestG = g; best = i; }
    }
    return this.course.wrapS(best * this.course.step - 150);
  }

  startTransforms(unitScale: number): Transform[] {
    return this.startSpots.map((p) => {
      const yaw = (p.yaw * Math.PI) / 180;
      return {
        location: { x: p.x * unitScale, y: p.y * unitScale, z: p.z * unitScale },
        orientation: { x: Math.cos(yaw), y: Math.sin(yaw), z: 0 },
        rotation: { pitch: 0, yaw: p.yaw, roll: 0 },
      };
    });
  }
}
