/**
 * The stream worker: owns the WebSocket to the relay, decodes Measurements (protobufjs
 * static code) and camera payloads of either protocol, draws into the OffscreenCanvases the
 * page transferred, and runs the riding loop every frame — the rider's power through the
 * road-load model, the grade from the bike's height over distance, and the controller that
 * makes the simulated bike follow. Image bytes never reach the main thread; the page gets a
 * small snapshot at most ten times a second.
 */
import * as Comlink from 'comlink';
import {
  decodeSceneDescription, encodeControl, encodeEpisodeStart, encodeRequestNewEpisode, MessageDecodeError, SensorDataError,
  type SceneDescription,
} from '../../proto/index.ts';
import { Channel, CloseCode, tagged, type RelayEvent } from '../../relay/protocol.ts';
import { AutoPause, GradeEstimator, SpeedController, VirtualBike, rideIni } from '../ride/index.ts';
import { CarlaFrames, type PlayerState } from './carla-frames.ts';
import type { RideSnapshot, StartOptions, StreamApi } from './contract.ts';
import { Surface } from './surface.ts';

const HUD_INTERVAL_MS = 100;
/** A warning stays on screen this long after its cause was last seen. */
const WARNING_MS = 10_000;
/** Reconnecting to the relay: quick at first (a Wi-Fi blip), then every few seconds. */
const RECONNECT_MS = [250, 500, 1000, 2000, 4000];
/** Close codes after which trying again would only repeat the refusal. */
const FINAL_CLOSES = new Map<number, string>([
  [CloseCode.DRIVER_TAKEN, 'Someone else is riding this car.'],
  [CloseCode.REPLACED, 'Another tablet took over this ride.'],
  [CloseCode.UNKNOWN_CAR, 'The relay has no such car.'],
]);

