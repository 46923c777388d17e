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
  minA = Infinity; maxA = -Infinity; minB = Infinity; maxB = -Infinity;

  constructor(private spacing: number, readonly maxPoints = 1024) {}

  get length(): number { return this.a.length; }

  /** Adds a point if it is far enough from the last one; true if it was added. */
  add(a: number, b: number): boolean {
    const n = this.a.length;
    if (n > 0 && Math.hypot(a - this.a[n - 1]!, b - this.b[n - 1]!) < this.spacing) return false;
    if (n === this.maxPoints) this.thin();
    this.a.push(a);
    this.b.push(b);
    if (a < this.minA) this.minA = a;
    if (a > this.maxA) this.maxA = a;
    if (b < this.minB) this.minB = b;
    if (b > this.maxB) this.maxB = b;
    return true;
  }

  private thin(): void {
    let k = 0;
    for (let i = 0; i < this.a.length; i += 2, k++) { this.a[k] = this.a[i]!; this.b[k] = this.b[i]!; }
    this.a.length = this.b.length = k;
    this.spacing *= 2;
  }
}
