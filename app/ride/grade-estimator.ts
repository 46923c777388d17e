/**
 * The road's grade under the rider, from the vehicle's height over distance travelled.
 * A least-squares slope over the last `windowMetres` of road: it follows a climb within
 * about half a window (no long lag) and averages away height noise (no jitter). Samples
 * are taken only as the bike moves, so standing still keeps the last grade.
 */
export class GradeEstimator {
  private s: number[] = [];
  private z: number[] = [];
  grade = 0;

  constructor(readonly windowMetres = 8, readonly sampleEveryMetres = 0.25) {}

  /** distance: metres travelled so far; height: metres. Returns the grade (rise over run). */
  update(distance: number, height: number): number {
    const last = this.s.length ? this.s[this.s.length - 1]! : -Infinity;
    if (distance - last < this.sampleEveryMetres) return this.grade;
    this.s.push(distance);
    this.z.push(height);
    while (this.s.length > 2 && distance - this.s[0]! > this.windowMetres) { this.s.shift(); this.z.shift(); }
    const n = this.s.length;
    if (n < 3) return this.grade;
    let ms = 0, mz = 0;
    for (let i = 0; i < n; i++) { ms += this.s[i]!; mz += this.z[i]!; }
    ms /= n; mz /= n;
    let num = 0, den = 0;
    for (let i = 0; i < n; i++) { const ds = this.s[i]! - ms; num += ds * (this.z[i]! - mz); den += ds * ds; }
    if (den > 0) this.grade = num / den;
    return this.grade;
  }

  reset(): void {
    this.s = [];
    this.z = [];
    this.grade = 0;
  }
}
