/**
 * One ride's stream, composed: the relay socket, the CARLA frames read from it, the canvases
 * they are drawn on, the link figures, the riding loop that answers each frame with a Control,
 * and the snapshot fed to the page. Each of those is its own module; this one only routes
 * messages between them, in the order of the relay's episode flow (docs/relay-protocol.md).
 */
import {
  Channel, decodeSceneDescription, encodeControl, encodeEpisodeStart, encodeRequestNewEpisode, MessageDecodeError, SensorDataError,
  type LinkState, type RelayEvent, type SceneDescription,
} from '../../proto/index.ts';
import type { RelayLinkState, RideSnapshot, StartOptions } from '../contract/stream-api.ts';
import { restartSpot, rideIni, RidingLoop, type Point } from '../ride/index.ts';
import { RideRecorder, type RideMoment } from '../rides/recorder.ts';
import { RideStore } from '../rides/store.ts';
import { CarlaFrames, frameAgeMs, HudFeed, LinkStats, Outage, QualityGovernor, START_QUALITY, WorldPace, type PlayerState } from '../stream/index.ts';
import { RelaySocket } from './relay-socket.ts';
import { Surface } from './surface.ts';

/** What the rider is told while the relay holds the brake for them. */
export const HOLDING_BRAKE = {
  lost: 'Connection lost — the relay is holding the brake.',
  stale: 'Your controls are not reaching the relay — it is holding the brake.',
} as const;

/** How often the sample timer looks whether a sample is due. */
const SAMPLE_TIMER_MS = 100;
/** How often "Auto" JPEG quality judges the link. */
const QUALITY_JUDGE_MS = 1000;

export function initialSnapshot(startIndex: number): RideSnapshot {
  return {
    link: 'idle', relay: 'connecting', control: 'absent', mapName: '', startIndex, startSpots: 0,
    speed: 0, simSpeed: 0, power: 0, distance: 0, elapsed: 0, grade: 0, autoPaused: false, climbed: 0, cadence: 0,
    fps: 0, frames: 0, skipped: 0, dropped: 0, warning: '', outage: '', outageDetail: '', worldPace: 0, episode: 0, latencyP50: 0, latencyP95: 0, drawMs: 0, decodeMs: 0, mbps: 0,
    encoding: 'raw', jpegQuality: 0, x: 0, y: 0, z: 0,
    recording: 'ok', recordingProblem: '',
  };
}

export class StreamSession {
  private readonly socket: RelaySocket;
  private readonly main: Surface;
  private readonly inset: Surface | null;
  private readonly stats = new LinkStats();
  readonly loop: RidingLoop;
  private readonly snap: RideSnapshot;
  private readonly hud: HudFeed<RideSnapshot>;
  /** This session has asked for (or, resuming, joined) its episode: later hellos are reconnections. */
  private episodeAsked = false;
  private frames: CarlaFrames | null = null;
  /** The current frame's player state, from its Measurements until its FRAME_END. */
  private measured: PlayerState | null = null;
  private readonly recorder: Promise<RideRecorder>;
  private recorderNow: RideRecorder | null = null;
  /** The newest ridden frame's player state: what the sample timer records. */
  private lastPlayer: PlayerState | null = null;
  /**
   * Samples are taken on wall time by this timer (the recorder keeps them on a one-second grid),
   * not on frames: a slow simulator or a busy tablet delays frames, and the frame path stays
   * free of recording work.
   */
  private readonly sampleTimer: ReturnType<typeof setInterval>;
  /** "Auto" JPEG quality, once the relay said this ride gets JPEG (null: raw, or a pinned quality). */
  private governor: QualityGovernor | null = null;
  private readonly outage = new Outage();
  private readonly pace = new WorldPace();
  /** The car's link as the relay last said (the snapshot's may show an outage seen sooner). */
  private linkState: LinkState = 'idle';
  private headingFrom: Point | null = null;
  private heading: Point | null = null;
  private judgedAt = 0;
  private judgedDrops = 0;

