import { describe, expect, it } from 'vitest';
import { AUTO_PAUSE, AutoPause } from '../../app/ride/index.ts';

/** Runs the auto-pause over a few seconds of frames at 30 fps; the clock time it let through. */
function ride(a: AutoPause, power: number, speed: number, seconds: number): number {
  let clock = 0;
  for (let t = 0; t < seconds * 30; t++) if (!a.update(power, speed, 1 / 30)) clock += 1 / 30;
  return clock;
}

describe('auto-pause', () => {
  it('never stops the clock while it is off', () => {
    expect(ride(new AutoPause(), 0, 0, 10)).toBeCloseTo(10, 5);
  });

  it(`stops the clock ${AUTO_PAUSE.afterSeconds} s after the rider stops, and starts it at the first pedal stroke`, () => {
    const a = new AutoPause();
    a.enabled = true;
    expect(ride(a, 0, 0, 10)).toBeCloseTo(AUTO_PAUSE.afterSeconds, 1);
    expect(a.update(0, 0, 1 / 30)).toBe(true);
    expect(a.update(120, 0, 1 / 30)).toBe(false);
  });

  it('keeps the clock running while coasting without power, and while barely rolling after a stop it stays paused', () => {
    const a = new AutoPause();
    a.enabled = true;
    expect(ride(a, 0, 8, 10)).toBeCloseTo(10, 5); // downhill, no pedalling: still riding
    ride(a, 0, 0, 5);
    // Between the stop and resume speeds nothing changes: no flicker at a standstill.
    expect(a.update(0, (AUTO_PAUSE.stopBelowMps + AUTO_PAUSE.resumeAboveMps) / 2, 1 / 30)).toBe(true);
    expect(a.update(0, AUTO_PAUSE.resumeAboveMps + 0.1, 1 / 30)).toBe(false);
  });
});
