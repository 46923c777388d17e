/**
 * Turns rendered views into sensor messages: 0.8.x per-sensor camera payloads (28-byte
 * prefix + BGRA rows), the 0.7 bulk image message, and lidar sweeps. Cameras that share a
 * pose, size and field of view share one render, so RGB + Depth + SemanticSegmentation
 * from one mount cost one render and three cheap conversions.
 */
import {
  CAMERA_HEADER_BYTES, BULK_IMAGE_HEADER_BYTES, ImageType, PREFIX_BYTES, DEPTH_FAR_METRES, encodeFrame, writeFramePrefix,
  encodeLidarPayload, writeCameraHeader,
} from '../../proto/index.ts';
import type { CameraSettings, LidarSettings, PostProcessing, Pose } from '../server/carla-settings.ts';
import { fnv1a } from '../world/random.ts';
import { isTree } from '../world/scenery.ts';
import { Renderer, RenderTarget, type CameraPose, type MovingSprite } from './renderer.ts';
import type { VehicleState } from '../dynamics/vehicle.ts';
import type { World } from '../world/world.ts';

export interface Mounted<S> { id: number; settings: S }

const IMAGE_TYPE: Record<PostProcessing, ImageType> = {
  None: ImageType.NONE, SceneFinal: ImageType.SCENE_FINAL, Depth: ImageType.DEPTH,
  SemanticSegmentation: ImageType.SEMANTIC_SEGMENTATION,
};

/** Opaque sensor ids, stable for a name within a simulator seed (real servers hash too). */
export function sensorId(name: string, index: number, seed: number): number {
  return fnv1a(`${name}\u0000${index}`, seed) >>> 0;
}

/** World pose of something mounted on the bike. */
export function mountPose(v: VehicleState, pose: Pose): { x: number; y: number; z: number; yaw: number; pitch: number } {
  const c = Math.cos(v.yaw), s = Math.sin(v.yaw);
  return {
    x: v.x + c * pose.x - s * pose.y,
    y: v.y + s * pose.x + c * pose.y,
    z: v.z + pose.z,
    yaw: v.yaw + (pose.yaw * Math.PI) / 180,
    pitch: v.pitch + (pose.pitch * Math.PI) / 180,
  };
}

const TILE = 64;

/**
 * Walks a column-major W×H render buffer in cache-sized tiles, one run of a column at a time:
 * run(x, y0, y1, p) with p the source index of (x, y0). Each conversion below inlines its own
 * pixel loop, so the per-pixel work pays no call; a call per run (about 8000 per 800×600
 * frame) is noise beside it.
 */
function tiled(W: number, H: number, run: (x: number, y0: number, y1: number, p: number) => void): void {
  for (let bx = 0; bx < W; bx += TILE) {
    const ex = Math.min(W, bx + TILE);
    for (let by = 0; by < H; by += TILE) {
      const ey = Math.min(H, by + TILE);
      for (let x = bx; x < ex; x++) run(x, by, ey, x * H + by);
    }
  }
}

/** Column-major render buffer → row-major BGRA words. */
function transposeColor(src: Uint32Array, W: number, H: number, dst: Uint32Array): void {
  tiled(W, H, (x, y0, y1, p) => { for (let y = y0; y < y1; y++, p++) dst[y * W + x] = src[p]!; });
}

/** Depth (metres) → 24-bit fixed point, R least significant (spec §6.3). */
function transposeDepth(src: Float32Array, W: number, H: number, dst: Uint32Array): void {
  const k = 16777215 / DEPTH_FAR_METRES;
  tiled(W, H, (x, y0, y1, p) => {
    for (let y = y0; y < y1; y++, p++) {
      const d = src[p]!;
      const v = d >= DEPTH_FAR_METRES ? 16777215 : (d * k + 0.5) | 0;
      // BGRA bytes: B = bits 16–23, G = 8–15, R = 0–7.
      dst[y * W + x] = 0xff000000 | ((v & 255) << 16) | (v & 0xff00) | (v >>> 16);
    }
  });
}

/** Semantic tag → the R byte of a BGRA pixel. */
function transposeTags(src: Uint8Array, W: number, H: number, dst: Uint32Array): void {
  tiled(W, H, (x, y0, y1, p) => { for (let y = y0; y < y1; y++, p++) dst[y * W + x] = 0xff000000 | (src[p]! << 16); });
}

/**
 * Frame buffers are reused once the socket is done with them: allocating several MB per
 * frame makes V8 collect garbage far more often than the work itself needs.
 */
