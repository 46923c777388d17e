/**
 * How the link carries frames, as the rider and the "Auto" quality see it: frames per second
 * over the last second, the latency from the simulator stamping a frame to its picture drawn
 * (p50, p95 over the last few hundred frames, and p95 of the newest ones for the "Auto" JPEG
 * quality), and rolling means of the worker's draw and JPEG decode times.
 * Times are passed in, so the figures are tested without a clock.
 */
/** Latencies kept for the percentiles: about ten seconds at 30 fps. */
const LATENCY_WINDOW = 300;
/** A latency over this is a clock that is not the simulator's (another machine): ignored. */
const MAX_LATENCY_MS = 60_000;
/** Weight of the newest draw time in the rolling mean. */
const DRAW_WEIGHT = 0.05;

export class LinkStats {
  private readonly latencies: number[] = [];
  private readonly frameTimes: number[] = [];
  /** Bytes received, in arrival order with their times, for the last second's rate. */
  private readonly arrivals: { at: number; bytes: number }[] = [];
  private arrivedBytes = 0;
  /** Mean time to decode and draw one main camera frame, ms (0 before the first). */
  drawMs = 0;
  /** Mean time to decode one JPEG main camera frame, ms (0 before the first, and for raw frames). */
  decodeMs = 0;

  /** A JPEG main camera frame decoded in `ms`. */
  decoded(ms: number): void {
    this.decodeMs = this.decodeMs === 0 ? ms : this.decodeMs * (1 - DRAW_WEIGHT) + ms * DRAW_WEIGHT;
  }

  /** A main camera frame drawn: how long it took and how old its frame was, ms. */
  drawn(drawMs: number, latencyMs: number): void {
    this.drawMs = this.drawMs === 0 ? drawMs : this.drawMs * (1 - DRAW_WEIGHT) + drawMs * DRAW_WEIGHT;
    if (latencyMs < 0 || latencyMs >= MAX_LATENCY_MS) return;
    this.latencies.push(latencyMs);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
  }

  /** A WebSocket message of `bytes` arrived at `nowMs`. */
  received(nowMs: number, bytes: number): void {
    this.arrivals.push({ at: nowMs, bytes });
    this.arrivedBytes += bytes;
    while (this.arrivals.length && nowMs - this.arrivals[0]!.at > 1000) this.arrivedBytes -= this.arrivals.shift()!.bytes;
  }

  /** What the link carried over the last second, Mbit/s: a slow link shows here, a slow simulator in fps alone. */
  mbps(nowMs: number): number {
    while (this.arrivals.length && nowMs - this.arrivals[0]!.at > 1000) this.arrivedBytes -= this.arrivals.shift()!.bytes;
    return (this.arrivedBytes * 8) / 1e6;
  }

  /** A frame ridden at `nowMs`; returns the frames ridden in the last second. */
  frame(nowMs: number): number {
    this.frameTimes.push(nowMs);
    return this.fps(nowMs);
  }

  /** Frames ridden in the second before `nowMs`: falls to 0 when frames stop. */
  fps(nowMs: number): number {
    while (this.frameTimes.length && nowMs - this.frameTimes[0]! > 1000) this.frameTimes.shift();
    return this.frameTimes.length;
  }

  /** p95 of the newest `n` frames' latency (about a second), ms; null before any picture was drawn. */
  recentP95(n = 30): number | null {
    if (!this.latencies.length) return null;
    const sorted = this.latencies.slice(-n).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
  }

  /** The latency percentiles so far, ms; null before any picture was drawn. */
  latency(): { p50: number; p95: number } | null {
    if (!this.latencies.length) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      p50: sorted[Math.floor(sorted.length * 0.5)]!,
      p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!,
    };
  }
}

/**
 * platform_timestamp is the server's OS clock in ms modulo 2^32: on the same machine (or one
 * in step with it) now minus it is the frame's age, in the same modulus.
 */
export function frameAgeMs(nowMs: number, sentMs: number): number {
  return ((nowMs >>> 0) - sentMs) >>> 0;
}
