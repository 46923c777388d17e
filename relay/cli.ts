#!/usr/bin/env node
/**
 * `npm start -- [flags]`: the relay, serving the app and the /carla WebSocket, and — when no
 * CARLA server is configured — the embedded simulator. Settings come from defaults, a JSON
 * config file (--config), the environment and flags, later ones winning; every bad value
 * exits with status 2 and a message naming the key and what it accepts.
 */
import {
  ConfigError, createLogger, relayProgram, resolveConfig, startEmbeddedSim, startRelayServer, type EmbeddedSim, type Relay, type ResolvedConfig,
} from './index.ts';
import { startupBanner } from './banner.ts';

const program = relayProgram().exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
program.parse();

let resolved: ResolvedConfig;
try {
  resolved = resolveConfig(program.opts(), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`cycarla relay: invalid configuration\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(2);
}
const { config } = resolved;
const logger = createLogger(config.log);
const sim: EmbeddedSim | null = resolved.embedded ? startEmbeddedSim(config.simPort, config.log.level, logger) : null;

let relay: Relay;
try {
  relay = await startRelayServer(config, logger);
} catch (err) {
  logger.fatal({ err: (err as Error).message }, 'relay failed to start');
  await sim?.stop();
  process.exit(1);
}

const banner = await startupBanner({ port: relay.port, boundAddress: relay.boundAddress, tls: config.tls, embedded: sim !== null });
// For a person first; the log line after it is what scripts wait for.
process.stderr.write(banner.text + '\n');
logger.info({
  port: relay.port, tls: config.tls.enabled, tlsDecidedBy: config.tls.auto ? 'auto' : 'config', urls: banner.urls,
  cars: Object.fromEntries(Object.entries(config.cars).map(([n, c]) => [n, `${c.host}:${c.port}`])),
  embeddedSimulator: sim !== null,
}, 'relay listening');

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
