/**
 * The worker's reading of a CARLA frame, for both protocols: sensors dispatched by id (0.8)
 * or by order (0.7), units made metric, and every bad payload refused with a reason rather
 * than drawn — byte fixtures built with the protocol's own encoders.
 */
import { describe, expect, it } from 'vitest';
import {
  ImageType, SensorDataError, SensorType, bulkImageBytes, cameraPayloadBytes, decodeMeasurements, encodeMeasurements,
  writeCameraHeader, type SceneDescription,
} from '../../proto/index.ts';
import { INSET_CAMERA, RIDE_CAMERA } from '../../app/ride/index.ts';
import { CarlaFrames, MAX_IMAGE_SIDE, cameraToRgba } from '../../app/stream/index.ts';

const tf = { location: { x: 0, y: 0, z: 0 }, orientation: { x: 1, y: 0, z: 0 }, rotation: { pitch: 0, yaw: 0, roll: 0 } };
const SCENE: SceneDescription = {
  mapName: 'CycarlaLoop', playerStartSpots: [tf, tf],
  sensors: [{ id: 0x5eed0001, type: SensorType.CAMERA, name: RIDE_CAMERA }, { id: 0x5eed0002, type: SensorType.CAMERA, name: INSET_CAMERA }],
};

function camera(sensorId: number, width: number, height: number, imageType: ImageType, fill: number[]): Uint8Array {
  const p = new Uint8Array(cameraPayloadBytes(width, height));
  writeCameraHeader(p, { sensorId, frameNumber: 9, width, height, imageType, fov: 90 });
  for (let i = 28; i < p.length; i += 4) p.set(fill, i);
  return p;
}

function bulk(images: { width: number; height: number; imageType: ImageType; fill: number[] }[]): Uint8Array {
  const out = new Uint8Array(images.reduce((n, i) => n + bulkImageBytes(i.width, i.height), 0));
  const v = new DataView(out.buffer);
  let o = 0;
  for (const img of images) {
    v.setUint32(o, img.width, true); v.setUint32(o + 4, img.height, true); v.setUint32(o + 8, img.imageType, true);
    for (let i = o + 12; i < o + bulkImageBytes(img.width, img.height); i += 4) out.set(img.fill, i);
    o += bulkImageBytes(img.width, img.height);
  }
  return out;
}

function measurements(x: number, z: number, forwardSpeed: number): Uint8Array {
  const player = decodeMeasurements(new Uint8Array(0)).playerMeasurements;
  return encodeMeasurements({
    platformTimestamp: 1234, gameTimestamp: 5000, frameNumber: 9, nonPlayerAgents: [],
    playerMeasurements: { ...player, transform: { ...tf, location: { x, y: 0, z } }, forwardSpeed, autopilotControl: { ...player.autopilotControl, steer: 0.25 } },
  });
}

