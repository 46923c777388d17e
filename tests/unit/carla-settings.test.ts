import { describe, expect, it } from 'vitest';
import { applyCarlaIni, defaultCarlaSettings, type CameraSettings, type LidarSettings } from '../../sim/server/carla-settings.ts';

const apply = (ini: string, prev = defaultCarlaSettings(), v: '0.8' | '0.7' = '0.8') => applyCarlaIni(prev, ini, v);

describe('CarlaSettings INI', () => {
  it("reads the reference client's default settings", () => {
    const ini = `[CARLA/Server]
SynchronousMode=True
SendNonPlayerAgentsInfo=False

[CARLA/QualitySettings]
QualityLevel=Epic

[CARLA/LevelSettings]
NumberOfVehicles=20
NumberOfPedestrians=30
WeatherId=1
DisableTwoWheeledVehicles=False

[CARLA/Sensor]
Sensors=CameraRGB

[CARLA/Sensor/CameraRGB]
FOV=90.0
ImageSizeX=720
ImageSizeY=512
PositionX=0.2
PositionY=0.0
PositionZ=1.3
PostProcessing=SceneFinal
RotationPitch=0.0
RotationRoll=0.0
RotationYaw=0.0
SensorName=CameraRGB
SensorType=CAMERA
`;
    const { settings, warnings } = apply(ini);
    expect(warnings).toEqual([]);
    expect(settings).toMatchObject({ synchronousMode: true, sendNonPlayerAgentsInfo: false, qualityLevel: 'Epic', numberOfVehicles: 20, numberOfPedestrians: 30, weatherId: 1 });
    expect(settings.sensors).toEqual([{
      kind: 'camera', name: 'CameraRGB', postProcessing: 'SceneFinal', width: 720, height: 512, fov: 90,
      pose: { x: 0.2, y: 0, z: 1.3, pitch: 0, yaw: 0, roll: 0 },
    }]);
  });

  it('ignores the case of sections and keys, and skips ; and # comments', () => {
    const { settings, warnings } = apply('; a comment\n[carla/server]\nsynchronousmode=false\n# another\n[CARLA/LEVELSETTINGS]\nnumberofvehicles = 7\n');
    expect(warnings).toEqual([]);
    expect(settings.synchronousMode).toBe(false);
    expect(settings.numberOfVehicles).toBe(7);
  });

  it.each([['true', true], ['True', true], ['1', true], ['yes', true], ['on', true], ['false', false], ['0', false], ['no', false], ['OFF', false]])(
    'reads the boolean spelling %s', (word, value) => {
      const prev = { ...defaultCarlaSettings(), synchronousMode: !value };
      expect(apply(`[CARLA/Server]\nSynchronousMode=${word}`, prev).settings.synchronousMode).toBe(value);
    });

  it('keeps keys an episode leaves out, but starts the sensor list afresh', () => {
    const first = apply('[CARLA/LevelSettings]\nNumberOfVehicles=42\nWeatherId=8\n[CARLA/Sensor]\nSensors=A\n[CARLA/Sensor/A]\nSensorType=CAMERA').settings;
    const second = apply('[CARLA/Server]\nSynchronousMode=False', first).settings;
    expect(second.numberOfVehicles).toBe(42);
    expect(second.weatherId).toBe(8);
    expect(second.synchronousMode).toBe(false);
    expect(second.sensors).toEqual([]);
  });

  it('inherits sensor keys along the path, later sections overriding earlier ones', () => {
    const ini = `[CARLA/Sensor]
Sensors=Cams/Front,Cams/Rear,Lidar
ImageSizeX=100
SensorType=CAMERA
[CARLA/Sensor/Cams]
ImageSizeY=50
PostProcessing=Depth
[CARLA/Sensor/Cams/Rear]
RotationYaw=180
PostProcessing=SemanticSegmentation
[CARLA/Sensor/Lidar]
SensorType=LIDAR_RAY_CAST
Channels=16
`;
    const { settings, warnings } = apply(ini);
    expect(warnings).toEqual([]);
    const [front, rear, lidar] = settings.sensors as [CameraSettings, CameraSettings, LidarSettings];
    expect([front.width, front.height, front.postProcessing, front.pose.yaw]).toEqual([100, 50, 'Depth', 0]);
    expect([rear.width, rear.height, rear.postProcessing, rear.pose.yaw]).toEqual([100, 50, 'SemanticSegmentation', 180]);
    expect(lidar).toMatchObject({ kind: 'lidar', channels: 16, range: 50, pointsPerSecond: 56000, rotationFrequency: 10, upperFovLimit: 10, lowerFovLimit: -30 });
  });

  it('warns about each malformed value, naming the line, section and key, and keeps the previous value', () => {
    const { settings, warnings } = apply('[CARLA/LevelSettings]\nNumberOfVehicles=many\nWeatherId=2.5\n[CARLA/Server]\nSynchronousMode=maybe\n[CARLA/QualitySettings]\nQualityLevel=Ultra');
    expect(settings.numberOfVehicles).toBe(15);
    expect(settings.weatherId).toBe(-1);
    expect(settings.synchronousMode).toBe(true);
    expect(settings.qualityLevel).toBe('Epic');
    expect(warnings).toEqual([
      'line 2: [CARLA/LevelSettings] NumberOfVehicles="many" is not a number; using 15',
      'line 3: [CARLA/LevelSettings] WeatherId="2.5" is not an integer; using -1',
      'line 5: [CARLA/Server] SynchronousMode="maybe" is not a boolean (true/false, 1/0, yes/no, on/off); using true',
      'line 7: [CARLA/QualitySettings] QualityLevel="Ultra" is not one of Low, Medium, High, Epic; using Epic',
    ]);
  });

  it('maps an out-of-range WeatherId to the map default', () => {
    expect(apply('[CARLA/LevelSettings]\nWeatherId=15').settings.weatherId).toBe(-1);
    expect(apply('[CARLA/LevelSettings]\nWeatherId=14').settings.weatherId).toBe(14);
  });

  it('skips sensors with an invalid or missing SensorType, and duplicates', () => {
    const { settings, warnings } = apply('[CARLA/Sensor]\nSensors=A,B,C,A\n[CARLA/Sensor/A]\nSensorType=CAMERA\n[CARLA/Sensor/B]\nSensorType=SONAR');
    expect(settings.sensors.map((s) => s.name)).toEqual(['A']);
    expect(warnings.join('\n')).toMatch(/"B" skipped/);
    expect(warnings.join('\n')).toMatch(/\[CARLA\/Sensor\/C\] has no SensorType/);
    expect(warnings.join('\n')).toMatch(/"A" is listed twice/);
  });

  it('bounds image sizes so an INI cannot exhaust the simulator', () => {
    const { settings, warnings } = apply('[CARLA/Sensor]\nSensors=A\n[CARLA/Sensor/A]\nSensorType=CAMERA\nImageSizeX=100000\nImageSizeY=0');
    expect([(settings.sensors[0] as CameraSettings).width, (settings.sensors[0] as CameraSettings).height]).toEqual([720, 512]);
    expect(warnings).toHaveLength(2);
  });

  it('reads 0.7 SceneCapture cameras with centimetre positions and CameraFOV', () => {
    const ini = '[CARLA/SceneCapture]\nCameras=Main\n[CARLA/SceneCapture/Main]\nPostProcessing=None\nImageSizeX=320\nImageSizeY=240\nCameraFOV=100\nCameraPositionX=30\nCameraPositionZ=140\nCameraRotationPitch=-5';
    const { settings, warnings } = apply(ini, defaultCarlaSettings(), '0.7');
    expect(warnings).toEqual([]);
    expect(settings.sensors).toEqual([{
      kind: 'camera', name: 'Main', postProcessing: 'None', width: 320, height: 240, fov: 100,
      pose: { x: 0.3, y: 0, z: 1.4, pitch: -5, yaw: 0, roll: 0 },
    }]);
  });
});
