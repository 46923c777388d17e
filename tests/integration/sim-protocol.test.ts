/**
 * The simulator speaks CARLA 0.8.4 to a strict client: a real `npm run sim` process on
 * loopback, driven through every rule of the protocol a client relies on.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { depthMetres, encodeFrame, encodeRequestNewEpisode, ImageType, SensorType } from '../../proto/index.ts';
import { CarlaTestClient, MessageReader, connect, iniFor } from '../support/carla-client.ts';
import { saveCameraPng } from '../support/images.ts';
import { freePortTriple } from '../support/ports.ts';
import { runNpm, type RunningProcess } from '../support/processes.ts';

const TIMEOUT_MS = 1500;
let sim: RunningProcess;
let port: number;
const clients: CarlaTestClient[] = [];

function client(): CarlaTestClient {
  const c = new CarlaTestClient(port);
  clients.push(c);
  return c;
}

/** Until the server has ended every world session it began: the next test starts on a free server. */
const allSessionsEnded = () => expect.poll(() => sim.logCount('world session ended') - sim.logCount('world client connected'), { timeout: 5000 }).toBe(0);

beforeAll(async () => {
  sim = runNpm('sim', ['--port', String(await freePortTriple()), '--benchmark', '--timeout-ms', String(TIMEOUT_MS), '--seed', '1']);
  port = (await sim.waitForLog('simulator listening')).worldPort as number;
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await allSessionsEnded();
});
afterAll(async () => {
  await sim.stop();
});

const THREE_CAMERAS = [
  { name: 'CameraRGB', post: 'SceneFinal', w: 320, h: 240 },
  { name: 'Cams/Depth', post: 'Depth', w: 320, h: 240 },
  { name: 'Cams/Seg', post: 'SemanticSegmentation', w: 320, h: 240 },
];

describe('world handshake', () => {
  it('describes the scene with the INI sensors, opaque ids, a map name and several start spots', async () => {
    const c = client();
    await c.connect();
    const scene = await c.requestNewEpisode(iniFor({ sensors: [...THREE_CAMERAS, { name: 'Lidar', type: 'LIDAR_RAY_CAST' }] }));
    expect(scene.sensors.map((s) => s.name)).toEqual(['CameraRGB', 'Cams/Depth', 'Cams/Seg', 'Lidar']);
    expect(scene.sensors.map((s) => s.type)).toEqual([SensorType.CAMERA, SensorType.CAMERA, SensorType.CAMERA, SensorType.LIDAR_RAY_CAST]);
    const ids = scene.sensors.map((s) => s.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids.every((id) => id > 1000)).toBe(true);
    expect(scene.mapName).toBe('CycarlaLoop');
    expect(scene.playerStartSpots.length).toBeGreaterThanOrEqual(6);
  });

  it('answers EpisodeStart with EpisodeReady(true) and opens the agent ports only then', async () => {
    const c = client();
    await c.connect();
    await c.requestNewEpisode(iniFor({}));
    await expect(connect(port + 1)).rejects.toThrow(/ECONNREFUSED/);
    await c.startEpisode(2);
    expect(c.stream).not.toBeNull();
    expect(c.control).not.toBeNull();
  });
});

