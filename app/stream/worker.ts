/**
 * The stream worker: owns the WebSocket to the relay, decodes Measurements (protobufjs
 * static code) and camera payloads, draws into the OffscreenCanvas the page transferred,
 * and runs the riding loop every frame — the rider's power through the road-load model, the
 * grade from the bike's height over distance, and the controller that makes the simulated
 * bike follow. Image bytes never reach the main thread; the page gets a small snapshot at
 * most ten times a second.
 */
/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import {
  ImageType, decodeMeasurements, decodeSceneDescription, encodeControl, encodeEpisodeStart,
  encodeRequestNewEpisode, parseCameraPayload, readSensorId, SensorDataError,
} from '../../proto/index.ts';
import { Channel, type RelayEvent } from '../../relay/protocol.ts';
import { GradeEstimator, SpeedController, VirtualBike } from '../ride/index.ts';
import { bgraToRgba } from './pixels.ts';

export interface RideSnapshot {
  link: string;
  mapName: string;
  /** The rider's virtual speed and the simulated bike's, m/s. */
  speed: number;
  simSpeed: number;
  power: number;
  distance: number;
  elapsed: number;
  grade: number;
  fps: number;
  frames: number;
  skipped: number;
  warning: string;
  /** From the simulator stamping a frame (platform_timestamp) to its picture drawn, ms. */
  latencyP50: number;
  latencyP95: number;
  /** Mean time to decode and draw one camera frame in the worker, ms. */
  drawMs: number;
  relay: 'connecting' | 'connected' | 'lost';
  /** Metres climbed so far (sum of rises over the grade estimate's road). */
  climbed: number;
  /** Estimated from power without a cadence sensor, rpm. */
  cadence: number;
  x: number;
  y: number;
  z: number;
}

export interface StartOptions {
  url: string;
  ini: string;
  startIndex: number;
  canvas: OffscreenCanvas;
  /** Rider plus bike, kg. */
  massKg: number;
}

const HUD_INTERVAL_MS = 100;

class StreamSession {
  private ws: WebSocket;
  private ctx: OffscreenCanvasRenderingContext2D;
  private image: ImageData | null = null;
  private rgba: Uint32Array | null = null;
  /** Pixels arrive 29 bytes into a message (tag + camera header): copied here to read words. */
  private aligned: Uint32Array | null = null;
  private drawMs = 0;
  private cameraId = -1;
  private power = 0;
  private paused = false;
  /** Manual steering in [-1, 1], or null to follow the lane (the frame's autopilot steer). */
  private manualSteer: number | null = null;
  private rideTime = 0;
  private bike = new VirtualBike();
  private grade = new GradeEstimator();
  private controller = new SpeedController();
  private lastGameMs = -1;
  private travelled = 0;
  private last: { x: number; y: number } | null = null;
  private snap: RideSnapshot = { link: 'connecting', mapName: '', speed: 0, simSpeed: 0, power: 0, distance: 0, elapsed: 0, grade: 0, fps: 0, frames: 0, skipped: 0, warning: '', latencyP50: 0, latencyP95: 0, drawMs: 0, relay: 'connecting', x: 0, y: 0, z: 0, climbed: 0, cadence: 0 };
  private latencies: number[] = [];
  private frameTimes: number[] = [];
  private lastHud = 0;
  private inFrame = false;
  private measured = { speed: 0, z: 0, x: 0, y: 0, gameMs: 0, autoSteer: 0, sentMs: 0 };

  constructor(private readonly opts: StartOptions, private readonly onSnapshot: (s: RideSnapshot) => void) {
    this.ctx = opts.canvas.getContext('2d', { alpha: false })!;
    this.ws = new WebSocket(opts.url);
    this.ws.binaryType = 'arraybuffer';
    this.bike.setup = { ...this.bike.setup, massKg: opts.massKg };
    this.ws.onopen = () => { this.snap.relay = 'connected'; this.send(Channel.REQUEST_NEW_EPISODE, encodeRequestNewEpisode(opts.ini)); };
    this.ws.onmessage = (e) => (typeof e.data === 'string' ? this.onEvent(JSON.parse(e.data) as RelayEvent) : this.onBinary(new Uint8Array(e.data as ArrayBuffer)));
    this.ws.onclose = () => { this.snap.relay = 'lost'; this.publish(true); };
  }

  setPower(watts: number): void { this.power = Math.max(0, watts); }

