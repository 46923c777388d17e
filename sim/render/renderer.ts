/**
 * The camera renderer. One pass fills three buffers for a pose: BGRA colour, depth (metres
 * along the view direction) and the semantic tag, so RGB, Depth and SemanticSegmentation
 * cameras of one pose always agree pixel for pixel.
 *
 * Ground and buildings are a height field drawn front to back column by column with a
 * per-column horizon (the "voxel space" method): each depth step projects one line of
 * ground samples across the screen and fills only what rises above what is already drawn,
 * so every pixel is written once and the cost is steps × width, not rays × steps. Props,
 * vehicles and pedestrians are upright sprites tested against the depth buffer; the sky is
 * whatever the ground left uncovered. Camera roll is not modelled (a bicycle camera does not
 * roll) and pitch is a vertical shift of the horizon, exact for the small pitches of a road.
 */
import { KERB_OUTER, LANE_WIDTH, SIDEWALK_OUTER } from '../world/course.ts';
import { createNoise2, createRandom, hash2 } from '../world/random.ts';
import { PropKind } from '../world/scenery.ts';
import { Tag } from './semantic-tags.ts';
import { CORRIDOR_BIT, Material } from '../world/terrain.ts';
import type { Rgb, Weather } from '../world/weather.ts';
import type { World } from '../world/world.ts';

export const SKY_DEPTH = 1000;

export interface CameraPose {
  x: number; y: number; z: number;
  /** Radians; yaw turns from +x towards +y (CARLA's left-handed frame). */
  yaw: number;
  pitch: number;
  /** Horizontal field of view, degrees. */
  fov: number;
}

export const SpriteKind = { Vehicle: 10, Pedestrian: 11 } as const;

/** Something that moves, drawn as a sprite. */
export interface MovingSprite {
  kind: (typeof SpriteKind)[keyof typeof SpriteKind];
  x: number; y: number; z: number;
  /** Radians. */
  yaw: number;
  length: number; width: number; height: number;
  color: number;
  /** Walking phase or wheel phase; animates legs. */
  phase: number;
}

/**
 * Buffers are stored column-major (index = x·height + y): the ground is drawn in vertical
 * runs, and row-major runs would make every write a cache miss. Readers transpose once.
 */
export class RenderTarget {
  readonly color: Uint32Array;
  readonly depth: Float32Array;
  readonly tag: Uint8Array;
  readonly columnTop: Int32Array;
  constructor(readonly width: number, readonly height: number) {
    this.color = new Uint32Array(width * height);
    this.depth = new Float32Array(width * height);
    this.tag = new Uint8Array(width * height);
    this.columnTop = new Int32Array(width);
  }
}

const OPAQUE = 0xff000000;
/** Tree sprites are baked once into small textures: a lookup per pixel instead of shading maths. */
const TEX_W = 64;
const TEX_H = 128;
const TREE_VARIANTS = 4;
const CLOUD_AZ = 1024;
const CLOUD_EL = 128;

interface Palette {
  asphalt: Rgb; line: Rgb; kerb: Rgb; sidewalk: Rgb; grout: Rgb; glass: Rgb;
  flatLight: Rgb;
}

export class Renderer {
  private weather!: Weather;
  private palette!: Palette;
  private clouds = new Float32Array(CLOUD_AZ * CLOUD_EL);
  private sunDir: [number, number, number] = [0, 0, 1];
  private readonly visible: Float32Array;
  private readonly order: Int32Array;
  /** [kind (Tree, Conifer)][variant] → TEX_W×TEX_H texels, column-major; 0 = transparent. */
  private readonly treeTextures: Uint32Array[][] = [bakeTrees(PropKind.Tree), bakeTrees(PropKind.Conifer)];

  constructor(private readonly world: World, weather: Weather) {
    this.visible = new Float32Array(world.scenery.count);
    this.order = new Int32Array(world.scenery.count);
    this.setWeather(weather);
  }

