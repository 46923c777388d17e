/**
 * CarlaSettings: what one RequestNewEpisode's INI asks for (spec §5). Keys absent from an
 * episode's INI keep their previous values, except the sensor list, which every episode
 * defines afresh. Every malformed value is a warning and leaves the previous value.
 */
import { WIRE_UNITS, iniBool, readIni, type CarlaProtocol, type IniEntry, type IniSections } from '../../proto/index.ts';

export type PostProcessing = 'None' | 'SceneFinal' | 'Depth' | 'SemanticSegmentation';
export const POST_PROCESSING: readonly PostProcessing[] = ['None', 'SceneFinal', 'Depth', 'SemanticSegmentation'];

export interface Pose {
  /** Metres relative to the vehicle: x forward, y right, z up. */
  x: number; y: number; z: number;
  /** Degrees. */
  pitch: number; yaw: number; roll: number;
}

export interface CameraSettings {
  kind: 'camera';
  name: string;
  postProcessing: PostProcessing;
  width: number;
  height: number;
  fov: number;
  pose: Pose;
}

export interface LidarSettings {
  kind: 'lidar';
  name: string;
  channels: number;
  range: number;
  pointsPerSecond: number;
  rotationFrequency: number;
  upperFovLimit: number;
  lowerFovLimit: number;
  showDebugPoints: boolean;
  pose: Pose;
}

export type SensorSettings = CameraSettings | LidarSettings;

export const QUALITY_LEVELS = ['Low', 'Medium', 'High', 'Epic'] as const;
export type QualityLevel = (typeof QUALITY_LEVELS)[number];

export interface CarlaSettings {
  synchronousMode: boolean;
  sendNonPlayerAgentsInfo: boolean;
  qualityLevel: QualityLevel;
  playerVehicle: string;
  numberOfVehicles: number;
  numberOfPedestrians: number;
  /** -1 = map default, 0..14 = the named presets. */
  weatherId: number;
  seedVehicles: number;
  seedPedestrians: number;
  disableTwoWheeledVehicles: boolean;
  sensors: SensorSettings[];
}

/** Bounds that keep one episode's INI from exhausting the simulator. */
export const LIMITS = {
  maxSensors: 16,
  maxImageSide: 4096,
  maxVehicles: 200,
  maxPedestrians: 200,
  maxLidarChannels: 128,
  maxLidarPointsPerSecond: 2_000_000,
} as const;

export function defaultCarlaSettings(): CarlaSettings {
  return {
    synchronousMode: true,
    sendNonPlayerAgentsInfo: false,
    qualityLevel: 'Epic',
    playerVehicle: '',
    numberOfVehicles: 15,
    numberOfPedestrians: 20,
    weatherId: -1,
    seedVehicles: 123456789,
    seedPedestrians: 123456789,
    disableTwoWheeledVehicles: false,
    sensors: [],
  };
}

/** Reads keys from a chain of sections; later sections override earlier ones. */
class SectionReader {
  constructor(
    private readonly sections: IniSections,
    private readonly chain: string[],
    private readonly warnings: string[],
  ) {}

  private entry(key: string): { entry: IniEntry; section: string } | null {
    for (let i = this.chain.length - 1; i >= 0; i--) {
      const section = this.chain[i]!;
      const entry = this.sections.get(section.toLowerCase())?.get(key.toLowerCase());
      if (entry) return { entry, section };
    }
    return null;
  }

  private warn(found: { entry: IniEntry; section: string }, key: string, why: string, kept: unknown): void {
    this.warnings.push(`line ${found.entry.line}: [${found.section}] ${key}="${found.entry.value}" ${why}; using ${String(kept)}`);
  }

  string(key: string, fallback: string): string {
    return this.entry(key)?.entry.value ?? fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    const found = this.entry(key);
    if (!found) return fallback;
    const v = iniBool(found.entry.value);
    if (v !== null) return v;
    this.warn(found, key, 'is not a boolean (true/false, 1/0, yes/no, on/off)', fallback);
    return fallback;
  }

  number(key: string, fallback: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
    const found = this.entry(key);
    if (!found) return fallback;
    const raw = found.entry.value;
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) {
      this.warn(found, key, 'is not a number', fallback);
      return fallback;
    }
    if (opts.integer && !Number.isInteger(v)) {
      this.warn(found, key, 'is not an integer', fallback);
      return fallback;
    }
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      this.warn(found, key, `is outside ${opts.min ?? '-∞'}..${opts.max ?? '∞'}`, fallback);
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | null): T | null {
    const found = this.entry(key);
    if (!found) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === found.entry.value.toLowerCase());
    if (match) return match;
    this.warn(found, key, `is not one of ${allowed.join(', ')}`, fallback ?? 'nothing');
    return fallback;
  }

  has(key: string): boolean {
    return this.entry(key) !== null;
  }
}

