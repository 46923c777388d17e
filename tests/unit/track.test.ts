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

describe('a trail broken at a new episode', () => {
  it('keeps its segments, through thinning too, and takes the first point of a segment however close', async () => {
    const { Track } = await import('../../app/ride/index.ts');
    const t = new Track(2, 8);
    for (let i = 0; i < 6; i++) t.add(i * 3, 0);
    t.breakHere();
    expect(t.add(15.5, 0)).toBe(true); // 0.5 m from the last point, but a new segment begins
    for (let i = 1; i < 6; i++) t.add(100 + i * 5, 0);
    expect(t.length).toBeLessThanOrEqual(8);
    expect(t.segment.length).toBe(t.length);
    expect(new Set(t.segment)).toEqual(new Set([0, 1]));
    // Every point of segment 1 lies past the break.
    t.a.forEach((a, i) => { if (t.segment[i] === 1) expect(a).toBeGreaterThanOrEqual(15.5); });
  });
});

describe('where a ride goes on after a lost episode', () => {
  it('is the spot nearest ahead of the bike, behind only when none is ahead', async () => {
    const { restartSpot } = await import('../../app/ride/index.ts');
    const spots = [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 40, y: 5 }, { x: -10, y: 0 }];
    expect(restartSpot(spots, { x: 30, y: 0 }, { x: 1, y: 0 })).toBe(2); // 10 m ahead beats 30 m behind
    expect(restartSpot(spots, { x: 30, y: 0 }, { x: -1, y: 0 })).toBe(0); // riding the other way
    expect(restartSpot(spots, { x: 200, y: 0 }, { x: 1, y: 0 })).toBe(1); // nothing ahead: the nearest
    expect(restartSpot(spots, { x: 1, y: 1 }, null)).toBe(0); // no heading yet: the nearest
  });
});
