/** The wire contract: framing, typed protobuf messages and raw sensor layouts. */
export * from './framing.ts';
export * from './messages.ts';
export * from './sensor-data.ts';
