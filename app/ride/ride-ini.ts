/**
 * The CarlaSettings INI a ride asks for (spec §5): synchronous mode, one forward camera
 * sized to the screen, traffic and weather. Written the way the reference client writes it.
 */
export interface RideSettings {
  width: number;
  height: number;
  fov: number;
  weatherId: number;
  vehicles: number;
  pedestrians: number;
}

export const RIDE_CAMERA = 'RiderView';

export function rideIni(s: RideSettings): string {
  return [
    '[CARLA/Server]', 'SynchronousMode=True', 'SendNonPlayerAgentsInfo=False',
    '[CARLA/QualitySettings]', 'QualityLevel=Epic',
    '[CARLA/LevelSettings]', `NumberOfVehicles=${s.vehicles}`, `NumberOfPedestrians=${s.pedestrians}`, `WeatherId=${s.weatherId}`,
    '[CARLA/Sensor]', `Sensors=${RIDE_CAMERA}`,
    `[CARLA/Sensor/${RIDE_CAMERA}]`, `FOV=${s.fov}`, `ImageSizeX=${s.width}`, `ImageSizeY=${s.height}`,
    // A rider's eye: above the handlebars, looking a little down the road.
    'PositionX=0.3', 'PositionY=0.0', 'PositionZ=1.55', 'PostProcessing=SceneFinal',
    'RotationPitch=-3.0', 'RotationRoll=0.0', 'RotationYaw=0.0', `SensorName=${RIDE_CAMERA}`, 'SensorType=CAMERA',
  ].join('\n') + '\n';
}

/**
 * A camera size for a canvas: its aspect, at most maxWidth wide, even numbers. 640 wide
 * (about 1 MB a frame) keeps 30 fps within what a browser's WebSocket carries on a modest
 * machine; 800×500 queued frames and cost a quarter of a second of latency (npm run bench).
 */
export function cameraSizeFor(cssWidth: number, cssHeight: number, maxWidth = 640): { width: number; height: number } {
  const width = Math.min(maxWidth, Math.max(160, Math.round(cssWidth / 2) * 2));
  const height = Math.max(90, Math.round((width * cssHeight) / Math.max(1, cssWidth) / 2) * 2);
  return { width, height };
}
