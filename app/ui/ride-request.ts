/**
 * What a ride asks the relay for, from the page it runs in and the rider's settings: the
 * driver's WebSocket URL and the INI choices. Pure, so that it is tested without a browser.
 */
import { WS_PATH } from '../../proto/relay-ws.ts';
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

/**
 * How camera pictures travel: "auto" takes CARLA's raw bytes when the relay is on this very
 * machine (loopback carries them; no encoding cost, no loss) and JPEG over a network.
 */
export function encodingFor(choice: PictureEncoding, hostname: string): 'raw' | 'jpeg' {
  if (choice !== 'auto') return choice;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname) ? 'raw' : 'jpeg';
}

/** The driver's WebSocket URL for a car, on the relay that served this page. */
export function driverUrl(loc: { protocol: string; host: string; hostname: string }, car: string, encoding: PictureEncoding = 'auto'): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const chosen = encodingFor(encoding, loc.hostname);
  return `${scheme}://${loc.host}${WS_PATH}?car=${encodeURIComponent(car)}&role=driver${chosen === 'jpeg' ? '&encoding=jpeg' : ''}`;
}

/** The widest camera the rider's quality allows: "auto" is what the last ride's link carried. */
export function maxCameraWidth(s: Pick<RideChoices, 'quality' | 'autoWidth'>): number {
  return s.quality === 'auto' ? s.autoWidth : QUALITY_WIDTH[s.quality];
}

/** The INI choices for a ride, from the rider's settings and the canvas it is drawn on. */
export function rideSettings(s: RideChoices, cssWidth: number, cssHeight: number): RideSettings {
  const maxWidth = maxCameraWidth(s);
  return {
    ...cameraSizeFor(cssWidth, cssHeight, maxWidth), fov: s.fov, weatherId: s.weatherId, vehicles: s.vehicles,
    pedestrians: s.pedestrians, quality: maxWidth <= QUALITY_WIDTH.low ? 'Low' : 'Epic', inset: s.inset,
  };
}

