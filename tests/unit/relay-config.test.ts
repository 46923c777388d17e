/**
 * The relay's configuration rules, on the function that applies them: every bad value is
 * named with its key and what it accepts, and every problem is listed at once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, type Flags } from '../../relay/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'cycarla-config-'));
let n = 0;
function configFile(content: unknown): string {
  const file = join(dir, `c${n++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The problems resolveConfig reports (it must report some). */
function problems(flags: Flags, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    resolveConfig(flags, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('the configuration was accepted');
}

describe('relay configuration', () => {
  it.each([
    [{ port: 70000 }, 'port: must be an integer from 0 to 65535 (got 70000)'],
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
    [{ tls: { enabled: true, cert: '', key: '' } }, 'tls.key: required when TLS is enabled'],
    [{ tls: { enabled: 'sometimes' } }, 'tls.enabled: must be true, false or "auto"'],
    [{ allowedOrigins: ['tablet.local'] }, 'allowedOrigins.0: must be an origin like https://tablet.local:9000 (got "tablet.local")'],
    [{ log: { level: 'chatty' } }, 'log.level: must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ colour: 'blue' }, 'colour: unknown option'],
  ])('refuses %j', (config, message) => {
    expect(problems({ config: configFile(config) }).join('\n')).toContain(message);
  });

  it('decides "auto" TLS by the certificate and key being there, and never serves a key as the authority', () => {
    const cert = configFile('-----BEGIN CERTIFICATE-----\n'), key = configFile('-----BEGIN PRIVATE KEY-----\n');
    expect(resolveConfig({ config: configFile({ tls: { cert: '/nonexistent/c.pem', key } }) }, {}).config.tls).toMatchObject({ enabled: false, auto: true });
    expect(resolveConfig({ config: configFile({ tls: { cert, key } }) }, {}).config.tls).toMatchObject({ enabled: true, auto: true });
    expect(resolveConfig({ config: configFile({ tls: { cert, key } }), tls: false }, {}).config.tls).toMatchObject({ enabled: false, auto: false });
    expect(resolveConfig({ config: configFile({ tls: { cert, key } }) }, { CYCARLA_TLS: 'false' }).config.tls.enabled).toBe(false);
    expect(problems({ config: configFile({ tls: { cert, key, ca: key } }) })).toEqual([
      `tls.ca: "${key}" contains a private key; name the authority's certificate (cycarla-ca.crt), never its key`,
    ]);
  });

  it('reads the config file CYCARLA_CONFIG names, naming that variable in its errors', () => {
    expect(resolveConfig({}, { CYCARLA_CONFIG: configFile({ port: 9123 }) }).config.port).toBe(9123);
    expect(problems({}, { CYCARLA_CONFIG: '/nonexistent/relay.json' })).toEqual(['CYCARLA_CONFIG: cannot read "/nonexistent/relay.json" (ENOENT)']);
  });

  it('refuses a config file that is not JSON, naming the file', () => {
    const file = configFile('{ port: 9000 ');
    expect(problems({ config: file })[0]).toContain(`--config: "${file}" is not valid JSON`);
  });

  it('refuses a config file that cannot be read', () => {
    expect(problems({ config: '/nonexistent/relay.json' })).toEqual(['--config: cannot read "/nonexistent/relay.json" (ENOENT)']);
  });

  it('lets flags win over the environment, and the environment over the file', () => {
    expect(problems({ config: configFile({ port: 9000 }), port: '70000' }, { PORT: '9100' })).toContain('port: must be an integer from 0 to 65535 (got 70000)');
    expect(problems({ config: configFile({ port: 9000 }) }, { PORT: '-5' })).toContain('port: must be an integer from 0 to 65535 (got -5)');
    expect(resolveConfig({ config: configFile({ port: 9000 }) }, { PORT: '9100' }).config.port).toBe(9100);
    expect(resolveConfig({ port: '9200' }, { PORT: '9100' }).config.port).toBe(9200);
  });

  it('reads CARLA_SIM_IP / CARLA_SIM_PORT as the seed did, and checks them', () => {
    expect(problems({}, { CARLA_SIM_IP: '10.0.0.5', CARLA_SIM_PORT: 'twothousand' })).toContain('cars.main.port: must be an integer from 1 to 65533 (got "twothousand")');
    const { config, embedded } = resolveConfig({}, { CARLA_SIM_IP: '10.0.0.5', CARLA_SIM_PORT: '2010' });
    expect(embedded).toBe(false);
    expect(config.cars.main).toMatchObject({ host: '10.0.0.5', port: 2010 });
  });

  it('refuses a malformed --carla', () => {
    expect(problems({ carla: 'carla.local' })).toEqual(['--carla: must be host:port, like 192.168.1.20:2000 (got "carla.local")']);
  });

  it('runs the embedded simulator as car "main" when no CARLA server is named, on its own ports', () => {
    const { config, embedded } = resolveConfig({ simPort: '2100' }, {});
    expect(embedded).toBe(true);
    expect(config.cars).toEqual({ main: expect.objectContaining({ host: '127.0.0.1', port: 2100 }) });
    expect(problems({ port: '2001', simPort: '2000' })).toEqual(["port: 2001 is one of the embedded simulator's ports 2000–2002; choose another --port or --sim-port"]);
  });

  it('lists every problem at once', () => {
    const all = problems({ config: configFile({ port: -1, simPort: 99999 }) });
    expect(all).toContain('port: must be an integer from 0 to 65535 (got -1)');
    expect(all).toContain('simPort: must be an integer from 1 to 65533 (got 99999)');
  });
});
