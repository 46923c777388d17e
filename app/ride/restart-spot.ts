/**
 * Where a ride goes on after the simulator's episode was lost and a new one begins: at the start
 * spot nearest ahead of where the bike last was, so the rider is not sent back to spot 1. Ahead
 * is along the way the bike was moving; a spot behind is taken only when none lies ahead.
 */
export interface Point { x: number; y: number }

/** The index of the spot to restart at, in `spots` (metres); `heading` is the last movement (any length), null when unknown. */
export function restartSpot(spots: Point[], last: Point, heading: Point | null): number {
  let best = -1, bestDist = Infinity, nearest = 0, nearestDist = Infinity;
  const h = heading && Math.hypot(heading.x, heading.y) > 1e-6 ? heading : null;
  spots.forEach((s, i) => {
    const dx = s.x - last.x, dy = s.y - last.y, d = Math.hypot(dx, dy);
    if (d < nearestDist) { nearestDist = d; nearest = i; }
    if (h && dx * h.x + dy * h.y > 0 && d < bestDist) { bestDist = d; best = i; }
  });
  return best >= 0 ? best : nearest;
}
