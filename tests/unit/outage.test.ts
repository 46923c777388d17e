/** The outage line, as a function of the relay's events and the time: words, a countdown, the reason underneath. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../proto/index.ts';
import { LinkStats, Outage, outageWords } from '../../app/stream/index.ts';

describe('the outage line', () => {
  it('is empty while frames flow, and says so at once when they stop, before the relay does', () => {
    const o = new Outage();
    o.state('streaming', 0);
    for (let t = 0; t <= 1000; t += 33) o.frame(t);
    expect(o.view(1400)).toEqual({ text: '', detail: '', link: 'streaming' });
    expect(o.view(3100)).toEqual({ text: 'The simulator has sent no pictures for 2 s — waiting for it', detail: '', link: 'waiting_for_simulator' });
  });

  it('puts the relay\'s reason in words with a countdown to its next try, and the technical reason underneath', () => {
    const o = new Outage();
    o.state('streaming', 0);
    expect(o.error(ErrorCode.STREAM_STALLED, 'no frame for 5000 ms')).toBe(true);
    o.state('waiting_for_simulator', 10_000, 4000);
    expect(o.view(10_100)).toEqual({ text: 'The simulator stopped sending pictures — trying again in 4 s', detail: 'no frame for 5000 ms', link: 'waiting_for_simulator' });
    expect(o.view(12_500).text).toBe('The simulator stopped sending pictures — trying again in 2 s');
    expect(o.view(14_200).text).toBe('The simulator stopped sending pictures — trying again now');
    o.state('connecting', 14_300);
    expect(o.view(14_400).text).toBe('The simulator stopped sending pictures — trying again now');
    o.state('streaming', 15_000);
    o.frame(15_010);
    expect(o.view(15_020).text).toBe('');
  });

  it('tells a simulator that is not running from one that hung up, and leaves other errors to the warning line', () => {
    expect(outageWords(ErrorCode.CARLA_CLOSED, 'world connection: ECONNREFUSED')).toBe('The simulator is not running, or this computer cannot reach it');
    expect(outageWords(ErrorCode.CARLA_CLOSED, 'control connection closed by the server')).toBe('The simulator closed the connection');
    expect(outageWords(ErrorCode.HANDSHAKE_TIMEOUT, 'no first frame within 60000 ms')).toBe('The simulator did not start the ride in time');
    expect(new Outage().error(ErrorCode.DRIVER_TAKEN, 'car "main" already has a driver')).toBe(false);
  });
});

describe('the fps figure', () => {
  it('falls to 0 a second after the last frame', () => {
    const s = new LinkStats();
    for (let t = 0; t < 1000; t += 33) s.frame(t);
    expect(s.fps(1000)).toBeGreaterThanOrEqual(29);
    expect(s.fps(1600)).toBeLessThan(15);
    expect(s.fps(2100)).toBe(0);
  });
});

describe('the world\'s pace', () => {
  it('is the wall\'s while simulated time keeps up, and "behind" with its share when it runs slow', async () => {
    const { WorldPace } = await import('../../app/stream/index.ts');
    const keeping = new WorldPace(), slow = new WorldPace();
    for (let t = 0; t <= 6000; t += 33) { keeping.frame(t, 1000 + t); slow.frame(t, 1000 + t * 0.8); }
    expect(keeping.behindPercent()).toBe(0);
    expect(slow.behindPercent()).toBe(80);
    expect(new WorldPace().ratio()).toBeNull();
  });

  it('starts its window anew with a new episode\'s clock', async () => {
    const { WorldPace } = await import('../../app/stream/index.ts');
    const p = new WorldPace();
    for (let t = 0; t <= 3000; t += 33) p.frame(t, 50_000 + t * 0.5);
    expect(p.behindPercent()).toBe(50);
    for (let t = 3033; t <= 6100; t += 33) p.frame(t, t - 3033);
    expect(p.behindPercent()).toBe(0);
  });
});
