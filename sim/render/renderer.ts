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
import * as course from '../world/course.ts';
import { createNoise2, createRandom, hash2 } from '../world/random.ts';
import * as scenery from '../world/scenery.ts';
import { Tag as TAGS } from './semantic-tags.ts';
import * as terrain from '../world/terrain.ts';
import type { Rgb, Weather } from '../world/weather.ts';
import type { World } from '../world/world.ts';

// Module-local copies of what the frame path reads from other modules: V8 reads an imported
// binding through its module cell on every access (with a TDZ check), which made the ground
// loop twice as slow; a local const is folded into the compiled code.
const { KERB_OUTER, LANE_WIDTH, SIDEWALK_OUTER } = course;
const { CORRIDOR_BIT, Material, NODE_STRIDE, ROAD_S, ROAD_T, ROOF } = terrain;
const { PropKind, isTree } = scenery;
const Tag = TAGS;

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

/** An opaque pixel from channel values (fractions are dropped, as the shifts drop them). */
const pack = (r: number, g: number, b: number): number => OPAQUE | (r << 16) | (g << 8) | (b | 0);
/** The same, each channel clamped to 255 first (lit or glowing colours can exceed it). */
const packClamped = (r: number, g: number, b: number): number =>
  OPAQUE | ((r > 255 ? 255 : r) << 16) | ((g > 255 ? 255 : g) << 8) | ((b > 255 ? 255 : b) | 0);
const red = (c: number): number => (c >>> 16) & 255;
const green = (c: number): number => (c >>> 8) & 255;
const blue = (c: number): number => c & 255;

/** Bilinear interpolation between four corner values (a at 0,0; b at 1,0; c at 0,1; d at 1,1). */
const bilerp = (a: number, b: number, c: number, d: number, fx: number, fy: number): number =>
  a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;

/** Level of detail: far away a pixel spans more than a grid node, so one sample serves 2, 4 or 8 columns. */
const columnStride = (d: number): number => (d > 500 ? 8 : d > 200 ? 4 : d > 60 ? 2 : 1);

/** What is painted on the road corridor, by distance t from the centre line and s along it. */
const Paint = { Line: 0, Asphalt: 1, Kerb: 2, Sidewalk: 3, Grout: 4, Unpaved: 5 } as const;
type Paint = (typeof Paint)[keyof typeof Paint];
const PAINT_TAGS: readonly number[] = [Tag.RoadLines, Tag.Roads, Tag.Sidewalks, Tag.Sidewalks, Tag.Sidewalks];
/** Centre line: a 3 m dash every 9 m, 16 cm wide; edge line 15 cm wide, 15 cm inside the lane's edge. */
const DASH_EVERY = 9, DASH_LENGTH = 3, CENTRE_LINE_HALF = 0.08, EDGE_LINE_INNER = 0.3, EDGE_LINE_OUTER = 0.15;
/** Sidewalk slabs 1.4 m square, with grout lines 5 cm across and 5 cm along. */
const SLAB = 1.4, GROUT_ACROSS = 0.05, GROUT_ALONG = 0.036;

function paintAt(s: number, at: number): Paint {
  if (at < LANE_WIDTH) {
    const dash = s - Math.floor(s / DASH_EVERY) * DASH_EVERY;
    const line = (at < CENTRE_LINE_HALF && dash < DASH_LENGTH) || (at > LANE_WIDTH - EDGE_LINE_INNER && at < LANE_WIDTH - EDGE_LINE_OUTER);
    return line ? Paint.Line : Paint.Asphalt;
  }
  if (at < KERB_OUTER) return Paint.Kerb;
  if (at < SIDEWALK_OUTER) {
    const u = at - KERB_OUTER, v = s * (1 / SLAB);
    return u - Math.floor(u * (1 / SLAB)) * SLAB < GROUT_ACROSS || v - Math.floor(v) < GROUT_ALONG ? Paint.Grout : Paint.Sidewalk;
  }
  return Paint.Unpaved;
}

