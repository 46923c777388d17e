/**
 * The course: one closed loop of road, a few kilometres long, described by its centreline
 * sampled every ~0.5 m. Lateral offset t is positive to the right of the direction of
 * increasing s; right-hand traffic drives +s in t ∈ (0, LANE) and −s in t ∈ (−LANE, 0).
 *
 * The loop is a star-shaped polar curve r(φ) (so it cannot cross itself) whose harmonics
 * are drawn from the seed and shrunk until the tightest bend is rideable; its grade is a
 * zero-mean sum of harmonics over the loop (so the road closes on itself in height),
 * scaled so that the steepest climb is +10 % or the steepest descent −8 %.
 */
import { createRandom } from './random.ts';

export const LANE_WIDTH = 3.5;
export const KERB_OUTER = 3.65;
export const SIDEWALK_OUTER = 6.5;
export const KERB_HEIGHT = 0.15;
const MIN_RADIUS = 40;
const MAX_CLIMB = 0.10;
const MAX_DESCENT = 0.08;

export interface CoursePoint { x: number; y: number; z: number; heading: number; grade: number; curvature: number }

export class Course {
  readonly length: number;
  readonly step: number;
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly heading: Float64Array;
  readonly grade: Float64Array;
  readonly curvature: Float64Array;

  constructor(x: Float64Array, y: Float64Array, z: Float64Array, length: number) {
    this.count = x.length;
    this.length = length;
    this.step = length / this.count;
    this.x = x; this.y = y; this.z = z;
    this.heading = new Float64Array(this.count);
    this.grade = new Float64Array(this.count);
    this.curvature = new Float64Array(this.count);
    const n = this.count;
    for (let i = 0; i < n; i++) {
      const a = (i - 1 + n) % n, b = (i + 1) % n;
      this.heading[i] = Math.atan2(y[b]! - y[a]!, x[b]! - x[a]!);
      this.grade[i] = (z[b]! - z[a]!) / (2 * this.step);
    }
    for (let i = 0; i < n; i++) {
      const a = (i - 1 + n) % n, b = (i + 1) % n;
      this.curvature[i] = wrapAngle(this.heading[b]! - this.heading[a]!) / (2 * this.step);
    }
  }

  wrapS(s: number): number {
    const L = this.length;
    return ((s % L) + L) % L;
  }

  /** Centreline state at arc length s (linear interpolation, wraps around the loop). */
  at(s: number): CoursePoint {
    const u = this.wrapS(s) / this.step;
    const i = Math.floor(u) % this.count, j = (i + 1) % this.count, f = u - Math.floor(u);
    const lerp = (arr: Float64Array) => arr[i]! + (arr[j]! - arr[i]!) * f;
    return {
      x: lerp(this.x), y: lerp(this.y), z: lerp(this.z),
      heading: this.heading[i]! + wrapAngle(this.heading[j]! - this.heading[i]!) * f,
      grade: lerp(this.grade), curvature: lerp(this.curvature),
    };
  }

  /** 1 when a heading (radians) at s runs with increasing s (the right-hand lane's way), −1 against. */
  directionAt(s: number, yaw: number): 1 | -1 {
    return Math.cos(wrapAngle(yaw - this.at(s).heading)) >= 0 ? 1 : -1;
  }

  /** World position of the point at (s, t). */
  toWorld(s: number, t: number): { x: number; y: number; z: number; heading: number } {
    const p = this.at(s);
    // Right of heading h in CARLA's left-handed frame (x forward, y right) is (−sin h, cos h).
    return { x: p.x - Math.sin(p.heading) * t, y: p.y + Math.cos(p.heading) * t, z: p.z, heading: p.heading };
  }

  /** Nearest centreline sample to (x, y), refined locally; `hint` speeds up tracking. */
  project(x: number, y: number, hint?: number): { s: number; t: number } {
    let best = -1, bestD = Infinity;
    if (hint !== undefined) {
      const c = Math.round(this.wrapS(hint) / this.step);
      for (let k = -80; k <= 80; k++) {
        const i = (c + k + this.count) % this.count;
        const d = (this.x[i]! - x) ** 2 + (this.y[i]! - y) ** 2;
        if (d < bestD) { bestD = d; best = i; }
      }
      if (bestD > 30 * 30) best = -1;
    }
    if (best < 0) {
      bestD = Infinity;
      for (let i = 0; i < this.count; i++) {
        const d = (this.x[i]! - x) ** 2 + (this.y[i]! - y) ** 2;
        if (d < bestD) { bestD = d; best = i; }
      }
    }
    const h = this.heading[best]!;
    const dx = x - this.x[best]!, dy = y - this.y[best]!;
    const along = dx * Math.cos(h) + dy * Math.sin(h);
    const t = -dx * Math.sin(h) + dy * Math.cos(h);
    return { s: this.wrapS(best * this.step + along), t };
  }
}

