/**
 * The relay's WebSocket and HTTP contract (docs/relay-protocol.md), typed once for the relay,
 * the app, the tests and the benchmarks: the path, channel tags, close codes, error codes,
 * link states, the JSON events and the `/api/cars` summary. The events and the summary are
 * zod schemas, so a receiver checks what arrives at its edge instead of casting it.
 * (zod/mini: the same checks at a fraction of the bundle size in the browser.)
 */
import * as z from 'zod/mini';
import { CARLA_PROTOCOLS } from './carla-version.ts';

/**
 * 2: camera frames may come as JPEG (SENSOR_JPEG) to a client that asks for `encoding=jpeg`.
 * 3: a JPEG driver may change its quality at any frame (QUALITY).
 */
export const RELAY_PROTOCOL_VERSION = 3;

/** How a client wants colour camera images: CARLA's raw BGRA bytes, or JPEG. */
export const ENCODINGS = ['raw', 'jpeg'] as const;
export type Encoding = (typeof ENCODINGS)[number];
/** JPEG quality a client may ask for (`quality=`), and what it gets without asking. */
export const JPEG_QUALITY = { min: 30, max: 95, default: 75 } as const;
export function isJpegQuality(q: number): boolean {
  return Number.isInteger(q) && q >= JPEG_QUALITY.min && q <= JPEG_QUALITY.max;
}
export const WS_PATH = '/carla';
/** The relay's tablet set-up page (served over plain HTTP too) and its authority's certificate. */
export const ONBOARDING_PATH = '/tablet';
export const AUTHORITY_PATH = '/cycarla-ca.crt';

