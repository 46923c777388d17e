/**
 * Records a ride as it goes: one sample a second of wall time, written to the store at once,
 * so a closed tab, a reload or a crashed renderer loses at most the second under way. A write
 * that fails (a full disk: QuotaExceededError) keeps its samples in memory and is tried again
 * with the next one and every few seconds; nothing is dropped, and the state says so for the HUD.
 */
import { elevationOf, toLatLon, DEFAULT_ORIGIN, type GeoOrigin } from './geo.ts';
import type { RideSample } from './sample.ts';
import { isMovingInterval } from './summary.ts';

export const SAMPLE_EVERY_MS = 1000;
/** After a failed write, the next attempt waits at least this long. */
export const RETRY_AFTER_MS = 5000;

/** Where samples go: the RideStore, or a fake in tests. */
export interface SampleSink {
  append(rideId: string, samples: readonly RideSample[], movingS: number): Promise<void>;
}

/** What the riding loop knows at a frame. */
export interface RideMoment {
  simMs: number;
  x: number; y: number; z: number;
  speed: number; power: number; cadence: number | null; hr: number | null;
  grade: number; distance: number; paused: boolean;
}

export type RecordingState = 'ok' | 'full' | 'failing';

export class RideRecorder {
  private pending: RideSample[] = [];
  private writing: Promise<void> | null = null;
  /** When the next sample is due: on a one-second grid, so that a late sample does not push every later one back. */
  private nextDue = -Infinity;
  private retryAt = 0;
  private lastT = 0;
  /** Moving time so far, s (as the summary counts it). */
  movingS: number;
  state: RecordingState = 'ok';
  /** The newest write error, in words, for the rider. */
  problem = '';

  constructor(
    readonly rideId: string,
    private readonly sink: SampleSink,
    private readonly origin: GeoOrigin = DEFAULT_ORIGIN,
    resumed: { t: number; movingS: number } | null = null,
  ) {
    this.movingS = resumed?.movingS ?? 0;
    this.lastT = resumed?.t ?? 0;
  }

  /** Samples waiting to be written (a full disk holds them here). */
  get unsaved(): number { return this.pending.length; }

  /**
   * Called by the worker's sample timer: takes a sample when one is due (or when `force`d: the
   * ride's last). Samples keep to a one-second grid; one taken late is followed by one a little
   * early, never closer than half a second.
   */
  observe(now: number, m: RideMoment, force = false): void {
    if (!force && now < this.nextDue) return;
    this.nextDue = Math.max(this.nextDue + SAMPLE_EVERY_MS, now + SAMPLE_EVERY_MS / 2);
    const { lat, lon } = toLatLon(m.x, m.y, this.origin);
    const sample: RideSample = {
      t: now, simMs: m.simMs, x: m.x, y: m.y, z: m.z, lat, lon, ele: elevationOf(m.z),
      speed: m.speed, power: m.power, cadence: m.cadence, hr: m.hr, grade: m.grade, distance: m.distance, paused: m.paused,
    };
    const dt = this.lastT ? (now - this.lastT) / 1000 : 0;
    if (isMovingInterval(dt, m.paused)) this.movingS += dt;
    this.lastT = now;
    this.pending.push(sample);
    if (!this.writing && (this.state === 'ok' || now >= this.retryAt)) this.writing = this.write(now);
  }

  /** Writes what is pending; resolves when it is written (or has failed again). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.length) {
      this.writing = this.write(Date.now());
      await this.writing;
    }
  }

  private async write(now: number): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.sink.append(this.rideId, batch, this.movingS);
      this.state = 'ok';
      this.problem = '';
    } catch (err) {
      // Nothing is dropped: the batch goes back in front of what came meanwhile.
      this.pending = [...batch, ...this.pending];
      const quota = err instanceof DOMException && err.name === 'QuotaExceededError';
      this.state = quota ? 'full' : 'failing';
      this.problem = quota
        ? `The device is out of storage: ${this.pending.length} s of this ride are kept in memory until there is room.`
        : `The ride could not be saved (${err instanceof Error ? err.message : String(err)}); trying again.`;
      this.retryAt = now + RETRY_AFTER_MS;
    } finally {
      this.writing = null;
    }
  }
}
