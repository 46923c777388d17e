/**
 * Typed encode/decode for the carla_server protobuf messages, over the static code that
 * scripts/gen-proto.mjs generates. Decoded messages come back as plain, fully populated
 * objects (proto3 defaults made explicit) so callers never meet protobufjs prototypes,
 * nulls for absent sub-messages or `Long` values: frame_number (uint64) becomes a number,
 * exact up to 2^53 frames (about 9.5 million years at 30 fps).
 */
import { carla_server as pb } from './generated/carla_server.js';

export interface Vector3 { x: number; y: number; z: number }
export interface Rotation { pitch: number; yaw: number; roll: number }
export interface Transform { location: Vector3; orientation: Vector3; rotation: Rotation }
export interface BoundingBox { transform: Transform; extent: Vector3 }

export const SensorType = { UNKNOWN: 0, CAMERA: 1, LIDAR_RAY_CAST: 2 } as const;
export type SensorType = (typeof SensorType)[keyof typeof SensorType];
export interface SensorDescription { id: number; type: SensorType; name: string }

export const TrafficLightState = { GREEN: 0, YELLOW: 1, RED: 2 } as const;
export type TrafficLightState = (typeof TrafficLightState)[keyof typeof TrafficLightState];

export interface Control {
  steer: number;
  throttle: number;
  brake: number;
  handBrake: boolean;
  reverse: boolean;
}

export interface MovingAgent { transform: Transform; boundingBox: BoundingBox; forwardSpeed: number }
export type Agent = { id: number } & (
  | { kind: 'vehicle'; vehicle: MovingAgent }
  | { kind: 'pedestrian'; pedestrian: MovingAgent }
  | { kind: 'trafficLight'; trafficLight: { transform: Transform; state: TrafficLightState } }
  | { kind: 'speedLimitSign'; speedLimitSign: { transform: Transform; speedLimit: number } }
  | { kind: 'none' }
);

export interface PlayerMeasurements {
  transform: Transform;
  boundingBox: BoundingBox;
  acceleration: Vector3;
  forwardSpeed: number;
  collisionVehicles: number;
  collisionPedestrians: number;
  collisionOther: number;
  intersectionOtherlane: number;
  intersectionOffroad: number;
  autopilotControl: Control;
}

export interface Measurements {
  platformTimestamp: number;
  gameTimestamp: number;
  playerMeasurements: PlayerMeasurements;
  nonPlayerAgents: Agent[];
  frameNumber: number;
}

export interface SceneDescription {
  playerStartSpots: Transform[];
  sensors: SensorDescription[];
  mapName: string;
}

