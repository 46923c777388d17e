/**
 * A CARLA frame, from either protocol, as the ride needs it: the player's state in metres and
 * m/s, and each camera image labelled with the view it feeds. 0.8 servers name their sensors
 * in the SceneDescription and tag every payload with an id; 0.7 servers send one bulk message
 * with the images in the INI's `Cameras=` order, positions in centimetres and speed in km/h.
 */
import {
  CAMERA_HEADER_BYTES, decodeMeasurements, parseBulkImages, parseCameraPayload, readSensorId, SensorDataError, WIRE_UNITS,
  type CarlaProtocol, type ImageType, type SceneDescription, type WireUnits,
} from '../../proto/index.ts';
import { INSET_CAMERA, RIDE_CAMERA } from '../ride/ride-ini.ts';

export type CameraRole = 'main' | 'inset';

export interface CameraView {
  role: CameraRole;
  imageType: ImageType;
  width: number;
  height: number;
  /** B,G,R,A bytes, top row first, exactly 4·width·height of them. */
  pixels: Uint8Array;
}

export interface PlayerState {
  /** Forward speed, m/s. */
  speed: number;
  /** Position, metres. */
  x: number; y: number; z: number;
  /** Simulation time, ms. */
  gameMs: number;
  /** The server's OS clock when it stamped the frame, ms modulo 2^32. */
  sentMs: number;
  /** The steer the server's autopilot would use, to follow the lane. */
  autoSteer: number;
}

/** Larger than any screen: a header claiming more is a broken server, not a picture. */
export const MAX_IMAGE_SIDE = 4096;

export class CarlaFrames {
  private readonly roles = new Map<number, CameraRole>();
  private readonly units: WireUnits;

  constructor(readonly protocol: CarlaProtocol) {
    this.units = WIRE_UNITS[protocol];
  }

  /** Learns which sensor id feeds which view (0.8); 0.7 scenes describe no sensors. */
  onScene(scene: SceneDescription): void {
    this.roles.clear();
    for (const s of scene.sensors) {
      if (s.name === RIDE_CAMERA) this.roles.set(s.id, 'main');
      else if (s.name === INSET_CAMERA) this.roles.set(s.id, 'inset');
    }
  }

  /** A scene's start spots, in metres. */
  spots(scene: SceneDescription): { x: number; y: number }[] {
    const { perMetre } = this.units;
    return scene.playerStartSpots.map((t) => ({ x: t.location.x / perMetre, y: t.location.y / perMetre }));
  }

  player(payload: Uint8Array): PlayerState {
    const m = decodeMeasurements(payload);
    const p = m.playerMeasurements;
    const { perMetre, perMps } = this.units;
    const at = p.transform.location;
    return {
      speed: p.forwardSpeed / perMps,
      x: at.x / perMetre, y: at.y / perMetre, z: at.z / perMetre,
      gameMs: m.gameTimestamp, sentMs: m.platformTimestamp, autoSteer: p.autopilotControl.steer,
    };
  }

  /**
   * A SENSOR_JPEG message: the camera's 28-byte header, then JPEG bytes (relay contract v2).
   * Throws SensorDataError for one that is too short, of an unknown sensor or absurd in size.
   */
  jpegCamera(payload: Uint8Array): { role: CameraRole; width: number; height: number; jpeg: Uint8Array } {
    if (payload.byteLength <= CAMERA_HEADER_BYTES) throw new SensorDataError(`JPEG camera message of ${payload.byteLength} bytes has no image`);
    const id = readSensorId(payload);
    const role = this.roles.get(id);
    if (!role) throw new SensorDataError(`sensor id ${id} is not one this ride asked for; skipped`);
    const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const width = v.getUint32(12, true), height = v.getUint32(16, true);
    if (width === 0 || height === 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
      throw new SensorDataError(`camera image of ${width}×${height} is outside 1…${MAX_IMAGE_SIDE} a side; skipped`);
    }
    return { role, width, height, jpeg: payload.subarray(CAMERA_HEADER_BYTES) };
  }

  /**
   * The camera views in one sensor message. Throws SensorDataError for a payload that is not
   * what the protocol says (the caller counts it, shows it and goes on with the next).
   */
  cameras(payload: Uint8Array): CameraView[] {
    let views: CameraView[];
    if (this.protocol === '0.7') {
      const roles: CameraRole[] = ['main', 'inset'];
      views = parseBulkImages(payload).slice(0, roles.length).map((img, i) => ({ role: roles[i]!, ...img }));
    } else {
      const id = readSensorId(payload);
      const role = this.roles.get(id);
      if (!role) throw new SensorDataError(`sensor id ${id} is not one this ride asked for; skipped`);
      const img = parseCameraPayload(payload);
      views = [{ role, imageType: img.imageType, width: img.width, height: img.height, pixels: img.pixels }];
    }
    for (const v of views) {
      if (v.width === 0 || v.height === 0 || v.width > MAX_IMAGE_SIDE || v.height > MAX_IMAGE_SIDE) {
        throw new SensorDataError(`camera image of ${v.width}×${v.height} is outside 1…${MAX_IMAGE_SIDE} a side; skipped`);
      }
    }
    return views;
  }
}