describe('stream port', () => {
  it('sends Measurements, one correctly laid out message per camera and a terminator every frame', async () => {
    const c = client();
    const scene = await c.episode(iniFor({ sensors: THREE_CAMERAS }));
    for (let k = 0; k < 3; k++) {
      const f = await c.readFrame();
      expect(f.raw.at(-1)!.byteLength).toBe(0);
      expect(f.raw).toHaveLength(1 + 3 + 1);
      for (const s of scene.sensors) {
        const img = f.cameras.get(s.name)!;
        expect(img.sensorId).toBe(s.id);
        expect(img.frameNumber).toBe(f.measurements.frameNumber);
        expect([img.width, img.height, img.fov]).toEqual([320, 240, 90]);
        expect(img.pixels.byteLength).toBe(4 * 320 * 240);
      }
      expect(f.cameras.get('CameraRGB')!.imageType).toBe(ImageType.SCENE_FINAL);
      expect(f.cameras.get('Cams/Depth')!.imageType).toBe(ImageType.DEPTH);
      expect(f.cameras.get('Cams/Seg')!.imageType).toBe(ImageType.SEMANTIC_SEGMENTATION);
      c.sendControl({ throttle: 0.5 });
    }
  });

  it('renders depth and segmentation that agree with the RGB geometry', async () => {
    const c = client();
    await c.episode(iniFor({ sensors: THREE_CAMERAS.map((s) => ({ ...s, w: 400, h: 300 })) }), 1);
    const f = await c.readFrame();
    const rgb = f.cameras.get('CameraRGB')!, depth = f.cameras.get('Cams/Depth')!, seg = f.cameras.get('Cams/Seg')!;
    saveCameraPng('sim-rgb.png', 400, 300, rgb.pixels);
    saveCameraPng('sim-depth.png', 400, 300, depth.pixels, ImageType.DEPTH);
    saveCameraPng('sim-seg.png', 400, 300, seg.pixels, ImageType.SEMANTIC_SEGMENTATION);
    const at = (img: typeof rgb, x: number, y: number) => img.pixels.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4);
    // Tags are CARLA's 0..12, in R, with alpha 255.
    for (let i = 0; i < 400 * 300; i += 97) {
      expect(seg.pixels[i * 4 + 2]!).toBeLessThanOrEqual(12);
      expect(seg.pixels[i * 4 + 3]!).toBe(255);
    }
    // Straight ahead at the bottom is road, a couple of metres away; the top is sky at the far plane.
    const bottom = at(depth, 200, 299);
    expect(at(seg, 200, 299)[2]).toBeOneOf([6, 7]);
    expect(depthMetres(bottom[0]!, bottom[1]!, bottom[2]!)).toBeGreaterThan(1);
    expect(depthMetres(bottom[0]!, bottom[1]!, bottom[2]!)).toBeLessThan(4);
    const top = at(depth, 200, 0);
    expect(at(seg, 200, 0)[2]).toBe(0);
    expect(depthMetres(top[0]!, top[1]!, top[2]!)).toBeCloseTo(1000, 0);
    // On the road, depth grows towards the horizon, as perspective on flat ground demands.
    let last = 0;
    for (let y = 299; y > 200; y -= 10) {
      const p = at(depth, 200, y);
      if (at(seg, 200, y)[2] !== 7 && at(seg, 200, y)[2] !== 6) continue;
      const d = depthMetres(p[0]!, p[1]!, p[2]!);
      expect(d).toBeGreaterThan(last);
      last = d;
    }
    // The picture is a picture: many distinct colours, sky brighter and bluer than the road.
    const colours = new Set<number>();
    for (let i = 0; i < 400 * 300; i += 7) colours.add(rgb.pixels[i * 4]! | (rgb.pixels[i * 4 + 1]! << 8) | (rgb.pixels[i * 4 + 2]! << 16));
    expect(colours.size).toBeGreaterThan(500);
    expect(at(rgb, 200, 2)[0]!).toBeGreaterThan(at(rgb, 200, 290)[0]!);
  });

  it('changes sky and light with WeatherId', async () => {
    const mean = async (weather: number) => {
      const c = client();
      await c.episode(iniFor({ weather, sensors: [{ name: 'Cam', w: 160, h: 120 }] }), 1);
      const px = (await c.readFrame()).cameras.get('Cam')!.pixels;
      c.close();
      await allSessionsEnded();
      let r = 0, b = 0;
      for (let i = 0; i < px.length; i += 4) { b += px[i]!; r += px[i + 2]!; }
      return { r: r / (px.length / 4), b: b / (px.length / 4) };
    };
    const noon = await mean(1), sunset = await mean(8), rain = await mean(6);
    // Sunset is warmer (red over blue), a hard-rain noon darker than a clear one.
    expect(sunset.r - sunset.b).toBeGreaterThan(noon.r - noon.b + 10);
    expect(rain.r + rain.b).toBeLessThan(noon.r + noon.b);
  });

  it('reports lidar points from the same geometry in the spec layout', async () => {
    const c = client();
    await c.episode(iniFor({ sensors: [{ name: 'Lidar', type: 'LIDAR_RAY_CAST' }] }));
    const f = await c.readFrame();
    const scan = f.lidars.get('Lidar')!;
    expect(scan.pointsPerChannel).toHaveLength(16);
    expect(scan.points.length).toBe(3 * scan.pointsPerChannel.reduce((a, b) => a + b, 0));
    expect(scan.points.length).toBeGreaterThan(0);
    // Lower channels hit the road, about the mount height (1.6 m) below the sensor.
    const lowest = scan.pointsPerChannel.slice(0, 15).reduce((a, b) => a + b, 0);
    expect(scan.points[lowest * 3 + 2]!).toBeCloseTo(-1.6, 0);
  });
});