function listNames(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function sensorChain(root: string, name: string): string[] {
  const chain = [root];
  const parts = name.split('/');
  for (let i = 1; i <= parts.length; i++) chain.push(`${root}/${parts.slice(0, i).join('/')}`);
  return chain;
}

function readPose(r: SectionReader, prefix: string, scale: number, defaults: Pose): Pose {
  return {
    x: r.number(`${prefix}PositionX`, defaults.x * scale) / scale,
    y: r.number(`${prefix}PositionY`, defaults.y * scale) / scale,
    z: r.number(`${prefix}PositionZ`, defaults.z * scale) / scale,
    pitch: r.number(`${prefix}RotationPitch`, defaults.pitch),
    yaw: r.number(`${prefix}RotationYaw`, defaults.yaw),
    roll: r.number(`${prefix}RotationRoll`, defaults.roll),
  };
}

const DEFAULT_POSE: Pose = { x: 1.7, y: 0, z: 1.5, pitch: 0, yaw: 0, roll: 0 };

function readCamera(r: SectionReader, name: string, v07: boolean): CameraSettings {
  return {
    kind: 'camera',
    name,
    postProcessing: r.oneOf('PostProcessing', POST_PROCESSING, 'SceneFinal')!,
    width: r.number('ImageSizeX', 720, { min: 1, max: LIMITS.maxImageSide, integer: true }),
    height: r.number('ImageSizeY', 512, { min: 1, max: LIMITS.maxImageSide, integer: true }),
    fov: v07
      ? r.number('CameraFOV', 90, { min: 1, max: 179 })
      : r.number('FOV', 90, { min: 1, max: 179 }),
    // 0.7 INIs give camera positions in the wire's centimetres.
    pose: v07 ? readPose(r, 'Camera', WIRE_UNITS['0.7'].perMetre, DEFAULT_POSE) : readPose(r, '', WIRE_UNITS['0.8'].perMetre, DEFAULT_POSE),
  };
}

function readLidar(r: SectionReader, name: string): LidarSettings {
  return {
    kind: 'lidar',
    name,
    channels: r.number('Channels', 32, { min: 1, max: LIMITS.maxLidarChannels, integer: true }),
    range: r.number('Range', 50, { min: 0.1, max: 1000 }),
    pointsPerSecond: r.number('PointsPerSecond', 56000, { min: 1, max: LIMITS.maxLidarPointsPerSecond, integer: true }),
    rotationFrequency: r.number('RotationFrequency', 10, { min: 0.1, max: 100 }),
    upperFovLimit: r.number('UpperFovLimit', 10, { min: -90, max: 90 }),
    lowerFovLimit: r.number('LowerFovLimit', -30, { min: -90, max: 90 }),
    showDebugPoints: r.bool('ShowDebugPoints', false),
    pose: readPose(r, '', 1, DEFAULT_POSE),
  };
}

function readSensors(sections: IniSections, version: CarlaProtocol, warnings: string[]): SensorSettings[] {
  const root = version === '0.7' ? 'CARLA/SceneCapture' : 'CARLA/Sensor';
  const listKey = version === '0.7' ? 'Cameras' : 'Sensors';
  const names = listNames(new SectionReader(sections, [root], warnings).string(listKey, ''));
  const sensors: SensorSettings[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name.toLowerCase())) {
      warnings.push(`[${root}] ${listKey}: sensor "${name}" is listed twice; the second is skipped`);
      continue;
    }
    seen.add(name.toLowerCase());
    if (sensors.length === LIMITS.maxSensors) {
      warnings.push(`[${root}] ${listKey}: more than ${LIMITS.maxSensors} sensors; "${name}" and later ones are skipped`);
      break;
    }
    const r = new SectionReader(sections, sensorChain(root, name), warnings);
    if (version === '0.7') {
      sensors.push(readCamera(r, name, true));
      continue;
    }
    const type = r.oneOf('SensorType', ['CAMERA', 'LIDAR_RAY_CAST'] as const, null);
    if (type === null) {
      if (!r.has('SensorType')) warnings.push(`[${root}/${name}] has no SensorType; sensor "${name}" skipped`);
      else warnings.push(`sensor "${name}" skipped: its SensorType is not CAMERA or LIDAR_RAY_CAST`);
      continue;
    }
    sensors.push(type === 'CAMERA' ? readCamera(r, name, false) : readLidar(r, name));
  }
  return sensors;
}

/** Applies one episode's INI on top of the previous settings. */
export function applyCarlaIni(
  previous: CarlaSettings,
  ini: string,
  version: CarlaProtocol,
): { settings: CarlaSettings; warnings: string[] } {
  const warnings: string[] = [];
  const sections = readIni(ini, warnings);
  const server = new SectionReader(sections, ['CARLA/Server'], warnings);
  const quality = new SectionReader(sections, ['CARLA/QualitySettings'], warnings);
  const level = new SectionReader(sections, ['CARLA/LevelSettings'], warnings);
  const p = previous;
  const weather = level.number('WeatherId', p.weatherId, { integer: true });
  const settings: CarlaSettings = {
    synchronousMode: server.bool('SynchronousMode', p.synchronousMode),
    sendNonPlayerAgentsInfo: server.bool('SendNonPlayerAgentsInfo', p.sendNonPlayerAgentsInfo),
    qualityLevel: quality.oneOf('QualityLevel', QUALITY_LEVELS, p.qualityLevel)!,
    playerVehicle: level.string('PlayerVehicle', p.playerVehicle),
    numberOfVehicles: level.number('NumberOfVehicles', p.numberOfVehicles, { min: 0, max: LIMITS.maxVehicles, integer: true }),
    numberOfPedestrians: level.number('NumberOfPedestrians', p.numberOfPedestrians, { min: 0, max: LIMITS.maxPedestrians, integer: true }),
    // Out-of-range weather means "map default", as on a real server.
    weatherId: weather >= -1 && weather <= 14 ? weather : -1,
    seedVehicles: level.number('SeedVehicles', p.seedVehicles, { integer: true }),
    seedPedestrians: level.number('SeedPedestrians', p.seedPedestrians, { integer: true }),
    disableTwoWheeledVehicles: level.bool('DisableTwoWheeledVehicles', p.disableTwoWheeledVehicles),
    sensors: readSensors(sections, version, warnings),
  };
  // Reported in the order of the INI's lines; warnings without a line come last.
  const lineOf = (w: string) => Number(/^line (\d+):/.exec(w)?.[1] ?? Infinity);
  warnings.sort((a, b) => lineOf(a) - lineOf(b));
  return { settings, warnings };
}