  setWeather(weather: Weather): void {
    if (this.weather && this.weather.id === weather.id) return;
    this.weather = weather;
    this.world.terrain.relight(weather);
    const se = Math.sin(weather.sunElevation), ce = Math.cos(weather.sunElevation);
    this.sunDir = [Math.cos(weather.sunAzimuth) * ce, Math.sin(weather.sunAzimuth) * ce, se];
    const light = (k: number) => weather.ambient + weather.direct * se * (weather.sunColor[k]! / 255);
    const flatLight: Rgb = [light(0), light(1), light(2)];
    const wet = weather.wetness;
    const darken = (c: Rgb, f: number): Rgb => [c[0] * f, c[1] * f, c[2] * f];
    this.palette = {
      asphalt: darken([84, 84, 88], 1 - wet * 0.35),
      line: darken([236, 236, 228], 1 - wet * 0.1),
      kerb: darken([190, 188, 182], 1 - wet * 0.2),
      sidewalk: darken([170, 164, 156], 1 - wet * 0.25),
      grout: darken([132, 128, 122], 1 - wet * 0.25),
      glass: [70, 88, 112],
      flatLight,
    };
    const noise = createNoise2(0xc10d + weather.id);
    for (let a = 0; a < CLOUD_AZ; a++) {
      for (let e = 0; e < CLOUD_EL; e++) {
        // Clouds are flattened towards the horizon, as a dome seen from below.
        const el = (e + 0.5) / CLOUD_EL;
        const n = noise((a / CLOUD_AZ) * 24, el * 2.2 / (el + 0.08) * 3, 5);
        const c = (n - (1 - weather.cloudCover) * 0.62 - 0.28) * 3.2;
        this.clouds[a * CLOUD_EL + e] = c < 0 ? 0 : c > 1 ? 1 : c;
      }
    }
  }