export class BufferPool {
  private free = new Map<number, Uint8Array[]>();
  private owned = new WeakSet<Uint8Array>();

  acquire(bytes: number): Uint8Array {
    const buf = this.free.get(bytes)?.pop() ?? new Uint8Array(new ArrayBuffer(bytes));
    this.owned.add(buf);
    return buf;
  }

  /** Returns a buffer handed out by acquire(); other buffers are ignored. */
  release(buf: Uint8Array): void {
    if (!this.owned.has(buf)) return;
    this.owned.delete(buf);
    const list = this.free.get(buf.byteLength) ?? [];
    if (list.length < 4) list.push(buf);
    this.free.set(buf.byteLength, list);
  }
}

export class CameraRig {
  private targets = new Map<string, RenderTarget>();
  readonly pool = new BufferPool();

  constructor(private readonly renderer: Renderer) {}

  private target(w: number, h: number): RenderTarget {
    const key = `${w}x${h}`;
    let t = this.targets.get(key);
    if (!t) { t = new RenderTarget(w, h); this.targets.set(key, t); }
    return t;
  }

  /**
   * One framed message per camera (0.8.x): length prefix + 28-byte header + pixels, each in
   * its own buffer so that the socket may hold it while the next frame renders.
   */
  framedCameraMessages(cams: Mounted<CameraSettings>[], v: VehicleState, moving: readonly MovingSprite[], frame: number): Uint8Array[] {
    const out: Uint8Array[] = new Array(cams.length);
    this.forEachView(cams, v, moving, frame, (cam, index, target) => {
      const { width: W, height: H } = cam.settings;
      const payload = CAMERA_HEADER_BYTES + 4 * W * H;
      const buf = this.pool.acquire(PREFIX_BYTES + payload);
      writeFramePrefix(buf, payload);
      writeCameraHeader(buf.subarray(PREFIX_BYTES), {
        sensorId: cam.id, frameNumber: frame, width: W, height: H,
        imageType: IMAGE_TYPE[cam.settings.postProcessing], fov: cam.settings.fov,
      });
      this.fill(cam.settings.postProcessing, target, new Uint32Array(buf.buffer, PREFIX_BYTES + CAMERA_HEADER_BYTES, W * H));
      out[index] = buf;
    });
    return out;
  }

  /** The 0.7 bulk message: every camera in `Cameras=` order, framed as one message. */
  framedBulkMessage(cams: Mounted<CameraSettings>[], v: VehicleState, moving: readonly MovingSprite[], frame: number): Uint8Array {
    let total = 0;
    const offsets: number[] = [];
    for (const c of cams) { offsets.push(total); total += BULK_IMAGE_HEADER_BYTES + 4 * c.settings.width * c.settings.height; }
    const buf = this.pool.acquire(PREFIX_BYTES + total);
    const dv = new DataView(buf.buffer);
    writeFramePrefix(buf, total);
    this.forEachView(cams, v, moving, frame, (cam, index, target) => {
      const { width: W, height: H } = cam.settings;
      const o = PREFIX_BYTES + offsets[index]!;
      dv.setUint32(o, W, true);
      dv.setUint32(o + 4, H, true);
      dv.setUint32(o + 8, IMAGE_TYPE[cam.settings.postProcessing], true);
      this.fill(cam.settings.postProcessing, target, new Uint32Array(buf.buffer, o + BULK_IMAGE_HEADER_BYTES, W * H));
    });
    return buf;
  }

  private fill(kind: PostProcessing, t: RenderTarget, dst: Uint32Array): void {
    if (kind === 'Depth') transposeDepth(t.depth, t.width, t.height, dst);
    else if (kind === 'SemanticSegmentation') transposeTags(t.tag, t.width, t.height, dst);
    else transposeColor(t.color, t.width, t.height, dst);
  }

  /** Renders each distinct view once and hands every camera its rendered target. */
  private forEachView(
    cams: Mounted<CameraSettings>[], v: VehicleState, moving: readonly MovingSprite[], frame: number,
    use: (cam: Mounted<CameraSettings>, index: number, target: RenderTarget) => void,
  ): void {
    const groups = new Map<string, number[]>();
    cams.forEach((c, i) => {
      const s = c.settings, p = s.pose;
      const key = [s.width, s.height, s.fov, p.x, p.y, p.z, p.pitch, p.yaw].join(',');
      const g = groups.get(key);
      if (g) g.push(i); else groups.set(key, [i]);
    });
    for (const indices of groups.values()) {
      const first = cams[indices[0]!]!.settings;
      const target = this.target(first.width, first.height);
      const m = mountPose(v, first.pose);
      const pose: CameraPose = { ...m, fov: first.fov };
      this.renderer.render(pose, target, moving, frame);
      for (const i of indices) use(cams[i]!, i, target);
    }
  }
}

