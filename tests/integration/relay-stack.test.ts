/**
 * `npm start` as a rider meets it: the relay with its embedded simulator, one driver and
 * spectators over WebSocket, real processes on loopback.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { carsSchema } from '../../proto/index.ts';
import { iniFor } from '../support/carla-client.ts';
import { freePortTriple } from '../support/ports.ts';
import { runNpm, type RunningProcess } from '../support/processes.ts';
import { RelayTestClient } from '../support/relay-client.ts';

let relay: RunningProcess;
let port: number;
const url = (q: string) => `ws://127.0.0.1:${port}/carla?${q}`;
const INI = iniFor({ sync: true, vehicles: 4, sensors: [{ name: 'Cam', w: 160, h: 120 }] });
const carsNow = async () => carsSchema.parse(await (await fetch(`http://127.0.0.1:${port}/api/cars`)).json());

beforeAll(async () => {
  // The embedded simulator keeps one world port across its restarts: the one port chosen here.
  const simPort = await freePortTriple();
  relay = runNpm('start', ['--port', '0', '--sim-port', String(simPort), '--host', '127.0.0.1'], { CYCARLA_ACCESS_TOKEN: '' });
  port = (await relay.waitForLog('relay listening')).port as number;
  await relay.waitForLog('simulator listening');
});
afterAll(async () => { await relay.stop(); });

/** Each test rides with a driver of its own, in an episode of its own, on the shared stack. */
const drivers: RelayTestClient[] = [];
async function newDriver(): Promise<RelayTestClient> {
  const d = await RelayTestClient.open(url('car=main&role=driver'));
  drivers.push(d);
  await d.event('hello');
  return d;
}
async function riding(index = 1): Promise<RelayTestClient> {
  const d = await newDriver();
  await d.ride(INI, index);
  return d;
}
afterEach(async () => {
  for (const d of drivers.splice(0)) d.close();
  // The next test's driver would be refused while the relay still counts this one.
  await expect.poll(async () => (await carsNow())[0]!.driver, { timeout: 5000 }).toBe(false);
});