describe('synchronous mode', () => {
  it('sends frame k+1 only after the Control for frame k', async () => {
    const c = client();
    await c.episode(iniFor({ sync: true }));
    const f1 = await c.readFrame();
    expect(await c.streamReader!.silentFor(400)).toBe(true);
    c.sendControl({ throttle: 1 });
    const f2 = await c.readFrame();
    expect(f2.measurements.frameNumber).toBe(f1.measurements.frameNumber + 1);
  });

  it('goes on after ServerTimeOut without a Control, with an all-zero control, and closes the control connection', async () => {
    const c = client();
    await c.episode(iniFor({ sync: true }));
    await c.readFrame();
    const t0 = Date.now();
    const controlClosed = new Promise((r) => c.control!.once('close', r));
    const f2 = await c.readFrame(5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    // One tick of full throttle would add 420 N / 90 kg / 30 Hz ≈ 0.16 m/s; gravity on the
    // start spot's grade alone moves it far less.
    expect(Math.abs(f2.measurements.playerMeasurements.forwardSpeed)).toBeLessThan(0.08);
    await controlClosed;
  });

  it('applies only the newest of several Controls sent within one tick', async () => {
    const c = client();
    await c.episode(iniFor({ sync: true }));
    await c.readFrame();
    const { encodeControl } = await import('../../proto/index.ts');
    c.control!.write(Buffer.concat([encodeFrame(encodeControl({ throttle: 1 })), encodeFrame(encodeControl({ brake: 1 }))]));
    const f = await c.readFrame();
    expect(f.measurements.playerMeasurements.forwardSpeed).toBe(0);
  });
});

describe('asynchronous mode', () => {
  it('ticks on its own clock and drops frames for a slow reader, keeping the newest', async () => {
    const c = client();
    await c.episode(iniFor({ sync: false, sensors: [{ name: 'Big', w: 800, h: 600 }] }));
    const f1 = await c.readFrame();
    // Stop reading: the kernel buffers fill and the server must drop, not queue.
    c.stream!.pause();
    await new Promise((r) => setTimeout(r, 1200));
    c.stream!.resume();
    // What the kernel buffered comes first, in order; then a jump to the newest frame.
    const numbers: number[] = [f1.measurements.frameNumber];
    for (let k = 0; k < 40 && Math.max(0, ...numbers.slice(1).map((n, i) => n - numbers[i]!)) <= 5; k++) {
      numbers.push((await c.readFrame()).measurements.frameNumber);
    }
    const gaps = numbers.slice(1).map((n, i) => n - numbers[i]!);
    expect(gaps.every((g) => g >= 1)).toBe(true);
    expect(Math.max(...gaps)).toBeGreaterThan(5);
    // Game time moves on with the wall clock even though the client sent no Control.
    const last = await c.readFrame();
    expect(last.measurements.gameTimestamp).toBeGreaterThan(1000);
  });
});

describe('vehicle', () => {
  it('speeds up under full throttle and turns under steering', async () => {
    const c = client();
    await c.episode(iniFor({}), 0);
    let f = await c.readFrame();
    const yaw0 = f.measurements.playerMeasurements.transform.rotation.yaw;
    for (let k = 0; k < 60; k++) { c.sendControl({ throttle: 1 }); f = await c.readFrame(); }
    const v = f.measurements.playerMeasurements.forwardSpeed;
    expect(v).toBeGreaterThan(4);
    const yaw1 = f.measurements.playerMeasurements.transform.rotation.yaw;
    for (let k = 0; k < 30; k++) { c.sendControl({ throttle: 0.5, steer: 0.6 }); f = await c.readFrame(); }
    const turned = ((f.measurements.playerMeasurements.transform.rotation.yaw - yaw1 + 540) % 360) - 180;
    expect(turned).toBeGreaterThan(10);
    expect(Math.abs(yaw1 - yaw0)).toBeLessThan(20);
    // The autopilot suggests a bounded control: pedals in [0, 1], never throttle and brake at once.
    const ap = f.measurements.playerMeasurements.autopilotControl;
    expect(Math.abs(ap.steer)).toBeLessThanOrEqual(1);
    for (const pedal of [ap.throttle, ap.brake]) {
      expect(pedal).toBeGreaterThanOrEqual(0);
      expect(pedal).toBeLessThanOrEqual(1);
    }
    expect(ap.throttle * ap.brake).toBe(0);
  });

  it('reports the traffic when SendNonPlayerAgentsInfo is on', async () => {
    const c = client();
    await c.episode(iniFor({ vehicles: 12, pedestrians: 5, agents: true }));
    const f = await c.readFrame();
    const kinds = f.measurements.nonPlayerAgents.map((a) => a.kind);
    expect(kinds.filter((k) => k === 'vehicle')).toHaveLength(12);
    expect(kinds.filter((k) => k === 'pedestrian')).toHaveLength(5);
    expect(kinds).toContain('speedLimitSign');
  });
});

describe('episodes and clients', () => {
  it('closes the old agent connections on RequestNewEpisode and leaks no byte of the old episode', async () => {
    const c = client();
    await c.episode(iniFor({ sensors: [{ name: 'Old' }] }));
    await c.readFrame();
    const oldStream = c.stream!, oldControl = c.control!;
    const oldReader = c.streamReader!;
    const closed = Promise.all([new Promise((r) => oldStream.once('close', r)), new Promise((r) => oldControl.once('close', r))]);
    // Ask for a new episode without closing the old sockets first: the server must close them.
    c.world.write(encodeFrame(encodeRequestNewEpisode(iniFor({ sensors: [{ name: 'New', w: 64, h: 48 }] }))));
    await closed;
    expect(oldReader.closed).toBe(true);
    c.stream = c.control = null;
    const { decodeSceneDescription } = await import('../../proto/index.ts');
    c.scene = decodeSceneDescription(await c.worldReader.next());
    await c.startEpisode(0);
    const f = await c.readFrame();
    expect([...f.cameras.keys()]).toEqual(['New']);
    expect(f.measurements.gameTimestamp).toBeLessThan(200);
  });

  it('frees the server for a new client when one vanishes mid-episode', async () => {
    const a = client();
    await a.episode(iniFor({}));
    await a.readFrame();
    a.close();
    const b = client();
    await b.episode(iniFor({}));
    expect((await b.readFrame()).measurements.frameNumber).toBeGreaterThan(0);
  });

  it('keeps a second world client waiting until the first leaves', async () => {
    const a = client();
    await a.connect();
    await a.requestNewEpisode(iniFor({}));
    const b = client();
    await b.connect();
    const scene = b.requestNewEpisode(iniFor({}));
    expect(await b.worldReader.silentFor(300)).toBe(true);
    a.close();
    expect((await scene).mapName).toBe('CycarlaLoop');
  });

  it('closes a client that never asks for an episode after ServerTimeOut', async () => {
    const s = await connect(port);
    const reader = new MessageReader(s);
    const t0 = Date.now();
    await new Promise((r) => s.once('close', r));
    expect(reader.closed).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
  });
});

describe('bad input', () => {
  it('treats malformed INI values as warnings with defaults', async () => {
    const c = client();
    const ini = ['[CARLA/Server]', 'SynchronousMode=perhaps', '[CARLA/LevelSettings]', 'WeatherId=banana', 'NumberOfVehicles=-3',
      '[CARLA/Sensor]', 'Sensors=Good,Bad', '[CARLA/Sensor/Good]', 'SensorType=CAMERA', 'ImageSizeX=abc', 'FOV=400',
      '[CARLA/Sensor/Bad]', 'SensorType=RADAR', 'this line is nonsense'].join('\n');
    const scene = await c.episode(ini);
    expect(scene.sensors.map((s) => s.name)).toEqual(['Good']);
    const f = await c.readFrame();
    const img = f.cameras.get('Good')!;
    expect([img.width, img.height, img.fov]).toEqual([720, 512, 90]);
    // Logs travel through a pipe: they may trail the socket's bytes a little.
    await expect.poll(() => sim.output()).toContain('SynchronousMode=\\"perhaps\\" is not a boolean');
  });

  it('closes only the connection that sent garbage, and keeps serving', async () => {
    const s = await connect(port);
    s.write(Buffer.from([0x03, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff]));
    await new Promise((r) => s.once('close', r));
    const t = await connect(port);
    t.write(Buffer.from([0xff, 0xff, 0xff, 0x7f]));
    await new Promise((r) => t.once('close', r));
    const c = client();
    await c.episode(iniFor({}));
    expect((await c.readFrame()).measurements.frameNumber).toBeGreaterThan(0);
  });

  it('closes a control connection that sends garbage without ending the episode', async () => {
    const c = client();
    await c.episode(iniFor({ sync: false }));
    await c.readFrame();
    const closed = new Promise((r) => c.control!.once('close', r));
    c.control!.write(Buffer.from([0x05, 0x00, 0x00, 0x00, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f]));
    await closed;
    expect((await c.readFrame()).measurements.frameNumber).toBeGreaterThan(0);
  });

  it('ignores bytes sent to the stream port: frames go on, one per Control, numbered in order', async () => {
    const c = client();
    await c.episode(iniFor({}));
    (c.stream as net.Socket).write(Buffer.alloc(64 * 1024, 0xab));
    const first = (await c.readFrame()).measurements.frameNumber;
    c.sendControl({});
    expect((await c.readFrame()).measurements.frameNumber).toBe(first + 1);
    expect((c.stream as net.Socket).destroyed).toBe(false);
  });
});
