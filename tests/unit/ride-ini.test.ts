import { describe, expect, it } from 'vitest';
import { RIDE_CAMERA, cameraSizeFor, rideIni } from '../../app/ride/ride-ini.ts';
import { applyCarlaIni, defaultCarlaSettings } from '../../sim/index.ts';

describe('the ride INI', () => {
  it('reads back through the simulator without a warning, asking for what the ride needs', () => {
    const ini = rideIni({ width: 800, height: 450, fov: 90, weatherId: 8, vehicles: 12, pedestrians: 6 });
    const { settings, warnings } = applyCarlaIni(defaultCarlaSettings(), ini, '0.8');
    expect(warnings).toEqual([]);
    expect(settings).toMatchObject({ synchronousMode: true, weatherId: 8, numberOfVehicles: 12, numberOfPedestrians: 6 });
    expect(settings.sensors).toEqual([{
      kind: 'camera', name: RIDE_CAMERA, postProcessing: 'SceneFinal', width: 800, height: 450, fov: 90,
      pose: { x: 0.3, y: 0, z: 1.55, pitch: -3, yaw: 0, roll: 0 },
    }]);
  });

  it('sizes the camera to the screen: its aspect, at most 640 wide, even sides', () => {
    // 640 wide keeps a 30 fps ride under what a browser's WebSocket carries (npm run bench).
    expect(cameraSizeFor(1280, 800)).toEqual({ width: 640, height: 400 });
    expect(cameraSizeFor(390, 844)).toEqual({ width: 390, height: 844 });
    const s = cameraSizeFor(1023, 577);
    expect(s.width % 2 + s.height % 2).toBe(0);
  });
});
