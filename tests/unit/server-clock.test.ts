/**
 * The relay's pacing, as a function of the frames' game_timestamp: frames are due at their
 * simulated time laid on the wall clock, whatever step the server takes.
 */
import { describe, expect, it } from 'vitest';
import { peekGameTimestamp, ServerClock } from '../../relay/server-clock.ts';
import { encodeMeasurements } from '../../proto/index.ts';

const measurements = (gameTimestamp: number, agents = 0) => encodeMeasurements({
  platformTimestamp: 123456789, gameTimestamp, frameNumber: 7,
  playerMeasurements: { forwardSpeed: 3 },
  nonPlayerAgents: Array.from({ length: agents }, (_, i) => ({ id: i + 1 })),
} as never);

describe('game_timestamp from the head of a Measurements message', () => {
  it('reads it from the first bytes, before the player and agents', () => {
    const m = measurements(4_000_123, 200);
    expect(m.byteLength).toBeGreaterThan(1000);
    expect(peekGameTimestamp(m.subarray(0, 24))).toBe(4_000_123);
  });

  it('is 0 when the server left it out (proto3 default), null for bytes that are no Measurements', () => {
    expect(peekGameTimestamp(measurements(0))).toBe(0);
    expect(peekGameTimestamp(Uint8Array.of(0x0a, 0x02, 0x01, 0x02))).toBeNull(); // field 1 as bytes
    expect(peekGameTimestamp(Uint8Array.of(0x08, 0xff, 0xff))).toBeNull(); // cut inside a varint
    expect(peekGameTimestamp(new Uint8Array(0))).toBeNull();
  });
});

describe('the pacing timeline', () => {
  it('releases each frame one server step after the last: 100 ms for a 10 fps server, 16.7 for 60', () => {
    for (const stepMs of [100, 1000 / 60]) {
      const clock = new ServerClock(1000 / 30);
      let now = 5000;
      const due: number[] = [];
      for (let k = 0; k < 50; k++) {
        due.push(clock.frame(Math.round(10_000 + k * stepMs), now));
        now += 2; // frames arrive fast: the clock holds them
        now = Math.max(now, due.at(-1)!);
      }
      const span = due.at(-1)! - due[0]!;
      expect(Math.abs(span - 49 * stepMs)).toBeLessThan(49 * stepMs * 0.02);
    }
  });

  it('keeps the wall\'s pace without drift when late timers and steps of varying length come', () => {
    const clock = new ServerClock(1000 / 30);
    let now = 0, game = 0;
    let first = 0;
    for (let k = 0; k < 300; k++) {
      const due = clock.frame(game, now);
      if (k === 0) first = due;
      now = Math.max(now, due) + (k % 7 === 0 ? 9 : 1); // a timer now and then late
      game += 30 + (k % 3) * 5; // 30, 35, 40 ms steps
    }
    const simulated = game - (30 + ((299) % 3) * 5);
    expect(Math.abs(now - first - simulated)).toBeLessThan(50);
  });

  it('starts anew after a frame a whole step late instead of bursting to catch up', () => {
    const clock = new ServerClock(1000 / 30);
    clock.frame(0, 0);
    clock.frame(100, 100);
    expect(clock.frame(200, 1500)).toBe(1500); // 1.3 s late: due now
    expect(clock.frame(300, 1505)).toBe(1600); // then one step after it, not at once
  });

  it('uses the fallback step for a server without a clock, and a new episode\'s first frame goes at once', () => {
    const clock = new ServerClock(50);
    expect(clock.frame(0, 0)).toBe(0);
    expect(clock.frame(0, 1)).toBe(50);
    expect(clock.frame(null, 2)).toBe(100);
    clock.restart();
    expect(clock.frame(777, 3)).toBe(3);
  });
});
