/**
 * One ride as the page holds it: the stream worker (through the bridge), the relay URL, the
 * INI the ride asks for, the rider's power, pause and steering, the screen wake lock, the
 * hold-to-end timer, and what a failed start says. Ride.svelte only lays it out — the way
 * svelte.dev's Bundler.svelte.ts owns its worker and the REPL only shows it.
 */
import { nextAutoWidth } from '../ride/link-quality.ts';
import type { RecordOptions, RideSnapshot } from '../contract/stream-api.ts';
import type { RideHeader } from '../rides/store.ts';
import { summarise } from '../rides/summary.ts';
import { driverUrl, encodingFor, jpegQualityFor, rideSettings } from './ride-request.ts';
import { rides } from './rides-db.ts';
import { settings, type Settings } from './settings.svelte.ts';
import { StreamBridge } from './stream-bridge.ts';

/** The virtual power slider's reach, W. */
export const MAX_POWER = 1500;
/** End needs a press-and-hold this long, so a sweaty tap cannot end a ride. */
export const HOLD_TO_END_S = 1;
const HOLD_TICK_MS = 100;

export class RideSession {
  /** A ride keeps the settings it started with. */
  readonly setup: Settings = settings.current;
  snap = $state.raw<RideSnapshot | null>(null);
  power = $state(150);
  paused = $state(false);
  /** How much of the hold-to-end press is done, 0…1. */
  holding = $state(0);
  awake = $state<'yes' | 'no' | 'unknown'>('unknown');
  /** Why the ride could not start, in words; empty while all is well. */
  failure = $state('');
  private readonly bridge = new StreamBridge();
  private lock: WakeLockSentinel | null = null;
  private holdTimer: ReturnType<typeof setInterval> | null = null;
  private readonly onVisible = () => void this.keepAwake();
  private rideId = '';
  private stopped: Promise<void> | null = null;
  private ended = false;

  /**
   * `resume`: an unfinished ride (a reload, a crash) to carry on — same record, same start
   * spot; the relay's grace period may even still hold its episode.
   */
  constructor(
    private readonly car: string,
    private readonly startIndex: number,
    private readonly onEnd: (rideId: string) => void,
    private readonly resume: RideHeader | null = null,
  ) {}

  /** Starts the recording and the stream into the canvases (they become the worker's), and keeps the screen on. */
  start(canvas: HTMLCanvasElement, inset: HTMLCanvasElement | null): void {
    const encoding = encodingFor(this.setup.encoding, location.hostname);
    const ride = rideSettings(this.setup, canvas.clientWidth || 800, canvas.clientHeight || 450, encoding);
    const jpegQuality = jpegQualityFor(this.setup.jpegQuality);
    void this.keepAwake();
    document.addEventListener('visibilitychange', this.onVisible);
    // Ask once that the browser keep this origin's storage under pressure: rides live there.
    void navigator.storage?.persist?.().catch(() => false);
    this.record().then((record) => this.bridge.start({
      url: driverUrl(location, this.car, this.setup.encoding, jpegQuality), startIndex: this.resume?.startIndex ?? this.startIndex, ride,
      massKg: this.setup.riderKg + this.setup.bikeKg, autoPause: this.setup.autoPause, record, jpegQuality,
    }, canvas, inset, (s) => (this.snap = s))).then(() => this.bridge.setPower(this.power)).catch((err: unknown) => {
      this.failure = `The ride could not start: ${err instanceof Error ? err.message : String(err)}`;
    });
  }

  private get origin(): { lat: number; lon: number } { return { lat: this.setup.originLat, lon: this.setup.originLon }; }

  /** The ride record: a new one, or the unfinished one with the figures it reached. */
  private async record(): Promise<RecordOptions> {
    const store = await rides();
    if (this.resume) {
      this.rideId = this.resume.id;
      const samples = await store.samples(this.resume.id);
      const last = samples[samples.length - 1];
      if (!last) return { rideId: this.rideId, origin: this.origin, resume: null };
      const t = summarise(samples);
      this.power = last.power;
      return { rideId: this.rideId, origin: this.origin, resume: { t: last.t, movingS: t.movingS, distance: last.distance, climbed: t.elevationGain } };
    }
    this.rideId = crypto.randomUUID();
    const when = new Date();
    await store.create({
      id: this.rideId, name: `Ride ${when.toLocaleDateString()} ${when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
      startedAt: when.getTime(), car: this.car, startIndex: this.startIndex, ftp: this.setup.ftp,
    });
    return { rideId: this.rideId, origin: this.origin, resume: null };
  }

  /**
   * Stops the stream with every sample written (the ride stays unfinished: leaving the page
   * mid-ride offers it for resuming). "Auto" quality learns from this ride's link for the next one.
   */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    if (this.setup.quality === 'auto' && this.snap) settings.save({ autoWidth: nextAutoWidth(this.setup.autoWidth, this.snap, this.snap.encoding) });
    document.removeEventListener('visibilitychange', this.onVisible);
    this.holdEnd();
    void this.lock?.release();
    this.stopped = this.bridge.stop();
    return this.stopped;
  }

  /** End: the stream stops, the ride is finished with its totals, and the summary follows. */
  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.stop();
    if (this.rideId) await (await rides()).finish(this.rideId, this.setup.ftp);
    this.onEnd(this.rideId);
  }

  setPower(watts: number): void {
    this.power = Math.max(0, Math.min(MAX_POWER, Math.round(watts)));
    void this.bridge.setPower(this.power);
  }

  togglePause(): void {
    this.paused = !this.paused;
    void this.bridge.setPaused(this.paused);
  }

  steer(value: number | null): void { void this.bridge.setSteer(value); }

  holdStart(): void {
    this.holdEnd();
    this.holdTimer = setInterval(() => {
      this.holding += HOLD_TICK_MS / 1000 / HOLD_TO_END_S;
      if (this.holding >= 1) { this.holdEnd(); void this.end(); }
    }, HOLD_TICK_MS);
  }

  holdEnd(): void {
    if (this.holdTimer) clearInterval(this.holdTimer);
    this.holdTimer = null;
    this.holding = 0;
  }

  /** The wake lock is released whenever the page hides; it is taken again when it comes back. */
  private async keepAwake(): Promise<void> {
    if (document.visibilityState !== 'visible') return;
    try {
      this.lock = await navigator.wakeLock.request('screen');
      this.awake = 'yes';
      this.lock.addEventListener('release', () => { this.awake = 'no'; });
    } catch {
      this.awake = 'no';
    }
  }
}
