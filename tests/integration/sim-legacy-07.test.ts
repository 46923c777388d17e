/** `--protocol 0.7`: the bulk image message, the 0.7 INI and Unreal units. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ImageType, decodeEpisodeReady, decodeMeasurements, decodeSceneDescription,
  encodeEpisodeStart, encodeFrame, encodeRequestNewEpisode, parseBulkImages,
} from '../../proto/index.ts';
import { MessageReader, connect, connectWithRetry } from '../support/carla-client.ts';
import { startSim, type StartedSim } from '../support/sim-process.ts';

let sim: StartedSim;
let port: number;

beforeAll(async () => {
  sim = await startSim(['--protocol', '0.7', '--timeout-ms', '2000']);
  port = sim.port;
});
afterAll(async () => { await sim.stop(); });

const INI_07 = [
  '[CARLA/Server]', 'SynchronousMode=true', 'SendNonPlayerAgentsInfo=false',
  '[CARLA/LevelSettings]', 'NumberOfVehicles=3', 'NumberOfPedestrians=0', 'WeatherId=8',
  '[CARLA/SceneCapture]', 'Cameras=Front,Depth', 'ImageSizeX=200', 'ImageSizeY=100', 'CameraFOV=90',
  '[CARLA/SceneCapture/Front]', 'PostProcessing=SceneFinal', 'CameraPositionX=30', 'CameraPositionZ=150',
  '[CARLA/SceneCapture/Depth]', 'PostProcessing=Depth', 'ImageSizeX=64', 'ImageSizeY=32',
].join('\n');

it('sends Measurements then one bulk image message per frame, in Cameras= order, without a terminator', async () => {
  const world = await connect(port);
  const wr = new MessageReader(world);
  world.write(encodeFrame(encodeRequestNewEpisode(INI_07)));
  const scene = decodeSceneDescription(await wr.next());
  // 0.7 scenes carry start spots only, in centimetres.
  expect(scene.sensors).toEqual([]);
  expect(scene.mapName).toBe('');
  expect(scene.playerStartSpots.length).toBeGreaterThan(0);
  world.write(encodeFrame(encodeEpisodeStart(0)));
  expect(decodeEpisodeReady(await wr.next()).ready).toBe(true);
  const stream = await connectWithRetry(port + 1);
  const control = await connectWithRetry(port + 2);
  const sr = new MessageReader(stream);

  const m1 = decodeMeasurements(await sr.next());
  const images = parseBulkImages(await sr.next());
  expect(images.map((i) => [i.width, i.height, i.imageType])).toEqual([[200, 100, ImageType.SCENE_FINAL], [64, 32, ImageType.DEPTH]]);
  // Nothing else follows until the Control: no zero-length terminator in 0.7.
  expect(await sr.silentFor(300)).toBe(true);
  const { encodeControl } = await import('../../proto/index.ts');
  for (let k = 0; k < 30; k++) {
    control.write(encodeFrame(encodeControl({ throttle: 1 })));
    const m = decodeMeasurements(await sr.next());
    parseBulkImages(await sr.next());
    if (k === 29) {
      // Unreal units: centimetres and km/h.
      const p = m.playerMeasurements;
      const moved = Math.hypot(p.transform.location.x - m1.playerMeasurements.transform.location.x, p.transform.location.y - m1.playerMeasurements.transform.location.y);
      expect(p.forwardSpeed).toBeGreaterThan(8); // km/h after a second of full throttle
      expect(moved).toBeGreaterThan(150); // cm
      expect(Math.abs(scene.playerStartSpots[0]!.location.x - m1.playerMeasurements.transform.location.x)).toBeLessThan(1);
    }
  }
  for (const s of [world, stream, control]) s.destroy();
});
