/**
 * One CARLA camera image (BGRA rows, spec §6.2) as JPEG, with sharp (libvips). Only colour
 * images: depth and semantic segmentation carry numbers, and a lossy code would change them.
 * libvips reads RGB(A), so the B and R bytes are swapped first, a 32-bit word at a time —
 * cheaper than libvips' own recomb (about 3 ms against 20 ms at 1280×720 on one core here).
 */
import sharp from 'sharp';
import { ImageType, parseCameraPayload, SensorDataError } from '../../proto/index.ts';

export function isColourImage(imageType: number): boolean {
  return imageType === ImageType.NONE || imageType === ImageType.SCENE_FINAL;
}

/** The JPEG bytes of a 0.8 camera payload (28-byte header + BGRA); throws SensorDataError for depth or segmentation. */
export async function encodeCameraJpeg(payload: Uint8Array, quality: number): Promise<Uint8Array> {
  const img = parseCameraPayload(payload);
  if (!isColourImage(img.imageType)) throw new SensorDataError(`camera image type ${img.imageType} is not a colour image: it stays exact`);
  const n = img.width * img.height;
  const rgba = new Uint32Array(n);
  // The pixels sit at an odd offset in the message: read them through a copy that is aligned.
  const bgra = img.pixels.byteOffset % 4 === 0
    ? new Uint32Array(img.pixels.buffer, img.pixels.byteOffset, n)
    : new Uint32Array(Uint8Array.from(img.pixels).buffer);
  for (let i = 0; i < n; i++) {
    const v = bgra[i]!;
    rgba[i] = (v & 0xff00ff00) | ((v & 0xff) << 16) | ((v >>> 16) & 0xff);
  }
  const out = await sharp(new Uint8Array(rgba.buffer), { raw: { width: img.width, height: img.height, channels: 4 } })
    .removeAlpha().jpeg({ quality }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
