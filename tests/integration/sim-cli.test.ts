/** `npm run sim` as an operator meets it: help, bad flags, and seeds that pin the world. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CarlaTestClient, iniFor } from '../support/carla-client.ts';
import { accepts } from '../support/ports.ts';
import { startSim } from '../support/sim-process.ts';
import { ROOT, runNpm } from '../support/processes.ts';

describe('command line', () => {
  it('documents every flag in --help', async () => {
    const p = runNpm('sim', ['--help']);
    expect(await p.exited).toBe(0);
    for (const flag of ['--port', '--host', '--fps', '--timeout-ms', '--protocol', '--seed', '--log-level']) expect(p.output()).toContain(flag);
  });

  it.each([
    [['--port', '65534'], "option '--port <n>' argument '65534' is invalid. must be an integer from 0 to 65533"],
    [['--fps', '0'], "option '--fps <n>' argument '0' is invalid. must be an integer from 1 to 240"],
    [['--timeout-ms', 'soon'], "option '--timeout-ms <ms>' argument 'soon' is invalid. must be an integer from 50 to 600000"],
    [['--protocol', '0.9'], "option '--protocol <version>' argument '0.9' is invalid. Allowed choices are 0.8, 0.7."],
    [['--seed', '-1'], "option '--seed <n>' argument '-1' is invalid. must be an integer from 0 to 4294967295"],
    [['--colour', 'red'], "unknown option '--colour'"],
  ])('rejects %j naming the flag and what it accepts', async (args, message) => {
    const p = runNpm('sim', args as string[]);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain(message);
  });

  it('exits non-zero with a clear reason when the world port is taken', async () => {
    const a = await startSim();
    const b = runNpm('sim', ['--port', String(a.port)]);
    expect(await b.exited).toBe(1);
    expect(b.output()).toContain('EADDRINUSE');
    await a.stop();
  });
});

describe('listening address', () => {
  it('listens only on the address --host names', async () => {
    // 127.0.0.2 is loopback too on Linux, but a different address from 127.0.0.1.
    const sim = runNpm('sim', ['--port', '0', '--host', '127.0.0.2']);
    const log = await sim.waitForLog('simulator listening');
    expect(log).toMatchObject({ host: '127.0.0.2' });
    const port = log.worldPort as number;
    expect(await accepts('127.0.0.2', port)).toBe(true);
    expect(await accepts('127.0.0.1', port)).toBe(false);
    await sim.stop();
  });
});

describe('lifecycle', () => {
  it('stops cleanly on SIGTERM with exit code 0', async () => {
    // The simulator's own process (not npm's), so that the exit code is its own.
    const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    await expect.poll(() => out, { timeout: 30_000 }).toContain('simulator listening');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('"msg":"simulator stopping"');
  });
});

describe('seeds', () => {
  async function firstImage(seed: number): Promise<Uint8Array> {
    const sim = await startSim(['--seed', String(seed)]);
    try {
      const c = new CarlaTestClient(sim.port);
      await c.episode(iniFor({ vehicles: 10, sensors: [{ name: 'Cam', w: 200, h: 150 }] }), 3);
      await c.readFrame();
      for (let k = 0; k < 5; k++) { c.sendControl({ throttle: 0.7, steer: 0.1 }); await c.readFrame(); }
      c.sendControl({ throttle: 0.7 });
      const f = await c.readFrame();
      c.close();
      return Uint8Array.from(f.cameras.get('Cam')!.pixels);
    } finally {
      await sim.stop();
    }
  }

  it('gives the same world and the same frames for the same seed, and another world for another', async () => {
    const [a, b, other] = await Promise.all([firstImage(7), firstImage(7), firstImage(8)]);
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, other)).not.toBe(0);
  }, 90_000);
});
