/**
 * "Auto" JPEG quality during a ride: judged once a second from how the link carried that
 * second (frames the relay skipped for this browser, the newest frames' p95 latency, the
 * decode time), it steps the quality down when the picture falls behind and probes upward when
 * it has had room for a while. Hysteresis keeps it from flapping: a step down needs two bad
 * seconds running, a step up several good ones, and a step up that turns bad again within a
 * probe window doubles the wait before the next try (up to a minute). Quality may change at
 * any frame; the picture's size changes only between rides (link-quality.ts).
 */
export const JPEG_STEPS = [35, 50, 65, 75, 85] as const;
export const START_QUALITY = 65;

export const QUALITY_RULES = {
  /** Bad seconds in a row before a step down. */
  downAfter: 2,
  /** Good seconds in a row before the first step up; doubled by each failed probe. */
  upAfter: 6,
  maxUpAfter: 60,
  /** A step up is a probe for this many seconds: a step down within it counts it as failed. */
  probeS: 10,
  /** p95 latency over this is a link that queues; under goodLatencyMs, one with room. */
  badLatencyMs: 150,
  goodLatencyMs: 90,
  /** Decoding slower than this cannot keep 30 fps alongside drawing; faster than goodDecodeMs has room. */
  badDecodeMs: 25,
  goodDecodeMs: 12,
} as const;

/** One second of the link, as the worker measured it. */
export interface LinkSecond {
  /** Whole frames the relay skipped for this browser during the second. */
  drops: number;
  /** p95 of the newest frames' latency (simulator stamp to picture drawn), ms; null if none drawn. */
  latencyP95: number | null;
  /** Mean decode time of a JPEG frame, ms. */
  decodeMs: number;
}

function judge(s: LinkSecond): 'bad' | 'good' | 'neutral' {
  const r = QUALITY_RULES;
  if (s.drops > 0 || (s.latencyP95 !== null && s.latencyP95 > r.badLatencyMs) || s.decodeMs > r.badDecodeMs) return 'bad';
  if (s.latencyP95 !== null && s.latencyP95 < r.goodLatencyMs && s.decodeMs < r.goodDecodeMs) return 'good';
  return 'neutral';
}

export class QualityGovernor {
  private index: number;
  private bad = 0;
  private good = 0;
  private upAfter: number = QUALITY_RULES.upAfter;
  private second = 0;
  private probeUntil = -1;

  constructor(start: number = START_QUALITY) {
    // The nearest step at or below the start.
    const i = JPEG_STEPS.findLastIndex((q) => q <= start);
    this.index = Math.max(0, i);
  }

  get quality(): number { return JPEG_STEPS[this.index]!; }

  /** One second's figures; returns the new quality when it changes, else null. */
  observe(s: LinkSecond): number | null {
    this.second++;
    const verdict = judge(s);
    this.bad = verdict === 'bad' ? this.bad + 1 : 0;
    this.good = verdict === 'good' ? this.good + 1 : 0;
    const r = QUALITY_RULES;
    if (this.bad >= r.downAfter && this.index > 0) {
      if (this.second <= this.probeUntil) this.upAfter = Math.min(r.maxUpAfter, this.upAfter * 2);
      this.probeUntil = -1;
      this.index--;
      this.bad = this.good = 0;
      return this.quality;
    }
    if (this.good >= this.upAfter && this.index < JPEG_STEPS.length - 1) {
      this.index++;
      this.probeUntil = this.second + r.probeS;
      this.bad = this.good = 0;
      return this.quality;
    }
    return null;
  }
}
