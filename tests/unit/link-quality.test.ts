import { describe, expect, it } from 'vitest';
import { LINK_RULES, nextAutoWidth } from '../../app/ride/index.ts';
import { JPEG_STEPS, QUALITY_RULES, QualityGovernor, type LinkSecond } from '../../app/stream/index.ts';

const ride = (r: Partial<Parameters<typeof nextAutoWidth>[1]>) => ({ frames: 900, dropped: 0, latencyP95: 25, fps: 30, ...r });

describe('auto picture size between rides', () => {
  it('steps down when the link dropped more than 5 % of the frames', () => {
    expect(nextAutoWidth(640, ride({ dropped: 100 }), 'raw')).toBe(480);
    expect(nextAutoWidth(480, ride({ dropped: 100 }), 'raw')).toBe(480);
  });

  it('steps up only when every frame arrived at full rate with latency to spare', () => {
    expect(nextAutoWidth(640, ride({}), 'raw')).toBe(800);
    expect(nextAutoWidth(640, ride({ latencyP95: LINK_RULES.stepUpBelowMs }), 'raw')).toBe(640);
    expect(nextAutoWidth(640, ride({ dropped: 3 }), 'raw')).toBe(640);
    // A simulator that renders 17 fps at this size is not asked for more pixels.
    expect(nextAutoWidth(800, ride({ fps: 17 }), 'jpeg')).toBe(800);
  });

  it('offers 1280 px to JPEG only: raw stops at 800, and a raw ride after a JPEG one comes back down', () => {
    expect(nextAutoWidth(800, ride({}), 'jpeg')).toBe(1280);
    expect(nextAutoWidth(1280, ride({}), 'jpeg')).toBe(1280);
    expect(nextAutoWidth(800, ride({}), 'raw')).toBe(800);
    expect(nextAutoWidth(1280, ride({ frames: 10 }), 'raw')).toBe(800);
    expect(nextAutoWidth(1280, ride({ dropped: 300 }), 'jpeg')).toBe(800);
  });

  it('learns nothing from a ride too short to judge', () => {
    expect(nextAutoWidth(640, ride({ frames: LINK_RULES.minFrames - 1, dropped: 200, latencyP95: 500 }), 'raw')).toBe(640);
  });
});

describe('auto JPEG quality during a ride', () => {
  const good: LinkSecond = { drops: 0, latencyP95: 40, decodeMs: 5 };
  const slow: LinkSecond = { drops: 0, latencyP95: 400, decodeMs: 5 };
  const dropping: LinkSecond = { drops: 3, latencyP95: 60, decodeMs: 5 };
  const run = (g: QualityGovernor, s: LinkSecond, n: number) => Array.from({ length: n }, () => g.observe(s));

  it('steps down after two bad seconds running, not after one', () => {
    const g = new QualityGovernor(75);
    expect(g.observe(slow)).toBeNull();
    expect(g.observe(good)).toBeNull();
    expect(g.observe(dropping)).toBeNull();
    expect(g.observe(dropping)).toBe(65);
    expect(run(g, slow, 2)).toEqual([null, 50]);
    expect(run(g, { drops: 0, latencyP95: 50, decodeMs: QUALITY_RULES.badDecodeMs + 1 }, 2)).toEqual([null, 35]);
    expect(run(g, slow, 10).every((q) => q === null)).toBe(true); // the floor holds
    expect(g.quality).toBe(JPEG_STEPS[0]);
  });

  it('steps up after six good seconds, and waits twice as long after a probe that failed', () => {
    const g = new QualityGovernor(50);
    expect(run(g, good, 6)).toEqual([null, null, null, null, null, 65]);
    expect(run(g, slow, 2)).toEqual([null, 50]); // the probe failed within its window
    expect(run(g, good, 11).at(-1)).toBeNull();
    expect(g.observe(good)).toBe(65); // 12 good seconds
    // A probe that held past its window resets nothing; the next step up comes after 12 again.
    expect(run(g, good, 12).at(-1)).toBe(75);
  });

  it('holds its quality through seconds that are neither good nor bad (a middling link does not flap)', () => {
    const g = new QualityGovernor(65);
    const middling: LinkSecond = { drops: 0, latencyP95: 120, decodeMs: 8 };
    expect(run(g, middling, 60).every((q) => q === null)).toBe(true);
    // Alternating good and bad seconds never make two of a kind in a row.
    expect(run(g, good, 1).concat(...Array.from({ length: 20 }, () => [g.observe(slow), g.observe(good)]))).toEqual(Array(41).fill(null));
  });

  it('starts at the nearest step at or below the quality asked for', () => {
    expect(new QualityGovernor(70).quality).toBe(65);
    expect(new QualityGovernor(30).quality).toBe(35);
    expect(new QualityGovernor(95).quality).toBe(85);
  });
});