/** First byte of every binary WebSocket message; the CARLA payload follows unchanged. */
export const Channel = {
  // relay → browser
  SCENE_DESCRIPTION: 0x01,
  EPISODE_READY: 0x02,
  MEASUREMENTS: 0x10,
  SENSOR: 0x11,
  FRAME_END: 0x12,
  /** A colour camera image as JPEG: CARLA's 28-byte camera header unchanged, then the JPEG bytes. */
  SENSOR_JPEG: 0x13,
  // browser (driver) → relay
  REQUEST_NEW_EPISODE: 0x81,
  EPISODE_START: 0x82,
  CONTROL: 0x83,
  /** One byte, JPEG quality 30–95, for the frames that start after it (a JPEG driver's adaptive quality). */
  QUALITY: 0x84,
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

/** One binary message: the channel tag, then the CARLA payload unchanged. */
export function tagged(tag: Channel, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const message = new Uint8Array(payload.byteLength + 1);
  message[0] = tag;
  message.set(payload, 1);
  return message;
}

/** WebSocket close codes, each one that some side sends (docs/relay-protocol.md, "Close codes"). */
export const CloseCode = {
  /** The app ends its ride. */
  NORMAL: 1000,
  /** The relay shuts down. */
  GOING_AWAY: 1001,
  /** A driver sent an unknown tag or a payload that is not the expected protobuf. */
  UNSUPPORTED_DATA: 1003,
  /** A browser message over maxBrowserMessageBytes (sent by the ws library itself). */
  TOO_BIG: 1009,
  /** The relay failed handling a driver's message (its own bug, logged). */
  INTERNAL: 1011,
  BAD_REQUEST: 4400,
  UNKNOWN_CAR: 4404,
  DRIVER_TAKEN: 4409,
  REPLACED: 4410,
} as const;

export const ErrorCode = {
  BAD_ROLE: 'RELAY_ERR_BAD_ROLE',
  BAD_ENCODING: 'RELAY_ERR_BAD_ENCODING',
  UNKNOWN_CAR: 'RELAY_ERR_UNKNOWN_CAR',
  DRIVER_TAKEN: 'RELAY_ERR_DRIVER_TAKEN',
  REPLACED: 'RELAY_ERR_REPLACED',
  UNKNOWN_CHANNEL: 'RELAY_ERR_UNKNOWN_CHANNEL',
  MALFORMED_MESSAGE: 'RELAY_ERR_MALFORMED_MESSAGE',
  SPECTATOR_SENT: 'RELAY_ERR_SPECTATOR_CANNOT_SEND',
  CARLA_MESSAGE_TOO_LARGE: 'RELAY_ERR_CARLA_MESSAGE_TOO_LARGE',
  CARLA_PROTOCOL: 'RELAY_ERR_CARLA_PROTOCOL',
  EPISODE_NOT_READY: 'RELAY_ERR_EPISODE_NOT_READY',
  HANDSHAKE_TIMEOUT: 'RELAY_ERR_HANDSHAKE_TIMEOUT',
  STREAM_STALLED: 'RELAY_ERR_STREAM_STALLED',
  CARLA_CLOSED: 'RELAY_ERR_CARLA_CLOSED',
  SHUTTING_DOWN: 'RELAY_ERR_SHUTTING_DOWN',
  INTERNAL: 'RELAY_ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What the browser is told about the car's link to CARLA. */
export const LINK_STATES = [
  'idle', // no episode requested
  'waiting_for_simulator', // CARLA refused or went away; retrying
  'connecting', // opening the world connection
  'loading_episode', // RequestNewEpisode … agent connections
  'streaming', // frames flowing
] as const;
export type LinkState = (typeof LINK_STATES)[number];

export const ROLES = ['driver', 'spectator'] as const;
export type Role = (typeof ROLES)[number];

/** Whose Controls the relay is sending CARLA: the driver's, safe ones for a silent driver, or safe ones for no driver. */
export const CONTROL_STATES = ['live', 'stale', 'absent'] as const;
export type ControlState = (typeof CONTROL_STATES)[number];

const count = z.number().check(z.int(), z.nonnegative());

/** JSON text events, relay → browser. */
export const relayEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'), version: count, car: z.string(), role: z.enum(ROLES), cars: z.array(z.string()),
    protocol: z.enum(CARLA_PROTOCOLS), state: z.enum(LINK_STATES), encoding: z.optional(z.enum(ENCODINGS)),
  }),
  z.object({ type: z.literal('state'), state: z.enum(LINK_STATES), reason: z.optional(z.string()), retryInMs: z.optional(count) }),
  z.object({ type: z.literal('control'), state: z.enum(CONTROL_STATES), ageMs: z.number() }),
  z.object({ type: z.literal('drops'), dropped: count }),
  z.object({ type: z.literal('driver'), present: z.boolean() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type RelayEvent = z.infer<typeof relayEventSchema>;

export class RelayEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayEventError';
  }
}

/** A text message from the relay as a typed event; RelayEventError says what was wrong with it. */
export function parseRelayEvent(text: string): RelayEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RelayEventError(`relay event is not JSON: ${text.slice(0, 60)}`);
  }
  const r = relayEventSchema.safeParse(json);
  if (!r.success) throw new RelayEventError(`relay event does not fit the contract: ${z.prettifyError(r.error).replace(/\n\s*/g, ' ')}`);
  return r.data;
}

/** What `/api/cars` says of a car's map: its name and where a ride may start (server units, yaw in degrees). */
export const sceneSummarySchema = z.object({
  mapName: z.string(),
  startSpots: z.array(z.object({ x: z.number(), y: z.number(), yaw: z.number() })),
});
export type SceneSummary = z.infer<typeof sceneSummarySchema>;

/** One car in `/api/cars`. */
export const carSummarySchema = z.object({
  name: z.string(),
  state: z.enum(LINK_STATES),
  driver: z.boolean(),
  spectators: count,
  protocol: z.enum(CARLA_PROTOCOLS),
  scene: z.nullable(sceneSummarySchema),
});
export type CarSummary = z.infer<typeof carSummarySchema>;
export const carsSchema = z.array(carSummarySchema);