/** Building fronts: window bays 2.8 m wide (glass beyond the first 1.1 m), storeys of 3.2 m glazed from 38 % to 80 % of their height. */
const BAY = 2.8, BAY_GLASS_FROM = 1.1, STOREY = 3.2, GLASS_FROM = 0.38, GLASS_TO = 0.8;
/** Walls are darker than roofs, which face the sky. */
const WALL_SHADE = 0.82;
/** Tree sprites are baked once into small textures: a lookup per pixel instead of shading maths. */
const TEX_W = 64;
const TEX_H = 128;
const TREE_VARIANTS = 4;
const CLOUD_AZ = 1024;
const CLOUD_EL = 128;

interface Palette {
  /** Indexed by Paint (Unpaved has none: the terrain's own colour shows). */
  paints: Rgb[];
  glass: Rgb;
  flatLight: Rgb;
}

/** One sprite to draw: where it stands on screen and what it is, in metres. */
interface SpriteDraw {
  /** Depth (m) and the screen column of its centre. */
  zc: number; sx: number;
  /** Height of its foot (m), half its width and its height (m). */
  baseZ: number; hw: number; height: number;
  kind: number;
  /** Tree texture variant; for a vehicle, 1 when seen from behind (tail lights). */
  variant: number;
  /** 0xRRGGBB of a vehicle's body or a pedestrian's clothes. */
  bodyColor: number;
  /** Walking phase. */
  phase: number;
}

/** A sprite pixel's colour and semantic tag; r < 0 or Tag.None: nothing there. */
interface ShapePixel { r: number; g: number; b: number; t: number }

/**
 * Each non-tree sprite's shape, decided per pixel from its position in metres (lx across
 * from the centre, ly up from the foot), so that sprites look the same at every distance.
 */
type Shape = (lx: number, ly: number, s: SpriteDraw, out: ShapePixel) => void;

const SHAPES: Record<number, Shape> = {
  [PropKind.StreetLamp](lx, ly, s, o) {
    if (lx > -0.09 && lx < 0.09) { o.r = 96; o.g = 100; o.b = 104; o.t = Tag.Poles; }
    else if (ly > s.height - 0.28 && lx > -0.45 && lx < 0.45) {
      const housing = ly > s.height - 0.12;
      o.r = housing ? 90 : 235; o.g = housing ? 94 : 232; o.b = housing ? 98 : 200; o.t = Tag.Poles;
    }
  },
  [PropKind.UtilityPole](lx, ly, s, o) {
    if (lx > -0.12 && lx < 0.12) { o.r = 104; o.g = 82; o.b = 60; o.t = Tag.Poles; }
    else if (ly > s.height - 1 && ly < s.height - 0.85) { o.r = 94; o.g = 76; o.b = 58; o.t = Tag.Poles; }
  },
  [PropKind.SpeedSign](lx, ly, _s, o) {
    const dy = ly - 2.32, rr = lx * lx + dy * dy;
    if (rr < 0.33 * 0.33) {
      o.t = Tag.TrafficSigns;
      if (rr > 0.26 * 0.26) { o.r = 200; o.g = 30; o.b = 36; }
      else if (Math.abs(dy) < 0.09 && Math.abs(lx) < 0.16 && ((lx * 22) | 0) % 3 !== 0) { o.r = 30; o.g = 30; o.b = 30; }
      else { o.r = 240; o.g = 240; o.b = 236; }
    } else if (lx > -0.04 && lx < 0.04 && ly < 2.3) { o.r = 150; o.g = 152; o.b = 156; o.t = Tag.Poles; }
  },
  [SpriteKind.Vehicle](lx, ly, s, o) {
    const { height, hw, bodyColor } = s;
    const br = red(bodyColor), bg = green(bodyColor), bb = blue(bodyColor);
    const ax = lx < 0 ? -lx : lx, u = ax / hw;
    o.t = Tag.Vehicles;
    if (ly < 0.5) {
      // Wheels, and the sill between them.
      if (u > 0.55 && u < 0.93) { o.r = 22; o.g = 22; o.b = 24; }
      else if (ly > 0.22 && u < 0.96) { o.r = br * 0.55; o.g = bg * 0.55; o.b = bb * 0.55; }
      else o.t = Tag.None;
    } else if (ly < height * 0.6) {
      const shade = 0.75 + 0.25 * (ly / height);
      o.r = br * shade; o.g = bg * shade; o.b = bb * shade;
      if (ly > height * 0.4 && ly < height * 0.52 && u > 0.72) {
        if (s.variant) { o.r = 210; o.g = 30; o.b = 30; } else { o.r = 245; o.g = 242; o.b = 215; }
      }
    } else if (u < 0.82 - (ly - height * 0.6) / height) {
      const frame = u > 0.7 - (ly - height * 0.6) / height || ly > height * 0.93;
      if (frame) { o.r = br * 0.8; o.g = bg * 0.8; o.b = bb * 0.8; } else { o.r = 48; o.g = 58; o.b = 70; }
    } else o.t = Tag.None;
  },
  [SpriteKind.Pedestrian](lx, ly, s, o) {
    o.t = Tag.Pedestrians;
    const dyh = ly - 1.6;
    if (lx * lx + dyh * dyh < 0.12 * 0.12) { o.r = 222; o.g = 180; o.b = 150; }
    else if (ly > 0.85 && ly < 1.48 && lx > -0.21 && lx < 0.21) { o.r = red(s.bodyColor); o.g = green(s.bodyColor); o.b = blue(s.bodyColor); }
    else if (ly <= 0.85) {
      const swing = Math.sin(s.phase) * 0.1 * (0.85 - ly);
      const ll = lx + swing, rl = lx - swing;
      if ((ll > -0.17 && ll < -0.03) || (rl > 0.03 && rl < 0.17)) { o.r = 44; o.g = 52; o.b = 72; }
      else o.t = Tag.None;
    } else o.t = Tag.None;
  },
};