  render(pose: CameraPose, target: RenderTarget, moving: readonly MovingSprite[], frame: number): void {
    const { width: W, height: H, color, depth, tag, columnTop } = target;
    const terrain = this.world.terrain;
    const L = this.world.course.length;
    const wx = this.weather;
    const pal = this.palette;
    const F = W / 2 / Math.tan((pose.fov * Math.PI) / 360);
    const cosY = Math.cos(pose.yaw), sinY = Math.sin(pose.yaw);
    const horizon = H / 2 + F * Math.tan(pose.pitch);
    const camZ = pose.z;
    const far = Math.min(SKY_DEPTH * 0.9, wx.visibility * 3);
    const fogR = wx.fogColor[0], fogG = wx.fogColor[1], fogB = wx.fogColor[2];
    const invVis = 1 / wx.visibility;
    const nodes = terrain.nodes, lit = terrain.lit, mats = terrain.material;
    const TW = terrain.width, x0 = terrain.x0, y0 = terrain.y0;
    const maxGX = TW - 1.001, maxGY = terrain.depth - 1.001;
    const flR = pal.flatLight[0], flG = pal.flatLight[1], flB = pal.flatLight[2];
    const asphalt = pal.asphalt, line = pal.line, kerb = pal.kerb, sidewalk = pal.sidewalk, grout = pal.grout;
    const glassR = pal.glass[0] * flR, glassG = pal.glass[1] * flG, glassB = pal.glass[2] * flB;
    columnTop.fill(H);
    let open = W;

    // Nothing nearer than where the bottom row meets the ground can be seen (the nearest
    // building or hill is metres away; props and traffic are sprites), so start there.
    const clearance = Math.max(0.3, camZ - terrain.heightAt(pose.x, pose.y));
    const bottomRay = H - horizon;
    let d = bottomRay > 1 ? Math.max(0.35, ((clearance * F) / bottomRay) * 0.7) : 0.35;
    // Steps of about one pixel of ground near the camera, growing to a few percent of the
    // distance far away, where the 1 m grid is finer than a pixel anyway.
    const pixelStep = 1.5 / (clearance * F);
    while (d < far && open > 0) {
      const k = d / F;
      const scale = F / d;
      const fog = 1 - Math.exp(-d * invVis);
      const keep = 1 - fog;
      const fr = fogR * fog, fg = fogG * fog, fb = fogB * fog;
      const half = W / 2 - 0.5;
      let px = pose.x + d * cosY + half * k * sinY - x0;
      let py = pose.y + d * sinY - half * k * cosY - y0;
      const dx = -sinY * k, dy = cosY * k;
      const ex = px + dx * (W - 1), ey = py + dy * (W - 1);
      const inside = px >= 0 && py >= 0 && ex >= 0 && ey >= 0 && px <= maxGX && py <= maxGY && ex <= maxGX && ey <= maxGY;
      // Far away a pixel spans more than a grid node: one sample serves 2 or 4 columns.
      const cs = d > 500 ? 8 : d > 200 ? 4 : d > 60 ? 2 : 1;
      const gdx = dx * cs, gdy = dy * cs;
      for (let i = 0; i < W; i += cs, px += gdx, py += gdy) {
        let top = columnTop[i]!;
        for (let j = i + 1; j < i + cs && j < W; j++) if (columnTop[j]! > top) top = columnTop[j]!;
        if (top <= 0) continue;
        let gx = px, gy = py;
        if (!inside) {
          gx = gx < 0 ? 0 : gx > maxGX ? maxGX : gx;
          gy = gy < 0 ? 0 : gy > maxGY ? maxGY : gy;
        }
        const ix = gx | 0, iy = gy | 0, fx = gx - ix, fy = gy - iy;
        const n0 = iy * TW + ix;
        const node = fx < 0.5 ? (fy < 0.5 ? n0 : n0 + TW) : (fy < 0.5 ? n0 + 1 : n0 + TW + 1);
        // Packed node k: [4k] height, [4k+1] roof, [4k+2] s, [4k+3] t.
        const a4 = n0 << 2, c4 = (n0 + TW) << 2;
        const roof = nodes[(node << 2) + 1]!;
        let h: number;
        if (roof > 0) {
          h = roof;
        } else {
          const ha = nodes[a4]!, hb = nodes[a4 + 4]!, hc = nodes[c4]!, hd = nodes[c4 + 4]!;
          h = ha + (hb - ha) * fx + (hc - ha) * fy + (ha - hb - hc + hd) * fx * fy;
        }
        const yProj = horizon + (camZ - h) * scale;
        if (yProj >= top) continue;
        let yStart = Math.ceil(yProj);
        if (yStart < 0) yStart = 0;
        if (yStart >= top) continue;
        const mat = mats[node]!;
        let r: number, g: number, b: number, t: number;
        if (roof > 0) {
          const v = lit[node]!;
          r = (v >>> 16) & 255; g = (v >>> 8) & 255; b = v & 255;
          t = Tag.Buildings;
        } else if ((mat & CORRIDOR_BIT) !== 0) {
          // Road surface from exact road coordinates: crisp lines at any distance.
          const sa = nodes[a4 + 2]!, sb = nodes[a4 + 6]!, sc = nodes[c4 + 2]!, sd = nodes[c4 + 6]!;
          let s = sa + (sb - sa) * fx + (sc - sa) * fy + (sa - sb - sc + sd) * fx * fy;
          if (sa - sd > L / 2 || sd - sa > L / 2 || sb - sc > L / 2 || sc - sb > L / 2) s = nodes[(node << 2) + 2]!;
          const ta = nodes[a4 + 3]!, tb = nodes[a4 + 7]!, tc = nodes[c4 + 3]!, td = nodes[c4 + 7]!;
          const tt = ta + (tb - ta) * fx + (tc - ta) * fy + (ta - tb - tc + td) * fx * fy;
          const at = tt < 0 ? -tt : tt;
          let c: Rgb | null;
          if (at < LANE_WIDTH) {
            const dash = s - Math.floor(s / 9) * 9;
            if ((at < 0.08 && dash < 3) || (at > LANE_WIDTH - 0.3 && at < LANE_WIDTH - 0.15)) { c = line; t = Tag.RoadLines; }
            else { c = asphalt; t = Tag.Roads; }
          } else if (at < KERB_OUTER) {
            c = kerb; t = Tag.Sidewalks;
          } else if (at < SIDEWALK_OUTER) {
            const u = at - KERB_OUTER, v = s * (1 / 1.4);
            c = u - Math.floor(u * (1 / 1.4)) * 1.4 < 0.05 || v - Math.floor(v) < 0.036 ? grout : sidewalk;
            t = Tag.Sidewalks;
          } else {
            c = null;
            t = (mat & ~CORRIDOR_BIT) === Material.Plaza ? Tag.Sidewalks : Tag.Other;
          }
          if (c) {
            const grain = 0.95 + ((Math.imul((s * 11) | 0, 0x9e3779b1) ^ Math.imul((tt * 11) | 0, 0x85ebca6b)) >>> 24) * (0.1 / 255);
            r = c[0] * flR * grain; g = c[1] * flG * grain; b = c[2] * flB * grain;
          } else {
            const v = lit[node]!;
            r = (v >>> 16) & 255; g = (v >>> 8) & 255; b = v & 255;
          }
        } else {
          const v = lit[node]!;
          r = (v >>> 16) & 255; g = (v >>> 8) & 255; b = v & 255;
          t = mat === Material.Plaza ? Tag.Sidewalks : Tag.Other;
        }
        const flat = OPAQUE | ((r * keep + fr) << 16) | ((g * keep + fg) << 8) | ((b * keep + fb) | 0);
        for (let j = i; j < i + cs && j < W; j++) {
          const colTop = columnTop[j]!;
          if (yStart >= colTop) continue;
          if (roof > 0 && cs === 1 && colTop - yStart > 1) {
            // A wall: storeys of windows, from the height each pixel stands at.
            const u = Math.abs(nodes[(node << 2) + 2]! + nodes[(node << 2) + 3]!) + fx + fy;
            const windowColumn = u - Math.floor(u / 2.8) * 2.8 > 1.1;
            const wall = OPAQUE | ((r * 0.82 * keep + fr) << 16) | ((g * 0.82 * keep + fg) << 8) | ((b * 0.82 * keep + fb) | 0);
            const glass = OPAQUE | ((glassR * keep + fr) << 16) | ((glassG * keep + fg) << 8) | ((glassB * keep + fb) | 0);
            for (let y = yStart, p = j * H + yStart; y < colTop; y++, p++) {
              let c32 = wall;
              if (windowColumn) {
                const zp = (camZ - (y - horizon) * k) * (1 / 3.2);
                const storey = zp - Math.floor(zp);
                if (storey > 0.38 && storey < 0.8) c32 = glass;
              }
              color[p] = y === yStart ? flat : c32;
              depth[p] = d;
              tag[p] = t;
            }
          } else {
            const from = j * H + yStart, to = j * H + colTop;
            if (to - from > 24) {
              color.fill(flat, from, to);
              depth.fill(d, from, to);
              tag.fill(t, from, to);
            } else {
              for (let p = from; p < to; p++) {
                color[p] = flat;
                depth[p] = d;
                tag[p] = t;
              }
            }
          }
          columnTop[j] = yStart;
          if (yStart === 0) open--;
        }
      }
      const step = d * d * pixelStep;
      const lo = d * 0.02, hi = d * 0.03 > 0.8 ? d * 0.03 : 0.8;
      d += step < lo ? lo : step > hi ? hi : step;
    }

    this.drawSky(pose, target, F, horizon);
    this.drawProps(pose, target, F, horizon, far);
    this.drawMoving(pose, target, F, horizon, far, moving);
    if (wx.rain > 0) this.drawRain(target, frame);
  }

