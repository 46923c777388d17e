/**
 * Auto-pause: the ride clock stops when the rider has stopped — no power and next to no speed
 * for a couple of seconds — and runs again the moment they pedal or roll. Coasting downhill
 * without power is riding, so it never pauses while the bike still moves.
 */
export const AUTO_PAUSE = { stopBelowMps: 0.5, resumeAboveMps: 1, afterSeconds: 2 } as const;

export class AutoPause {
  enabled = false;
  private stoppedFor = 0;
  private paused = false;

  /** One step of ride time; true while the clock should stand still. */
  update(power: number, speed: number, dt: number): boolean {
    if (!this.enabled || power > 0 || speed > AUTO_PAUSE.resumeAboveMps) {
      this.stoppedFor = 0;
      this.paused = false;
    } else if (speed < AUTO_PAUSE.stopBelowMps) {
      this.stoppedFor += dt;
      if (this.stoppedFor >= AUTO_PAUSE.afterSeconds) this.paused = true;
    }
    return this.paused;
  }
}