describe('a ride through the relay', () => {
  it('greets with the contract version, the car and its state, first of all', async () => {
    const driver = await newDriver();
    expect(driver.events[0]!.type).toBe('hello');
    expect(driver.events[0]).toMatchObject({ version: 3, car: 'main', role: 'driver', cars: ['main'], protocol: '0.8', encoding: 'raw' });
  });

  it('carries the handshake and streams whole frames: Measurements, the camera, the end', async () => {
    const driver = await riding();
    expect(driver.scenes.at(-1)!.sensors.map((s) => s.name)).toEqual(['Cam']);
    expect(driver.readies.at(-1)).toBe(true);
    await driver.event('state', (e) => e.state === 'streaming');
    for (let k = 0; k < 20; k++) driver.control({ throttle: 1 });
    await driver.framesAtLeast(10);
    const f = driver.frames.at(-1)!;
    expect(f.sensors).toHaveLength(1);
    expect(f.sensors[0]!.byteLength).toBe(28 + 4 * 160 * 120);
    // Frame numbers come in order, each once.
    const numbers = driver.frames.map((x) => x.measurements.frameNumber);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it("lists the car's map and start spots for the home screen once a scene has been seen", async () => {
    const driver = await riding();
    const cars = await carsNow();
    expect(cars).toHaveLength(1);
    expect(cars[0]).toMatchObject({ name: 'main', protocol: '0.8', scene: { mapName: driver.scenes[0]!.mapName } });
    expect(cars[0]!.scene!.startSpots).toHaveLength(driver.scenes[0]!.playerStartSpots.length);
    expect(cars[0]!.scene!.startSpots.length).toBeGreaterThan(1);
  });

  it("moves the bike with the driver's Controls", async () => {
    const driver = await riding();
    const stop = setInterval(() => driver.control({ throttle: 1 }), 20);
    const n = driver.frameCount;
    await driver.framesAtLeast(n + 60);
    clearInterval(stop);
    expect(driver.frames.at(-1)!.measurements.playerMeasurements.forwardSpeed).toBeGreaterThan(3);
  });

  it('releases synchronous frames no faster than real time, however fast the driver answers', async () => {
    const driver = await riding();
    const tick = setInterval(() => driver.control({ throttle: 0.5 }), 5);
    const n = driver.frameCount;
    const t0 = performance.now();
    await driver.framesAtLeast(n + 30);
    clearInterval(tick);
    const fps = 30 / ((performance.now() - t0) / 1000);
    // Pacing can only hold frames back; the lower bound only shows that frames still flow.
    expect(fps).toBeLessThan(33);
    expect(fps).toBeGreaterThan(5);
  });

  it('lets spectators watch the same frames, sends them nothing of theirs, and refuses a second driver', async () => {
    const driver = await riding();
    const spectator = await RelayTestClient.open(url('car=main&role=spectator'));
    await spectator.event('hello');
    // A late joiner learns the episode it joins.
    await spectator.until(() => spectator.scenes.length === 1 && spectator.readies.length === 1, 5000, 'scene and ready replayed');
    const keep = setInterval(() => driver.control({ throttle: 0.3 }), 20);
    await spectator.framesAtLeast(5);
    spectator.control({ throttle: 1, steer: 1 });
    await spectator.event('error', (e) => e.code === 'RELAY_ERR_SPECTATOR_CANNOT_SEND');
    const last = spectator.frames.at(-1)!.measurements.frameNumber;
    await driver.until(() => driver.frames.some((f) => f.measurements.frameNumber === last));

    const second = await RelayTestClient.open(url('car=main&role=driver'));
    expect(await second.closed()).toBe(4409);
    expect(second.events.find((e) => e.type === 'error')).toMatchObject({ code: 'RELAY_ERR_DRIVER_TAKEN' });
    clearInterval(keep);
    spectator.close();
  });

  it('brakes the bike with safe Controls when the driver falls silent, and says so', async () => {
    const driver = await riding();
    const keep = setInterval(() => driver.control({ throttle: 1 }), 20);
    await driver.framesAtLeast(driver.frameCount + 30);
    clearInterval(keep);
    const silentFrom = driver.events.length;
    const speed = driver.frames.at(-1)!.measurements.playerMeasurements.forwardSpeed;
    await driver.event('control', (e) => e.state === 'stale', 5000, silentFrom);
    await driver.framesAtLeast(driver.frameCount + 45);
    expect(driver.frames.at(-1)!.measurements.playerMeasurements.forwardSpeed).toBeLessThan(Math.max(0.2, speed / 3));
  });

  it('restarts an embedded simulator that crashed, and the same ride carries on', async () => {
    const driver = await riding();
    const scenes = driver.scenes.length;
    const started = await relay.waitForLog('embedded simulator starting');
    const listening = () => relay.output().split('\n').filter((l) => l.includes('"msg":"simulator listening"')).length;
    const before = listening();
    const from = driver.events.length;
    process.kill(started.pid as number, 'SIGKILL');
    await driver.event('state', (e) => e.state === 'waiting_for_simulator', 10_000, from);
    await relay.waitForLog('embedded simulator exited; restarting');
    await driver.until(() => listening() > before, 30_000, 'the simulator listening again');
    // The relay asks for the same episode again; the driver sees a new scene and frames resume.
    await driver.event('state', (e) => e.state === 'streaming', 30_000, from);
    const n = driver.frameCount;
    const keep = setInterval(() => driver.control({ throttle: 0.5 }), 20);
    await driver.framesAtLeast(n + 20, 15_000);
    clearInterval(keep);
    expect(driver.scenes.length).toBeGreaterThan(scenes);
  }, 90_000);
});

describe('the endpoint', () => {
  it('answers /healthz and /metrics with the state of a car being ridden', async () => {
    await riding();
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', cars: { main: { state: 'streaming', driver: true } } });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of ['cycarla_relay_sessions', 'cycarla_relay_frames_in_total', 'cycarla_relay_bytes_out_total', 'cycarla_relay_frames_dropped_total', 'cycarla_relay_reconnects_total', 'cycarla_relay_control_age_seconds']) {
      expect(metrics).toContain(name);
    }
    expect(metrics).toMatch(/cycarla_relay_link_state\{car="main",state="streaming"\} 1/);
  });

  it('refuses a browser from another origin before the upgrade', async () => {
    await expect(RelayTestClient.open(url('car=main&role=spectator'), { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    const same = await RelayTestClient.open(url('car=main&role=spectator'), { origin: `http://127.0.0.1:${port}` });
    await same.event('hello');
    same.close();
  });

  it('closes with 4404 for an unknown car and 4400 for an unknown role', async () => {
    const a = await RelayTestClient.open(url('car=lorry&role=driver'));
    expect(await a.closed()).toBe(4404);
    const b = await RelayTestClient.open(url('car=main&role=captain'));
    expect(await b.closed()).toBe(4400);
  });

  it('closes with 4400 for an encoding or a JPEG quality it does not offer, saying what it does', async () => {
    const a = await RelayTestClient.open(url('car=main&role=spectator&encoding=gif'));
    expect(await a.closed()).toBe(4400);
    expect(a.events.find((e) => e.type === 'error')).toMatchObject({ code: 'RELAY_ERR_BAD_ENCODING', message: 'encoding must be raw or jpeg, not "gif"' });
    const b = await RelayTestClient.open(url('car=main&role=spectator&encoding=jpeg&quality=99'));
    expect(await b.closed()).toBe(4400);
    expect(b.closeReason).toBe('quality must be an integer from 30 to 95');
  });

  it('streams JPEG camera frames to a client that asks, and raw ones to an old client that does not', async () => {
    const driver = await riding();
    const keep = setInterval(() => driver.control({ throttle: 0.4 }), 20);
    const jpeg = await RelayTestClient.open(url('car=main&role=spectator&encoding=jpeg'));
    expect(await jpeg.event('hello')).toMatchObject({ version: 3, encoding: 'jpeg' });
    await jpeg.framesAtLeast(3);
    clearInterval(keep);
    const f = jpeg.frames.at(-1)!;
    expect(f.sensors).toEqual([]);
    // JPEG's start-of-image marker after the 28-byte camera header, far smaller than 160×120 BGRA.
    expect([...f.jpegs[0]!.subarray(28, 30)]).toEqual([0xff, 0xd8]);
    expect(f.jpegs[0]!.byteLength).toBeLessThan(28 + 4 * 160 * 120);
    expect(driver.frames.at(-1)!.sensors[0]!.byteLength).toBe(28 + 4 * 160 * 120);
    jpeg.close();
  });

  it('closes a connection whose message exceeds the size limit with 1009', async () => {
    const c = await RelayTestClient.open(url('car=main&role=spectator'));
    await c.event('hello');
    c.ws.send(Buffer.alloc(70 * 1024));
    expect(await c.closed()).toBe(1009);
  });

  it('serves the built app', async () => {
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('<div id="app"></div>');
    expect(page).toMatch(/<script type="module"[^>]+src="\/assets\/index-[^"]+\.js"/);
  });

  it('never lets a browser name a host: only configured cars exist', async () => {
    const c = await RelayTestClient.open(url('car=127.0.0.1:22&role=driver'));
    expect(await c.closed()).toBe(4404);
  });
});