export class Renderer {
  private weather!: Weather;
  private palette!: Palette;
  private clouds = new Float32Array(CLOUD_AZ * CLOUD_EL);
  private sunDir: [number, number, number] = [0, 0, 1];
  private readonly visible: Float32Array;
  private readonly order: Int32Array;
  /** [kind (Tree, Conifer)][variant] → TEX_W×TEX_H texels, column-major; 0 = transparent. */
  private readonly treeTextures: Uint32Array[][] = [bakeTrees(PropKind.Tree), bakeTrees(PropKind.Conifer)];
  /** The sky's per-row terms and one shaded column, kept between frames (grown to the tallest target). */
  private skyRows = { ce: new Float32Array(0), se: new Float32Array(0), cloud: new Int32Array(0), r: new Float32Array(0), g: new Float32Array(0), b: new Float32Array(0), column: new Uint32Array(1) };
  /** Reused for every sprite and sprite pixel: nothing is allocated on the frame path. */
  private readonly spriteDraw: SpriteDraw = { zc: 0, sx: 0, baseZ: 0, hw: 0, height: 0, kind: 0, variant: 0, bodyColor: 0, phase: 0 };
  private readonly shapePixel: ShapePixel = { r: 0, g: 0, b: 0, t: 0 };

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
    const paints: Rgb[] = [];
    paints[Paint.Line] = darken([236, 236, 228], 1 - wet * 0.1);
    paints[Paint.Asphalt] = darken([84, 84, 88], 1 - wet * 0.35);
    paints[Paint.Kerb] = darken([190, 188, 182], 1 - wet * 0.2);
    paints[Paint.Sidewalk] = darken([170, 164, 156], 1 - wet * 0.25);
    paints[Paint.Grout] = darken([132, 128, 122], 1 - wet * 0.25);
    this.palette = { paints, glass: [70, 88, 112], flatLight };
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

  /** One view: the ground and buildings front to back, the sky they leave open, props, traffic, rain. */
  render(pose: CameraPose, target: RenderTarget, moving: readonly MovingSprite[], frame: number): void {
    const F = target.width / 2 / Math.tan((pose.fov * Math.PI) / 360);
    const horizon = target.height / 2 + F * Math.tan(pose.pitch);
    const far = Math.min(SKY_DEPTH * 0.9, this.weather.visibility * 3);
    this.drawGround(pose, target, F, horizon, far);
    this.drawSky(pose, target, F, horizon);
    this.drawProps(pose, target, F, horizon, far);
    this.drawMoving(pose, target, F, horizon, far, moving);
    if (this.weather.rain > 0) this.drawRain(target, frame);
  }

