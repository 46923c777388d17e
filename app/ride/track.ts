/**
 * A ride's history for drawing — the elevation profile (distance, height) or the mini-map
 * trail (x, y). Points are kept at least `spacing` apart and never more than `maxPoints` of
 * them: when full, every other point goes and the spacing doubles. Bounds run along as points
 * come. So drawing the history costs the same after five hours as after five minutes, on the
 * page's main thread, ten times a second.
 */
export class Track {
  readonly a: number[] = [];
  readonly b: number[] = [];
  /** Each point's segment: a line is drawn only between points of one segment. */
  readonly segment: number[] = [];
  private currentSegment = 0;
  minA = Infinity; maxA = -Infinity; minB = Infinity; maxB = -Infinity;

  constructor(private spacing: number, readonly maxPoints = 1024) {}

  get length(): number { return this.a.length; }

  /** The next point starts a new segment (the trail breaks: the bike was moved, not ridden). */
  breakHere(): void { this.currentSegment++; }

  /** Adds a point if it is far enough from the last one (or begins a segment); true if it was added. */
  add(a: number, b: number): boolean {
    const n = this.a.length;
    const sameSegment = n > 0 && this.segment[n - 1] === this.currentSegment;
    if (sameSegment && Math.hypot(a - this.a[n - 1]!, b - this.b[n - 1]!) < this.spacing) return false;
    if (n === this.maxPoints) this.thin();
    this.a.push(a);
    this.b.push(b);
    this.segment.push(this.currentSegment);
    if (a < this.minA) this.minA = a;
    if (a > this.maxA) this.maxA = a;
    if (b < this.minB) this.minB = b;
    if (b > this.maxB) this.maxB = b;
    return true;
  }

  private thin(): void {
    let k = 0;
    for (let i = 0; i < this.a.length; i += 2, k++) { this.a[k] = this.a[i]!; this.b[k] = this.b[i]!; this.segment[k] = this.segment[i]!; }
    this.a.length = this.b.length = this.segment.length = k;
    this.spacing *= 2;
  }
}
