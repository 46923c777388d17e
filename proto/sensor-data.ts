/**
 * Raw sensor payloads on the stream port (spec §6): the 0.8.2–0.8.4 per-sensor messages
 * (camera with a 28-byte prefix, lidar) and the 0.5–0.7 bulk image message. All integers
 * little-endian; pixels are BGRA, rows of exactly 4·W bytes, top row first.
 */

export const ImageType = { NONE: 0, SCENE_FINAL: 1, DEPTH: 2, SEMANTIC_SEGMENTATION: 3 } as const;
export type ImageType = (typeof ImageType)[keyof typeof ImageType];

export const CAMERA_HEADER_BYTES = 28;
export const BULK_IMAGE_HEADER_BYTES = 12;
export const LIDAR_FIXED_HEADER_BYTES = 20;
/** Depth images encode 0..1000 m in 24 bits (spec §6.3). */
export const DEPTH_FAR_METRES = 1000;

export class SensorDataError extends Error {
  readonly code = 'CARLA_ERR_BAD_SENSOR_DATA';
  constructor(message: string) {
    super(message);
    this.name = 'SensorDataError';
  }
}

export interface CameraHeader {
  sensorId: number;
  frameNumber: number;
  width: number;
  height: number;
  imageType: ImageType;
  fov: number;
}