class StreamSession {
  private ws!: WebSocket;
  private readonly main: Surface;
  private readonly inset: Surface | null;
  private frames: CarlaFrames | null = null;
  private drawMs = 0;
  private power = 0;
  private paused = false;
  private stopped = false;
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** Manual steering in [-1, 1], or null to follow the lane (the frame's autopilot steer). */
  private manualSteer: number | null = null;
  private rideTime = 0;
  private readonly bike = new VirtualBike();
  private readonly grade = new GradeEstimator();
  private readonly controller = new SpeedController();
  private readonly autoPause = new AutoPause();
  private lastGameMs = -1;
  private travelled = 0;
  private last: { x: number; y: number } | null = null;
  private readonly snap: RideSnapshot = {
    link: 'idle', mapName: '', startIndex: 0, startSpots: 0, speed: 0, simSpeed: 0, power: 0, distance: 0,
    elapsed: 0, grade: 0, fps: 0, frames: 0, skipped: 0, dropped: 0, warning: '', latencyP50: 0, latencyP95: 0, drawMs: 0,
    relay: 'connecting', autoPaused: false, x: 0, y: 0, z: 0, climbed: 0, cadence: 0,
  };
  private readonly latencies: number[] = [];
  private readonly frameTimes: number[] = [];
  private lastHud = 0;
  private warnedAt = 0;
  private measured: PlayerState | null = null;

  constructor(private readonly opts: StartOptions, private readonly onSnapshot: (s: RideSnapshot) => void) {
    this.main = new Surface(opts.canvas);
    this.inset = opts.inset ? new Surface(opts.inset) : null;
    this.bike.setup = { ...this.bike.setup, massKg: opts.massKg };
    this.autoPause.enabled = opts.autoPause;
    this.snap.startIndex = opts.startIndex;
    this.connect();
  }

  private connect(): void {
    this.ws = new WebSocket(this.opts.url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => { this.attempts = 0; };
    this.ws.onmessage = (e) => (typeof e.data === 'string' ? this.onEvent(JSON.parse(e.data) as RelayEvent) : this.onBinary(new Uint8Array(e.data as ArrayBuffer)));
    this.ws.onclose = (e) => this.onClose(e.code);
  }

  /**
   * A lost relay is tried again for as long as the ride lasts: the relay keeps the episode for
   * a returning driver, so the ride carries on where it was.
   */
  private onClose(code: number): void {
    this.measured = null;
    if (this.stopped) return;
    const final = FINAL_CLOSES.get(code);
    if (final) {
      this.snap.relay = 'lost';
      this.warn(final, Infinity);
    } else {
      this.snap.relay = 'reconnecting';
      const delay = RECONNECT_MS[Math.min(this.attempts++, RECONNECT_MS.length - 1)]!;
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    }
    this.publish(true);
  }

  setPower(watts: number): void { this.power = Math.max(0, watts); }

  /** Paused: the clock stops and the bike is held; the episode stays. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.bike.speed = 0;
  }

  setSteer(steer: number | null): void { this.manualSteer = steer === null ? null : Math.max(-1, Math.min(1, steer)); }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.ws.close(1000, 'ride ended');
  }

  private send(tag: Channel, payload: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(tagged(tag, payload));
  }

  private warn(message: string, forMs = WARNING_MS): void {
    this.snap.warning = message;
    this.warnedAt = performance.now() + forMs - WARNING_MS;
  }

  private onEvent(e: RelayEvent): void {
    switch (e.type) {
      case 'hello':
        this.snap.relay = 'connected';
        this.snap.link = e.state;
        this.frames = new CarlaFrames(e.protocol);
        // A driver coming back to a running episode continues it (the relay replays its scene);
        // otherwise this ride asks for one, in the server's dialect.
        if (e.state === 'idle') this.send(Channel.REQUEST_NEW_EPISODE, encodeRequestNewEpisode(rideIni(this.opts.ride, e.protocol)));
        break;
      case 'state':
        this.snap.link = e.state;
        break;
      case 'drops':
        this.snap.dropped = e.dropped;
        this.warn('Frames are being dropped on the way here: a lower picture quality in Settings would help.');
        break;
      case 'error':
        this.warn(e.message);
        break;
    }
    this.publish(true);
  }

  private onBinary(m: Uint8Array): void {
    const frames = this.frames;
    if (!frames) return; // nothing binary precedes hello
    const payload = m.subarray(1);
    switch (m[0]) {
      case Channel.SCENE_DESCRIPTION: {
        let scene: SceneDescription;
        try {
          scene = decodeSceneDescription(payload);
        } catch (err) {
          if (!(err instanceof MessageDecodeError)) throw err;
          // No start spot can be chosen: the relay's handshake timeout asks the server again.
          this.warn(`The simulator's scene could not be read (${err.message}); trying again.`);
          break;
        }
        frames.onScene(scene);
        // A new episode puts the bike somewhere else: the road under it is measured afresh (the
        // ride's distance and time carry on).
        this.grade.reset();
        this.last = null;
        this.lastGameMs = -1;
        this.snap.mapName = scene.mapName;
        this.snap.startSpots = scene.playerStartSpots.length;
        let start = this.opts.startIndex;
        if (scene.playerStartSpots.length > 0 && start >= scene.playerStartSpots.length) {
          this.warn(`This map has ${scene.playerStartSpots.length} start spots; starting at spot 1.`);
          start = 0;
        }
        this.snap.startIndex = start;
        this.send(Channel.EPISODE_START, encodeEpisodeStart(start));
        this.publish(true);
        break;
      }
      case Channel.MEASUREMENTS:
        try {
          this.measured = frames.player(payload);
        } catch (err) {
          if (!(err instanceof MessageDecodeError)) throw err;
          // The frame goes undrawn and unridden; the relay still answers it with a Control.
          this.measured = null;
          this.snap.skipped++;
          this.warn(`Skipped a frame: ${err.message}`);
        }
        break;
      case Channel.SENSOR:
        if (this.measured) this.draw(frames, payload);
        break;
      case Channel.FRAME_END:
        if (this.measured) this.ride(this.measured);
        this.measured = null;
        break;
    }
  }

  /** Unknown sensors and malformed payloads are counted and skipped, never fatal. */
  private draw(frames: CarlaFrames, payload: Uint8Array): void {
    try {
      for (const view of frames.cameras(payload)) {
        if (view.role === 'inset') { this.inset?.draw(view); continue; }
        const t0 = performance.now();
        this.main.draw(view);
        // A rolling mean of what decoding and drawing one frame costs the worker.
        const ms = performance.now() - t0;
        this.drawMs = this.drawMs === 0 ? ms : this.drawMs * 0.95 + ms * 0.05;
        this.snap.drawMs = this.drawMs;
        // platform_timestamp is the server's OS clock in ms, modulo 2^32: same machine, same clock.
        const latency = ((Date.now() >>> 0) - this.measured!.sentMs) >>> 0;
        if (latency < 60_000) {
          this.latencies.push(latency);
          if (this.latencies.length > 300) this.latencies.shift();
        }
      }
    } catch (err) {
      if (!(err instanceof SensorDataError)) throw err;
      this.snap.skipped++;
      this.warn(`Skipped a camera message: ${err.message}`);
    }
  }

  /** One frame of riding: physics on simulation time, then exactly one Control back. */
  private ride(m: PlayerState): void {
    const dt = this.lastGameMs < 0 ? 0 : Math.max(0, (m.gameMs - this.lastGameMs) / 1000);
    this.lastGameMs = m.gameMs;
    if (this.last) this.travelled += Math.hypot(m.x - this.last.x, m.y - this.last.y);
    this.last = { x: m.x, y: m.y };
    const grade = this.grade.update(this.travelled, m.z);
    if (dt > 0 && !this.paused) {
      const before = this.bike.distance;
      this.bike.step(this.power, grade, dt);
      this.snap.autoPaused = this.autoPause.update(this.power, this.bike.speed, dt);
      if (!this.snap.autoPaused) this.rideTime += dt;
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
    if (this.snap.warning && now - this.warnedAt > WARNING_MS) this.snap.warning = '';
    if (this.latencies.length) {
      const sorted = [...this.latencies].sort((a, b) => a - b);
      this.snap.latencyP50 = sorted[Math.floor(sorted.length * 0.5)]!;
      this.snap.latencyP95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
    }
    this.onSnapshot({ ...this.snap });
  }
}

let session: StreamSession | null = null;

const api: StreamApi = {
  start(opts: StartOptions, onSnapshot: (s: RideSnapshot) => void): void {
    session?.stop();
    session = new StreamSession(opts, onSnapshot);
  },
  setPower(watts: number): void { session?.setPower(watts); },
  setPaused(paused: boolean): void { session?.setPaused(paused); },
  setSteer(steer: number | null): void { session?.setSteer(steer); },
  stop(): void { session?.stop(); session = null; },
};

Comlink.expose(api);
