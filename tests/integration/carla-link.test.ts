/**
 * The relay's CARLA link (relay/carla-link.ts) in-process, against the strict fake CARLA: its
 * state machine from idle through the handshake to streaming, and what it does when the server
 * is down, stalls or sends an absurd length. No relay process, no WebSocket.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeControl, encodeEpisodeStart, encodeRequestNewEpisode, ErrorCode, type LinkState } from '../../proto/index.ts';
import { CarlaLink } from '../../relay/carla-link.ts';
import { validateConfig } from '../../relay/index.ts';
import { FakeCarla, type FakeScript } from '../support/fake-carla.ts';
import { freePortTriple } from '../support/ports.ts';
import { FAST_RECONNECT, FAST_TIMEOUTS } from '../support/relay-process.ts';

const SYNC_INI = encodeRequestNewEpisode('[CARLA/Server]\nSynchronousMode=True\n');
const CONTROL = encodeControl({ throttle: 0.5 });
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

interface Watched {
  link: CarlaLink;
  states: LinkState[];
  problems: string[];
  frames: number;
  /** Messages of the frame under way, by kind. */
  kinds: string[];
  /** Resolves when pred holds, checked after every event. */
  until: (pred: () => boolean, what: string, ms?: number) => Promise<void>;
}

async function linkTo(port: number, answerFrames = true): Promise<Watched> {
  const cfg = validateConfig({ cars: { main: { host: '127.0.0.1', port } }, timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT });
  const link = new CarlaLink('main', cfg.cars.main!, cfg, pino({ level: 'silent' }));
  cleanups.push(() => link.stop());
  const w: Watched = { link, states: [], problems: [], frames: 0, kinds: [], until: null! };
  const waiters = new Set<() => void>();
  const wake = () => { for (const f of waiters) f(); };
  link.on('state', (s) => { w.states.push(s); wake(); });
  link.on('problem', (code) => { w.problems.push(code); wake(); });
  link.on('scene', () => { link.startEpisode(encodeEpisodeStart(0)); wake(); });
  link.on('messageStart', (kind) => w.kinds.push(kind));
  link.on('frameEnd', () => {
    w.frames++;
    w.kinds = [];
    // A driver answering every frame at once, as the relay does with its newest Control.
    if (answerFrames) link.sendControl(CONTROL);
    wake();
  });
  w.until = (pred, what, ms = 10_000) => new Promise((resolve, reject) => {
    const check = () => { if (pred()) { clearTimeout(t); waiters.delete(check); resolve(); } };
    const t = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${what}; states ${w.states.join(' → ')}, problems ${w.problems.join(', ')}`)); }, ms);
    waiters.add(check);
    check();
  });
  return w;
}

async function fakeCarla(script: FakeScript = {}): Promise<FakeCarla> {
  const fake = new FakeCarla({ sensorBytes: 1000, ...script });
  await fake.listen();
  cleanups.push(() => fake.close());
  return fake;
}

describe('the CARLA link', () => {
  it('goes idle → connecting → loading_episode → streaming, and streams whole frames in order', async () => {
    const fake = await fakeCarla();
    const w = await linkTo(fake.port);
    expect(w.link.state).toBe('idle');
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.frames >= 10, '10 frames');
    expect(w.states.slice(0, 3)).toEqual(['connecting', 'loading_episode', 'streaming']);
    expect(fake.episodes).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it('sends exactly one Control per frame in synchronous mode (the strict fake counts)', async () => {
    const fake = await fakeCarla();
    const w = await linkTo(fake.port);
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.frames >= 30, '30 frames');
    expect(fake.controls.length).toBe(fake.framesSent - 1);
    expect(fake.violations).toEqual([]);
  });

  it('refuses a Control when no episode streams', async () => {
    const fake = await fakeCarla();
    const w = await linkTo(fake.port);
    expect(w.link.sendControl(CONTROL)).toBe(false);
  });

  it('waits for a server that is down, saying when it tries again, and streams once it is up', async () => {
    const port = await freePortTriple();
    const w = await linkTo(port);
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.states.includes('waiting_for_simulator'), 'waiting_for_simulator');
    const fake = new FakeCarla({ sensorBytes: 1000 }, port);
    await fake.listen();
    cleanups.push(() => fake.close());
    await w.until(() => w.frames >= 3, '3 frames');
    expect(w.link.state).toBe('streaming');
  });

  it('tears down a stalled stream, says so, and asks for the same episode again', async () => {
    const fake = await fakeCarla({ stallAfterFrames: 5 });
    const w = await linkTo(fake.port);
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.problems.includes(ErrorCode.STREAM_STALLED), 'a stall');
    await w.until(() => fake.episodes >= 2, 'a second episode');
    expect(fake.violations).toEqual([]);
  });

  it('drops the link on a length prefix over the limit, naming the error', async () => {
    const fake = await fakeCarla({ absurdLengthAfterFrames: 2 });
    const w = await linkTo(fake.port);
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.problems.includes(ErrorCode.CARLA_MESSAGE_TOO_LARGE), 'the too-large error');
  });

  it('ends an episode on endEpisode (idle, agent ports closed) and can ride again', async () => {
    const fake = await fakeCarla();
    const w = await linkTo(fake.port);
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.frames >= 3, '3 frames');
    w.link.endEpisode();
    expect(w.link.state).toBe('idle');
    const before = w.frames;
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.frames >= before + 3, '3 frames of a new episode');
    expect(fake.episodes).toBe(2);
    expect(fake.violations).toEqual([]);
  });

  it('stops for good on stop(): idle, no world connection left, no reconnection', async () => {
    const fake = await fakeCarla();
    const w = await linkTo(fake.port);
    w.link.requestEpisode(SYNC_INI);
    await w.until(() => w.frames >= 3, '3 frames');
    w.link.stop();
    expect(w.link.state).toBe('idle');
    await expect.poll(() => fake.openWorldConnections, { timeout: 5000 }).toBe(0);
    const connections = fake.worldConnections;
    await new Promise((r) => setTimeout(r, FAST_RECONNECT.maxDelayMs * 2)); // longer than any back-off
    expect(fake.worldConnections).toBe(connections);
  });
});