  /**
   * The height field, marched from near to far: each depth step projects one line of ground
   * samples across the screen and fills each column only where it rises above what is drawn.
   */
  private drawGround(pose: CameraPose, target: RenderTarget, F: number, horizon: number, far: number): void {
    const { width: W, height: H, color, depth, tag, columnTop } = target;
    const terrain = this.world.terrain;
    const L = this.world.course.length;
    const wx = this.weather;
    const pal = this.palette;
    const cosY = Math.cos(pose.yaw), sinY = Math.sin(pose.yaw);
    const camZ = pose.z;
    const fogR = wx.fogColor[0], fogG = wx.fogColor[1], fogB = wx.fogColor[2];
    const invVis = 1 / wx.visibility;
    const nodes = terrain.nodes, lit = terrain.lit, mats = terrain.material;
    const TW = terrain.width, x0 = terrain.x0, y0 = terrain.y0;
    const maxGX = TW - 1.001, maxGY = terrain.depth - 1.001;
    const flR = pal.flatLight[0], flG = pal.flatLight[1], flB = pal.flatLight[2];
    const paints = pal.paints;
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
      const cs = columnStride(d);
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
        // The cell's four corner nodes (a, b along x; c, d a row on) and the nearest one.
        const ia = n0 * NODE_STRIDE, ib = ia + NODE_STRIDE, ic = (n0 + TW) * NODE_STRIDE, id = ic + NODE_STRIDE;
        const iNear = node * NODE_STRIDE;
        const roof = nodes[iNear + ROOF]!;
        const h = roof > 0 ? roof : bilerp(nodes[ia]!, nodes[ib]!, nodes[ic]!, nodes[id]!, fx, fy);
        const yProj = horizon + (camZ - h) * scale;
        if (yProj >= top) continue;
        let yStart = Math.ceil(yProj);
        if (yStart < 0) yStart = 0;
        if (yStart >= top) continue;
        const mat = mats[node]!;
        let r: number, g: number, b: number, t: number;
        if (roof > 0) {
          const v = lit[node]!;
          r = red(v); g = green(v); b = blue(v);
          t = Tag.Buildings;
        } else if ((mat & CORRIDOR_BIT) !== 0) {
          // Road surface from exact road coordinates: crisp lines at any distance. Across the
          // loop's seam s jumps by its length: the nearest node's s is used there instead.
          const sa = nodes[ia + ROAD_S]!, sb = nodes[ib + ROAD_S]!, sc = nodes[ic + ROAD_S]!, sd = nodes[id + ROAD_S]!;
          let s = bilerp(sa, sb, sc, sd, fx, fy);
          if (sa - sd > L / 2 || sd - sa > L / 2 || sb - sc > L / 2 || sc - sb > L / 2) s = nodes[iNear + ROAD_S]!;
          const tt = bilerp(nodes[ia + ROAD_T]!, nodes[ib + ROAD_T]!, nodes[ic + ROAD_T]!, nodes[id + ROAD_T]!, fx, fy);
          const paint = paintAt(s, tt < 0 ? -tt : tt);
          if (paint !== Paint.Unpaved) {
            const c = paints[paint]!;
            t = PAINT_TAGS[paint]!;
            const grain = 0.95 + ((Math.imul((s * 11) | 0, 0x9e3779b1) ^ Math.imul((tt * 11) | 0, 0x85ebca6b)) >>> 24) * (0.1 / 255);
            r = c[0] * flR * grain; g = c[1] * flG * grain; b = c[2] * flB * grain;
          } else {
            t = (mat & ~CORRIDOR_BIT) === Material.Plaza ? Tag.Sidewalks : Tag.Other;
            const v = lit[node]!;
            r = red(v); g = green(v); b = blue(v);
          }
        } else {
          const v = lit[node]!;
          r = red(v); g = green(v); b = blue(v);
          t = mat === Material.Plaza ? Tag.Sidewalks : Tag.Other;
        }
        const flat = pack(r * keep + fr, g * keep + fg, b * keep + fb);
        for (let j = i; j < i + cs && j < W; j++) {
          const colTop = columnTop[j]!;
          if (yStart >= colTop) continue;
          if (roof > 0 && cs === 1 && colTop - yStart > 1) {
            // A wall: storeys of windows, from the height each pixel stands at.
            const u = Math.abs(nodes[iNear + ROAD_S]! + nodes[iNear + ROAD_T]!) + fx + fy;
            const windowColumn = u - Math.floor(u / BAY) * BAY > BAY_GLASS_FROM;
            const wall = pack(r * WALL_SHADE * keep + fr, g * WALL_SHADE * keep + fg, b * WALL_SHADE * keep + fb);
            const glass = pack(glassR * keep + fr, glassG * keep + fg, glassB * keep + fb);
            for (let y = yStart, p = j * H + yStart; y < colTop; y++, p++) {
              let c32 = wall;
              if (windowColumn) {
                const zp = (camZ - (y - horizon) * k) * (1 / STOREY);
                const storey = zp - Math.floor(zp);
                if (storey > GLASS_FROM && storey < GLASS_TO) c32 = glass;
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
    const rows = this.skyRowsFor(H);
    const { ce: rowCe, se: rowSe, cloud: rowCloud, r: rowR, g: rowG, b: rowB, column: sky } = rows;
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
        const c32 = packClamped(r, g, b);
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

  /** The sky's scratch rows, for targets up to `height` rows (grown, never shrunk). */
  private skyRowsFor(height: number): Renderer['skyRows'] {
    if (this.skyRows.column.length < height + 1) {
      this.skyRows = {
        ce: new Float32Array(height), se: new Float32Array(height), cloud: new Int32Array(height),
        r: new Float32Array(height), g: new Float32Array(height), b: new Float32Array(height), column: new Uint32Array(height + 1),
      };
    }
    return this.skyRows;
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
    const sd = this.spriteDraw;
    for (const k of byDepth) {
      const i = order[k]!;
      const zc = visible[k]!;
      const rx = sc.x[i]! - pose.x, ry = sc.y[i]! - pose.y;
      const xc = -rx * sinY + ry * cosY;
      sd.zc = zc; sd.sx = W / 2 + (xc * F) / zc; sd.baseZ = sc.z[i]!; sd.hw = sc.halfWidth[i]!; sd.height = sc.height[i]!;
      sd.kind = sc.kind[i]!; sd.variant = sc.variant[i]!; sd.bodyColor = 0; sd.phase = 0;
      this.sprite(target, F, horizon, pose.z, sd);
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
      const sd = this.spriteDraw;
      sd.zc = zc; sd.sx = sx; sd.baseZ = m.z; sd.hw = hw; sd.height = m.height;
      sd.kind = m.kind; sd.variant = Math.cos(rel) > 0 ? 1 : 0; sd.bodyColor = m.color; sd.phase = m.phase;
      this.sprite(target, F, horizon, pose.z, sd);
    }
  }

  /** Draws one upright sprite at a constant depth: a baked texture for trees, a shape for the rest. */
  private sprite(target: RenderTarget, F: number, horizon: number, camZ: number, sd: SpriteDraw): void {
    const { width: W, height: H, color, depth, tag } = target;
    const { zc, sx, baseZ, hw, height, kind } = sd;
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
    if (isTree(kind)) {
      const tex = this.treeTextures[kind]![sd.variant % TREE_VARIANTS]!;
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
          color[p] = pack(red(c) * lr + fr, green(c) * lg + fg, blue(c) * lb + fb);
          depth[p] = zc;
          tag[p] = Tag.Vegetation;
        }
      }
      return;
    }
    const shape = SHAPES[kind]!;
    const px = this.shapePixel;
    for (let x = xa; x <= xb; x++) {
      const lx = (x + 0.5 - sx) * mpp;
      for (let y = ya, p = x * H + ya; y <= yb; y++, p++) {
        if (depth[p]! <= zc) continue;
        const ly = (yBase - y - 0.5) * mpp;
        if (ly < 0 || ly > height) continue;
        px.r = -1; px.g = 0; px.b = 0; px.t = Tag.None;
        shape(lx, ly, sd, px);
        const { r, g, b, t } = px;
        if (r < 0 || t === Tag.None) continue;
        // A vehicle's lamps glow: they are not lit by the scene.
        const isLight = kind === SpriteKind.Vehicle && r > 200;
        const lr = isLight ? 1 : fl[0], lg = isLight ? 1 : fl[1], lb = isLight ? 1 : fl[2];
        color[p] = packClamped(r * lr * keep + fr, g * lg * keep + fg, b * lb * keep + fb);
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
        color[p] = pack(Math.min(255, red(v) + 28), Math.min(255, green(v) + 28), Math.min(255, blue(v) + 32));
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
