/** Start-up validation: every bad value exits with status 2 and names the key and what it accepts. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNpm } from '../support/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'cycarla-config-'));
let n = 0;
function configFile(content: unknown): string {
  const file = join(dir, `c${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function refused(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const p = runNpm('start', args, env);
  expect(await p.exited).toBe(2);
  return p.output();
}

describe('relay configuration', () => {
  it.each([
    [{ port: 70000 }, 'port: must be an integer from 1 to 65535 (got 70000)'],
    [{ cars: { main: { port: 2000 } } }, 'cars.main.host: must be a host name or address'],
    [{ cars: { main: { host: 'carla.local' } } }, 'cars.main.port: must be an integer from 1 to 65533'],
    [{ cars: { main: { host: 'a', port: 65534 } } }, 'cars.main.port: must be an integer from 1 to 65533 (got 65534)'],
    [{ cars: { Main: { host: 'a', port: 2000 } } }, 'cars.Main: car names may use only a-z, 0-9 and _'],
    [{ cars: { a: { host: 'h', port: 2000 }, b: { host: 'h', port: 2002 } } }, 'cars.b: ports 2002–2004 overlap cars.a (2000–2002) on h'],
    [{ cars: { a: { host: 'h', port: 2000, protocol: '0.9' } } }, 'cars.a.protocol: must be "0.8" or "0.7"'],
    [{ timeouts: { controlStaleMs: 6000, stallMs: 5000 } }, 'timeouts.controlStaleMs: must be less than timeouts.stallMs (5000) (got 6000)'],
    [{ timeouts: { stallMs: -1 } }, 'timeouts.stallMs: must be an integer from 100 to 600000 (got -1)'],
    [{ reconnect: { initialDelayMs: 5000, maxDelayMs: 1000 } }, 'reconnect.maxDelayMs: must be at least reconnect.initialDelayMs (5000) (got 1000)'],
    [{ tls: { enabled: true, cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } }, 'tls.cert: cannot read "/nonexistent/cert.pem" (ENOENT)'],
    [{ tls: { enabled: true } }, 'tls.key: required when TLS is enabled'],
    [{ allowedOrigins: ['tablet.local'] }, 'allowedOrigins.0: must be an origin like https://tablet.local:9000 (got "tablet.local")'],
    [{ log: { level: 'chatty' } }, 'log.level: must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ colour: 'blue' }, 'colour: unknown option'],
  ])('refuses %j', async (config, message) => {
    expect(await refused(['--config', configFile(config)])).toContain(message);
  });

  it('refuses a config file that is not JSON, naming the file', async () => {
    const file = configFile('{ port: 9000 ');
    expect(await refused(['--config', file])).toContain(`--config: "${file}" is not valid JSON`);
  });

  it('refuses a config file that cannot be read', async () => {
    expect(await refused(['--config', '/nonexistent/relay.json'])).toContain('--config: cannot read "/nonexistent/relay.json" (ENOENT)');
  });

  it('lets flags win over the environment and the file', async () => {
    const out = await refused(['--config', configFile({ port: 9000 }), '--port', '0'], { PORT: '9100' });
    expect(out).toContain('port: must be an integer from 1 to 65535 (got 0)');
  });

  it('reads CARLA_SIM_IP / CARLA_SIM_PORT as the seed did, and checks them', async () => {
    expect(await refused([], { CARLA_SIM_IP: '10.0.0.5', CARLA_SIM_PORT: 'twothousand' })).toContain('cars.main.port: must be an integer from 1 to 65533 (got "twothousand")');
  });

  it('refuses a malformed --carla', async () => {
    expect(await refused(['--carla', 'carla.local'])).toContain('--carla: must be host:port');
  });

  it("refuses a relay port that is one of the embedded simulator's ports", async () => {
    expect(await refused(['--port', '2001', '--sim-port', '2000'])).toContain("port: 2001 is one of the embedded simulator's ports 2000–2002");
  });

  it('lists every problem at once', async () => {
    const out = await refused(['--config', configFile({ port: 0, simPort: 99999 })]);
    expect(out).toContain('port: must be an integer');
    expect(out).toContain('simPort: must be an integer from 1 to 65533');
  });
});
