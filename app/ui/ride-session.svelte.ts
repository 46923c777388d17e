/**
 * One ride as the page holds it: the stream worker (through the bridge), the relay URL, the
 * INI the ride asks for, the rider's power, pause and steering, the screen wake lock, the
 * hold-to-end timer, and what a failed start says. Ride.svelte only lays it out — the way
 * svelte.dev's Bundler.svelte.ts owns its worker and the REPL only shows it.
 */
import { nextAutoWidth } from '../ride/link-quality.ts';
import type { RideSnapshot } from '../contract/stream-api.ts';
import { driverUrl, rideSettings } from './ride-request.ts';
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

  constructor(private readonly car: string, private readonly startIndex: number, private readonly onEnd: () => void) {}

  /** Starts the stream into the canvases (they become the worker's) and keeps the screen on. */
  start(canvas: HTMLCanvasElement, inset: HTMLCanvasElement | null): void {
    const ride = rideSettings(this.setup, canvas.clientWidth || 800, canvas.clientHeight || 450);
    this.bridge.start({
      url: driverUrl(location, this.car), startIndex: this.startIndex, ride,
      massKg: this.setup.riderKg + this.setup.bikeKg, autoPause: this.setup.autoPause,
    }, canvas, inset, (s) => (this.snap = s)).catch((err: unknown) => {
      this.failure = `The ride could not start: ${err instanceof Error ? err.message : String(err)}`;
    });
    void this.bridge.setPower(this.power);
    void this.keepAwake();
    document.addEventListener('visibilitychange', this.onVisible);
  }

  /** Ends the stream; "Auto" quality learns from this ride's link for the next one. */
  stop(): void {
    if (this.setup.quality === 'auto' && this.snap) settings.save({ autoWidth: nextAutoWidth(this.setup.autoWidth, this.snap) });
    document.removeEventListener('visibilitychange', this.onVisible);
    this.holdEnd();
    void this.lock?.release();
    void this.bridge.stop();
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
      if (this.holding >= 1) { this.holdEnd(); this.onEnd(); }
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
