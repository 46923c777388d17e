import { describe, expect, it } from 'vitest';
import { INSET_CAMERA, RIDE_CAMERA, cameraSizeFor, rideIni, type InsetView, type RideSettings } from '../../app/ride/ride-ini.ts';
import { applyCarlaIni, defaultCarlaSettings } from '../../sim/index.ts';

const RIDE: RideSettings = { width: 800, height: 450, fov: 90, weatherId: 8, vehicles: 12, pedestrians: 6, quality: 'Epic', inset: 'none' };
const MAIN = {
  kind: 'camera', name: RIDE_CAMERA, postProcessing: 'SceneFinal', width: 800, height: 450, fov: 90,
  pose: { x: 0.3, y: 0, z: 1.55, pitch: -3, yaw: 0, roll: 0 },
};

describe('the ride INI', () => {
  it('reads back through the simulator without a warning, asking for what the ride needs', () => {
    const { settings, warnings } = applyCarlaIni(defaultCarlaSettings(), rideIni(RIDE), '0.8');
    expect(warnings).toEqual([]);
    expect(settings).toMatchObject({ synchronousMode: true, weatherId: 8, numberOfVehicles: 12, numberOfPedestrians: 6, qualityLevel: 'Epic' });
    expect(settings.sensors).toEqual([MAIN]);
  });

  it('speaks 0.7 to a 0.7 server: SceneCapture cameras, positions in centimetres, an integer FOV', () => {
    const ini = rideIni({ ...RIDE, fov: 87.6, inset: 'depth' }, '0.7');
    expect(ini).toContain('[CARLA/SceneCapture]\nCameras=RiderView,Inset\n');
    expect(ini).toContain('CameraPositionZ=155\n');
    const { settings, warnings } = applyCarlaIni(defaultCarlaSettings(), ini, '0.7');
    expect(warnings).toEqual([]);
    expect(settings.sensors.map((s) => s.kind === 'camera' && [s.name, s.postProcessing, s.fov, s.pose.x, s.pose.z])).toEqual([
      [RIDE_CAMERA, 'SceneFinal', 88, 0.3, 1.55], [INSET_CAMERA, 'Depth', 88, 0.3, 1.55],
    ]);
  });

  it.each<[InsetView, string, number]>([['depth', 'Depth', 0], ['segmentation', 'SemanticSegmentation', 0], ['rear', 'SceneFinal', 180]])(
    'adds a small second camera for a %s inset', (inset, postProcessing, yaw) => {
      const { settings, warnings } = applyCarlaIni(defaultCarlaSettings(), rideIni({ ...RIDE, inset }), '0.8');
      expect(warnings).toEqual([]);
      expect(settings.sensors).toHaveLength(2);
      expect(settings.sensors[0]).toEqual(MAIN);
      expect(settings.sensors[1]).toMatchObject({ name: INSET_CAMERA, postProcessing, width: 256, height: 160, pose: { yaw } });
    });

  it('sizes the camera to the screen: its aspect, at most the quality\'s width, even sides', () => {
    // 640 wide keeps a 30 fps ride under what a browser's WebSocket carries (npm run bench).
    expect(cameraSizeFor(1280, 800)).toEqual({ width: 640, height: 400 });
    expect(cameraSizeFor(1280, 800, 480)).toEqual({ width: 480, height: 300 });
    expect(cameraSizeFor(390, 844)).toEqual({ width: 390, height: 844 });
    const s = cameraSizeFor(1023, 577);
    expect(s.width % 2 + s.height % 2).toBe(0);
  });
});
