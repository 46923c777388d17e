/**
 * Operating the relay: several cars, slow readers, shutdown and log files (TLS: relay-tablet).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCarla } from '../support/fake-carla.ts';
import { accepts } from '../support/ports.ts';
import { ROOT, scriptPid } from '../support/processes.ts';
import { RelayTestClient } from '../support/relay-client.ts';
import { FAST_RECONNECT, FAST_TIMEOUTS, startRelay } from '../support/relay-process.ts';

const INI = '[CARLA/Server]\nSynchronousMode=True\n';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function fake(script = {}): Promise<FakeCarla> {
  const f = new FakeCarla({ sensorBytes: 2000, ...script });
  await f.listen();
  cleanups.push(() => f.close().catch(() => {}));
  return f;
}

function keepDriving(c: RelayTestClient): void {
  const t = setInterval(() => c.control({ throttle: 0.5 }), 20);
  cleanups.push(() => clearInterval(t));
}

describe('several cars', () => {
  it('keeps one car riding when another car\'s simulator dies', async () => {
    const a = await fake({ stepMs: 17 }), b = await fake({ stepMs: 17 });
    const relay = await startRelay({
      cars: { alpha: { host: '127.0.0.1', port: a.port, syncFps: 60 }, beta: { host: '127.0.0.1', port: b.port, syncFps: 60 } },
      timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT,
    });
    cleanups.push(() => relay.proc.stop());
    // With no app built, the relay shows what it is doing instead.
    const status = await (await fetch(`${relay.http}/`)).text();
    expect(status).toContain('The app is not built yet');
    expect(status).toContain('<td>alpha</td>');
    const da = await RelayTestClient.open(relay.url('car=alpha&role=driver'));
    const db = await RelayTestClient.open(relay.url('car=beta&role=driver'));
    cleanups.push(() => { da.close(); db.close(); });
    keepDriving(da); keepDriving(db);
    await da.ride(INI); await db.ride(INI);
    const alphaEvents = da.events.length;
    await b.close();
    await db.event('state', (e) => e.state === 'waiting_for_simulator');
    await da.framesAtLeast(da.frameCount + 60);
    // Beta's failure is beta's alone: alpha saw no state change, no error, no dropped frame.
    expect(da.events.slice(alphaEvents).filter((e) => e.type === 'state' || e.type === 'error' || e.type === 'drops')).toEqual([]);
    expect(a.violations).toEqual([]);
    // Each log line names its car once (a child logger's field is not repeated by the call).
    const lines = relay.proc.output().split('\n').filter((l) => l.includes('"car":'));
    expect(lines.some((l) => l.includes('CARLA link failed'))).toBe(true);
    for (const l of lines) expect(l.match(/"car":/g), l).toHaveLength(1);
  });
});

describe('slow readers', () => {
  it("drops whole frames for a spectator that stops reading, bounds the relay's memory, and leaves the driver's rate alone", async () => {
    const f = await fake({ sensorBytes: 1_000_000, stepMs: 33 });
    const relay = await startRelay({
      cars: { main: { host: '127.0.0.1', port: f.port, syncFps: 30 } },
      timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT, limits: { clientBufferBytes: 4 * 1024 * 1024 },
    });
    cleanups.push(() => relay.proc.stop());
    const driver = await RelayTestClient.open(relay.url('car=main&role=driver'));
    cleanups.push(() => driver.close());
    driver.keepFrames = false;
    keepDriving(driver);
    await driver.ride(INI);
    const slow = await RelayTestClient.open(relay.url('car=main&role=spectator'));
    cleanups.push(() => slow.ws.terminate());
    await slow.event('hello');
    // The spectator's socket stops reading: what the relay sends piles up in its buffers.
    (slow.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const pid = scriptPid(relay.proc.child.pid!, 'relay/cli.ts');
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
    const start = driver.frameCount;
    let peak = 0;
    const deadline = Date.now() + 20_000;
    while (driver.frameCount < start + 90 && Date.now() < deadline) { peak = Math.max(peak, rss()); await new Promise((r) => setTimeout(r, 50)); }
    expect(driver.frameCount).toBeGreaterThanOrEqual(start + 90);
    // The driver lost nothing to the stalled spectator.
    expect(driver.events.filter((e) => e.type === 'drops')).toEqual([]);
    // 90 frames of 1 MB went past the stalled spectator; the relay kept only its buffer's worth.
    expect(peak).toBeLessThan(200);
    const metrics = await (await fetch(`${relay.http}/metrics`)).text();
    const dropped = Number(/cycarla_relay_frames_dropped_total\{car="main",role="spectator"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    expect(dropped).toBeGreaterThan(50);
  });
});

describe('shutdown', () => {
  it('on SIGTERM sends a safe Control, closes WebSockets with 1001 and exits 0', async () => {
    const f = await fake();
    const cfgFile = join(ROOT, 'test-artifacts', `relay-sigterm-${f.port}.json`);
    writeFileSync(cfgFile, JSON.stringify({ port: 0, host: '127.0.0.1', cars: { main: { host: '127.0.0.1', port: f.port } }, timeouts: FAST_TIMEOUTS }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'relay/cli.ts', '--config', cfgFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    await expect.poll(() => out, { timeout: 20_000 }).toContain('relay listening');
    const port = (JSON.parse(out.split('\n').find((l) => l.includes('"relay listening"'))!) as { port: number }).port;
    const driver = await RelayTestClient.open(`ws://127.0.0.1:${port}/carla?car=main&role=driver`);
    keepDriving(driver);
    await driver.ride(INI);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const from = f.controls.length;
    child.kill('SIGTERM');
    expect(await driver.closed()).toBe(1001);
    expect(await exited).toBe(0);
    expect(f.controls.slice(from).at(-1)).toMatchObject({ throttle: 0, brake: 1 });
  });
});

describe('log files', () => {
  it('rotates by size and keeps the configured number of old files', async () => {
    const f = await fake();
    const relay = await startRelay({
      cars: { main: { host: '127.0.0.1', port: f.port } }, timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT,
      log: { level: 'debug', maxFileBytes: 2000, filesToKeep: 2 },
    }, ['--log-dir', 'LOGDIR']);
    cleanups.push(() => relay.proc.stop());
    const dir = join(ROOT, 'LOGDIR');
    cleanups.push(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
    // Every session writes log lines: open and close enough of them to rotate several times.
    for (let i = 0; i < 40; i++) {
      const c = await RelayTestClient.open(relay.url('car=main&role=spectator'));
      await c.event('hello');
      c.close();
    }
    // relay.log.history is rotating-file-stream's list of rotated files, not a log.
    const logs = () => readdirSync(dir).filter((x) => x !== 'relay.log.history');
    await expect.poll(() => logs().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const files = logs();
    expect(files).toContain('relay.log');
    expect(files.length).toBeLessThanOrEqual(3);
    for (const file of files.filter((x) => x !== 'relay.log')) expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(2600);
  });
});

describe('who may connect', () => {
  it('requires the access token when one is set, and accepts an allowed extra origin', async () => {
    const f = await fake();
    const relay = await startRelay({
      cars: { main: { host: '127.0.0.1', port: f.port } }, timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT,
      allowedOrigins: ['https://tablet.local:9000'],
    }, [], { CYCARLA_ACCESS_TOKEN: 'correct-horse-battery' });
    cleanups.push(() => relay.proc.stop());
    await expect(RelayTestClient.open(relay.url('car=main&role=spectator'))).rejects.toThrow('HTTP 401');
    await expect(RelayTestClient.open(relay.url('car=main&role=spectator&token=wrong-horse-battery'))).rejects.toThrow('HTTP 401');
    const ok = await RelayTestClient.open(relay.url('car=main&role=spectator&token=correct-horse-battery'), { origin: 'https://tablet.local:9000' });
    cleanups.push(() => ok.close());
    const hello = await ok.event('hello');
    // The token is a secret: it never reaches the browser.
    expect(JSON.stringify(hello)).not.toContain('correct-horse-battery');
    await expect(RelayTestClient.open(relay.url('car=main&role=spectator&token=correct-horse-battery'), { origin: 'https://other.local:9000' })).rejects.toThrow('HTTP 403');
  });
});

describe('listening address', () => {
  it('listens only on the address --host names (over the config file\'s)', async () => {
    const f = await fake();
    const relay = await startRelay({ cars: { main: { host: '127.0.0.1', port: f.port } } }, ['--host', '127.0.0.2']);
    cleanups.push(() => relay.proc.stop());
    // 127.0.0.2 is loopback too on Linux, but a different address from 127.0.0.1.
    expect(await accepts('127.0.0.2', relay.port)).toBe(true);
    expect(await accepts('127.0.0.1', relay.port)).toBe(false);
  });
});
