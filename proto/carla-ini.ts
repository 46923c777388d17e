/**
 * The INI dialect of CarlaSettings (spec §5; UE4 config files): `[Section]`, `Key=Value`,
 * `;` or `#` comment lines, section and key names case-insensitive, a repeated key overrides.
 * Lines it cannot read become warnings, never errors: a real server shrugs them off too.
 * The simulator reads whole INIs with it; the relay reads SynchronousMode.
 */
export interface IniEntry { value: string; line: number }
export type IniSections = Map<string, Map<string, IniEntry>>;

export function readIni(text: string, warnings: string[]): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, IniEntry> | null = null;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']') || line.length < 3) {
        warnings.push(`line ${i + 1}: malformed section header "${line}" ignored`);
        current = null;
        continue;
      }
      const name = line.slice(1, -1).trim().toLowerCase();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      warnings.push(`line ${i + 1}: "${line}" is not Key=Value; ignored`);
      continue;
    }
    if (!current) {
      warnings.push(`line ${i + 1}: "${line}" stands before any section; ignored`);
      continue;
    }
    current.set(line.slice(0, eq).trim().toLowerCase(), { value: line.slice(eq + 1).trim(), line: i + 1 });
  }
  return sections;
}

/** A boolean the way UE4 reads one, or null for a value that is not one. */
export function iniBool(value: string): boolean | null {
  const v = value.toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes' || v === 'on') return true;
  if (v === 'false' || v === '0' || v === 'no' || v === 'off') return false;
  return null;
}

/** [CARLA/LevelSettings] WeatherId 0..14 (spec §5); anything else is the map's default (-1). */
export const WEATHER_NAMES = [
  'Default', 'ClearNoon', 'CloudyNoon', 'WetNoon', 'WetCloudyNoon', 'MidRainyNoon', 'HardRainNoon',
  'SoftRainNoon', 'ClearSunset', 'CloudySunset', 'WetSunset', 'WetCloudySunset', 'MidRainSunset',
  'HardRainSunset', 'SoftRainSunset',
] as const;
