/**
 * The rider's settings, kept in localStorage so that they survive a reload. zod checks both
 * what the rider types (a wrong value names the setting and its range, and is not saved) and
 * what comes back from storage (one damaged value falls back to its default alone).
 */
import { z } from 'zod';
// The INI module alone: proto/index.ts would bring the protobuf code into the page's bundle.
import { WEATHER_NAMES } from '../../proto/carla-ini.ts';
import { AUTO_WIDTHS } from '../ride/link-quality.ts';
import { DEFAULT_ORIGIN } from '../rides/geo.ts';
import { QUALITY_WIDTH, type InsetView, type Quality } from '../ride/ride-ini.ts';
import { JPEG_QUALITY_CHOICES, type JpegQualityChoice, type PictureEncoding } from './ride-request.ts';

export type Units = 'metric' | 'imperial';

/** WeatherId 0..14 (spec §5), as a rider reads them: "ClearNoon" → "Clear noon". */
export const WEATHERS = WEATHER_NAMES.map((n) => {
  if (n === 'Default') return 'Map default';
  const words = n.replace(/([a-z])([A-Z])/g, '$1 $2');
  return words[0] + words.slice(1).toLowerCase();
});

export const ENCODING_CHOICES: Record<PictureEncoding, string> = {
  auto: 'Auto: raw on this computer, JPEG over a network',
  raw: 'Raw (exact, needs a fast link)',
  jpeg: 'JPEG (light on Wi-Fi)',
};
export const INSETS: Record<InsetView, string> = { none: 'None', depth: 'Depth', segmentation: 'What the simulator sees (classes)', rear: 'Rear view' };
export const QUALITIES: Record<Quality | 'auto', string> = {
  auto: 'Auto: sized to what the link carried on your last ride',
  low: `Low (${QUALITY_WIDTH.low} px wide, light on the network)`,
  standard: `Standard (${QUALITY_WIDTH.standard} px)`,
  high: `High (${QUALITY_WIDTH.high} px, needs a fast link)`,
  hd: `HD (${QUALITY_WIDTH.hd} px; JPEG pictures only, raw ones stop at ${QUALITY_WIDTH.high})`,
};
export const JPEG_QUALITIES: Record<JpegQualityChoice, string> = {
  auto: 'Auto: follows the link, frame by frame',
  50: '50 (lightest)',
  75: '75',
  90: '90 (sharpest, needs a fast link)',
};

/** Numeric settings: their range, and how a message names them. */
export const RANGES = {
  riderKg: { min: 20, max: 250, label: 'Rider mass', unit: 'kg' },
  bikeKg: { min: 3, max: 60, label: 'Bike mass', unit: 'kg' },
  fov: { min: 60, max: 120, label: 'Field of view', unit: '°' },
  vehicles: { min: 0, max: 40, label: 'Cars', unit: '' },
  pedestrians: { min: 0, max: 40, label: 'Pedestrians', unit: '' },
  ftp: { min: 50, max: 600, label: 'FTP', unit: 'W' },
  // Where a ride's coordinates start (GPX and Strava); by default at sea near the equator.
  originLat: { min: -80, max: 80, label: 'Map origin latitude', unit: '°' },
  originLon: { min: -180, max: 180, label: 'Map origin longitude', unit: '°' },
} as const;

const ranged = (k: keyof typeof RANGES) => {
  const r = RANGES[k];
  const message = `${r.label} must be ${r.min}–${r.max}${r.unit ? ` ${r.unit}` : ''}`;
  return z.number({ error: message }).min(r.min, { error: message }).max(r.max, { error: message });
};

const SettingsSchema = z.object({
  units: z.enum(['metric', 'imperial']),
  riderKg: ranged('riderKg'),
  bikeKg: ranged('bikeKg'),
  fov: ranged('fov').int(),
  quality: z.enum(['auto', 'low', 'standard', 'high', 'hd']),
  /** The camera width "auto" asks for next, learned from the last ride's link. */
  autoWidth: z.literal(AUTO_WIDTHS),
  inset: z.enum(['none', 'depth', 'segmentation', 'rear']),
  /** How pictures travel: raw on this machine and JPEG over a network ("auto"), or always one. */
  encoding: z.enum(['auto', 'raw', 'jpeg']),
  /** JPEG quality: "auto" steps it with the link during a ride; a number pins it. */
  jpegQuality: z.enum(JPEG_QUALITY_CHOICES),
  weatherId: z.number().int().min(0).max(WEATHERS.length - 1),
  vehicles: ranged('vehicles').int(),
  pedestrians: ranged('pedestrians').int(),
  autoPause: z.boolean(),
  /** Functional threshold power, W; null until the rider sets it (IF, TSS and zones need it). */
  ftp: ranged('ftp').int().nullable(),
  originLat: ranged('originLat'),
  originLon: ranged('originLon'),
  fullscreen: z.boolean(),
  /** The car and start spot chosen last. */
  car: z.string(),
  startIndex: z.number().int().min(0),
});

export type Settings = z.infer<typeof SettingsSchema>;

const DEFAULTS: Settings = {
  units: 'metric', riderKg: 75, bikeKg: 9, fov: 90, quality: 'auto', autoWidth: 640, inset: 'none', encoding: 'auto', jpegQuality: 'auto', weatherId: 1,
  vehicles: 12, pedestrians: 12, autoPause: false, ftp: null, originLat: DEFAULT_ORIGIN.lat, originLon: DEFAULT_ORIGIN.lon, fullscreen: true, car: '', startIndex: 0,
};

const KEY = 'cycarla.settings.v1';

function load(): Settings {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch { /* unreadable storage: every setting takes its default */ }
  const out = { ...DEFAULTS } as Record<string, unknown>;
  for (const [key, schema] of Object.entries(SettingsSchema.shape)) {
    const r = (schema as z.ZodType).safeParse(stored[key]);
    if (r.success) out[key] = r.data;
  }
  return out as Settings;
}

class SettingsStore {
  current = $state<Settings>(load());

  /** Saves the values if they are valid; otherwise returns what is wrong and keeps the old ones. */
  save(next: Partial<Settings>): string | null {
    const r = SettingsSchema.partial().safeParse(next);
    if (!r.success) return r.error.issues[0]?.message ?? 'invalid setting';
    this.current = { ...this.current, ...r.data };
    localStorage.setItem(KEY, JSON.stringify(this.current));
    return null;
  }
}

export const settings = new SettingsStore();

/** Figures in the rider's units; every figure shown carries its unit. */
export const fmt = {
  speed: (mps: number, u: Units) => (u === 'imperial' ? (mps * 2.236936).toFixed(1) : (mps * 3.6).toFixed(1)),
  speedUnit: (u: Units) => (u === 'imperial' ? 'mph' : 'km/h'),
  distance: (m: number, u: Units) => (u === 'imperial' ? (m / 1609.344).toFixed(2) : (m / 1000).toFixed(2)),
  distanceUnit: (u: Units) => (u === 'imperial' ? 'mi' : 'km'),
  height: (m: number, u: Units) => String(Math.round(u === 'imperial' ? m * 3.28084 : m)),
  heightUnit: (u: Units) => (u === 'imperial' ? 'ft' : 'm'),
};
