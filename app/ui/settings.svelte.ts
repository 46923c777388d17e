/** The rider's settings, kept in localStorage so that they survive a reload. */
export type Units = 'metric' | 'imperial';

export interface Settings { units: Units; riderKg: number; bikeKg: number }

const KEY = 'cycarla.settings.v1';
const DEFAULTS: Settings = { units: 'metric', riderKg: 75, bikeKg: 9 };

function load(): Settings {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    return {
      units: s.units === 'imperial' ? 'imperial' : 'metric',
      riderKg: typeof s.riderKg === 'number' && s.riderKg >= 20 && s.riderKg <= 250 ? s.riderKg : DEFAULTS.riderKg,
      bikeKg: typeof s.bikeKg === 'number' && s.bikeKg >= 3 && s.bikeKg <= 60 ? s.bikeKg : DEFAULTS.bikeKg,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

class SettingsStore {
  current = $state<Settings>(load());
  save(next: Partial<Settings>): void {
    this.current = { ...this.current, ...next };
    localStorage.setItem(KEY, JSON.stringify(this.current));
  }
}

export const settings = new SettingsStore();

/** Figures in the rider's units; every figure shown carries its unit. */
export const fmt = {
  speed: (mps: number, u: Units) => (u === 'imperial' ? (mps * 2.236936).toFixed(1) : (mps * 3.6).toFixed(1)),
  speedUnit: (u: Units) => (u === 'imperial' ? 'mph' : 'km/h'),
  distance: (m: number, u: Units) => (u === 'imperial' ? (m / 1609.344).toFixed(2) : (m / 1000).toFixed(2)),
  distanceUnit: (u: Units) => (u === 'imperial' ? 'mi' : 'km'),
};
