/**
 * "Auto" picture quality: the camera width for the next ride, learned from how the link
 * carried the last one. A ride that lost frames on the way (the relay skips whole frames for
 * a browser that falls behind) steps down; one that carried every frame with latency to spare
 * steps up. Judged between rides, because a new camera size needs a new episode — changing it
 * mid-ride would put the rider back at the start spot.
 */
export const AUTO_WIDTHS = [480, 640, 800] as const;
export type AutoWidth = (typeof AUTO_WIDTHS)[number];

export const LINK_RULES = {
  /** Fewer frames than this (about 10 s at 30 fps) say nothing about the link. */
  minFrames: 300,
  /** More than this share of frames dropped: the link cannot carry the size. */
  stepDownAbove: 0.05,
  /** No drops and a p95 latency under this: room for more pixels. */
  stepUpBelowMs: 40,
} as const;

export interface LinkReport { frames: number; dropped: number; latencyP95: number }

export function nextAutoWidth(current: AutoWidth, ride: LinkReport): AutoWidth {
  if (ride.frames < LINK_RULES.minFrames) return current;
  const i = AUTO_WIDTHS.indexOf(current);
  const dropRatio = ride.dropped / (ride.frames + ride.dropped);
  if (dropRatio > LINK_RULES.stepDownAbove) return AUTO_WIDTHS[Math.max(0, i - 1)]!;
  if (ride.dropped === 0 && ride.latencyP95 < LINK_RULES.stepUpBelowMs) return AUTO_WIDTHS[Math.min(AUTO_WIDTHS.length - 1, i + 1)]!;
  return current;
}
