/**
 * The relay against a fake CARLA server that misbehaves on purpose (spec §9) and a driver
 * who does: every case through the real relay process on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCarla, type FakeScript } from '../support/fake-carla.ts';
import { freePortTriple } from '../support/ports.ts';
import { RelayTestClient } from '../support/relay-client.ts';
import { FAST_RECONNECT, FAST_TIMEOUTS, startRelay, type RelayProcess } from '../support/relay-process.ts';

const INI = '[CARLA/Server]\nSynchronousMode=True\n';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(script: FakeScript = {}, opts: { startFake?: boolean; timeouts?: Partial<typeof FAST_TIMEOUTS>; limits?: Record<string, number> } = {}) {
  // A fake that is down at start needs its port known beforehand: the one case for probing.
  const fake = new FakeCarla({ sensorBytes: 2000, stepMs: 10, ...script }, opts.startFake === false ? await freePortTriple() : 0);
  if (opts.startFake !== false) await fake.listen();
  const carlaPort = fake.port;
  cleanups.push(() => fake.close().catch(() => {}));
  const relay: RelayProcess = await startRelay({
    cars: { main: { host: '127.0.0.1', port: carlaPort, syncFps: 100 } },
    timeouts: { ...FAST_TIMEOUTS, ...opts.timeouts }, reconnect: FAST_RECONNECT,
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  cleanups.push(() => relay.proc.stop());
  const driver = await RelayTestClient.open(relay.url('car=main&role=driver'));
  cleanups.push(() => driver.close());
  await driver.event('hello');
  // A driver that keeps its Controls coming, as the app does.
  const keep = setInterval(() => driver.control({ throttle: 0.5 }), 20);
  const stopControls = () => clearInterval(keep);
  cleanups.push(stopControls);
  return { fake, relay, driver, stopControls };
}

describe('CARLA comes and goes', () => {
  it('waits for a simulator that is down at start, then rides when it comes up', async () => {
    const { fake, driver } = await setup({}, { startFake: false });
    driver.requestEpisode(INI);
    const waiting = await driver.event('state', (e) => e.state === 'waiting_for_simulator');
    expect(waiting.retryInMs).toBeGreaterThanOrEqual(100);
    expect(waiting.reason).toMatch(/ECONNREFUSED/);
    await fake.listen();
    await driver.until(() => driver.scenes.length > 0, 10_000, 'scene');
    driver.startEpisode(0);
    await driver.framesAtLeast(5);
    expect(fake.violations).toEqual([]);
  });

  it('retries a world port that accepts and then resets the connection (spec §9.2)', async () => {
    const { fake, driver } = await setup({ resetWorldConnections: 2 });
    driver.requestEpisode(INI);
    await driver.event('state', (e) => e.state === 'waiting_for_simulator' && /ECONNRESET|closed/.test(e.reason ?? ''));
    await driver.until(() => driver.scenes.length > 0, 10_000, 'scene');
    driver.startEpisode(0);
    await driver.framesAtLeast(3);
    expect(fake.worldConnections).toBe(3);
  });

  it('waits for a first frame that comes late but within the handshake time (spec §9.5)', async () => {
    const { fake, driver } = await setup({ firstFrameDelayMs: 1500 });
    await driver.ride(INI);
    expect(driver.events.filter((e) => e.type === 'error')).toEqual([]);
    expect(fake.worldConnections).toBe(1);
  });

  it('keeps the control socket open while a first frame comes exactly ServerTimeOut late (spec §9.3, §9.5): one episode, no failure', async () => {
    const { fake, driver } = await setup({ firstFrameDelayMs: 2000, serverTimeoutMs: 2000 });
    await driver.ride(INI);
    await driver.framesAtLeast(driver.frameCount + 20);
    expect(fake.controlTimeouts).toBe(0);
    expect(driver.events.filter((e) => e.type === 'error')).toEqual([]);
    expect(fake.episodes).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it('gives up on a handshake that never completes, and tries again', async () => {
    const { fake, driver } = await setup({ silentHandshake: true });
    driver.requestEpisode(INI);
    const e = await driver.event('error', (x) => x.code === 'RELAY_ERR_HANDSHAKE_TIMEOUT', 10_000);
    expect(e.message).toContain('3000 ms');
    await driver.until(() => fake.worldConnections >= 2, 10_000, 'a second attempt');
  });

  it('treats EpisodeReady(ready=false) as a failure and retries the episode', async () => {
    const { fake, driver } = await setup({ ready: false });
    driver.requestEpisode(INI);
    await driver.until(() => driver.scenes.length > 0, 10_000, 'scene');
    driver.startEpisode(0);
    await driver.event('error', (x) => x.code === 'RELAY_ERR_EPISODE_NOT_READY');
    expect(driver.readies[0]).toBe(false);
    fake.script.ready = true;
    await driver.until(() => driver.frameCount > 0, 10_000, 'frames after the retry');
    expect(fake.episodes).toBeGreaterThanOrEqual(2);
  });

  it('retries agent ports that refuse right after EpisodeReady (spec §9.1)', async () => {
    const { fake, driver } = await setup({ agentDelayMs: 600 });
    await driver.ride(INI);
    expect(fake.worldConnections).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it('notices a stalled stream, tears the episode down, and starts a new one', async () => {
    const { fake, driver } = await setup({ stallAfterFrames: 5 });
    await driver.ride(INI);
    await driver.event('error', (x) => x.code === 'RELAY_ERR_STREAM_STALLED', 5000);
    await driver.event('state', (x) => x.state === 'waiting_for_simulator');
    await driver.until(() => fake.episodes >= 2, 10_000, 'a new episode');
    await driver.until(() => driver.frameCount >= 10, 10_000, 'frames of the new episode');
    expect(fake.violations).toEqual([]);
  });

  it('starts the episode after a failure where the driver says (its spot nearest ahead), and at the old spot without an answer', async () => {
    const { fake, driver } = await setup({ stallAfterFrames: 5 });
    await driver.ride(INI, 0);
    // The driver answers the new episode's scene with another spot.
    await driver.until(() => driver.scenes.length >= 2, 10_000, 'the new episode\'s scene');
    driver.startEpisode(3);
    await driver.until(() => fake.episodes >= 2, 5000, 'a new episode');
    expect(fake.startSpots.slice(0, 2)).toEqual([0, 3]);
    // A driver that does not answer: after a second the episode starts at the spot it had.
    await driver.until(() => driver.scenes.length >= 3, 10_000, 'a third scene');
    const asked = performance.now();
    await driver.until(() => fake.episodes >= 3, 5000, 'a third episode');
    expect(performance.now() - asked).toBeGreaterThan(800);
    expect(fake.startSpots[2]).toBe(3);
    expect(fake.violations).toEqual([]);
  });

  it('recovers when the server closes the control connection mid-episode (spec §9.3)', async () => {
    const { fake, driver } = await setup({ closeControlAfterFrames: 4 });
    await driver.ride(INI);
    await driver.event('error', (x) => x.code === 'RELAY_ERR_CARLA_CLOSED' && /control/.test(x.message), 5000);
    await driver.until(() => fake.episodes >= 2, 10_000, 'a new episode');
    expect(fake.violations).toEqual([]);
  });

  it('closes the old agent connections before asking for a new episode', async () => {
    const { fake, driver, relay } = await setup();
    await driver.ride(INI);
    await driver.framesAtLeast(5);
    await driver.ride(INI, 1);
    const diagnosis = () => `fake sent ${fake.framesSent} frames, got ${fake.controls.length} controls; events ${JSON.stringify(driver.events)}\nrelay warnings:\n${relay.proc.output().split('\n').filter((l) => /"level":40/.test(l)).join('\n')}`;
    expect(fake.episodes, diagnosis()).toBe(2);
    expect(fake.worldConnections).toBe(1);
    expect(fake.violations).toEqual([]);
  });
});

describe('framing from CARLA', () => {
  it('reassembles frames delivered one byte at a time', async () => {
    const { driver } = await setup({ chunking: 'bytewise', sensorBytes: 300 });
    await driver.ride(INI);
    await driver.framesAtLeast(5);
    for (const f of driver.frames) expect(f.sensors.map((s) => s.byteLength)).toEqual([300]);
  });

  it('splits frames coalesced into one chunk, in order', async () => {
    const { driver } = await setup({ chunking: 'coalesced', synchronous: false, frameIntervalMs: 10 });
    await driver.ride('[CARLA/Server]\nSynchronousMode=False\n');
    await driver.framesAtLeast(20);
    const n = driver.frames.map((f) => f.measurements.frameNumber);
    expect(n.slice(1).every((v, i) => v === n[i]! + 1)).toBe(true);
  });

  it('drops the link on an absurd length prefix, tells the browser, and reconnects', async () => {
    const { fake, driver } = await setup({ absurdLengthAfterFrames: 3 }, { limits: { maxCarlaMessageBytes: 1024 * 1024 } });
    await driver.ride(INI);
    const e = await driver.event('error', (x) => x.code === 'RELAY_ERR_CARLA_MESSAGE_TOO_LARGE', 5000);
    expect(e.message).toContain('exceeds the limit of 1048576 bytes');
    await driver.until(() => fake.episodes >= 2, 10_000, 'a new episode');
  });
});

describe('the driver', () => {
  it('sends safe Controls (full brake, no throttle) within the stale time when the driver stops, one per frame', async () => {
    const { fake, driver, stopControls } = await setup();
    await driver.ride(INI);
    stopControls();
    const from = fake.controls.length, fromFrames = fake.framesSent;
    await driver.event('control', (e) => e.state === 'stale', 3000, driver.events.length);
    await driver.until(() => fake.controls.slice(from).some((c) => c.brake === 1 && c.throttle === 0), 3000, 'safe controls');
    await driver.until(() => fake.framesSent - fromFrames >= 20, 5000, '20 more frames');
    // Every frame still gets exactly one Control (so the server never hits its timeout), and
    // the strict fake saw no second Control for any frame. Each Control releases the next
    // frame at once, in this process: the two counts move together.
    expect(fake.controls.length - from).toBe(fake.framesSent - fromFrames);
    expect(fake.violations).toEqual([]);
  });

  it('does not call a driver stale for the first frames of its episode, before its first Control could come', async () => {
    const { driver } = await setup();
    await driver.ride(INI);
    await driver.framesAtLeast(10);
    expect(driver.events.filter((e) => e.type === 'control' && e.state === 'stale')).toEqual([]);
    expect(driver.events.filter((e) => e.type === 'control').at(-1)).toMatchObject({ state: 'live' });
  });

  it('keeps the episode through a short disconnection, and ends it after the grace period', async () => {
    const { fake, relay, driver } = await setup();
    const watcher = await RelayTestClient.open(relay.url('car=main&role=spectator'));
    cleanups.push(() => watcher.close());
    await driver.ride(INI);
    driver.close();
    // The relay has seen the driver go (and holds the episode for driverGraceMs).
    await watcher.event('driver', (e) => !e.present);
    expect(fake.openWorldConnections).toBe(1);
    const back = await RelayTestClient.open(relay.url('car=main&role=driver'));
    cleanups.push(() => back.close());
    const hello = await back.event('hello');
    expect(hello.state).toBe('streaming');
    // A returning driver is told the episode it returns to.
    await back.until(() => back.scenes.length === 1 && back.readies.length === 1, 5000, 'scene and ready replayed');
    back.control({ throttle: 1 });
    await back.framesAtLeast(3);
    expect(fake.episodes).toBe(1);
    back.close();
    await watcher.until(() => watcher.events.filter((e) => e.type === 'driver' && !e.present).length === 2, 5000, 'the driver gone again');
    // Still held within the grace period (1.5 s), ended after it.
    expect(fake.openWorldConnections).toBe(1);
    await expect.poll(() => fake.openWorldConnections, { timeout: 5000 }).toBe(0);
    expect(fake.episodes).toBe(1);
  });

  it('refuses a second driver while the first is still setting up its episode', async () => {
    const { relay, driver, stopControls } = await setup();
    stopControls(); // no Controls yet: only the handshake
    driver.requestEpisode(INI);
    const second = await RelayTestClient.open(relay.url('car=main&role=driver'));
    expect(await second.closed()).toBe(4409);
  });

  it('lets a new driver take over from one that has gone silent', async () => {
    const { relay, driver, stopControls } = await setup();
    await driver.ride(INI);
    stopControls(); // the first driver goes quiet
    await driver.event('control', (e) => e.state === 'stale', 3000, driver.events.length);
    const next = await RelayTestClient.open(relay.url('car=main&role=driver'));
    cleanups.push(() => next.close());
    await next.event('hello');
    expect(await driver.closed()).toBe(4410);
  });
});