describe('a 0.8 frame', () => {
  const frames = new CarlaFrames('0.8');
  frames.onScene(SCENE);

  it('sends each camera to the view its sensor name asks for, by id', () => {
    const [main] = frames.cameras(camera(0x5eed0001, 4, 2, ImageType.SCENE_FINAL, [1, 2, 3, 255]));
    expect(main).toMatchObject({ role: 'main', width: 4, height: 2, imageType: ImageType.SCENE_FINAL });
    expect(main!.pixels.byteLength).toBe(32);
    const [inset] = frames.cameras(camera(0x5eed0002, 2, 2, ImageType.DEPTH, [0, 0, 0, 255]));
    expect(inset).toMatchObject({ role: 'inset', imageType: ImageType.DEPTH });
  });

  it('keeps metres and m/s as they are', () => {
    expect(frames.player(measurements(12.5, 3, 8))).toEqual({ speed: 8, x: 12.5, y: 0, z: 3, gameMs: 5000, sentMs: 1234, autoSteer: 0.25 });
  });

  it('refuses, with a reason, a sensor it did not ask for, a short payload, a wrong length and an absurd size', () => {
    expect(() => frames.cameras(camera(77, 2, 2, ImageType.SCENE_FINAL, [0, 0, 0, 0]))).toThrow(/sensor id 77 is not one this ride asked for/);
    expect(() => frames.cameras(new Uint8Array(3))).toThrow(/has no sensor id/);
    const cut = camera(0x5eed0001, 4, 2, ImageType.SCENE_FINAL, [0, 0, 0, 0]).subarray(0, 40);
    expect(() => frames.cameras(cut)).toThrow(/does not match 4×2/);
    const huge = new Uint8Array(28);
    writeCameraHeader(huge, { sensorId: 0x5eed0001, frameNumber: 1, width: 0, height: 0, imageType: ImageType.SCENE_FINAL, fov: 90 });
    expect(() => frames.cameras(huge)).toThrow(SensorDataError);
    // A header claiming more than any screen could be is not drawn (nor allocated).
    const wide = camera(0x5eed0001, MAX_IMAGE_SIDE + 1, 1, ImageType.SCENE_FINAL, [0, 0, 0, 0]);
    expect(() => frames.cameras(wide)).toThrow(/outside 1…4096/);
  });

  it('forgets the previous episode\'s sensor ids when a new scene comes', () => {
    const next = new CarlaFrames('0.8');
    next.onScene(SCENE);
    next.onScene({ ...SCENE, sensors: [{ id: 5, type: SensorType.CAMERA, name: RIDE_CAMERA }] });
    expect(() => next.cameras(camera(0x5eed0001, 2, 2, ImageType.SCENE_FINAL, [0, 0, 0, 0]))).toThrow(/not one this ride asked for/);
    expect(next.cameras(camera(5, 2, 2, ImageType.SCENE_FINAL, [0, 0, 0, 0]))[0]!.role).toBe('main');
  });
});

describe('a 0.7 frame', () => {
  const frames = new CarlaFrames('0.7');
  frames.onScene({ mapName: '', playerStartSpots: [tf], sensors: [] });

  it('takes the bulk images in Cameras= order: the ride camera, then the inset', () => {
    const views = frames.cameras(bulk([
      { width: 4, height: 2, imageType: ImageType.SCENE_FINAL, fill: [1, 2, 3, 255] },
      { width: 2, height: 2, imageType: ImageType.SEMANTIC_SEGMENTATION, fill: [0, 0, 7, 255] },
    ]));
    expect(views.map((v) => [v.role, v.width, v.height, v.imageType])).toEqual([['main', 4, 2, 1], ['inset', 2, 2, 3]]);
    expect(Array.from(views[1]!.pixels.subarray(0, 4))).toEqual([0, 0, 7, 255]);
  });

  it('turns centimetres into metres and km/h into m/s', () => {
    expect(frames.player(measurements(1250, 300, 36))).toMatchObject({ x: 12.5, z: 3, speed: 10 });
  });

  it('refuses a bulk message cut short', () => {
    const whole = bulk([{ width: 4, height: 2, imageType: ImageType.SCENE_FINAL, fill: [0, 0, 0, 0] }]);
    expect(() => frames.cameras(whole.subarray(0, whole.length - 1))).toThrow(/runs past the end/);
  });
});

describe('drawing any camera', () => {
  it('shows colour as colour, depth as grey and classes in their palette', () => {
    const src = new Uint32Array(Uint8Array.from([0, 0, 7, 255]).buffer);
    const dst = new Uint32Array(1);
    cameraToRgba(ImageType.SEMANTIC_SEGMENTATION, src, dst);
    expect(Array.from(new Uint8Array(dst.buffer))).toEqual([128, 64, 128, 255]); // roads
    cameraToRgba(ImageType.DEPTH, src, dst);
    expect(Array.from(new Uint8Array(dst.buffer))).toEqual([0, 0, 0, 255]); // 7 of 2^24: right at the camera
    cameraToRgba(ImageType.SCENE_FINAL, src, dst);
    expect(Array.from(new Uint8Array(dst.buffer))).toEqual([7, 0, 0, 255]);
  });
});
