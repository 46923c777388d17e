#!/usr/bin/env node
/**
 * `npm start -- [flags]`: the relay, serving the app and the /carla WebSocket, and — when no
 * CARLA server is configured — the embedded simulator. Settings come from defaults, a JSON
 * config file (--config), the environment and flags, later ones winning; every bad value
 * exits with status 2 and a message naming the key and what it accepts.
 */
import { networkInterfaces } from 'node:os';
import { Command, Option } from 'commander';
import {
  ConfigError, LOG_LEVELS, carSchema, createLogger, mergeConfig, readConfigFile, startEmbeddedSim, startRelayServer, validateConfig,
  type EmbeddedSim, type Relay,
} from './index.ts';

const program = new Command()
  .name('cycarla-relay')
  .description('CARLA TCP ⇄ WebSocket relay; serves the cycarla app. Options: docs/relay-config.md')
  .option('--config <file>', 'JSON configuration file')
  .option('--port <n>', 'HTTP(S) and WebSocket port (env PORT; default 9000)')
  .option('--host <address>', 'address to listen on (env HOST; default 0.0.0.0)')
  .option('--sim-port <n>', 'world port of the embedded simulator (default 2000; W+1 and W+2 follow)')
  .option('--carla <host:port>', 'a real CARLA server for car "main" instead of the embedded simulator (env CARLA_SIM_IP, CARLA_SIM_PORT)')
  .option('--tls', 'serve HTTPS/WSS (a tablet needs it for the service worker and Web Bluetooth)')
  .option('--cert <file>', 'TLS certificate (PEM); `npm run cert` makes one')
  .option('--key <file>', 'TLS private key (PEM)')
  .option('--allowed-origin <origin...>', 'extra browser origins allowed to open the WebSocket')
  .addOption(new Option('--log-level <level>', 'log verbosity (env LOG_LEVEL)').choices(LOG_LEVELS))
  .option('--log-dir <dir>', 'also write rotated log files here')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
program.parse();
const flags = program.opts<Record<string, string | boolean | string[] | undefined>>();

/** A number where one is expected; anything else is passed on for the schema to name. */
const num = (v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);

function fail(problems: string[]): never {
  process.stderr.write(`cycarla relay: invalid configuration\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(2);
}

let config;
try {
  const file = typeof flags.config === 'string' ? readConfigFile(flags.config) : {};
  const env = process.env;
  const fromEnv: Record<string, unknown> = {
    port: num(env.PORT), host: env.HOST || undefined, accessToken: env.CYCARLA_ACCESS_TOKEN || undefined,
    log: env.LOG_LEVEL ? { level: env.LOG_LEVEL } : undefined,
  };
  // The seed's way to name a real CARLA server.
  if (env.CARLA_SIM_IP || env.CARLA_SIM_PORT) {
    fromEnv.cars = { main: { host: env.CARLA_SIM_IP || '127.0.0.1', port: num(env.CARLA_SIM_PORT ?? '2000') } };
  }
  const fromFlags: Record<string, unknown> = {
    port: num(flags.port), host: flags.host, simPort: num(flags.simPort),
    allowedOrigins: flags.allowedOrigin,
    log: { level: flags.logLevel, directory: flags.logDir },
    tls: flags.tls || flags.cert || flags.key ? { enabled: !!flags.tls, cert: flags.cert, key: flags.key } : undefined,
  };
  if (typeof flags.carla === 'string') {
    const m = /^(.+):(\d+)$/.exec(flags.carla);
    if (!m) fail([`--carla: must be host:port, like 192.168.1.20:2000 (got "${flags.carla}")`]);
    fromFlags.cars = { main: { host: m[1], port: Number(m[2]) } };
  }
  config = validateConfig(mergeConfig(file, fromEnv, fromFlags));
} catch (err) {
  if (err instanceof ConfigError) fail(err.problems);
  throw err;
}

const logger = createLogger(config.log);
let sim: EmbeddedSim | null = null;
if (Object.keys(config.cars).length === 0) {
  if (config.port >= config.simPort && config.port <= config.simPort + 2) {
    fail([`port: ${config.port} is one of the embedded simulator's ports ${config.simPort}–${config.simPort + 2}; choose another --port or --sim-port`]);
  }
  config.cars = { main: carSchema.parse({ host: '127.0.0.1', port: config.simPort }) };
  sim = startEmbeddedSim(config.simPort, config.log.level, logger);
}

let relay: Relay;
try {
  relay = await startRelayServer(config, logger);
} catch (err) {
  logger.fatal({ err: (err as Error).message }, 'relay failed to start');
  await sim?.stop();
  process.exit(1);
}

const scheme = config.tls.enabled ? 'https' : 'http';
const lan = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
logger.info({
  port: relay.port, tls: config.tls.enabled, cars: Object.fromEntries(Object.entries(config.cars).map(([n, c]) => [n, `${c.host}:${c.port}`])),
  embeddedSimulator: sim !== null,
}, 'relay listening');
const lines = [
  '',
  `  cycarla is running${sim ? ' with its embedded simulator' : ''}.`,
  `  On this computer:   ${scheme}://localhost:${relay.port}/`,
  ...lan.map((ip) => `  On your network:    ${scheme}://${ip}:${relay.port}/`),
  ...(config.tls.enabled ? [] : [
    '  A tablet needs HTTPS (service worker, Web Bluetooth): run `npm run cert`, then',
    '  `npm start -- --tls --cert certs/cycarla.crt --key certs/cycarla.key`.',
  ]),
  '',
];
process.stderr.write(lines.join('\n') + '\n');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'relay stopping');
  await relay.close();
  await sim?.stop();
  logger.info('relay stopped');
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
