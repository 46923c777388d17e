/**
 * The CarlaSettings INI a ride asks for (spec §5): synchronous mode, a forward camera sized to
 * the screen, an optional small second camera for the inset, traffic and weather. Written the
 * way the reference client writes it — or, for a 0.7 server, with its SceneCapture keys in
 * centimetres.
 */
import { WIRE_UNITS, type CarlaProtocol } from '../../proto/carla-version.ts';

/** What the inset shows: nothing, what the main camera sees as depth or classes, or behind. */
export type InsetView = 'none' | 'depth' | 'segmentation' | 'rear';

export interface RideSettings {
  width: number;
  height: number;
  fov: number;
  weatherId: number;
  vehicles: number;
  pedestrians: number;
  quality: 'Low' | 'Epic';
  inset: InsetView;
}

export const RIDE_CAMERA = 'RiderView';
export const INSET_CAMERA = 'Inset';
/** Small enough to cost a tenth of the main picture's bytes; the inset is a glance. */
export const INSET_SIZE = { width: 256, height: 160 } as const;

interface Camera {
  name: string;
  postProcessing: 'SceneFinal' | 'Depth' | 'SemanticSegmentation';
  width: number;
  height: number;
  fov: number;
  /** Metres from the vehicle, degrees. */
  x: number; z: number; pitch: number; yaw: number;
}

// A rider's eye: above the handlebars, looking a little down the road.
const EYE = { x: 0.3, z: 1.55, pitch: -3, yaw: 0 };

export function rideCameras(s: RideSettings): Camera[] {
  const main: Camera = { name: RIDE_CAMERA, postProcessing: 'SceneFinal', width: s.width, height: s.height, fov: s.fov, ...EYE };
  if (s.inset === 'none') return [main];
  const inset: Camera = s.inset === 'rear'
    ? { ...main, name: INSET_CAMERA, ...INSET_SIZE, fov: 90, x: -0.6, z: 1.4, pitch: -5, yaw: 180 }
    : { ...main, name: INSET_CAMERA, ...INSET_SIZE, postProcessing: s.inset === 'depth' ? 'Depth' : 'SemanticSegmentation' };
  return [main, inset];
}

export function rideIni(s: RideSettings, protocol: CarlaProtocol = '0.8'): string {
  const cameras = rideCameras(s);
  const head = [
    '[CARLA/Server]', 'SynchronousMode=True', 'SendNonPlayerAgentsInfo=False',
    '[CARLA/QualitySettings]', `QualityLevel=${s.quality}`,
    '[CARLA/LevelSettings]', `NumberOfVehicles=${s.vehicles}`, `NumberOfPedestrians=${s.pedestrians}`, `WeatherId=${s.weatherId}`,
  ];
  const cm = WIRE_UNITS['0.7'].perMetre;
  const lines = protocol === '0.7'
    ? [
      ...head, '[CARLA/SceneCapture]', `Cameras=${cameras.map((c) => c.name).join(',')}`,
      ...cameras.flatMap((c) => [
        `[CARLA/SceneCapture/${c.name}]`, `PostProcessing=${c.postProcessing}`, `ImageSizeX=${c.width}`, `ImageSizeY=${c.height}`,
        `CameraFOV=${Math.round(c.fov)}`, `CameraPositionX=${Math.round(c.x * cm)}`, 'CameraPositionY=0', `CameraPositionZ=${Math.round(c.z * cm)}`,
        `CameraRotationPitch=${c.pitch}`, 'CameraRotationRoll=0', `CameraRotationYaw=${c.yaw}`,
      ]),
    ]
    : [
      ...head, '[CARLA/Sensor]', `Sensors=${cameras.map((c) => c.name).join(',')}`,
      ...cameras.flatMap((c) => [
        `[CARLA/Sensor/${c.name}]`, `FOV=${c.fov.toFixed(1)}`, `ImageSizeX=${c.width}`, `ImageSizeY=${c.height}`,
        `PositionX=${c.x.toFixed(1)}`, 'PositionY=0.0', `PositionZ=${c.z.toFixed(2)}`, `PostProcessing=${c.postProcessing}`,
        `RotationPitch=${c.pitch.toFixed(1)}`, 'RotationRoll=0.0', `RotationYaw=${c.yaw.toFixed(1)}`, `SensorName=${c.name}`, 'SensorType=CAMERA',
      ]),
    ];
  return lines.join('\n') + '\n';
}

/**
 * Widest camera each quality asks for (raw: about 0.6, 1.0 and 1.6 MB a frame at 16:10; HD at
 * 16:9 is 3.6 MB raw, about 70 KB as JPEG, so it goes only to a ride whose pictures are JPEG).
 */
export const QUALITY_WIDTH = { low: 480, standard: 640, high: 800, hd: 1280 } as const;
export type Quality = keyof typeof QUALITY_WIDTH;

/**
 * A camera size for a canvas: its aspect, at most maxWidth wide, even numbers. 640 wide
 * (about 1 MB a frame) keeps 30 fps within what a browser's WebSocket carries on a modest
 * machine; 800×500 queued frames and cost a quarter of a second of latency (npm run bench).
 */
export function cameraSizeFor(cssWidth: number, cssHeight: number, maxWidth: number = QUALITY_WIDTH.standard): { width: number; height: number } {
  const width = Math.min(maxWidth, Math.max(160, Math.round(cssWidth / 2) * 2));
  const height = Math.max(90, Math.round((width * cssHeight) / Math.max(1, cssWidth) / 2) * 2);
  return { width, height };
}
