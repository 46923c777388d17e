/**
 * The ground: a height field on a 1 m grid covering the loop and the hills around it,
 * with, near the road, the exact road coordinates (s, t) of every node so that lane
 * markings and kerbs can be drawn crisply at any distance. Buildings are raised blocks of
 * the same field, so they occlude, cast walls and stop a rider like the ground does.
 */
import { Course, KERB_HEIGHT, KERB_OUTER } from './course.ts';
import { createNoise2, createRandom, hash2 } from './random.ts';
import type { Rgb, Weather } from './weather.ts';

export const Material = {
  Grass: 0, Field: 1, ForestFloor: 2, Rock: 3, Plaza: 4, Building: 5,
} as const;
/** Set on nodes within ROAD_CORRIDOR of the centreline: their surface is drawn from (s, t). */
export const CORRIDOR_BIT = 0x80;
export const ROAD_CORRIDOR = 8;
const STAMP_RADIUS = 60;

export interface TownSection { from: number; to: number }

export interface Building {
  side: 1 | -1;
  s0: number; s1: number; t0: number; t1: number;
  height: number;
  color: number;
}

/** Floats per node in Terrain.nodes, and where each value sits. */
export const NODE_STRIDE = 4;
export const ROOF = 1, ROAD_S = 2, ROAD_T = 3;

export class Terrain {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly depth: number;
  /**
   * Per node, interleaved: ground height, roof height (0 where no building stands: kept apart
   * from the ground so that interpolating the ground never turns a wall into a ramp), and
   * road coordinates s and t (NaN away from the road). The renderer reads all four per
   * sample, so one sample touches one or two cache lines rather than one per array.
   */
  readonly nodes: Float32Array;
  readonly material: Uint8Array;
  readonly albedo: Uint32Array;
  /** Lit colour per node for the current weather (0xRRGGBB). */
  readonly lit: Uint32Array;
  readonly normalX: Int8Array;
  readonly normalY: Int8Array;
  private litFor = -1;

  constructor(x0: number, y0: number, width: number, depth: number) {
    this.x0 = x0; this.y0 = y0; this.width = width; this.depth = depth;
    const n = width * depth;
    this.nodes = new Float32Array(n * NODE_STRIDE);
    for (let i = 0; i < n; i++) this.nodes[i * NODE_STRIDE + ROAD_S] = this.nodes[i * NODE_STRIDE + ROAD_T] = NaN;
    this.material = new Uint8Array(n);
    this.albedo = new Uint32Array(n);
    this.lit = new Uint32Array(n);
    this.normalX = new Int8Array(n);
    this.normalY = new Int8Array(n);
  }

  heightOf(node: number): number { return this.nodes[node * NODE_STRIDE]!; }
  roofOf(node: number): number { return this.nodes[node * NODE_STRIDE + ROOF]!; }
  roadSOf(node: number): number { return this.nodes[node * NODE_STRIDE + ROAD_S]!; }
  roadTOf(node: number): number { return this.nodes[node * NODE_STRIDE + ROAD_T]!; }
  setHeight(node: number, z: number): void { this.nodes[node * NODE_STRIDE] = z; }
  setRoof(node: number, z: number): void { this.nodes[node * NODE_STRIDE + ROOF] = z; }
  setRoad(node: number, s: number, t: number): void {
    this.nodes[node * NODE_STRIDE + ROAD_S] = s;
    this.nodes[node * NODE_STRIDE + ROAD_T] = t;
  }

  /** Bilinear height at a world position (clamped to the grid's edge). */
  heightAt(x: number, y: number): number {
    let gx = x - this.x0, gy = y - this.y0;
    const maxX = this.width - 1.001, maxY = this.depth - 1.001;
    gx = gx < 0 ? 0 : gx > maxX ? maxX : gx;
    gy = gy < 0 ? 0 : gy > maxY ? maxY : gy;
    const ix = gx | 0, iy = gy | 0, fx = gx - ix, fy = gy - iy;
    const i = (iy * this.width + ix) * NODE_STRIDE, row = this.width * NODE_STRIDE, h = this.nodes;
    const a = h[i]!, b = h[i + NODE_STRIDE]!, c = h[i + row]!, d = h[i + row + NODE_STRIDE]!;
    return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
  }

