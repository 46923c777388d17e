/**
 * Whether the simulated world keeps the wall's pace: simulated time against wall time over the
 * last few seconds of frames. A fixed-step server that cannot compute its steps in time runs
 * in slow motion (ride time then lags wall time); the rider is told how slow. Times are passed
 * in, so it is tested without a clock.
 */
const WINDOW_MS = 5000;
/** Below this share of the wall's pace the world is "behind". */
export const BEHIND_BELOW = 0.95;

export class WorldPace {
  private readonly samples: { wall: number; game: number }[] = [];

  /** A frame with simulation time `gameMs` arrived at wall time `wallMs`. */
  frame(wallMs: number, gameMs: number): void {
    const last = this.samples.at(-1);
    // A new episode's clock starts anew: so does the window.
    if (last && (gameMs < last.game || gameMs - last.game > 5000)) this.samples.length = 0;
    this.samples.push({ wall: wallMs, game: gameMs });
    while (this.samples.length > 2 && wallMs - this.samples[0]!.wall > WINDOW_MS) this.samples.shift();
  }

  /** Simulated seconds per wall second over the window; null until it spans 2 s of frames. */
  ratio(): number | null {
    const first = this.samples[0], last = this.samples.at(-1);
    if (!first || !last || last.wall - first.wall < 2000) return null;
    return (last.game - first.game) / (last.wall - first.wall);
  }

  /** The world's pace in per cent when it is behind (e.g. 80), else 0. */
  behindPercent(): number {
    const r = this.ratio();
    return r !== null && r < BEHIND_BELOW ? Math.round(r * 100) : 0;
  }
}
