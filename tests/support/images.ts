import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ROOT } from './processes.ts';

export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Saves BGRA pixels as a PNG under test-artifacts/ (for judging frames by eye). */
export function saveBgraPng(name: string, width: number, height: number, bgra: Uint8Array, map?: (b: number, g: number, r: number) => [number, number, number]): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const b = bgra[i * 4]!, g = bgra[i * 4 + 1]!, r = bgra[i * 4 + 2]!;
    const [R, G, B] = map ? map(b, g, r) : [r, g, b];
    png.data[i * 4] = R; png.data[i * 4 + 1] = G; png.data[i * 4 + 2] = B; png.data[i * 4 + 3] = 255;
  }
  const file = join(ARTIFACTS, name);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

/** The CityScapes palette of spec §6.3, for viewing segmentation frames. */
export const SEGMENTATION_PALETTE: [number, number, number][] = [
  [0, 0, 0], [70, 70, 70], [190, 153, 153], [72, 0, 90], [220, 20, 60], [153, 153, 153], [157, 234, 50],
  [128, 64, 128], [244, 35, 232], [107, 142, 35], [0, 0, 255], [102, 102, 156], [220, 220, 0],
];
