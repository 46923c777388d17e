/**
 * The simulation's own clock, read off each frame's Measurements (game_timestamp, ms), so that
 * synchronous frames are released at the pace the server steps its world — 100 ms apart for a
 * server started with `-benchmark -fps=10`, 16.7 ms for 60 — and ride time equals wall time.
 * Only the head of the message is read: game_timestamp is field 2, serialised before the
 * player's and the agents' (possibly large) fields.
 */

/** The longest step taken as a server's own; a longer gap is a pause or a stall, not a step. */
export const MAX_STEP_MS = 1000;

/**
 * game_timestamp from the first bytes of a Measurements message: 0 when absent (proto3's
 * default), null when the head is not a readable Measurements.
 */
export function peekGameTimestamp(head: Uint8Array): number | null {
  let at = 0;
  const varint = (): number | null => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= head.byteLength) return null;
      const b = head[at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    return null;
  };
  while (at < head.byteLength) {
    const key = varint();
    if (key === null) return null;
    const field = Math.floor(key / 8), wire = key & 7;
    if (field === 2 && wire === 0) { const v = varint(); return v === null ? null : v >>> 0; }
    if (field > 2) return 0;
    if (wire !== 0) return null; // fields 1 and 2 are varints
    if (varint() === null) return null;
  }
  return null;
}

/**
 * A timeline of the server's simulated time laid on the wall clock: the frame showing simulated
 * time t (since the timeline began) is due at anchor + t, and its Control is released then. So
 * the world never runs ahead of the wall, and a server that steps by the wall time it took
 * (our simulator when it cannot keep its pace, CARLA without -benchmark) runs at the wall's pace
 * with no drift. A frame a whole step late starts the timeline anew rather than bursting to
 * catch up.
 */
export class ServerClock {
  /** Wall time (ms) at which the timeline's simulated time 0 was due. */
  private anchor = 0;
  /** Simulated time since the timeline began (ms). */
  private position: number | null = null;
  private lastGameMs: number | null = null;
  private stepMs: number | null = null;

  /** `fallbackMs`: the step assumed until the server's clock has shown its own. */
  constructor(private readonly fallbackMs: number) {}

  /** A new episode: its clock starts anew (its first delta is not a step). */
  restart(): void { this.position = null; this.lastGameMs = null; }

  /**
   * A frame with game_timestamp `gameMs` (null: unreadable) arrived at wall time `now` (ms);
   * returns when its Control may be released. Without a usable delta (the first frame, a
   * server with no clock, a jump) the timeline moves on by one step.
   */
  frame(gameMs: number | null, now: number): number {
    const delta = gameMs !== null && this.lastGameMs !== null ? gameMs - this.lastGameMs : null;
    if (gameMs !== null) this.lastGameMs = gameMs;
    const valid = delta !== null && delta > 0 && delta <= MAX_STEP_MS;
    if (valid) this.stepMs = delta;
    if (this.position === null) {
      this.position = 0;
      this.anchor = now;
      return now;
    }
    this.position += valid ? delta : this.step;
    let due = this.anchor + this.position;
    if (now - due > this.step) {
      this.anchor = now - this.position;
      due = now;
    }
    return due;
  }

  /** The server's newest step (ms), or the fallback until it has shown one. */
  get step(): number { return this.stepMs ?? this.fallbackMs; }
}