  constructor(private readonly opts: StartOptions, onSnapshot: (s: RideSnapshot) => void) {
    this.main = new Surface(opts.canvas);
    this.inset = opts.inset ? new Surface(opts.inset) : null;
    this.loop = new RidingLoop({ massKg: opts.massKg, autoPause: opts.autoPause });
    this.snap = initialSnapshot(opts.startIndex);
    this.hud = new HudFeed(this.snap, onSnapshot, (s, now) => {
      // Frames that stop make the figures fall, and the rider is told at once, in words.
      s.fps = this.stats.fps(now);
      const o = this.outage.view(now);
      Object.assign(s, { link: o.link, outage: o.text, outageDetail: o.detail, worldPace: this.pace.behindPercent() });
      const latency = this.stats.latency();
      if (latency) { s.latencyP50 = latency.p50; s.latencyP95 = latency.p95; }
      s.mbps = this.stats.mbps(now);
      s.decodeMs = this.stats.decodeMs;
    });
    const { rideId, origin, resume } = opts.record;
    if (resume) {
      // Ride time is moving time: the clock stood still whenever the ride was paused.
      this.loop.restore({ distance: resume.distance, elapsed: resume.movingS, climbed: resume.climbed });
      // The HUD shows where the ride left off from its first snapshot, not from zero.
      Object.assign(this.snap, this.loop.figures);
    }
    // Recording starts as soon as the store is open; frames before that are ridden, not lost
    // to the rider (at most the first second of a ride goes unsampled).
    this.recorder = RideStore.open().then((store) => (this.recorderNow = new RideRecorder(rideId, store, origin, resume)));
    this.sampleTimer = setInterval(() => { this.record(); this.judgeQuality(); this.publish(false); }, SAMPLE_TIMER_MS);
    this.socket = new RelaySocket(opts.url, {
      event: (e) => this.onEvent(e),
      binary: (m) => this.onBinary(m),
      link: (state, reason) => this.onLink(state, reason),
      invalid: (err) => { this.snap.skipped++; this.warn(err.message); this.publish(true); },
    });
  }

  /** Ends the ride: the socket closes, and every sample is written before this resolves. */
  async stop(): Promise<void> {
    clearInterval(this.sampleTimer);
    const closed = this.socket.close();
    const rec = await this.recorder;
    // The ride's last moment is a sample of its own: the totals end where the ride did.
    const last = this.moment();
    if (last) rec.observe(Date.now(), last, true);
    await Promise.all([rec.flush(), closed]);
  }

  private warn(message: string, forMs?: number): void { this.hud.warn(message, performance.now(), forMs); }
  private publish(force: boolean): void { this.hud.publish(performance.now(), force); }

  private onLink(state: RelayLinkState, reason?: string): void {
    this.measured = null;
    this.snap.relay = state;
    if (state === 'lost') this.warn(reason ?? 'The relay refused this ride.', Infinity);
    // The relay sends safe Controls (full brake) while this driver is away.
    else if (state === 'reconnecting') this.warn(HOLDING_BRAKE.lost);
    else this.hud.clearWarning(HOLDING_BRAKE.lost);
    this.publish(true);
  }

