/**
 * The wire contracts: CARLA's framing, typed protobuf messages, raw sensor layouts, the
 * CarlaSettings INI, the protocol dialects and their units, and the relay's WebSocket contract.
 */
export * from './carla-ini.ts';
export * from './carla-version.ts';
export * from './framing.ts';
export * from './messages.ts';
export * from './relay-ws.ts';
export * from './road-load.ts';
export * from './sensor-data.ts';