/** A payload that is not the protobuf message the protocol expects at that point. */
export class MessageDecodeError extends Error {
  readonly code = 'CARLA_ERR_BAD_MESSAGE';
  constructor(readonly messageType: string, cause: unknown) {
    super(`malformed ${messageType} message: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MessageDecodeError';
  }
}

// -- encoding -----------------------------------------------------------------

export function encodeRequestNewEpisode(iniFile: string): Uint8Array {
  return pb.RequestNewEpisode.encode({ iniFile }).finish();
}
export function encodeSceneDescription(scene: SceneDescription): Uint8Array {
  return pb.SceneDescription.encode(scene).finish();
}
export function encodeEpisodeStart(playerStartSpotIndex: number): Uint8Array {
  return pb.EpisodeStart.encode({ playerStartSpotIndex }).finish();
}
export function encodeEpisodeReady(ready: boolean): Uint8Array {
  return pb.EpisodeReady.encode({ ready }).finish();
}
export function encodeControl(control: Partial<Control>): Uint8Array {
  return pb.Control.encode(control).finish();
}
export function encodeMeasurements(m: Measurements): Uint8Array {
  const agents = m.nonPlayerAgents.map((agent) => {
    switch (agent.kind) {
      case 'vehicle': return { id: agent.id, vehicle: agent.vehicle };
      case 'pedestrian': return { id: agent.id, pedestrian: agent.pedestrian };
      case 'trafficLight': return { id: agent.id, trafficLight: agent.trafficLight };
      case 'speedLimitSign': return { id: agent.id, speedLimitSign: agent.speedLimitSign };
      default: return { id: agent.id };
    }
  });
  return pb.Measurements.encode({ ...m, nonPlayerAgents: agents }).finish();
}

// -- decoding -----------------------------------------------------------------

type V3 = { x?: number | null; y?: number | null; z?: number | null } | null | undefined;
type R3 = { pitch?: number | null; yaw?: number | null; roll?: number | null } | null | undefined;
type Tf = { location?: V3; orientation?: V3; rotation?: R3 } | null | undefined;
type Bb = { transform?: Tf; extent?: V3 } | null | undefined;
type Ctl = {
  steer?: number | null; throttle?: number | null; brake?: number | null;
  handBrake?: boolean | null; reverse?: boolean | null;
} | null | undefined;

const vec = (v: V3): Vector3 => ({ x: v?.x ?? 0, y: v?.y ?? 0, z: v?.z ?? 0 });
const rot = (r: R3): Rotation => ({ pitch: r?.pitch ?? 0, yaw: r?.yaw ?? 0, roll: r?.roll ?? 0 });
const transform = (t: Tf): Transform => ({
  location: vec(t?.location), orientation: vec(t?.orientation), rotation: rot(t?.rotation),
});
const box = (b: Bb): BoundingBox => ({ transform: transform(b?.transform), extent: vec(b?.extent) });
const control = (c: Ctl): Control => ({
  steer: c?.steer ?? 0, throttle: c?.throttle ?? 0, brake: c?.brake ?? 0,
  handBrake: c?.handBrake ?? false, reverse: c?.reverse ?? false,
});
const moving = (a: { transform?: Tf; boundingBox?: Bb; forwardSpeed?: number | null }): MovingAgent => ({
  transform: transform(a.transform), boundingBox: box(a.boundingBox), forwardSpeed: a.forwardSpeed ?? 0,
});

/** uint64 arrives as a Long (when the `long` package is present) or a number. */
function uint64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'toNumber' in value) {
    return (value as { toNumber(): number }).toNumber();
  }
  return 0;
}

function guard<T>(type: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new MessageDecodeError(type, err);
  }
}

export function decodeRequestNewEpisode(bytes: Uint8Array): { iniFile: string } {
  return guard('RequestNewEpisode', () => ({ iniFile: pb.RequestNewEpisode.decode(bytes).iniFile ?? '' }));
}
export function decodeEpisodeStart(bytes: Uint8Array): { playerStartSpotIndex: number } {
  return guard('EpisodeStart', () => ({
    playerStartSpotIndex: pb.EpisodeStart.decode(bytes).playerStartSpotIndex ?? 0,
  }));
}
export function decodeEpisodeReady(bytes: Uint8Array): { ready: boolean } {
  return guard('EpisodeReady', () => ({ ready: pb.EpisodeReady.decode(bytes).ready ?? false }));
}
export function decodeControl(bytes: Uint8Array): Control {
  return guard('Control', () => control(pb.Control.decode(bytes)));
}
export function decodeSceneDescription(bytes: Uint8Array): SceneDescription {
  return guard('SceneDescription', () => {
    const m = pb.SceneDescription.decode(bytes);
    return {
      playerStartSpots: (m.playerStartSpots ?? []).map(transform),
      sensors: (m.sensors ?? []).map((s) => ({
        id: s.id ?? 0, type: (s.type ?? 0) as SensorType, name: s.name ?? '',
      })),
      mapName: m.mapName ?? '',
    };
  });
}

function agent(a: pb.Agent.$Properties): Agent {
  const id = a.id ?? 0;
  if (a.vehicle) return { id, kind: 'vehicle', vehicle: moving(a.vehicle) };
  if (a.pedestrian) return { id, kind: 'pedestrian', pedestrian: moving(a.pedestrian) };
  if (a.trafficLight) {
    return {
      id, kind: 'trafficLight',
      trafficLight: { transform: transform(a.trafficLight.transform), state: (a.trafficLight.state ?? 0) as TrafficLightState },
    };
  }
  if (a.speedLimitSign) {
    return {
      id, kind: 'speedLimitSign',
      speedLimitSign: { transform: transform(a.speedLimitSign.transform), speedLimit: a.speedLimitSign.speedLimit ?? 0 },
    };
  }
  return { id, kind: 'none' };
}

export function decodeMeasurements(bytes: Uint8Array): Measurements {
  return guard('Measurements', () => {
    const m = pb.Measurements.decode(bytes);
    const p = m.playerMeasurements;
    return {
      platformTimestamp: m.platformTimestamp ?? 0,
      gameTimestamp: m.gameTimestamp ?? 0,
      frameNumber: uint64ToNumber(m.frameNumber),
      nonPlayerAgents: (m.nonPlayerAgents ?? []).map(agent),
      playerMeasurements: {
        transform: transform(p?.transform),
        boundingBox: box(p?.boundingBox),
        acceleration: vec(p?.acceleration),
        forwardSpeed: p?.forwardSpeed ?? 0,
        collisionVehicles: p?.collisionVehicles ?? 0,
        collisionPedestrians: p?.collisionPedestrians ?? 0,
        collisionOther: p?.collisionOther ?? 0,
        intersectionOtherlane: p?.intersectionOtherlane ?? 0,
        intersectionOffroad: p?.intersectionOffroad ?? 0,
        autopilotControl: control(p?.autopilotControl),
      },
    };
  });
}