  private onEvent(e: RelayEvent): void {
    switch (e.type) {
      case 'hello':
        this.snap.link = this.linkState = e.state;
        this.outage.state(e.state, performance.now());
        this.frames = new CarlaFrames(e.protocol);
        this.onEncoding(e.encoding ?? 'raw');
        // A new ride always asks for its own episode, in the server's dialect (its start spot, sensors
        // and weather). Only a driver coming back — the socket reconnecting, or a ride resumed after
        // a reload — continues a running episode (the relay replays its scene).
        if (e.state === 'idle' || !(this.episodeAsked || this.opts.record.resume)) {
          this.socket.send(Channel.REQUEST_NEW_EPISODE, encodeRequestNewEpisode(rideIni(this.opts.ride, e.protocol)));
        }
        this.episodeAsked = true;
        break;
      case 'state':
        this.snap.link = this.linkState = e.state;
        this.outage.state(e.state, performance.now(), e.retryInMs);
        break;
      case 'control':
        this.snap.control = e.state;
        if (e.state === 'stale') this.warn(HOLDING_BRAKE.stale);
        else this.hud.clearWarning(HOLDING_BRAKE.stale);
        break;
      case 'driver':
        break; // this page is the driver: another driver's coming and going is told by close codes
      case 'drops':
        this.snap.dropped = e.dropped;
        this.warn('Frames are being dropped on the way here: a lower picture quality in Settings would help.');
        break;
      case 'error':
        // The simulator's troubles go to the outage line, in words; others show as they are.
        if (!this.outage.error(e.code, e.message)) this.warn(e.message);
        break;
    }
    this.publish(true);
  }

  private onBinary(m: Uint8Array): void {
    this.stats.received(performance.now(), m.byteLength);
    const frames = this.frames;
    if (!frames) return; // nothing binary precedes hello
    const payload = m.subarray(1);
    switch (m[0]) {
      case Channel.SCENE_DESCRIPTION: this.onScene(frames, payload); break;
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
        if (this.measured) this.draw(frames, payload, this.measured);
        break;
      case Channel.SENSOR_JPEG:
        if (this.measured) this.drawJpeg(frames, payload, this.measured);
        break;
      case Channel.FRAME_END:
        this.outage.frame(performance.now());
        if (this.measured) this.ride(this.measured);
        this.measured = null;
        break;
    }
  }

  /**
   * The encoding the relay gave this connection. A pinned quality went in the URL; "Auto" tells
   * the relay where it stands on every hello — its start, or after a reconnect where it had got to.
   */
  private onEncoding(encoding: 'raw' | 'jpeg'): void {
    this.snap.encoding = encoding;
    const q = this.opts.jpegQuality;
    if (encoding === 'raw') { this.snap.jpegQuality = 0; return; }
    if (q !== 'auto') { this.snap.jpegQuality = q; return; }
    if (!this.governor) {
      this.governor = new QualityGovernor(START_QUALITY);
      this.judgedAt = performance.now();
      this.judgedDrops = this.snap.dropped;
    }
    this.socket.send(Channel.QUALITY, Uint8Array.of(this.governor.quality));
    this.snap.jpegQuality = this.governor.quality;
  }

  /** Once a second: "Auto" JPEG quality looks at how the link carried the last second. */
  private judgeQuality(): void {
    const g = this.governor;
    const now = performance.now();
    if (!g || now - this.judgedAt < QUALITY_JUDGE_MS) return;
    this.judgedAt = now;
    const drops = Math.max(0, this.snap.dropped - this.judgedDrops);
    this.judgedDrops = this.snap.dropped;
    const q = g.observe({ drops, latencyP95: this.stats.recentP95(), decodeMs: this.stats.decodeMs });
    if (q === null) return;
    this.socket.send(Channel.QUALITY, Uint8Array.of(q));
    this.snap.jpegQuality = q;
    this.publish(true);
  }

  private onScene(frames: CarlaFrames, payload: Uint8Array): void {
    let scene: SceneDescription;
    try {
      scene = decodeSceneDescription(payload);
    } catch (err) {
      if (!(err instanceof MessageDecodeError)) throw err;
      // No start spot can be chosen: the relay's handshake timeout asks the server again.
      this.warn(`The simulator's scene could not be read (${err.message}); trying again.`);
      this.publish(true);
      return;
    }
    frames.onScene(scene);
    this.loop.newEpisode();
    const spots = scene.playerStartSpots.length;
    // A scene while the link streams is the running episode's, replayed to this driver coming back.
    const replay = this.linkState === 'streaming';
    let start = this.opts.startIndex;
    if (this.lastPlayer && !replay && spots > 0) {
      // The simulator's episode was lost mid-ride: go on from the spot nearest ahead, not spot 1.
      start = restartSpot(frames.spots(scene), this.lastPlayer, this.heading);
    } else if (spots > 0 && start >= spots) {
      this.warn(`This map has ${spots} start spots; starting at spot 1.`);
      start = 0;
    }
    if (this.lastPlayer && !replay) this.snap.episode++;
    Object.assign(this.snap, { mapName: scene.mapName, startSpots: spots, startIndex: start });
    this.socket.send(Channel.EPISODE_START, encodeEpisodeStart(start));
    this.publish(true);
  }