  /** Height of whatever stands at (x, y): a roof, or the ground. */
  surfaceAt(x: number, y: number): number {
    const node = this.nodeAt(x, y);
    if (node >= 0 && this.roofOf(node) > 0) return this.roofOf(node);
    return this.heightAt(x, y);
  }

  /** Index of the node nearest to a world position, or −1 outside the grid. */
  nodeAt(x: number, y: number): number {
    const ix = Math.round(x - this.x0), iy = Math.round(y - this.y0);
    if (ix < 0 || iy < 0 || ix >= this.width || iy >= this.depth) return -1;
    return iy * this.width + ix;
  }

  /** Recomputes the lit colours for a weather: Lambert from the baked normals. */
  relight(weather: Weather): void {
    if (this.litFor === weather.id) return;
    this.litFor = weather.id;
    const se = Math.sin(weather.sunElevation), ce = Math.cos(weather.sunElevation);
    const sx = Math.cos(weather.sunAzimuth) * ce, sy = Math.sin(weather.sunAzimuth) * ce;
    const sc = weather.sunColor;
    const n = this.albedo.length;
    for (let i = 0; i < n; i++) {
      const nx = this.normalX[i]! / 127, ny = this.normalY[i]! / 127;
      const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
      let lambert = nx * sx + ny * sy + nz * se;
      if (lambert < 0) lambert = 0;
      const k = weather.ambient, dl = weather.direct * lambert;
      const a = this.albedo[i]!;
      const r = Math.min(255, ((a >>> 16) & 255) * (k + dl * sc[0] / 255));
      const g = Math.min(255, ((a >>> 8) & 255) * (k + dl * sc[1] / 255));
      const b = Math.min(255, (a & 255) * (k + dl * sc[2] / 255));
      this.lit[i] = (r << 16) | (g << 8) | (b | 0);
    }
  }
}

const rgb = (c: Rgb) => ((c[0] & 255) << 16) | ((c[1] & 255) << 8) | (c[2] & 255);
const jitter = (c: Rgb, f: number): Rgb => [c[0] * f, c[1] * f, c[2] * f];
const smoothstep = (a: number, b: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};

/**
 * A smooth field sampled every `step` metres over the terrain and read back bilinearly:
 * low-frequency noise need not be evaluated at every 1 m node.
 */
function lattice(t: Terrain, step: number, fn: (x: number, y: number) => number): (x: number, y: number) => number {
  const w = Math.ceil(t.width / step) + 2, h = Math.ceil(t.depth / step) + 2;
  const v = new Float32Array(w * h);
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) v[j * w + i] = fn(t.x0 + i * step, t.y0 + j * step);
  return (x, y) => {
    const gx = Math.min(w - 1.001, Math.max(0, (x - t.x0) / step)), gy = Math.min(h - 1.001, Math.max(0, (y - t.y0) / step));
    const ix = gx | 0, iy = gy | 0, fx = gx - ix, fy = gy - iy, k = iy * w + ix;
    const a = v[k]!, b = v[k + 1]!, c = v[k + w]!, d = v[k + w + 1]!;
    return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
  };
}

const BUILDING_COLORS: Rgb[] = [
  [168, 92, 70], [196, 176, 142], [150, 150, 156], [222, 214, 196], [120, 84, 66], [182, 160, 130], [100, 112, 128],
];

