/**
 * Where the relay's settings come from — defaults, a JSON config file (--config), the
 * environment and the command line, later ones winning — and the one function that turns
 * them into a checked configuration. Pure but for reading the config file, so that every rule
 * is tested as a function call; the CLI only prints its problems and exits with status 2.
 */
import { Command, Option } from 'commander';
import { carSchema, ConfigError, LOG_LEVELS, mergeConfig, readConfigFile, validateConfig, type RelayConfig } from './config.ts';

export type Flags = Record<string, string | boolean | string[] | undefined>;

/** The command line (commander: help, unknown flags and choices handled the usual way). */
export function relayProgram(): Command {
  return new Command()
    .name('cycarla-relay')
    .description('CARLA TCP ⇄ WebSocket relay; serves the cycarla app. Options: docs/relay-config.md')
    .option('--config <file>', 'JSON configuration file')
    .option('--port <n>', 'HTTP(S) and WebSocket port (env PORT; default 9000; 0: any free port)')
    .option('--host <address>', 'address to listen on (env HOST; default 0.0.0.0)')
    .option('--sim-port <n>', 'world port of the embedded simulator (default 2000; W+1 and W+2 follow)')
    .option('--carla <host:port>', 'a real CARLA server for car "main" instead of the embedded simulator (env CARLA_SIM_IP, CARLA_SIM_PORT)')
    .option('--tls', 'serve HTTPS/WSS (default: on when the certificate and key exist; a tablet needs it)')
    .option('--no-tls', 'serve plain HTTP only, even when certs/ holds a certificate')
    .option('--cert <file>', 'TLS certificate (PEM; default certs/cycarla.crt, which `npm run cert` makes)')
    .option('--key <file>', 'TLS private key (PEM; default certs/cycarla.key)')
    .option('--allowed-origin <origin...>', 'extra browser origins allowed to open the WebSocket')
    .addOption(new Option('--log-level <level>', 'log verbosity (env LOG_LEVEL)').choices(LOG_LEVELS))
    .option('--log-dir <dir>', 'also write rotated log files here');
}

/** A number where one is expected; anything else is passed on for the schema to name. */
const num = (v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);

export interface ResolvedConfig {
  config: RelayConfig;
  /** No CARLA server was named: car "main" is the embedded simulator on config.simPort. */
  embedded: boolean;
}

/** The configuration from flags and environment (and the file --config names); throws ConfigError listing every problem. */
export function resolveConfig(flags: Flags, env: NodeJS.ProcessEnv): ResolvedConfig {
  const configPath = typeof flags.config === 'string' ? flags.config : env.CYCARLA_CONFIG || undefined;
  const file = configPath ? readConfigFile(configPath, typeof flags.config === 'string' ? '--config' : 'CYCARLA_CONFIG') : {};
  const fromEnv: Record<string, unknown> = {
    port: num(env.PORT), host: env.HOST || undefined, accessToken: env.CYCARLA_ACCESS_TOKEN || undefined,
    tls: env.CYCARLA_TLS ? { enabled: ({ true: true, false: false, auto: 'auto' } as Record<string, unknown>)[env.CYCARLA_TLS] ?? env.CYCARLA_TLS } : undefined,
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
    tls: { enabled: typeof flags.tls === 'boolean' ? flags.tls : undefined, cert: flags.cert, key: flags.key },
  };
  if (typeof flags.carla === 'string') {
    const m = /^(.+):(\d+)$/.exec(flags.carla);
    if (!m) throw new ConfigError([`--carla: must be host:port, like 192.168.1.20:2000 (got "${flags.carla}")`]);
    fromFlags.cars = { main: { host: m[1], port: Number(m[2]) } };
  }
  const config = validateConfig(mergeConfig(file, fromEnv, fromFlags));
  if (Object.keys(config.cars).length > 0) return { config, embedded: false };
  if (config.port >= config.simPort && config.port <= config.simPort + 2) {
    throw new ConfigError([`port: ${config.port} is one of the embedded simulator's ports ${config.simPort}–${config.simPort + 2}; choose another --port or --sim-port`]);
  }
  config.cars = { main: carSchema.parse({ host: '127.0.0.1', port: config.simPort }) };
  return { config, embedded: true };
}