/** A spinning lidar: each tick covers the slice of the turn since the previous tick. */
export class Lidar {
  private angle = 0;
  constructor(private readonly world: World, readonly mounted: Mounted<LidarSettings>) {}

  framedMessage(v: VehicleState, moving: readonly MovingSprite[], frame: number, dt: number): Uint8Array {
    const s = this.mounted.settings;
    const m = mountPose(v, s.pose);
    const sweep = 360 * s.rotationFrequency * dt;
    const perChannel = Math.max(1, Math.round((s.pointsPerSecond * dt) / s.channels));
    const counts: number[] = [];
    const pts: number[] = [];
    const cy = Math.cos(m.yaw), sy = Math.sin(m.yaw);
    const nearby = moving.filter((o) => Math.hypot(o.x - m.x, o.y - m.y) < s.range + 6);
    const props = this.world.scenery;
    const propIdx: number[] = [];
    for (let i = 0; i < props.count; i++) {
      if (Math.abs(props.x[i]! - m.x) < s.range + 5 && Math.abs(props.y[i]! - m.y) < s.range + 5) propIdx.push(i);
    }
    for (let c = 0; c < s.channels; c++) {
      const elev = s.channels === 1 ? s.upperFovLimit
        : s.upperFovLimit + ((s.lowerFovLimit - s.upperFovLimit) * c) / (s.channels - 1);
      const se = Math.sin((elev * Math.PI) / 180), ce = Math.cos((elev * Math.PI) / 180);
      let n = 0;
      for (let k = 0; k < perChannel; k++) {
        const az = ((this.angle + (sweep * (k + 1)) / perChannel) * Math.PI) / 180;
        const lx = ce * Math.cos(az), ly = ce * Math.sin(az);
        const dx = cy * lx - sy * ly, dy = sy * lx + cy * ly, dz = se;
        const hit = this.cast(m.x, m.y, m.z, dx, dy, dz, s.range, nearby, propIdx);
        if (hit < 0) continue;
        // Sensor-local x forward, y right, z up.
        pts.push(lx * hit, ly * hit, dz * hit);
        n++;
      }
      counts.push(n);
    }
    this.angle = (this.angle + sweep) % 360;
    const payload = encodeLidarPayload({
      sensorId: this.mounted.id, frameNumber: frame, horizontalAngle: this.angle,
      pointsPerChannel: counts, points: Float32Array.from(pts),
    });
    return encodeFrame(payload);
  }

  private cast(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, range: number, moving: readonly MovingSprite[], propIdx: number[]): number {
    let best = -1;
    // Upright things: vertical cylinders (2D ray–circle), within their height.
    const circle = (cx: number, cy: number, r: number, z0: number, h: number) => {
      const fx = ox - cx, fy = oy - cy;
      const a = dx * dx + dy * dy;
      if (a < 1e-9) return;
      const b = 2 * (fx * dx + fy * dy), c = fx * fx + fy * fy - r * r;
      const disc = b * b - 4 * a * c;
      if (disc < 0) return;
      const t = (-b - Math.sqrt(disc)) / (2 * a);
      if (t <= 0.2 || t > range || (best >= 0 && t >= best)) return;
      const z = oz + dz * t;
      if (z >= z0 && z <= z0 + h) best = t;
    };
    for (const o of moving) circle(o.x, o.y, Math.min(o.width, o.length) / 2 + 0.2, o.z, o.height);
    const p = this.world.scenery;
    for (const i of propIdx) circle(p.x[i]!, p.y[i]!, p.solidRadius[i]! * 2 + (isTree(p.kind[i]!) ? p.halfWidth[i]! * 0.5 : 0), p.z[i]!, p.height[i]!);
    // Ground and buildings: march, stepping further while well clear of the surface.
    const terrain = this.world.terrain;
    let t = 0.3;
    const limit = best >= 0 ? best : range;
    while (t < limit) {
      const x = ox + dx * t, y = oy + dy * t, z = oz + dz * t;
      const clearance = z - terrain.surfaceAt(x, y);
      if (clearance <= 0) return t;
      t += Math.max(0.2, clearance * 0.5);
    }
    return best;
  }
}