  private drawSky(pose: CameraPose, target: RenderTarget, F: number, horizon: number): void {
    const { width: W, height: H, color, depth, tag, columnTop } = target;
    const wx = this.weather;
    const clouds = this.clouds;
    const [sx, sy, sz] = this.sunDir;
    const zen = wx.skyZenith, hor = wx.skyHorizon;
    const sunR = wx.sunColor[0], sunG = wx.sunColor[1], sunB = wx.sunColor[2];
    const showSun = wx.cloudCover < 0.7;
    const glowK = 0.6 * (1 - wx.cloudCover * 0.7);
    let maxTop = 0;
    for (let i = 0; i < W; i++) maxTop = Math.max(maxTop, columnTop[i]!);
    if (maxTop === 0) return;
    // Per row: elevation terms and the plain sky gradient; per column: azimuth terms.
    const rowCe = new Float32Array(maxTop), rowSe = new Float32Array(maxTop), rowCloud = new Int32Array(maxTop);
    const rowR = new Float32Array(maxTop), rowG = new Float32Array(maxTop), rowB = new Float32Array(maxTop);
    for (let y = 0; y < maxTop; y++) {
      const el = Math.atan((horizon - y - 0.5) / F);
      rowCe[y] = Math.cos(el); rowSe[y] = Math.sin(el);
      const up = el <= 0 ? 0 : Math.sqrt(el / (Math.PI / 2));
      rowR[y] = hor[0] + (zen[0] - hor[0]) * up;
      rowG[y] = hor[1] + (zen[1] - hor[1]) * up;
      rowB[y] = hor[2] + (zen[2] - hor[2]) * up;
      rowCloud[y] = el <= 0 ? -1 : Math.min(CLOUD_EL - 1, Math.floor((el / (Math.PI / 2)) * CLOUD_EL));
    }
    const ccR = wx.cloudColor[0], ccG = wx.cloudColor[1], ccB = wx.cloudColor[2];
    const sky = new Uint32Array(H + 1);
    // The sky changes over several pixels (a cloud texel spans 3–6), so it is shaded in
    // 2×2 blocks: each even column is computed at even rows and copied to its neighbours.
    for (let i = 0; i < W; i += 2) {
      const top = Math.max(columnTop[i]!, i + 1 < W ? columnTop[i + 1]! : 0);
      if (top === 0) continue;
      const a = pose.yaw + Math.atan((i + 1 - W / 2) / F);
      const horiz = Math.cos(a) * sx + Math.sin(a) * sy;
      const cloudBase = (Math.floor((((a / (2 * Math.PI)) % 1) + 1) * CLOUD_AZ) % CLOUD_AZ) * CLOUD_EL;
      for (let y = 0; y < top; y += 2) {
        let r = rowR[y]!, g = rowG[y]!, b = rowB[y]!;
        const cos = rowCe[y]! * horiz + rowSe[y]! * sz;
        let glow = 0;
        // cos¹⁶ is negligible beyond 60° from the sun: skip the work there.
        if (cos > 0.5) {
          glow = cos * cos; glow *= glow; glow *= glow; glow *= glow;
          const gl = glow * glowK;
          r += (sunR - r) * gl; g += (sunG - g) * gl; b += (sunB - b) * gl;
        }
        const ce = rowCloud[y]!;
        if (ce >= 0) {
          const cloud = clouds[cloudBase + ce]!;
          if (cloud > 0) {
            const lift = 0.8 + 0.2 * glow;
            r += (ccR * lift - r) * cloud; g += (ccG * lift - g) * cloud; b += (ccB * lift - b) * cloud;
          }
        }
        if (showSun && cos > 0.9994) { r = 255; g = 250; b = 235; }
        const c32 = OPAQUE | ((r > 255 ? 255 : r) << 16) | ((g > 255 ? 255 : g) << 8) | ((b > 255 ? 255 : b) | 0);
        sky[y] = c32;
        sky[y + 1] = c32;
      }
      // Each column keeps its own horizon: the copy stops where its ground begins.
      for (let j = i; j < i + 2 && j < W; j++) {
        const own = columnTop[j]!, at = j * H;
        color.set(sky.subarray(0, own), at);
        depth.fill(SKY_DEPTH, at, at + own);
        tag.fill(Tag.None, at, at + own);
      }
    }
  }

