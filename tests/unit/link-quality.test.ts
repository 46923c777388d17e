import { describe, expect, it } from 'vitest';
import { LINK_RULES, nextAutoWidth } from '../../app/ride/index.ts';

describe('auto picture quality between rides', () => {
  it('steps down when the link dropped more than 5 % of the frames', () => {
    expect(nextAutoWidth(640, { frames: 900, dropped: 100, latencyP95: 30 })).toBe(480);
    expect(nextAutoWidth(480, { frames: 900, dropped: 100, latencyP95: 30 })).toBe(480);
  });

  it('steps up only when every frame arrived with latency to spare', () => {
    expect(nextAutoWidth(640, { frames: 900, dropped: 0, latencyP95: 25 })).toBe(800);
    expect(nextAutoWidth(800, { frames: 900, dropped: 0, latencyP95: 25 })).toBe(800);
    expect(nextAutoWidth(640, { frames: 900, dropped: 0, latencyP95: LINK_RULES.stepUpBelowMs })).toBe(640);
    expect(nextAutoWidth(640, { frames: 900, dropped: 3, latencyP95: 25 })).toBe(640);
  });

  it('learns nothing from a ride too short to judge', () => {
    expect(nextAutoWidth(640, { frames: LINK_RULES.minFrames - 1, dropped: 200, latencyP95: 500 })).toBe(640);
  });
});