export function buildTerrain(course: Course, towns: TownSection[], seed: number): { terrain: Terrain; buildings: Building[] } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < course.count; i++) {
    minX = Math.min(minX, course.x[i]!); maxX = Math.max(maxX, course.x[i]!);
    minY = Math.min(minY, course.y[i]!); maxY = Math.max(maxY, course.y[i]!);
  }
  const margin = 260;
  const x0 = Math.floor(minX - margin), y0 = Math.floor(minY - margin);
  const terrain = new Terrain(x0, y0, Math.ceil(maxX + margin) - x0, Math.ceil(maxY + margin) - y0);
  const { width: W, depth: D } = terrain;
  const dist2 = new Float32Array(W * D).fill(Infinity);

  // Road coordinates of every node within STAMP_RADIUS, from the nearest centreline sample.
  for (let i = 0; i < course.count; i++) {
    const cx = course.x[i]!, cy = course.y[i]!, h = course.heading[i]!;
    const ch = Math.cos(h), sh = Math.sin(h);
    for (let k = -STAMP_RADIUS; k <= STAMP_RADIUS; k += 0.5) {
      const px = cx - sh * k - x0, py = cy + ch * k - y0;
      const fx = Math.floor(px), fy = Math.floor(py);
      for (let oy = 0; oy <= 1; oy++) {
        for (let ox = 0; ox <= 1; ox++) {
          const ix = fx + ox, iy = fy + oy;
          if (ix < 0 || iy < 0 || ix >= W || iy >= D) continue;
          const dx = ix + x0 - cx, dy = iy + y0 - cy;
          const along = dx * ch + dy * sh;
          const t = -dx * sh + dy * ch;
          const d2 = along * along + t * t;
          const node = iy * W + ix;
          if (d2 < dist2[node]!) {
            dist2[node] = d2;
            const sRaw = i * course.step + along;
            terrain.setRoad(node, sRaw < 0 ? sRaw + course.length : sRaw >= course.length ? sRaw - course.length : sRaw, t);
          }
        }
      }
    }
  }

  const inTown = (s: number) => towns.some((t) => s >= t.from && s <= t.to);
  let zMean = 0;
  for (let i = 0; i < course.count; i++) zMean += course.z[i]!;
  zMean /= course.count;
  let rMax = 0;
  for (let i = 0; i < course.count; i++) rMax = Math.max(rMax, Math.hypot(course.x[i]!, course.y[i]!));

  const hills = createNoise2(seed ^ 0x4111);
  const ridges = createNoise2(seed ^ 0x2d9e);
  const farHeight = lattice(terrain, 4, (x, y) => {
    const r = Math.hypot(x, y);
    const mountains = smoothstep(rMax + 60, rMax + 240, r) * (70 + 90 * ridges(x / 160, y / 160, 4));
    return zMean - 6 + (hills(x / 380, y / 380, 4) - 0.5) * 44 + mountains;
  });

  // Heights: the road and sidewalks follow the course's profile; the land beyond blends
  // into the hills, with flat plazas in town.
  for (let iy = 0; iy < D; iy++) {
    for (let ix = 0; ix < W; ix++) {
      const node = iy * W + ix;
      const x = ix + x0, y = iy + y0;
      const far = farHeight(x, y);
      const s = terrain.roadSOf(node);
      if (Number.isNaN(s)) { terrain.setHeight(node, far); continue; }
      const at = Math.abs(terrain.roadTOf(node));
      const zr = course.at(s).z;
      const town = inTown(s);
      const w = town ? smoothstep(38, 56, at) : smoothstep(7.5, 52, at);
      const curb = at <= KERB_OUTER - 0.05 ? 0 : KERB_HEIGHT;
      terrain.setHeight(node, (1 - w) * (zr + curb) + w * far);
      if (at < ROAD_CORRIDOR) terrain.material[node] = CORRIDOR_BIT;
    }
  }

  // Buildings along the town sections, set back from the sidewalk, facing the road.
  const rnd = createRandom(seed ^ 0xb1d9);
  const buildings: Building[] = [];
  for (const town of towns) {
    for (const side of [1, -1] as const) {
      let s = town.from + rnd() * 8;
      while (s < town.to - 10) {
        const len = 10 + rnd() * 14;
        const t0 = 10 + rnd() * 4;
        buildings.push({
          side, s0: s, s1: s + len, t0, t1: t0 + 9 + rnd() * 10,
          height: 6 + rnd() * rnd() * 22,
          color: rgb(BUILDING_COLORS[Math.floor(rnd() * BUILDING_COLORS.length)]!),
        });
        s += len + 3 + rnd() * 8;
      }
    }
  }
  const buildingId = new Int16Array(W * D).fill(-1);
  for (let node = 0; node < W * D; node++) {
    const s = terrain.roadSOf(node);
    if (Number.isNaN(s) || !inTown(s)) continue;
    const t = terrain.roadTOf(node);
    const at = Math.abs(t), side = t >= 0 ? 1 : -1;
    for (let b = 0; b < buildings.length; b++) {
      const bd = buildings[b]!;
      if (bd.side === side && s >= bd.s0 && s <= bd.s1 && at >= bd.t0 && at <= bd.t1) {
        terrain.setHeight(node, course.at(s).z + KERB_HEIGHT);
        terrain.setRoof(node, terrain.heightOf(node) + bd.height);
        buildingId[node] = b;
        terrain.material[node] = Material.Building;
        break;
      }
    }
  }

  // Normals, materials and albedo.
  const fieldNoise = createNoise2(seed ^ 0xf1e1);
  const forestNoise = createNoise2(seed ^ 0xf0e5);
  const fields = lattice(terrain, 4, (x, y) => fieldNoise(x / 300, y / 300, 2));
  const patches = lattice(terrain, 4, (x, y) => fieldNoise(x / 90, y / 90));
  const forest = lattice(terrain, 4, (x, y) => forestNoise(x / 260, y / 260, 3));
  const grainNoise = createNoise2(seed ^ 0x6a1);
  const grain = lattice(terrain, 1.5, (x, y) => grainNoise(x / 3, y / 3, 2));
  for (let iy = 0; iy < D; iy++) {
    for (let ix = 0; ix < W; ix++) {
      const node = iy * W + ix;
      const l = terrain.heightOf(iy * W + Math.max(0, ix - 1)), r = terrain.heightOf(iy * W + Math.min(W - 1, ix + 1));
      const u = terrain.heightOf(Math.max(0, iy - 1) * W + ix), d = terrain.heightOf(Math.min(D - 1, iy + 1) * W + ix);
      let nx = (l - r) / 2, ny = (u - d) / 2;
      const len = Math.sqrt(nx * nx + ny * ny + 1);
      nx /= len; ny /= len;
      terrain.normalX[node] = Math.round(nx * 127);
      terrain.normalY[node] = Math.round(ny * 127);
      const x = ix + x0, y = iy + y0;
      const mat = terrain.material[node]!;
      const v = 0.85 + 0.3 * grain(x, y) + ((hash2(ix, iy, seed) & 255) / 255 - 0.5) * 0.08;
      if (mat === Material.Building) {
        terrain.albedo[node] = buildings[buildingId[node]!]!.color;
        continue;
      }
      const s = terrain.roadSOf(node);
      const at = Math.abs(terrain.roadTOf(node));
      const slope = 1 - 1 / len;
      let m: number = Material.Grass;
      let c: Rgb = [86, 128, 52];
      if (!Number.isNaN(s) && inTown(s) && at < 36) {
        m = Material.Plaza; c = [150, 146, 138];
      } else if (slope > 0.25 || terrain.heightOf(node) > zMean + 75) {
        m = Material.Rock; c = [120, 116, 108];
      } else if (forest(x, y) > 0.6 && (Number.isNaN(s) || at > 12)) {
        m = Material.ForestFloor; c = [62, 84, 40];
      } else if (fields(x, y) > 0.58 && (Number.isNaN(s) || at > 14)) {
        m = Material.Field;
        const stripe = Math.floor((x * 0.8 + y * 0.6) / 4) & 1;
        c = patches(x, y) > 0.5 ? (stripe ? [176, 160, 86] : [160, 146, 78]) : (stripe ? [112, 140, 60] : [98, 128, 52]);
      }
      terrain.material[node] = (terrain.material[node]! & CORRIDOR_BIT) | m;
      terrain.albedo[node] = rgb(jitter(c, v));
    }
  }
  return { terrain, buildings };
}
