/**
 * What a ride asks the relay for, from the page it runs in and the rider's settings: the
 * driver's WebSocket URL and the INI choices. Pure, so that it is tested without a browser.
 */
import { WS_PATH } from '../../proto/relay-ws.ts';
import { RAW_MAX_WIDTH } from '../ride/link-quality.ts';
import { QUALITY_WIDTH, cameraSizeFor, type RideSettings } from '../ride/ride-ini.ts';

/** The settings a ride request reads (settings.svelte.ts's Settings has them). */
export interface RideChoices {
  quality: 'auto' | keyof typeof QUALITY_WIDTH;
  autoWidth: number;
  fov: number;
  weatherId: number;
  vehicles: number;
  pedestrians: number;
  inset: RideSettings['inset'];
}

export type PictureEncoding = 'auto' | 'raw' | 'jpeg';
/** JPEG quality: stepped with the link during the ride, or pinned by the rider. */
export const JPEG_QUALITY_CHOICES = ['auto', '50', '75', '90'] as const;
export type JpegQualityChoice = (typeof JPEG_QUALITY_CHOICES)[number];
/** What the ride's worker is told: a pinned quality, or 'auto'. */
export function jpegQualityFor(choice: JpegQualityChoice): number | 'auto' {
  return choice === 'auto' ? 'auto' : Number(choice);
}

/**
 * How camera pictures travel: "auto" takes CARLA's raw bytes when the relay is on this very
 * machine (loopback carries them; no encoding cost, no loss) and JPEG over a network.
 */
export function encodingFor(choice: PictureEncoding, hostname: string): 'raw' | 'jpeg' {
  if (choice !== 'auto') return choice;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname) ? 'raw' : 'jpeg';
}

/** The driver's WebSocket URL for a car, on the relay that served this page. */
export function driverUrl(
  loc: { protocol: string; host: string; hostname: string }, car: string, encoding: PictureEncoding = 'auto', quality: number | 'auto' = 'auto',
): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const chosen = encodingFor(encoding, loc.hostname);
  // "Auto" quality starts from the relay's default and steps from there (QUALITY messages).
  const jpeg = chosen === 'jpeg' ? `&encoding=jpeg${quality === 'auto' ? '' : `&quality=${quality}`}` : '';
  return `${scheme}://${loc.host}${WS_PATH}?car=${encodeURIComponent(car)}&role=driver${jpeg}`;
}

/**
 * The widest camera the rider's quality allows: "auto" is what the last ride's link carried.
 * Raw pictures stop at 800 px (HD raw is more than a browser's WebSocket carries at 30 fps).
 */
export function maxCameraWidth(s: Pick<RideChoices, 'quality' | 'autoWidth'>, encoding: 'raw' | 'jpeg' = 'jpeg'): number {
  const width = s.quality === 'auto' ? s.autoWidth : QUALITY_WIDTH[s.quality];
  return encoding === 'raw' ? Math.min(width, RAW_MAX_WIDTH) : width;
}

/** The INI choices for a ride, from the rider's settings, the canvas it is drawn on and how its pictures travel. */
export function rideSettings(s: RideChoices, cssWidth: number, cssHeight: number, encoding: 'raw' | 'jpeg' = 'jpeg'): RideSettings {
  const maxWidth = maxCameraWidth(s, encoding);
  return {
    ...cameraSizeFor(cssWidth, cssHeight, maxWidth), fov: s.fov, weatherId: s.weatherId, vehicles: s.vehicles,
    pedestrians: s.pedestrians, quality: maxWidth <= QUALITY_WIDTH.low ? 'Low' : 'Epic', inset: s.inset,
  };
}

