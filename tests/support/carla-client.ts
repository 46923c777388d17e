/**
 * A strict CARLA 0.8.4 client for tests, modelled on the upstream Python client: it reads
 * Measurements, then messages up to the zero-length terminator, insists that each camera
 * payload is exactly 28 + 4·W·H bytes, and fails on a sensor id the scene did not announce.
 */
import net from 'node:net';
import {
  FrameDecoder, decodeEpisodeReady, decodeMeasurements, decodeSceneDescription, encodeControl,
  encodeEpisodeStart, encodeFrame, encodeRequestNewEpisode, parseCameraPayload, parseLidarPayload,
  readSensorId, SensorType, type CameraImage, type Control, type LidarScan, type Measurements,
  type SceneDescription,
} from '../../proto/index.ts';

/** Whole framed messages from a socket, awaited one at a time. */
export class MessageReader {
  private readonly decoder: FrameDecoder;
  private readonly queue: Uint8Array[] = [];
  private waiter: (() => void) | null = null;
  closed = false;
  error: Error | null = null;

  constructor(readonly socket: net.Socket, maxMessageBytes = 256 * 1024 * 1024) {
    this.decoder = new FrameDecoder({ maxMessageBytes });
    socket.on('data', (chunk) => {
      try {
        // Copy: messages may be views into chunks that Node reuses.
        for (const m of this.decoder.push(chunk)) this.queue.push(Uint8Array.from(m));
      } catch (e) { this.error = e as Error; socket.destroy(); }
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }

  private wake(): void { const w = this.waiter; this.waiter = null; w?.(); }

  async next(timeoutMs = 10_000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.error) throw this.error;
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { this.waiter = null; resolve(); }, left);
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
    }
  }

  /** True if nothing arrives within ms. */
  async silentFor(ms: number): Promise<boolean> {
    if (this.queue.length) return false;
    await new Promise((r) => setTimeout(r, ms));
    return this.queue.length === 0;
  }
}

export function connect(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host, noDelay: true });
    s.once('connect', () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}

/** As the reference client: up to 10 tries, here 100 ms apart. */
export async function connectWithRetry(port: number, tries = 10): Promise<net.Socket> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try { return await connect(port); } catch (e) { last = e; await new Promise((r) => setTimeout(r, 100)); }
  }
  throw last;
}

export interface Frame {
  measurements: Measurements;
  cameras: Map<string, CameraImage>;
  lidars: Map<string, LidarScan>;
  raw: Uint8Array[];
}

export class CarlaTestClient {
  world!: net.Socket;
  worldReader!: MessageReader;
  stream: net.Socket | null = null;
  streamReader: MessageReader | null = null;
  control: net.Socket | null = null;
  scene!: SceneDescription;

  constructor(readonly port: number) {}

  async connect(): Promise<void> {
    this.world = await connect(this.port);
    this.worldReader = new MessageReader(this.world, 1 << 20);
  }

  async requestNewEpisode(ini: string): Promise<SceneDescription> {
    this.closeAgents();
    this.world.write(encodeFrame(encodeRequestNewEpisode(ini)));
    this.scene = decodeSceneDescription(await this.worldReader.next(30_000));
    return this.scene;
  }

  async startEpisode(index = 0): Promise<void> {
    this.world.write(encodeFrame(encodeEpisodeStart(index)));
    const ready = decodeEpisodeReady(await this.worldReader.next(30_000));
    if (!ready.ready) throw new Error('EpisodeReady(ready=false)');
    this.stream = await connectWithRetry(this.port + 1);
    this.streamReader = new MessageReader(this.stream);
    this.control = await connectWithRetry(this.port + 2);
  }

  async episode(ini: string, index = 0): Promise<SceneDescription> {
    if (!this.world) await this.connect();
    const scene = await this.requestNewEpisode(ini);
    await this.startEpisode(index);
    return scene;
  }

  async readFrame(timeoutMs = 15_000): Promise<Frame> {
    const r = this.streamReader!;
    const first = await r.next(timeoutMs);
    const measurements = decodeMeasurements(first);
    const cameras = new Map<string, CameraImage>();
    const lidars = new Map<string, LidarScan>();
    const raw = [first];
    for (;;) {
      const m = await r.next(timeoutMs);
      raw.push(m);
      if (m.byteLength === 0) break;
      const id = readSensorId(m);
      const sensor = this.scene.sensors.find((s) => s.id === id);
      if (!sensor) throw new Error(`unknown sensor id ${id}`);
      if (sensor.type === SensorType.CAMERA) cameras.set(sensor.name, parseCameraPayload(m));
      else lidars.set(sensor.name, parseLidarPayload(m));
    }
    return { measurements, cameras, lidars, raw };
  }

  sendControl(c: Partial<Control>): void {
    this.control!.write(encodeFrame(encodeControl(c)));
  }

  closeAgents(): void {
    this.stream?.destroy();
    this.control?.destroy();
    this.stream = this.control = null;
    this.streamReader = null;
  }

  close(): void {
    this.closeAgents();
    this.world?.destroy();
  }
}

/** The INI the reference client writes for its default settings, with our sensors. */
export function iniFor(opts: {
  sync?: boolean; vehicles?: number; pedestrians?: number; weather?: number; agents?: boolean;
  sensors?: { name: string; type?: 'CAMERA' | 'LIDAR_RAY_CAST'; post?: string; w?: number; h?: number; fov?: number; x?: number; z?: number; yaw?: number; pitch?: number }[];
}): string {
  const sensors = opts.sensors ?? [];
  const lines = [
    '[CARLA/Server]', `SynchronousMode=${opts.sync === false ? 'False' : 'True'}`, `SendNonPlayerAgentsInfo=${opts.agents ? 'True' : 'False'}`,
    '[CARLA/QualitySettings]', 'QualityLevel=Epic',
    '[CARLA/LevelSettings]', `NumberOfVehicles=${opts.vehicles ?? 0}`, `NumberOfPedestrians=${opts.pedestrians ?? 0}`, `WeatherId=${opts.weather ?? 1}`, 'DisableTwoWheeledVehicles=False',
    '[CARLA/Sensor]', `Sensors=${sensors.map((s) => s.name).join(',')}`,
  ];
  for (const s of sensors) {
    lines.push(`[CARLA/Sensor/${s.name}]`);
    if ((s.type ?? 'CAMERA') === 'CAMERA') {
      lines.push(`FOV=${s.fov ?? 90}`, `ImageSizeX=${s.w ?? 160}`, `ImageSizeY=${s.h ?? 120}`, `PositionX=${s.x ?? 0.2}`, 'PositionY=0.0', `PositionZ=${s.z ?? 1.3}`,
        `PostProcessing=${s.post ?? 'SceneFinal'}`, `RotationPitch=${s.pitch ?? 0}`, 'RotationRoll=0.0', `RotationYaw=${s.yaw ?? 0}`, `SensorName=${s.name}`, 'SensorType=CAMERA');
    } else {
      lines.push('Channels=16', 'Range=40', 'PointsPerSecond=20000', 'RotationFrequency=10', 'PositionZ=1.6', `SensorName=${s.name}`, 'SensorType=LIDAR_RAY_CAST');
    }
  }
  return lines.join('\n') + '\n';
}