export interface CameraImage extends CameraHeader {
  /** BGRA bytes, a view into the payload (no copy). */
  pixels: Uint8Array;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

export function cameraPayloadBytes(width: number, height: number): number {
  return CAMERA_HEADER_BYTES + 4 * width * height;
}

/** Writes the 28-byte camera prefix at the start of `payload`. */
export function writeCameraHeader(payload: Uint8Array, h: CameraHeader): void {
  const v = view(payload);
  v.setUint32(0, h.sensorId >>> 0, true);
  v.setUint32(4, h.frameNumber % 0x100000000, true);
  v.setUint32(8, Math.floor(h.frameNumber / 0x100000000), true);
  v.setUint32(12, h.width, true);
  v.setUint32(16, h.height, true);
  v.setUint32(20, h.imageType, true);
  v.setFloat32(24, h.fov, true);
}

/** The sensor id every 0.8.x sensor message starts with. */
export function readSensorId(payload: Uint8Array): number {
  if (payload.byteLength < 4) {
    throw new SensorDataError(`sensor message of ${payload.byteLength} bytes has no sensor id`);
  }
  return view(payload).getUint32(0, true);
}

export function parseCameraPayload(payload: Uint8Array): CameraImage {
  if (payload.byteLength < CAMERA_HEADER_BYTES) {
    throw new SensorDataError(`camera message of ${payload.byteLength} bytes is shorter than its 28-byte header`);
  }
  const v = view(payload);
  const width = v.getUint32(12, true);
  const height = v.getUint32(16, true);
  const imageType = v.getUint32(20, true);
  if (imageType > 3) throw new SensorDataError(`camera image type ${imageType} is not one of 0..3`);
  const expected = cameraPayloadBytes(width, height);
  if (payload.byteLength !== expected) {
    throw new SensorDataError(
      `camera message of ${payload.byteLength} bytes does not match ${width}×${height} (expected ${expected})`);
  }
  return {
    sensorId: v.getUint32(0, true),
    frameNumber: v.getUint32(4, true) + v.getUint32(8, true) * 0x100000000,
    width, height, imageType: imageType as ImageType,
    fov: v.getFloat32(24, true),
    pixels: payload.subarray(CAMERA_HEADER_BYTES),
  };
}

export interface LidarScan {
  sensorId: number;
  frameNumber: number;
  horizontalAngle: number;
  pointsPerChannel: number[];
  /** x, y, z triples in metres, grouped by channel, channel 0 topmost. */
  points: Float32Array;
}

export function lidarPayloadBytes(channels: number, points: number): number {
  return LIDAR_FIXED_HEADER_BYTES + 4 * channels + 12 * points;
}

export function encodeLidarPayload(scan: LidarScan): Uint8Array {
  const channels = scan.pointsPerChannel.length;
  const n = scan.points.length / 3;
  const out = new Uint8Array(lidarPayloadBytes(channels, n));
  const v = view(out);
  v.setUint32(0, scan.sensorId >>> 0, true);
  // Real servers fill only the low 16 bits of the frame number here (spec §6.2).
  v.setUint32(4, scan.frameNumber & 0xffff, true);
  v.setUint32(8, 0, true);
  v.setFloat32(12, scan.horizontalAngle, true);
  v.setUint32(16, channels, true);
  let o = LIDAR_FIXED_HEADER_BYTES;
  for (const count of scan.pointsPerChannel) { v.setUint32(o, count, true); o += 4; }
  for (let i = 0; i < scan.points.length; i++) { v.setFloat32(o, scan.points[i]!, true); o += 4; }
  return out;
}

export function parseLidarPayload(payload: Uint8Array): LidarScan {
  if (payload.byteLength < LIDAR_FIXED_HEADER_BYTES) {
    throw new SensorDataError(`lidar message of ${payload.byteLength} bytes is shorter than its 20-byte header`);
  }
  const v = view(payload);
  const channels = v.getUint32(16, true);
  if (LIDAR_FIXED_HEADER_BYTES + 4 * channels > payload.byteLength) {
    throw new SensorDataError(`lidar message declares ${channels} channels but holds ${payload.byteLength} bytes`);
  }
  const pointsPerChannel: number[] = [];
  let total = 0;
  for (let c = 0; c < channels; c++) {
    const count = v.getUint32(LIDAR_FIXED_HEADER_BYTES + 4 * c, true);
    pointsPerChannel.push(count);
    total += count;
  }
  const expected = lidarPayloadBytes(channels, total);
  if (payload.byteLength !== expected) {
    throw new SensorDataError(`lidar message of ${payload.byteLength} bytes does not match ${total} points (expected ${expected})`);
  }
  const points = new Float32Array(total * 3);
  const base = LIDAR_FIXED_HEADER_BYTES + 4 * channels;
  for (let i = 0; i < points.length; i++) points[i] = v.getFloat32(base + 4 * i, true);
  return {
    sensorId: v.getUint32(0, true),
    frameNumber: v.getUint32(4, true) + v.getUint32(8, true) * 0x100000000,
    horizontalAngle: v.getFloat32(12, true),
    pointsPerChannel, points,
  };
}

export interface BulkImage { width: number; height: number; imageType: ImageType; pixels: Uint8Array }

export function bulkImageBytes(width: number, height: number): number {
  return BULK_IMAGE_HEADER_BYTES + 4 * width * height;
}

/** Splits a 0.5–0.7 bulk image message into its images, in `Cameras=` order. */
export function parseBulkImages(payload: Uint8Array): BulkImage[] {
  const v = view(payload);
  const images: BulkImage[] = [];
  let o = 0;
  while (o < payload.byteLength) {
    if (payload.byteLength - o < BULK_IMAGE_HEADER_BYTES) {
      throw new SensorDataError(`bulk image message has ${payload.byteLength - o} trailing bytes, less than an image header`);
    }
    const width = v.getUint32(o, true);
    const height = v.getUint32(o + 4, true);
    const imageType = v.getUint32(o + 8, true);
    if (imageType > 3) throw new SensorDataError(`bulk image type ${imageType} is not one of 0..3`);
    const end = o + bulkImageBytes(width, height);
    if (end > payload.byteLength) {
      throw new SensorDataError(`bulk image ${images.length} (${width}×${height}) runs past the end of the message`);
    }
    images.push({ width, height, imageType: imageType as ImageType, pixels: payload.subarray(o + BULK_IMAGE_HEADER_BYTES, end) });
    o = end;
  }
  return images;
}

/** Metres encoded in one depth pixel (B, G, R bytes of BGRA; R least significant). */
export function depthMetres(b: number, g: number, r: number): number {
  return ((r + 256 * g + 65536 * b) / 16777215) * DEPTH_FAR_METRES;
}