  private drawProps(pose: CameraPose, target: RenderTarget, F: number, horizon: number, far: number): void {
    const sc = this.world.scenery;
    const cosY = Math.cos(pose.yaw), sinY = Math.sin(pose.yaw);
    const W = target.width;
    const visible = this.visible;
    const order = this.order;
    let n = 0;
    for (let i = 0; i < sc.count; i++) {
      const rx = sc.x[i]! - pose.x, ry = sc.y[i]! - pose.y;
      const zc = rx * cosY + ry * sinY;
      if (zc < 0.4 || zc > far) continue;
      if ((sc.height[i]! * F) / zc < 1) continue;
      const xc = -rx * sinY + ry * cosY;
      const sx = W / 2 + (xc * F) / zc;
      const hwPx = (sc.halfWidth[i]! * F) / zc;
      if (sx + hwPx < 0 || sx - hwPx > W) continue;
      visible[n] = zc;
      order[n++] = i;
    }
    // Nearest first, so that the depth test turns away hidden pixels before any shading.
    const byDepth = Array.from({ length: n }, (_, k) => k).sort((a, b) => visible[a]! - visible[b]!);
    for (const k of byDepth) {
      const i = order[k]!;
      const zc = visible[k]!;
      const rx = sc.x[i]! - pose.x, ry = sc.y[i]! - pose.y;
      const xc = -rx * sinY + ry * cosY;
      this.sprite(target, F, horizon, pose.z, zc, W / 2 + (xc * F) / zc, sc.z[i]!, sc.halfWidth[i]!, sc.height[i]!, sc.kind[i]!, sc.variant[i]!, 0, 0);
    }
  }

