/** The wire contract: framing, typed protobuf messages, raw sensor layouts and the CarlaSettings INI. */
export * from './carla-ini.ts';
export * from './framing.ts';
export * from './messages.ts';
export * from './sensor-data.ts';
