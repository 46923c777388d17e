/** The link figures and the HUD feed of the stream worker, on given times. */
import { describe, expect, it } from 'vitest';
import { frameAgeMs, HUD_INTERVAL_MS, HudFeed, LinkStats, WARNING_MS } from '../../app/stream/index.ts';

describe('link figures', () => {
  it('counts the frames of the last second', () => {
    const s = new LinkStats();
    let fps = 0;
    for (let t = 0; t <= 3000; t += 40) fps = s.frame(t); // 25 fps
    expect(fps).toBe(26); // the window holds both ends: 2000, 2040 … 3000
  });

  it('gives p50 and p95 of the frames\' latencies, ignoring ages from another clock', () => {
    const s = new LinkStats();
    expect(s.latency()).toBeNull();
    for (let i = 1; i <= 100; i++) s.drawn(5, i);
    s.drawn(5, 4_000_000); // a server on another machine: not a latency
    expect(s.latency()).toEqual({ p50: 51, p95: 96 });
  });

  it('keeps only the last 300 latencies', () => {
    const s = new LinkStats();
    for (let i = 0; i < 300; i++) s.drawn(1, 1000);
    for (let i = 0; i < 300; i++) s.drawn(1, 10);
    expect(s.latency()).toEqual({ p50: 10, p95: 10 });
  });

  it('keeps a rolling mean of the draw time that starts at the first figure', () => {
    const s = new LinkStats();
    s.drawn(4, 0);
    expect(s.drawMs).toBe(4);
    s.drawn(24, 0);
    expect(s.drawMs).toBeCloseTo(4 * 0.95 + 24 * 0.05, 9);
  });

  it('gives the p95 of the newest frames alone, so the JPEG quality reacts within a second', () => {
    const s = new LinkStats();
    expect(s.recentP95()).toBeNull();
    for (let i = 0; i < 270; i++) s.drawn(1, 500);
    for (let i = 1; i <= 30; i++) s.drawn(1, i);
    expect(s.recentP95()).toBe(29);
    expect(s.latency()!.p95).toBe(500);
  });

  it('keeps a rolling mean of the JPEG decode time apart from the draw time', () => {
    const s = new LinkStats();
    s.decoded(6);
    s.decoded(26);
    expect(s.decodeMs).toBeCloseTo(6 * 0.95 + 26 * 0.05, 9);
    expect(s.drawMs).toBe(0);
  });

  it('gives the Mbit/s the link carried over the last second', () => {
    const s = new LinkStats();
    for (let t = 0; t <= 2000; t += 100) s.received(t, 125_000); // 1.25 MB/s = 10 Mbit/s
    expect(s.mbps(2000)).toBeCloseTo(11, 9); // 11 messages fall within 1000…2000
    expect(s.mbps(3500)).toBe(0);
  });

  it('takes a frame\'s age across the 2^32 ms wrap of platform_timestamp', () => {
    expect(frameAgeMs(2 ** 32 + 5, 2 ** 32 - 10)).toBe(15);
    expect(frameAgeMs(1_000_000, 999_990)).toBe(10);
  });
});

describe('HUD feed', () => {
  it('sends at most one snapshot per 100 ms unless forced, each a copy', () => {
    const sent: { warning: string; n: number }[] = [];
    const snap = { warning: '', n: 0 };
    const hud = new HudFeed(snap, (s) => sent.push(s));
    for (let t = 0; t < 1000; t += 10) { snap.n = t; hud.publish(t, false); }
    expect(sent).toHaveLength(1000 / HUD_INTERVAL_MS);
    expect(sent.map((s) => s.n).slice(0, 3)).toEqual([0, 100, 200]);
    expect(hud.publish(1001, true)).toBe(true);
    expect(sent).toHaveLength(11);
    expect(sent[0]).not.toBe(snap);
  });

  it('derives its costly figures only when a snapshot goes out, not on every frame', () => {
    let refreshed = 0;
    const sent: { warning: string; p50: number }[] = [];
    const hud = new HudFeed({ warning: '', p50: 0 }, (s) => sent.push(s), (s) => { refreshed++; s.p50 = refreshed; });
    for (let t = 0; t < 1000; t += 10) hud.publish(t, false); // 100 frames at 100 fps
    expect(refreshed).toBe(10);
    expect(sent.map((s) => s.p50)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('clears a warning 10 s after it was last raised, and keeps a lasting one', () => {
    const sent: { warning: string }[] = [];
    const hud = new HudFeed({ warning: '' }, (s) => sent.push(s));
    hud.warn('frames dropped', 0);
    hud.publish(WARNING_MS - 1, true);
    hud.warn('frames dropped', 5000); // seen again: ten seconds from now
    hud.publish(WARNING_MS + 1, true);
    hud.publish(5000 + WARNING_MS + 1, true);
    expect(sent.map((s) => s.warning)).toEqual(['frames dropped', 'frames dropped', '']);
    hud.warn('Someone else is riding this car.', 0, Infinity);
    hud.publish(1e9, true);
    expect(sent.at(-1)!.warning).toBe('Someone else is riding this car.');
  });

  it('takes a warning down when its cause has gone, and only that warning', () => {
    const snap = { warning: '' };
    const hud = new HudFeed(snap, () => {});
    hud.warn('Connection lost', 0);
    hud.clearWarning('something else');
    expect(snap.warning).toBe('Connection lost');
    hud.clearWarning('Connection lost');
    expect(snap.warning).toBe('');
  });
});