  /** Paused: the clock stops and the bike is held; the episode stays. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.bike.speed = 0;
  }

  setSteer(steer: number | null): void { this.manualSteer = steer === null ? null : Math.max(-1, Math.min(1, steer)); }

  stop(): void { this.ws.close(1000, 'ride ended'); }

  private send(tag: number, payload: Uint8Array): void {
    const b = new Uint8Array(payload.byteLength + 1);
    b[0] = tag;
    b.set(payload, 1);
    this.ws.send(b);
  }

  private onEvent(e: RelayEvent): void {
    if (e.type === 'hello' || e.type === 'state') this.snap.link = e.state;
    if (e.type === 'error') this.snap.warning = e.message;
    this.publish(true);
  }

  private onBinary(m: Uint8Array): void {
    const tag = m[0];
    const payload = m.subarray(1);
    switch (tag) {
      case Channel.SCENE_DESCRIPTION: {
        const scene = decodeSceneDescription(payload);
        this.snap.mapName = scene.mapName;
        this.cameraId = scene.sensors[0]?.id ?? -1;
        this.send(Channel.EPISODE_START, encodeEpisodeStart(this.opts.startIndex));
        break;
      }
      case Channel.MEASUREMENTS: {
        const pm = decodeMeasurements(payload);
        const p = pm.playerMeasurements;
        this.measured = { speed: p.forwardSpeed, z: p.transform.location.z, x: p.transform.location.x, y: p.transform.location.y, gameMs: pm.gameTimestamp, autoSteer: p.autopilotControl.steer, sentMs: pm.platformTimestamp };
        this.inFrame = true;
        break;
      }
      case Channel.SENSOR:
        if (this.inFrame) this.draw(payload);
        break;
      case Channel.FRAME_END:
        if (this.inFrame) this.ride();
        this.inFrame = false;
        break;
    }
  }

  /** Unknown sensors and malformed payloads are counted and skipped, never fatal. */
  private draw(payload: Uint8Array): void {
    try {
      if (readSensorId(payload) !== this.cameraId) { this.snap.skipped++; return; }
      const img = parseCameraPayload(payload);
      if (img.imageType !== ImageType.SCENE_FINAL && img.imageType !== ImageType.NONE) { this.snap.skipped++; return; }
      const t0 = performance.now();
      if (!this.image || this.image.width !== img.width || this.image.height !== img.height) {
        this.image = new ImageData(img.width, img.height);
        this.rgba = new Uint32Array(this.image.data.buffer);
        this.aligned = new Uint32Array(img.width * img.height);
        this.opts.canvas.width = img.width;
        this.opts.canvas.height = img.height;
      }
      let words: Uint32Array;
      if (img.pixels.byteOffset % 4 === 0) {
        words = new Uint32Array(img.pixels.buffer, img.pixels.byteOffset, img.width * img.height);
      } else {
        new Uint8Array(this.aligned!.buffer).set(img.pixels);
        words = this.aligned!;
      }
      bgraToRgba(words, this.rgba!);
      this.ctx.putImageData(this.image, 0, 0);
      // A rolling mean of what decoding and drawing one frame costs the worker.
      this.drawMs = this.drawMs === 0 ? performance.now() - t0 : this.drawMs * 0.95 + (performance.now() - t0) * 0.05;
      this.snap.drawMs = this.drawMs;
      // platform_timestamp is the server's OS clock in ms, modulo 2^32: same machine, same clock.
      const latency = ((Date.now() >>> 0) - this.measured.sentMs) >>> 0;
      if (latency < 60_000) {
        this.latencies.push(latency);
        if (this.latencies.length > 300) this.latencies.shift();
      }
    } catch (err) {
      this.snap.skipped++;
      if (err instanceof SensorDataError) this.snap.warning = err.message;
    }
  }

  /** One frame of riding: physics on simulation time, then exactly one Control back. */
  private ride(): void {
    const m = this.measured;
    const dt = this.lastGameMs < 0 ? 0 : Math.max(0, (m.gameMs - this.lastGameMs) / 1000);
    this.lastGameMs = m.gameMs;
    if (this.last) this.travelled += Math.hypot(m.x - this.last.x, m.y - this.last.y);
    this.last = { x: m.x, y: m.y };
    const grade = this.grade.update(this.travelled, m.z);
    if (dt > 0 && !this.paused) {
      const before = this.bike.distance;
      this.bike.step(this.power, grade, dt);
      this.rideTime += dt;
      // Climbing counts only what the rider's own road rises: grade × distance ridden.
      if (grade > 0) this.snap.climbed += grade * (this.bike.distance - before);
    }
    // No cadence sensor: an estimate a rider would recognise (about 85 rpm while pedalling).
    this.snap.cadence = this.power > 0 && !this.paused ? Math.round(Math.min(100, 70 + this.power / 20)) : 0;
    const pedals = this.controller.update(this.paused ? 0 : this.bike.speed, m.speed, grade, Math.max(dt, 1 / 60));
    const steer = this.manualSteer ?? m.autoSteer;
    this.send(Channel.CONTROL, encodeControl({ steer, throttle: pedals.throttle, brake: pedals.brake }));
    const now = performance.now();
    this.frameTimes.push(now);
    while (this.frameTimes.length && now - this.frameTimes[0]! > 1000) this.frameTimes.shift();
    Object.assign(this.snap, {
      speed: this.bike.speed, simSpeed: m.speed, power: this.power, distance: this.bike.distance,
      elapsed: this.rideTime, grade, fps: this.frameTimes.length, frames: this.snap.frames + 1, x: m.x, y: m.y, z: m.z,
    });
    this.publish(false);
  }

  private publish(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastHud < HUD_INTERVAL_MS) return;
    this.lastHud = now;
    if (this.latencies.length) {
      const sorted = [...this.latencies].sort((a, b) => a - b);
      this.snap.latencyP50 = sorted[Math.floor(sorted.length * 0.5)]!;
      this.snap.latencyP95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
    }
    this.onSnapshot({ ...this.snap });
  }
}

let session: StreamSession | null = null;

const api = {
  /** comlink carries a callback only as a top-level argument: hence two. */
  start(opts: StartOptions, onSnapshot: (s: RideSnapshot) => void): void {
    session?.stop();
    session = new StreamSession(opts, onSnapshot);
  },
  setPower(watts: number): void { session?.setPower(watts); },
  setPaused(paused: boolean): void { session?.setPaused(paused); },
  setSteer(steer: number | null): void { session?.setSteer(steer); },
  stop(): void { session?.stop(); session = null; },
};

export type StreamApi = typeof api;
Comlink.expose(api);
