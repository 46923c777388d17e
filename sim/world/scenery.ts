/**
 * Static props drawn as upright sprites: trees along the road and in the woods, street
 * lamps in town, utility poles in the country, speed-limit signs. Stored as parallel typed
 * arrays because every camera walks all of them every frame.
 */
import { Course } from './course.ts';
import { createNoise2, createRandom } from './random.ts';
import { CORRIDOR_BIT, Material, Terrain, type TownSection } from './terrain.ts';

export const PropKind = { Tree: 0, Conifer: 1, StreetLamp: 2, UtilityPole: 3, SpeedSign: 4 } as const;
export type PropKind = (typeof PropKind)[keyof typeof PropKind];

/** Trees (broadleaf and conifer) have a crown wider than their trunk. */
export const isTree = (kind: number): boolean => kind === PropKind.Tree || kind === PropKind.Conifer;

export interface SpeedSign { id: number; x: number; y: number; z: number; yaw: number; limit: number }

export class Scenery {
  count = 0;
  kind: Uint8Array;
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
  /** Overall height (m). */
  height: Float32Array;
  /** Half width of the sprite (m): canopy radius for trees. */
  halfWidth: Float32Array;
  /** Radius of the solid part a rider can hit (trunk, pole). */
  solidRadius: Float32Array;
  variant: Uint8Array;
  readonly signs: SpeedSign[] = [];

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.x = new Float32Array(capacity);
    this.y = new Float32Array(capacity);
    this.z = new Float32Array(capacity);
    this.height = new Float32Array(capacity);
    this.halfWidth = new Float32Array(capacity);
    this.solidRadius = new Float32Array(capacity);
    this.variant = new Uint8Array(capacity);
  }

  add(kind: PropKind, x: number, y: number, z: number, height: number, halfWidth: number, solid: number, variant: number): boolean {
    if (this.count === this.kind.length) return false;
    const i = this.count++;
    this.kind[i] = kind; this.x[i] = x; this.y[i] = y; this.z[i] = z;
    this.height[i] = height; this.halfWidth[i] = halfWidth; this.solidRadius[i] = solid; this.variant[i] = variant;
    return true;
  }
}

const MAX_PROPS = 24000;

export function placeScenery(course: Course, terrain: Terrain, towns: TownSection[], seed: number): Scenery {
  const props = new Scenery(MAX_PROPS);
  const rnd = createRandom(seed ^ 0x7ee5);
  const inTown = (s: number) => towns.some((t) => s >= t.from - 20 && s <= t.to + 20);
  // A spot is free when it is not on any stretch of road or sidewalk, nor in a building.
  const free = (x: number, y: number, clearance: number) => {
    const node = terrain.nodeAt(x, y);
    if (node < 0) return false;
    if (terrain.material[node]! === Material.Building) return false;
    const t = terrain.roadTOf(node);
    return Number.isNaN(t) || Math.abs(t) >= clearance;
  };
  const tree = (x: number, y: number) => {
    const conifer = rnd() < 0.35;
    const h = conifer ? 8 + rnd() * 9 : 6 + rnd() * 7;
    props.add(conifer ? PropKind.Conifer : PropKind.Tree, x, y, terrain.heightAt(x, y), h,
      conifer ? h * 0.22 : h * (0.3 + rnd() * 0.12), 0.25, Math.floor(rnd() * 4));
  };

  // Roadside trees in the country.
  for (let s = 0; s < course.length; s += 7 + rnd() * 16) {
    if (inTown(s)) continue;
    const side = rnd() < 0.5 ? 1 : -1;
    const t = side * (9 + rnd() * 7);
    const p = course.toWorld(s, t);
    if (free(p.x, p.y, 8.5)) tree(p.x, p.y);
  }
  // Woods: a jittered grid wherever the forest floor is.
  const clump = createNoise2(seed ^ 0xc1);
  for (let y = terrain.y0; y < terrain.y0 + terrain.depth; y += 8) {
    for (let x = terrain.x0; x < terrain.x0 + terrain.width; x += 8) {
      const px = x + rnd() * 7, py = y + rnd() * 7;
      const node = terrain.nodeAt(px, py);
      if (node < 0 || (terrain.material[node]! & ~CORRIDOR_BIT) !== Material.ForestFloor) continue;
      if (clump(px / 20, py / 20) < 0.35 || !free(px, py, 11)) continue;
      tree(px, py);
    }
  }
  // Street lamps in town, both sides; utility poles along the left in the country.
  for (const town of towns) {
    for (let s = town.from; s <= town.to; s += 26) {
      for (const side of [1, -1]) {
        const p = course.toWorld(s + (side > 0 ? 0 : 13), side * 6.9);
        props.add(PropKind.StreetLamp, p.x, p.y, terrain.heightAt(p.x, p.y), 7.5, 0.45, 0.12, 0);
      }
    }
  }
  for (let s = 0; s < course.length; s += 48) {
    if (inTown(s)) continue;
    const p = course.toWorld(s, -8.2);
    if (free(p.x, p.y, 7.8)) props.add(PropKind.UtilityPole, p.x, p.y, terrain.heightAt(p.x, p.y), 9, 0.9, 0.15, 0);
  }
  // Speed-limit signs where each town begins and ends (30 km/h inside, 50 km/h outside),
  // on the right-hand side for the traffic that meets them.
  let signId = 0x51900000;
  const sign = (s: number, side: 1 | -1, kmh: number) => {
    const p = course.toWorld(s, side * 7.2);
    const z = terrain.heightAt(p.x, p.y);
    props.add(PropKind.SpeedSign, p.x, p.y, z, 2.7, 0.4, 0.06, kmh === 30 ? 0 : 1);
    props.signs.push({ id: signId++, x: p.x, y: p.y, z, yaw: (p.heading * 180) / Math.PI + (side > 0 ? 180 : 0), limit: kmh / 3.6 });
  };
  for (const town of towns) {
    sign(town.from, 1, 30);
    sign(town.to, -1, 30);
    sign(town.to + 5, 1, 50);
    sign(town.from - 5, -1, 50);
  }
  return props;
}
