/**
 * Full screen for the ride, asked for from a tap (browsers grant it only to a user gesture).
 * Once full screen, a phone or tablet can hold landscape; where it cannot, the ride view asks
 * the rider to rotate. Refusals are quiet: the ride works either way.
 */
export function enterFullscreen(): void {
  if (!document.fullscreenEnabled || document.fullscreenElement) return;
  void document.documentElement.requestFullscreen({ navigationUI: 'hide' })
    .then(() => (screen.orientation as ScreenOrientation & { lock?: (o: string) => Promise<void> }).lock?.('landscape'))
    .catch(() => {});
}

export function exitFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
}
