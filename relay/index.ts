/** The relay: CARLA TCP ⇄ WebSocket bytes. One door for the CLI, tests and benchmarks. */
export { startRelayServer, type Relay } from './server.ts';
export { LOG_LEVELS, carSchema, configSchema, validateConfig, mergeConfig, readConfigFile, ConfigError, type RelayConfig, type CarConfig } from './config.ts';
export { relayProgram, resolveConfig, type Flags, type ResolvedConfig } from './config-sources.ts';
export { createLogger } from './logging.ts';
export { startEmbeddedSim, type EmbeddedSim } from './embedded-sim.ts';
export * from '../proto/index.ts';
