import { describe, expect, it } from 'vitest';
import {
  MessageDecodeError, SensorType, decodeControl, decodeMeasurements, decodeSceneDescription,
  encodeMeasurements, encodeSceneDescription, type Measurements,
} from '../../proto/index.ts';

const tf = (x: number, y: number, z: number, yaw = 0) => ({
  location: { x, y, z }, orientation: { x: 1, y: 0, z: 0 }, rotation: { pitch: 0, yaw, roll: 0 },
});

describe('protobuf messages', () => {
  it('turns a uint64 frame_number beyond 2^32 into an exact JavaScript number, not a Long', () => {
    const m: Measurements = {
      platformTimestamp: 123, gameTimestamp: 456, frameNumber: 2 ** 40 + 7,
      nonPlayerAgents: [],
      playerMeasurements: {
        transform: tf(1, 2, 3, 90), boundingBox: { transform: tf(0, 0, 0.5), extent: { x: 1, y: 0.5, z: 0.5 } },
        acceleration: { x: 0, y: 0, z: 0 }, forwardSpeed: 5.5, collisionVehicles: 0, collisionPedestrians: 0,
        collisionOther: 0, intersectionOtherlane: 0.25, intersectionOffroad: 0,
        autopilotControl: { steer: -0.25, throttle: 0.5, brake: 0, handBrake: false, reverse: false },
      },
    };
    const back = decodeMeasurements(encodeMeasurements(m));
    expect(typeof back.frameNumber).toBe('number');
    expect(back).toEqual(m);
  });

  it('round-trips every agent kind through the oneof', () => {
    const moving = { transform: tf(5, 6, 0), boundingBox: { transform: tf(0, 0, 0), extent: { x: 2, y: 1, z: 0.75 } }, forwardSpeed: 10 };
    const agents: Measurements['nonPlayerAgents'] = [
      { id: 0xdeadbeef, kind: 'vehicle', vehicle: moving },
      { id: 7, kind: 'pedestrian', pedestrian: moving },
      { id: 8, kind: 'trafficLight', trafficLight: { transform: tf(1, 1, 0), state: 2 } },
      { id: 9, kind: 'speedLimitSign', speedLimitSign: { transform: tf(2, 2, 0), speedLimit: 8.5 } },
    ];
    const m = decodeMeasurements(encodeMeasurements({
      platformTimestamp: 0, gameTimestamp: 0, frameNumber: 0, nonPlayerAgents: agents,
      playerMeasurements: decodeMeasurements(new Uint8Array(0)).playerMeasurements,
    }));
    expect(m.nonPlayerAgents).toEqual(agents);
  });

  it('decodes an empty payload to all proto3 defaults', () => {
    const m = decodeMeasurements(new Uint8Array(0));
    expect(m.frameNumber).toBe(0);
    expect(m.playerMeasurements.transform.location).toEqual({ x: 0, y: 0, z: 0 });
    expect(m.playerMeasurements.autopilotControl.handBrake).toBe(false);
  });

  it('keeps opaque fixed32 sensor ids and names with slashes in a SceneDescription', () => {
    const scene = {
      playerStartSpots: [tf(1, 2, 3, 45)],
      sensors: [{ id: 0xfffffffe, type: SensorType.CAMERA, name: 'Cams/Front' }, { id: 3, type: SensorType.LIDAR_RAY_CAST, name: 'Lidar32' }],
      mapName: 'Town01',
    };
    expect(decodeSceneDescription(encodeSceneDescription(scene))).toEqual(scene);
  });

  it('reports garbage as a MessageDecodeError that names the message type', () => {
    const garbage = Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0x0f);
    expect(() => decodeControl(garbage)).toThrow(MessageDecodeError);
    expect(() => decodeControl(garbage)).toThrow(/^malformed Control message/);
  });
});
