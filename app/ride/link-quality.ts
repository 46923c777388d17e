/**
 * "Auto" picture size: the camera width for the next ride, learned from how the link and the
 * simulator carried the last one. A ride that lost frames on the way (the relay skips whole
 * frames for a browser that falls behind) steps down; one that carried every frame at full
 * rate with latency to spare steps up. Judged between rides, because a new camera size needs a
 * new episode — changing it mid-ride would put the rider back at the start spot. (JPEG quality,
 * which may change at any frame, is judged every second: app/stream/jpeg-quality.ts.)
 */
export const AUTO_WIDTHS = [480, 640, 800, 1280] as const;
export type AutoWidth = (typeof AUTO_WIDTHS)[number];

/** Raw pixels stop here: 1280×720 raw is 880 Mbit/s at 30 fps, past what a browser's WebSocket takes. */
export const RAW_MAX_WIDTH = 800;

export const LINK_RULES = {
  /** Fewer frames than this (about 10 s at 30 fps) say nothing about the link. */
  minFrames: 300,
  /** More than this share of frames dropped: the link cannot carry the size. */
  stepDownAbove: 0.05,
  /** No drops and a p95 latency under this: room for more pixels. */
  stepUpBelowMs: 40,
  /** …and at least this frame rate at the end: a simulator that cannot render more is not asked to. */
  stepUpFps: 27,
} as const;

export interface LinkReport { frames: number; dropped: number; latencyP95: number; fps: number }

export function nextAutoWidth(current: AutoWidth, ride: LinkReport, encoding: 'raw' | 'jpeg'): AutoWidth {
  const widths = AUTO_WIDTHS.filter((w) => encoding === 'jpeg' || w <= RAW_MAX_WIDTH);
  const i = Math.max(0, widths.findLastIndex((w) => w <= current));
  if (ride.frames < LINK_RULES.minFrames) return widths[i]!;
  const dropRatio = ride.dropped / (ride.frames + ride.dropped);
  if (dropRatio > LINK_RULES.stepDownAbove) return widths[Math.max(0, i - 1)]!;
  if (ride.dropped === 0 && ride.latencyP95 < LINK_RULES.stepUpBelowMs && ride.fps >= LINK_RULES.stepUpFps) {
    return widths[Math.min(widths.length - 1, i + 1)]!;
  }
  return widths[i]!;
}
