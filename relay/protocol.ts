/**
 * The relay's WebSocket contract (docs/relay-protocol.md), shared by the relay, the app and
 * the tests: channel tags, close codes and error codes in one place.
 */
export const RELAY_PROTOCOL_VERSION = 1;
export const WS_PATH = '/carla';

/** First byte of every binary WebSocket message; the CARLA payload follows unchanged. */
export const Channel = {
  // relay → browser
  SCENE_DESCRIPTION: 0x01,
  EPISODE_READY: 0x02,
  MEASUREMENTS: 0x10,
  SENSOR: 0x11,
  FRAME_END: 0x12,
  // browser (driver) → relay
  REQUEST_NEW_EPISODE: 0x81,
  EPISODE_START: 0x82,
  CONTROL: 0x83,
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

/** One binary message: the channel tag, then the CARLA payload unchanged. */
export function tagged(tag: Channel, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const message = new Uint8Array(payload.byteLength + 1);
  message[0] = tag;
  message.set(payload, 1);
  return message;
}

export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1003,
  POLICY: 1008,
  TOO_BIG: 1009,
  INTERNAL: 1011,
  BAD_REQUEST: 4400,
  UNAUTHORIZED: 4401,
  UNKNOWN_CAR: 4404,
  DRIVER_TAKEN: 4409,
  REPLACED: 4410,
} as const;

export const ErrorCode = {
  BAD_ROLE: 'RELAY_ERR_BAD_ROLE',
  UNKNOWN_CAR: 'RELAY_ERR_UNKNOWN_CAR',
  DRIVER_TAKEN: 'RELAY_ERR_DRIVER_TAKEN',
  REPLACED: 'RELAY_ERR_REPLACED',
  UNKNOWN_CHANNEL: 'RELAY_ERR_UNKNOWN_CHANNEL',
  SPECTATOR_SENT: 'RELAY_ERR_SPECTATOR_CANNOT_SEND',
  CARLA_MESSAGE_TOO_LARGE: 'RELAY_ERR_CARLA_MESSAGE_TOO_LARGE',
  CARLA_PROTOCOL: 'RELAY_ERR_CARLA_PROTOCOL',
  EPISODE_NOT_READY: 'RELAY_ERR_EPISODE_NOT_READY',
  HANDSHAKE_TIMEOUT: 'RELAY_ERR_HANDSHAKE_TIMEOUT',
  STREAM_STALLED: 'RELAY_ERR_STREAM_STALLED',
  CARLA_CLOSED: 'RELAY_ERR_CARLA_CLOSED',
  SHUTTING_DOWN: 'RELAY_ERR_SHUTTING_DOWN',
} as const;

/** What the browser is told about the car's link to CARLA. */
export type LinkState =
  | 'idle' // no episode requested
  | 'waiting_for_simulator' // CARLA refused or went away; retrying
  | 'connecting' // opening the world connection
  | 'loading_episode' // RequestNewEpisode … agent connections
  | 'streaming'; // frames flowing

/** JSON text events, relay → browser. */
export type RelayEvent =
  | { type: 'hello'; version: number; car: string; role: 'driver' | 'spectator'; cars: string[]; protocol: '0.8' | '0.7'; state: LinkState }
  | { type: 'state'; state: LinkState; reason?: string; retryInMs?: number }
  | { type: 'control'; state: 'live' | 'stale' | 'absent'; ageMs: number }
  | { type: 'drops'; dropped: number }
  | { type: 'driver'; present: boolean }
  | { type: 'error'; code: string; message: string };
