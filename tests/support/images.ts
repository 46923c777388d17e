import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ImageType } from '../../proto/index.ts';
import { cameraToRgba } from '../../app/stream/index.ts';
import { ROOT } from './processes.ts';

export const ARTIFACTS = join(ROOT, 'test-artifacts');

/**
 * Saves a camera image as a PNG under test-artifacts/ (for judging frames by eye), shown the
 * way the app shows it: colour as is, depth as grey, segmentation in the spec's palette.
 */
export function saveCameraPng(name: string, width: number, height: number, bgra: Uint8Array, imageType: ImageType = ImageType.SCENE_FINAL): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const png = new PNG({ width, height });
  cameraToRgba(imageType, new Uint32Array(Uint8Array.from(bgra).buffer), new Uint32Array(png.data.buffer, png.data.byteOffset, width * height));
  const file = join(ARTIFACTS, name);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}
