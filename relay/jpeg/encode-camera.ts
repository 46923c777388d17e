/**
 * One CARLA camera image (BGRA rows, spec §6.2) as JPEG, with sharp (libvips). Only colour
 * images: depth and semantic segmentation carry numbers, and a lossy code would change them.
 *
 * libvips wants RGB(A). Node's native swap32 turns each BGRA word into ARGB, and the same
 * bytes read from one byte on are RGBA (each pixel's fourth byte is the next one's alpha, the
 * last one's a spare byte past the image), which libvips takes with its alpha dropped. That is
 * about 1 ms at 1280×720 where a JavaScript loop took 7 and libvips' own recomb 20.
 * Huffman tables are not optimised: 5–10 % more bytes for 40 % less encoding time, and on a
 * rig's CPU the encoder, not the link, is the narrow part (npm run bench).
 */
import sharp from 'sharp';
import { ImageType, parseCameraPayload, SensorDataError } from '../../proto/index.ts';

export function isColourImage(imageType: number): boolean {
  return imageType === ImageType.NONE || imageType === ImageType.SCENE_FINAL;
}

/**
 * The JPEG bytes of a 0.8 camera payload (28-byte header + BGRA); throws SensorDataError for
 * depth or segmentation. `mayOverwrite`: the caller gives up the payload, whose pixels are then
 * swapped where they lie (and a byte after them is read, if its buffer has one) instead of copied.
 */
export async function encodeCameraJpeg(payload: Uint8Array, quality: number, mayOverwrite = false): Promise<Uint8Array> {
  const img = parseCameraPayload(payload);
  if (!isColourImage(img.imageType)) throw new SensorDataError(`camera image type ${img.imageType} is not a colour image: it stays exact`);
  const px = img.pixels;
  const spare = px.buffer.byteLength > px.byteOffset + px.byteLength;
  let work: Buffer;
  if (mayOverwrite && spare) {
    work = Buffer.from(px.buffer, px.byteOffset, px.byteLength + 1);
  } else {
    work = Buffer.allocUnsafe(px.byteLength + 1);
    work.set(px);
  }
  work.subarray(0, px.byteLength).swap32();
  const out = await sharp(work.subarray(1), { raw: { width: img.width, height: img.height, channels: 4 } })
    .removeAlpha().jpeg({ quality, optimiseCoding: false }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