  private drawMoving(pose: CameraPose, target: RenderTarget, F: number, horizon: number, far: number, moving: readonly MovingSprite[]): void {
    const cosY = Math.cos(pose.yaw), sinY = Math.sin(pose.yaw);
    const W = target.width;
    for (const m of moving) {
      const rx = m.x - pose.x, ry = m.y - pose.y;
      const zc = rx * cosY + ry * sinY;
      if (zc < 0.6 || zc > far) continue;
      const xc = -rx * sinY + ry * cosY;
      // The width it shows depends on how it is turned to the camera.
      const rel = m.yaw - Math.atan2(ry, rx);
      const hw = Math.abs(Math.cos(rel)) * m.width / 2 + Math.abs(Math.sin(rel)) * m.length / 2;
      const sx = W / 2 + (xc * F) / zc;
      const hwPx = (hw * F) / zc;
      if (sx + hwPx < 0 || sx - hwPx > W) continue;
      // Seen from behind shows tail lights.
      const fromBehind = Math.cos(rel) > 0 ? 1 : 0;
      this.sprite(target, F, horizon, pose.z, zc, sx, m.z, hw, m.height, m.kind, fromBehind, m.color, m.phase);
    }
  }

  /**
   * Draws one upright sprite with a constant depth. The shape is decided per pixel from
   * its position in metres (lx across, ly up), so sprites look the same at every distance.
   */
  private sprite(
    target: RenderTarget, F: number, horizon: number, camZ: number, zc: number, sx: number,
    baseZ: number, hw: number, height: number, kind: number, variant: number, bodyColor: number, phase: number,
  ): void {
    const { width: W, height: H, color, depth, tag } = target;
    const wx = this.weather;
    const fog = 1 - Math.exp(-zc / wx.visibility), keep = 1 - fog;
    const fr = wx.fogColor[0] * fog, fg = wx.fogColor[1] * fog, fb = wx.fogColor[2] * fog;
    const fl = this.palette.flatLight;
    const ppm = F / zc;
    const yBase = horizon + (camZ - baseZ) * ppm;
    const yTop = yBase - height * ppm;
    const xa = Math.max(0, Math.floor(sx - hw * ppm)), xb = Math.min(W - 1, Math.ceil(sx + hw * ppm));
    const ya = Math.max(0, Math.floor(yTop)), yb = Math.min(H - 1, Math.ceil(yBase));
    if (xa > xb || ya > yb) return;
    const mpp = 1 / ppm;
    if (kind === PropKind.Tree || kind === PropKind.Conifer) {
      const tex = this.treeTextures[kind]![variant % TREE_VARIANTS]!;
      const lr = fl[0] * keep, lg = fl[1] * keep, lb = fl[2] * keep;
      const uScale = TEX_W / (2 * hw * ppm), vScale = TEX_H / (height * ppm);
      for (let x = xa; x <= xb; x++) {
        const u = ((x + 0.5 - (sx - hw * ppm)) * uScale) | 0;
        if (u < 0 || u >= TEX_W) continue;
        const col = u * TEX_H;
        for (let y = ya, p = x * H + ya; y <= yb; y++, p++) {
          if (depth[p]! <= zc) continue;
          const v = ((y + 0.5 - yTop) * vScale) | 0;
          if (v < 0 || v >= TEX_H) continue;
          const c = tex[col + v]!;
          if (c === 0) continue;
          color[p] = OPAQUE | ((((c >>> 16) & 255) * lr + fr) << 16) | ((((c >>> 8) & 255) * lg + fg) << 8) | (((c & 255) * lb + fb) | 0);
          depth[p] = zc;
          tag[p] = Tag.Vegetation;
        }
      }
      return;
    }
    const br = (bodyColor >>> 16) & 255, bgc = (bodyColor >>> 8) & 255, bbc = bodyColor & 255;
    for (let x = xa; x <= xb; x++) {
      const lx = (x + 0.5 - sx) * mpp;
      for (let y = ya, p = x * H + ya; y <= yb; y++, p++) {
        if (depth[p]! <= zc) continue;
        const ly = (yBase - y - 0.5) * mpp;
        if (ly < 0 || ly > height) continue;
        let r = -1, g = 0, b = 0, t: number = Tag.None;
        switch (kind) {
          case PropKind.StreetLamp:
            if (lx > -0.09 && lx < 0.09) { r = 96; g = 100; b = 104; t = Tag.Poles; }
            else if (ly > height - 0.28 && lx > -0.45 && lx < 0.45) { r = ly > height - 0.12 ? 90 : 235; g = ly > height - 0.12 ? 94 : 232; b = ly > height - 0.12 ? 98 : 200; t = Tag.Poles; }
            break;
          case PropKind.UtilityPole:
            if (lx > -0.12 && lx < 0.12) { r = 104; g = 82; b = 60; t = Tag.Poles; }
            else if (ly > height - 1 && ly < height - 0.85) { r = 94; g = 76; b = 58; t = Tag.Poles; }
            break;
          case PropKind.SpeedSign: {
            const dy = ly - 2.32, rr = lx * lx + dy * dy;
            if (rr < 0.33 * 0.33) {
              t = Tag.TrafficSigns;
              if (rr > 0.26 * 0.26) { r = 200; g = 30; b = 36; }
              else if (Math.abs(dy) < 0.09 && Math.abs(lx) < 0.16 && ((lx * 22) | 0) % 3 !== 0) { r = 30; g = 30; b = 30; }
              else { r = 240; g = 240; b = 236; }
            } else if (lx > -0.04 && lx < 0.04 && ly < 2.3) { r = 150; g = 152; b = 156; t = Tag.Poles; }
            break;
          }
          case SpriteKind.Vehicle: {
            const ax = lx < 0 ? -lx : lx, u = ax / hw;
            t = Tag.Vehicles;
            if (ly < 0.5) {
              if (u > 0.55 && u < 0.93) { r = 22; g = 22; b = 24; }
              else if (ly > 0.22 && u < 0.96) { r = br * 0.55; g = bgc * 0.55; b = bbc * 0.55; }
              else t = Tag.None;
            } else if (ly < height * 0.6) {
              const shade = 0.75 + 0.25 * (ly / height);
              r = br * shade; g = bgc * shade; b = bbc * shade;
              if (ly > height * 0.4 && ly < height * 0.52 && u > 0.72) {
                if (variant) { r = 210; g = 30; b = 30; } else { r = 245; g = 242; b = 215; }
              }
            } else if (u < 0.82 - (ly - height * 0.6) / height) {
              const frame = u > 0.7 - (ly - height * 0.6) / height || ly > height * 0.93;
              if (frame) { r = br * 0.8; g = bgc * 0.8; b = bbc * 0.8; } else { r = 48; g = 58; b = 70; }
            } else t = Tag.None;
            break;
          }
          case SpriteKind.Pedestrian: {
            t = Tag.Pedestrians;
            const dyh = ly - 1.6;
            if (lx * lx + dyh * dyh < 0.12 * 0.12) { r = 222; g = 180; b = 150; }
            else if (ly > 0.85 && ly < 1.48 && lx > -0.21 && lx < 0.21) { r = br; g = bgc; b = bbc; }
            else if (ly <= 0.85) {
              const swing = Math.sin(phase) * 0.1 * (0.85 - ly);
              const ll = lx + swing, rl = lx - swing;
              if ((ll > -0.17 && ll < -0.03) || (rl > 0.03 && rl < 0.17)) { r = 44; g = 52; b = 72; }
              else t = Tag.None;
            } else t = Tag.None;
            break;
          }
        }
        if (r < 0 || t === Tag.None) continue;
        const isLight = kind === SpriteKind.Vehicle && r > 200;
        const lr = isLight ? 1 : fl[0], lg = isLight ? 1 : fl[1], lb = isLight ? 1 : fl[2];
        const R = r * lr * keep + fr, G = g * lg * keep + fg, B = b * lb * keep + fb;
        color[p] = OPAQUE | ((R > 255 ? 255 : R) << 16) | ((G > 255 ? 255 : G) << 8) | ((B > 255 ? 255 : B) | 0);
        depth[p] = zc;
        tag[p] = t;
      }
    }
  }

