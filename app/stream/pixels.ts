import { ImageType } from '../../proto/index.ts';

/**
 * Camera pixels to canvas pixels, a 32-bit word at a time, into a buffer the caller reuses.
 * CARLA sends BGRA bytes: on a little-endian machine (every browser's) a pixel word reads
 * 0xAARRGGBB, and ImageData wants RGBA bytes, 0xAABBGGRR: swap the R and B bytes.
 */
export function bgraToRgba(src: Uint32Array, dst: Uint32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    dst[i] = (v & 0xff00ff00) | ((v & 0xff) << 16) | ((v >>> 16) & 0xff);
  }
}

/**
 * Depth (spec §6.3: 24 bits, R least significant, 1000 m full scale) as the grey of a
 * logarithmic view: 255 × clamp(1 + ln(normalized)/5.70378, 0, 1). The grey depends on the
 * top 16 bits only, so it is read from a 64 K table.
 */
const DEPTH_GREY = (() => {
  const t = new Uint8Array(65536);
  for (let k = 0; k < 65536; k++) {
    const normalized = (k * 256 + 128) / 16777215;
    t[k] = Math.round(255 * Math.min(1, Math.max(0, 1 + Math.log(normalized) / 5.70378)));
  }
  return t;
})();

export function depthToGrey(src: Uint32Array, dst: Uint32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    // Word 0xAARRGGBB: B (bits 0–7) is the most significant depth byte, then G.
    const g = DEPTH_GREY[((v & 0xff) << 8) | ((v >>> 8) & 0xff)]!;
    dst[i] = 0xff000000 | (g << 16) | (g << 8) | g;
  }
}

/** CityScapes colours of spec §6.3, tags 0..12, as RGBA words; other tags show magenta. */
export const SEGMENTATION_COLOURS: readonly [number, number, number][] = [
  [0, 0, 0], [70, 70, 70], [190, 153, 153], [72, 0, 90], [220, 20, 60], [153, 153, 153], [157, 234, 50],
  [128, 64, 128], [244, 35, 232], [107, 142, 35], [0, 0, 255], [102, 102, 156], [220, 220, 0],
];
const PALETTE = (() => {
  const p = new Uint32Array(256).fill(0xffff00ff);
  SEGMENTATION_COLOURS.forEach(([r, g, b], tag) => { p[tag] = (0xff000000 | (b << 16) | (g << 8) | r) >>> 0; });
  return p;
})();

export function segmentationToPalette(src: Uint32Array, dst: Uint32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) dst[i] = PALETTE[(src[i]! >>> 16) & 0xff]!;
}

/** Any camera image as canvas pixels: colour as it is, depth as grey, classes in colour. */
export function cameraToRgba(imageType: ImageType, src: Uint32Array, dst: Uint32Array): void {
  if (imageType === ImageType.DEPTH) depthToGrey(src, dst);
  else if (imageType === ImageType.SEMANTIC_SEGMENTATION) segmentationToPalette(src, dst);
  else bgraToRgba(src, dst);
}
