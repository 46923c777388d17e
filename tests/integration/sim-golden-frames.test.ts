/**
 * The simulator's frames are pinned by digest: a refactor of the renderer, the world or the
 * dynamics must leave every byte of every frame as it was. The digests were taken from the
 * code at ec8f705 (before the simulator was regrouped into folders); change them only with a
 * commit that says why the picture changed.
 *
 * Each run drives a real `npm run sim` process in synchronous mode (fixed steps, so the
 * result does not depend on the machine's speed) with traffic, pedestrians, every camera kind
 * and a lidar, under steering and throttle that vary per frame. Left out: the wall-clock field
 * (platform_timestamp), and the autopilot's suggested throttle, which changed on purpose when
 * the autopilot's feed-forward moved to the shared road-load model (sin θ where it had used
 * the grade); the autopilot's steer and brake are still pinned.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeEpisodeReady, decodeMeasurements, decodeSceneDescription, encodeControl, encodeEpisodeStart, encodeFrame,
  encodeRequestNewEpisode,
} from '../../proto/index.ts';
import { CarlaTestClient, MessageReader, connect, connectWithRetry, iniFor } from '../support/carla-client.ts';
import { startSim, type StartedSim } from '../support/sim-process.ts';

const FRAMES = 90;

/** Throttle, brake and steer that vary per frame: accelerating, braking and turning all happen. */
function controlFor(k: number): { steer: number; throttle: number; brake: number } {
  return { steer: Math.sin(k / 9) * 0.3, throttle: k % 40 < 30 ? 0.8 : 0, brake: k % 40 >= 34 ? 0.5 : 0 };
}

/** Everything in a Measurements message but the server's wall clock and the autopilot's throttle. */
function measurementsDigestText(payload: Uint8Array): string {
  const m = decodeMeasurements(payload);
  m.playerMeasurements.autopilotControl.throttle = 0;
  return JSON.stringify({ ...m, platformTimestamp: 0 });
}

describe('0.8 frames', () => {
  let sim: StartedSim;
  beforeAll(async () => { sim = await startSim(['--seed', '1', '--timeout-ms', '5000']); });
  afterAll(async () => { await sim.stop(); });

  it('are byte-identical to the pinned digest for seed 1 (cameras of every kind, lidar, traffic)', async () => {
    const c = new CarlaTestClient(sim.port);
    try {
      await c.episode(iniFor({
        vehicles: 25, pedestrians: 25, weather: 3, agents: true,
        sensors: [
          { name: 'RGB', post: 'SceneFinal', w: 200, h: 120 },
          { name: 'Depth', post: 'Depth', w: 160, h: 96 },
          { name: 'Seg', post: 'SemanticSegmentation', w: 160, h: 96 },
          { name: 'Rear', post: 'SceneFinal', w: 96, h: 64, yaw: 180, pitch: -5 },
          { name: 'Lidar', type: 'LIDAR_RAY_CAST' },
        ],
      }), 3);
      const hash = createHash('sha256');
      for (let k = 0; k < FRAMES; k++) {
        const frame = await c.readFrame();
        hash.update(measurementsDigestText(frame.raw[0]!));
        for (const m of frame.raw.slice(1)) hash.update(m);
        c.sendControl(controlFor(k));
      }
      expect(hash.digest('hex')).toBe(GOLDEN_08);
    } finally {
      c.close();
    }
  });
});

describe('0.7 frames', () => {
  let sim: StartedSim;
  beforeAll(async () => { sim = await startSim(['--seed', '2', '--protocol', '0.7', '--timeout-ms', '5000']); });
  afterAll(async () => { await sim.stop(); });

  it('are byte-identical to the pinned digest for seed 2 (bulk images in centimetres)', async () => {
    const ini = [
      '[CARLA/Server]', 'SynchronousMode=true', 'SendNonPlayerAgentsInfo=true',
      '[CARLA/LevelSettings]', 'NumberOfVehicles=10', 'NumberOfPedestrians=10', 'WeatherId=9',
      '[CARLA/SceneCapture]', 'Cameras=Front,Depth,Seg', 'ImageSizeX=160', 'ImageSizeY=90', 'CameraFOV=100',
      '[CARLA/SceneCapture/Front]', 'PostProcessing=SceneFinal', 'CameraPositionX=30', 'CameraPositionZ=150',
      '[CARLA/SceneCapture/Depth]', 'PostProcessing=Depth',
      '[CARLA/SceneCapture/Seg]', 'PostProcessing=SemanticSegmentation', 'CameraRotationYaw=30',
    ].join('\n');
    const world = await connect(sim.port);
    const wr = new MessageReader(world);
    const hash = createHash('sha256');
    try {
      world.write(encodeFrame(encodeRequestNewEpisode(ini)));
      decodeSceneDescription(await wr.next());
      world.write(encodeFrame(encodeEpisodeStart(1)));
      expect(decodeEpisodeReady(await wr.next()).ready).toBe(true);
      const stream = await connectWithRetry(sim.port + 1);
      const sr = new MessageReader(stream);
      const control = await connectWithRetry(sim.port + 2);
      for (let k = 0; k < FRAMES; k++) {
        // 0.7: Measurements, then one bulk image message, no terminator.
        hash.update(measurementsDigestText(await sr.next()));
        hash.update(await sr.next());
        control.write(encodeFrame(encodeControl(controlFor(k))));
      }
      stream.destroy();
      control.destroy();
      expect(hash.digest('hex')).toBe(GOLDEN_07);
    } finally {
      world.destroy();
    }
  });
});

const GOLDEN_08 = 'b9421ab3de5ce8016c4b8dc18a52e306703ac57b53904bf9362bb73a1a4fbccd';
const GOLDEN_07 = 'dad362008f552ece74e34925a8e13a681add4587daf117f4cbf55456b0518cca';