export function wrapAngle(a: number): number {
  return a - 2 * Math.PI * Math.round(a / (2 * Math.PI));
}

export function buildCourse(seed: number): Course {
  const rnd = createRandom(seed ^ 0x5eed);
  const R0 = 640;
  const harmonics = [2, 3, 4, 5, 6, 7, 8, 9].map((k) => ({
    k, amp: R0 * (0.08 + 0.1 * rnd()) / Math.sqrt(k), phase: rnd() * Math.PI * 2,
  }));
  const dense = 24000;
  let px = new Float64Array(dense), py = new Float64Array(dense);
  for (let attempt = 0; attempt < 60; attempt++) {
    for (let i = 0; i < dense; i++) {
      const phi = (i / dense) * Math.PI * 2;
      let r = R0;
      for (const h of harmonics) r += h.amp * Math.cos(h.k * phi + h.phase);
      px[i] = r * Math.cos(phi);
      py[i] = r * Math.sin(phi);
    }
    if (minRadius(px, py) >= MIN_RADIUS) break;
    for (const h of harmonics) h.amp *= 0.92;
  }
  // Resample at uniform arc length.
  const cum = new Float64Array(dense + 1);
  for (let i = 0; i < dense; i++) {
    const j = (i + 1) % dense;
    cum[i + 1] = cum[i]! + Math.hypot(px[j]! - px[i]!, py[j]! - py[i]!);
  }
  const length = cum[dense]!;
  const n = Math.round(length / 0.5);
  const step = length / n;
  const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n);
  let seg = 0;
  for (let i = 0; i < n; i++) {
    const s = i * step;
    while (cum[seg + 1]! < s) seg++;
    const f = (s - cum[seg]!) / (cum[seg + 1]! - cum[seg]!);
    const j = (seg + 1) % dense;
    x[i] = px[seg]! + (px[j]! - px[seg]!) * f;
    y[i] = py[seg]! + (py[j]! - py[seg]!) * f;
  }
  px = py = new Float64Array(0);

  // Grade: a zero-mean sum of whole-loop harmonics. Climbs and descents are scaled apart
  // (a·g⁺ − b·g⁻ keeps the mean at zero when a·Σg⁺ = b·Σg⁻), and of a few seeded draws the
  // one whose extremes come closest to +10 % / −8 % wins.
  let g = new Float64Array(n);
  let bestScore = Infinity;
  for (let draw = 0; draw < 12; draw++) {
    const terms = [3, 4, 5, 7, 9, 11].map((k) => ({ k, amp: (0.4 + rnd()) / Math.sqrt(k), phase: rnd() * Math.PI * 2 }));
    const cand = new Float64Array(n);
    let gMax = 0, pos = 0, neg = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const t of terms) v += t.amp * Math.sin((2 * Math.PI * t.k * i) / n + t.phase);
      cand[i] = v;
      gMax = Math.max(gMax, v);
      if (v > 0) pos += v; else neg -= v;
    }
    const a = MAX_CLIMB / gMax, b = (a * pos) / neg;
    let min = 0;
    for (let i = 0; i < n; i++) {
      const v = cand[i]!;
      cand[i] = v > 0 ? a * v : b * v;
      min = Math.min(min, cand[i]!);
    }
    const shrink = Math.min(1, MAX_DESCENT / -min);
    for (let i = 0; i < n; i++) cand[i] = cand[i]! * shrink;
    const score = Math.abs(MAX_CLIMB * shrink - MAX_CLIMB) + Math.abs(min * shrink + MAX_DESCENT);
    if (score < bestScore) { bestScore = score; g = cand; }
  }
  let h = 0;
  for (let i = 0; i < n; i++) { z[i] = h; h += g[i]! * step; }
  // Remove the tiny numerical drift so that the loop closes exactly.
  for (let i = 0; i < n; i++) z[i] = z[i]! - (h * i) / n + 30;
  return new Course(x, y, z, length);
}

function minRadius(px: Float64Array, py: Float64Array): number {
  const n = px.length;
  let min = Infinity;
  const stride = 20;
  for (let i = 0; i < n; i += stride) {
    const a = (i - stride + n) % n, b = (i + stride) % n;
    const h1 = Math.atan2(py[i]! - py[a]!, px[i]! - px[a]!);
    const h2 = Math.atan2(py[b]! - py[i]!, px[b]! - px[i]!);
    const ds = Math.hypot(px[b]! - px[a]!, py[b]! - py[a]!) / 2;
    const k = Math.abs(wrapAngle(h2 - h1)) / ds;
    if (k > 0) min = Math.min(min, 1 / k);
  }
  return min;
}