  private drawRain(target: RenderTarget, frame: number): void {
    const { width: W, height: H, color } = target;
    const rnd = createRandom(frame * 7919 + 17);
    const streaks = Math.floor(this.weather.rain * W * H / 900);
    for (let n = 0; n < streaks; n++) {
      const x = Math.floor(rnd() * W);
      const y = Math.floor(rnd() * H);
      const len = 6 + Math.floor(rnd() * 18);
      for (let k = 0; k < len && y + k < H; k++) {
        const p = Math.min(W - 1, x + (k >> 3)) * H + y + k;
        const v = color[p]!;
        const r = Math.min(255, ((v >>> 16) & 255) + 28), g = Math.min(255, ((v >>> 8) & 255) + 28), b = Math.min(255, (v & 255) + 32);
        color[p] = OPAQUE | (r << 16) | (g << 8) | b;
      }
    }
  }
}

/**
 * Bakes the tree sprites: a round-crowned broadleaf or a tiered conifer per variant, lit
 * from the upper left, with a leafy edge. Texels are 0xRRGGBB with bit 24 set (0 means
 * transparent), stored column by column as the sprite loop reads them.
 */
function bakeTrees(kind: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let variant = 0; variant < TREE_VARIANTS; variant++) {
    const tex = new Uint32Array(TEX_W * TEX_H);
    const put = (u: number, v: number, r: number, g: number, b: number) => {
      tex[u * TEX_H + v] = 0x1000000 | (Math.min(255, r | 0) << 16) | (Math.min(255, g | 0) << 8) | Math.min(255, b | 0);
    };
    for (let u = 0; u < TEX_W; u++) {
      for (let v = 0; v < TEX_H; v++) {
        // ex in [-1, 1] across, ly in [0, 1] up from the ground.
        const ex = ((u + 0.5) / TEX_W) * 2 - 1;
        const ly = 1 - (v + 0.5) / TEX_H;
        const leaf = (hash2(Math.floor(ex * 14), Math.floor(ly * 28), variant * 31 + kind) & 255) / 255;
        if (kind === PropKind.Tree) {
          if (ly < 0.5 && Math.abs(ex) < 0.045) { put(u, v, 92 - leaf * 12, 68 - leaf * 8, 44); continue; }
          const ey = (ly - 0.64) / 0.36;
          if (ex * ex + ey * ey < 1 - leaf * 0.3) {
            const shade = (0.72 + 0.28 * (-ex * 0.5 + ey * 0.5 + 0.5)) * (0.85 + leaf * 0.3);
            const base = variant & 1 ? 1 : 0.85;
            put(u, v, 58 * shade * base, (104 + variant * 6) * shade, 40 * shade);
          }
        } else {
          if (ly < 0.15 && Math.abs(ex) < 0.06) { put(u, v, 80, 58, 40); continue; }
          const rel = (ly - 0.1) / 0.9;
          const tierPos = ly * 9;
          const tier = 0.75 + 0.25 * (tierPos - Math.floor(tierPos));
          if (rel > 0 && Math.abs(ex) < (1 - rel) * tier) {
            const shade = (0.7 + 0.3 * (1 - (ex + 1) / 2)) * (0.85 + leaf * 0.25);
            put(u, v, 34 * shade, (78 + variant * 4) * shade, 44 * shade);
          }
        }
      }
    }
    out.push(tex);
  }
  return out;
}
