import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNpm, type RunningProcess } from './processes.ts';

export interface RelayProcess { proc: RunningProcess; port: number; url: (query: string) => string; http: string; dir: string }

/** Starts `npm start` with a config file (and extra flags), and waits until it listens. */
export async function startRelay(config: Record<string, unknown>, flags: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RelayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cycarla-relay-'));
  const file = join(dir, 'relay.json');
  // TLS off unless asked for: a developer's certs/ (from `npm run cert`) must not change what the tests meet.
  writeFileSync(file, JSON.stringify({ port: 0, host: '127.0.0.1', staticDir: join(dir, 'no-app'), tls: { enabled: false }, ...config }));
  const proc = runNpm('start', ['--config', file, ...flags], env);
  const port = (await proc.waitForLog('relay listening')).port as number;
  const scheme = (config.tls as { enabled?: unknown } | undefined)?.enabled === true ? 'wss' : 'ws';
  return {
    proc, port, dir,
    url: (query) => `${scheme}://127.0.0.1:${port}/carla?${query}`,
    http: `${scheme === 'wss' ? 'https' : 'http'}://127.0.0.1:${port}`,
  };
}

/** Fast timeouts for fault tests. */
export const FAST_TIMEOUTS = { handshakeMs: 3000, agentConnectMs: 2000, stallMs: 800, controlStaleMs: 300, driverGraceMs: 1500 };
export const FAST_RECONNECT = { initialDelayMs: 150, maxDelayMs: 600 };
