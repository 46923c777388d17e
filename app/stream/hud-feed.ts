/**
 * What reaches the page of the ride: a snapshot at most ten times a second (or at once when
 * something the rider must see happened), and a warning line that clears itself some seconds
 * after its cause was last seen. Times are passed in, so the throttle is tested without a clock.
 */
export const HUD_INTERVAL_MS = 100;
/** A warning stays on screen this long after its cause was last seen. */
export const WARNING_MS = 10_000;

export class HudFeed<S extends { warning: string }> {
  private lastSent = -Infinity;
  private warningUntil = 0;

  /**
   * `refresh` fills in figures that cost something to derive (percentiles, rates): it runs only
   * when a snapshot goes out, at most ten times a second, not on every frame.
   */
  constructor(private readonly snapshot: S, private readonly send: (s: S) => void, private readonly refresh: (s: S, nowMs: number) => void = () => {}) {}

  /** Shows `message` until `forMs` after `nowMs` (Infinity: until the ride ends). */
  warn(message: string, nowMs: number, forMs = WARNING_MS): void {
    this.snapshot.warning = message;
    this.warningUntil = nowMs + forMs;
  }

  /** Takes `message` off the screen if it is the one shown (its cause has gone). */
  clearWarning(message: string): void {
    if (this.snapshot.warning === message) this.snapshot.warning = '';
  }

  /** Sends a copy of the snapshot unless one went less than HUD_INTERVAL_MS ago (force: always). */
  publish(nowMs: number, force: boolean): boolean {
    if (!force && nowMs - this.lastSent < HUD_INTERVAL_MS) return false;
    this.lastSent = nowMs;
    if (this.snapshot.warning && nowMs > this.warningUntil) this.snapshot.warning = '';
    this.refresh(this.snapshot, nowMs);
    this.send({ ...this.snapshot });
    return true;
  }
}