  /** Unknown sensors and malformed payloads are counted and skipped, never fatal. */
  private draw(frames: CarlaFrames, payload: Uint8Array, player: PlayerState): void {
    try {
      for (const view of frames.cameras(payload)) {
        if (view.role === 'inset') { this.inset?.draw(view); continue; }
        const t0 = performance.now();
        this.main.draw(view);
        this.stats.drawn(performance.now() - t0, frameAgeMs(Date.now(), player.sentMs));
      }
    } catch (err) {
      if (!(err instanceof SensorDataError)) throw err;
      this.snap.skipped++;
      this.warn(`Skipped a camera message: ${err.message}`);
    }
  }

  /** The ride as it stands at the newest frame, for the recorder. */
  private moment(): RideMoment | null {
    const m = this.lastPlayer;
    if (!m) return null;
    const f = this.loop.figures;
    return {
      simMs: m.gameMs, x: m.x, y: m.y, z: m.z, speed: f.speed, power: this.loop.riderPower,
      cadence: f.cadence, hr: null, grade: f.grade, distance: f.distance, paused: this.loop.paused,
    };
  }

  private record(): void {
    const rec = this.recorderNow;
    const moment = this.moment();
    if (!rec || !moment) return;
    rec.observe(Date.now(), moment);
    if (rec.state !== this.snap.recording || rec.problem !== this.snap.recordingProblem) {
      this.snap.recording = rec.state;
      this.snap.recordingProblem = rec.problem;
      this.publish(true);
    }
  }

  /** Decodes a JPEG frame off this thread (the browser's image decoder) and draws it, newest frame wins. */
  private drawJpeg(frames: CarlaFrames, payload: Uint8Array, player: PlayerState): void {
    let image: ReturnType<CarlaFrames['jpegCamera']>;
    try {
      image = frames.jpegCamera(payload);
    } catch (err) {
      if (!(err instanceof SensorDataError)) throw err;
      this.snap.skipped++;
      this.warn(`Skipped a camera message: ${err.message}`);
      return;
    }
    const surface = image.role === 'inset' ? this.inset : this.main;
    if (!surface) return;
    surface.drawJpeg(image.jpeg as Uint8Array<ArrayBuffer>).then((times) => {
      if (!times || image.role !== 'main') return;
      this.stats.decoded(times.decodeMs);
      this.stats.drawn(times.decodeMs + times.drawMs, frameAgeMs(Date.now(), player.sentMs));
    }, () => {
      this.snap.skipped++;
      this.warn('Skipped a camera image that would not decode.');
    });
  }

  private ride(m: PlayerState): void {
    this.pace.frame(performance.now(), m.gameMs);
    // The way the bike moves, over the last few metres: "ahead" for a restart.
    if (!this.headingFrom) this.headingFrom = m;
    else if (Math.hypot(m.x - this.headingFrom.x, m.y - this.headingFrom.y) > 1) {
      this.heading = { x: m.x - this.headingFrom.x, y: m.y - this.headingFrom.y };
      this.headingFrom = m;
    }
    const control = this.loop.step(m);
    this.socket.send(Channel.CONTROL, encodeControl(control));
    this.lastPlayer = m;
    Object.assign(this.snap, this.loop.figures, {
      simSpeed: m.speed, power: this.loop.riderPower, fps: this.stats.frame(performance.now()), frames: this.snap.frames + 1,
      drawMs: this.stats.drawMs, x: m.x, y: m.y, z: m.z,
    });
    this.publish(false);
  }
}
