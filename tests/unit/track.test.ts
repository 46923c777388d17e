import { describe, expect, it } from 'vitest';
import { Track } from '../../app/ride/index.ts';

describe("the ride's drawn history", () => {
  it('keeps points at least the spacing apart, with running bounds', () => {
    const t = new Track(2);
    expect(t.add(0, 10)).toBe(true);
    expect(t.add(1, 10)).toBe(false);
    expect(t.add(2, 13)).toBe(true);
    expect(t.add(5, 7)).toBe(true);
    expect([t.a, t.b]).toEqual([[0, 2, 5], [10, 13, 7]]);
    expect([t.minA, t.maxA, t.minB, t.maxB]).toEqual([0, 5, 7, 13]);
  });

  it('never holds more than its limit however long the ride: it thins itself and spaces wider', () => {
    const t = new Track(2, 100);
    // 500 km at a point every 2 m would be 250 000 points.
    for (let d = 0; d <= 500_000; d += 2) t.add(d, Math.sin(d / 1000) * 50);
    expect(t.length).toBeLessThanOrEqual(100);
    expect(t.length).toBeGreaterThan(50);
    // The whole ride is still there, start to (nearly) now, and the bounds saw every point.
    expect(t.a[0]).toBe(0);
    expect(t.a.at(-1)!).toBeGreaterThan(500_000 - 500_000 / 50);
    expect(t.maxB).toBeCloseTo(50, 1);
    expect(t.minB).toBeCloseTo(-50, 1);
  });
});
