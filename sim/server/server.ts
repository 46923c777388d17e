/**
 * The CARLA server protocol over three TCP ports (spec §3–§4): a world port that stays
 * open across episodes, and a stream and a control port that exist for one episode each.
 *
 * One world client at a time; a second one waits unread (as in a real server's accept
 * backlog) until the first leaves, for at most ServerTimeOut. Every ServerTimeOut rule of
 * the spec is enforced, and a malformed or oversized message closes the connection it came
 * on, never the server.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import {
  FrameDecoder, PREFIX_BYTES, decodeControl, decodeEpisodeStart, decodeRequestNewEpisode,
  encodeEpisodeReady, encodeFrame, encodeMeasurements, encodeSceneDescription, type Control,
} from '../../proto/index.ts';
import { applyCarlaIni, defaultCarlaSettings, type CarlaSettings } from './carla-settings.ts';
import type { SimOptions } from './options.ts';
import { Episode, ZERO_CONTROL, describeScene } from './episode.ts';
import { World } from '../world/world.ts';
import { Stage } from './stage.ts';

export type SimServerOptions = Omit<SimOptions, 'logLevel'> & { logger: Logger };

/** Largest RequestNewEpisode we read (an INI is a few kilobytes). */
const MAX_WORLD_MESSAGE = 1 << 20;
/** The longest variable step (s): a simulator slower than 2 fps runs in slow motion. */
const MAX_STEP_S = 0.5;
/** The longest physics step (s): CARLA clamps its physics at 10 fps; longer steps are split. */
const PHYSICS_STEP_S = 0.1;
/** A Control is at most 17 bytes; anything much larger is not a Control. */
const MAX_CONTROL_MESSAGE = 256;

const TERMINATOR = new Uint8Array(PREFIX_BYTES);

export class SimServer {
  /** The world and what is built from it once (set by listen). */
  stage!: Stage;
  private readonly worldServer: net.Server;
  private active: WorldSession | null = null;
  private readonly waiting: { socket: net.Socket; timer: NodeJS.Timeout }[] = [];
  private settings: CarlaSettings = defaultCarlaSettings();
  /** Counts simulation ticks; never restarts, not even across episodes (0.8.2+). */
  frameNumber = 0;

  constructor(readonly options: SimServerOptions) {
    this.worldServer = net.createServer((socket) => this.onWorldConnection(socket));
  }

  get log(): Logger { return this.options.logger; }
  get worldModel(): World { return this.stage.world; }

  /** The world port W it listens on (the one asked for, or the system's choice for 0). */
  get worldPort(): number {
    const a = this.worldServer.address();
    return a && typeof a === 'object' ? a.port : this.options.port;
  }

  /** Binds the world port first (a taken port fails at once), then builds the world;
   * clients that connect meanwhile wait in the accept backlog. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.worldServer.once('error', reject);
      this.worldServer.listen(this.options.port, this.options.host, () => {
        this.worldServer.off('error', reject);
        resolve();
      });
    });
    this.stage = new Stage(World.forSeed(this.options.seed));
  }

  async close(): Promise<void> {
    for (const w of this.waiting.splice(0)) { clearTimeout(w.timer); w.socket.destroy(); }
    await this.active?.end('server closing');
    await new Promise<void>((resolve) => this.worldServer.close(() => resolve()));
  }

  private onWorldConnection(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (this.active) {
      socket.pause();
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((w) => w.socket === socket);
        if (i >= 0) this.waiting.splice(i, 1);
        this.log.info({ remote: socket.remoteAddress }, 'waiting world client timed out while another was served');
        socket.destroy();
      }, this.options.timeoutMs);
      this.waiting.push({ socket, timer });
      socket.once('close', () => {
        const i = this.waiting.findIndex((w) => w.socket === socket);
        if (i >= 0) { clearTimeout(this.waiting[i]!.timer); this.waiting.splice(i, 1); }
      });
      return;
    }
    this.serve(socket);
  }

  private serve(socket: net.Socket): void {
    const session = new WorldSession(this, socket);
    this.active = session;
    this.log.info({ remote: socket.remoteAddress, port: socket.remotePort }, 'world client connected');
    session.onEnd = () => {
      if (this.active === session) this.active = null;
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        this.serve(next.socket);
        next.socket.resume();
      }
    };
  }

  /** Applies an episode's INI on top of the settings earlier episodes left. */
  applyIni(ini: string): CarlaSettings {
    const { settings, warnings } = applyCarlaIni(this.settings, ini, this.options.protocol);
    for (const w of warnings) this.log.warn({ ini: w }, 'CarlaSettings value ignored');
    this.settings = settings;
    return settings;
  }
}

type WorldState = 'awaitRequest' | 'awaitStart' | 'running' | 'ended';

/** One world client, from connection to disconnection, across its episodes. */
class WorldSession {
  onEnd: () => void = () => {};
  private state: WorldState = 'awaitRequest';
  private readonly decoder = new FrameDecoder({ maxMessageBytes: MAX_WORLD_MESSAGE });
  private timer: NodeJS.Timeout | null = null;
  private agents: AgentServer | null = null;
  private settings: CarlaSettings | null = null;
  /** Messages are handled strictly in order, even when handling one waits for sockets to close. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly server: SimServer, private readonly socket: net.Socket) {
    this.arm('RequestNewEpisode');
    socket.on('data', (chunk) => {
      let messages: Uint8Array[];
      try {
        messages = this.decoder.push(chunk);
      } catch (err) {
        void this.end(`world port: ${(err as Error).message}`);
        return;
      }
      for (const m of messages) this.queue = this.queue.then(() => this.onMessage(m));
    });
    socket.on('error', () => {});
    socket.on('close', () => void this.end('world client disconnected'));
  }

  private get log(): Logger { return this.server.log; }

  /** A new client has ServerTimeOut to ask for an episode; a scene has as long to be started. */
  private arm(waitingFor: string): void {
    this.disarm();
    this.timer = setTimeout(() => void this.end(`no ${waitingFor} within ServerTimeOut`), this.server.options.timeoutMs);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async onMessage(bytes: Uint8Array): Promise<void> {
    if (this.state === 'ended') return;
    try {
      if (this.state === 'awaitStart') {
        const { playerStartSpotIndex } = decodeEpisodeStart(bytes);
        await this.startEpisode(playerStartSpotIndex);
      } else {
        const { iniFile } = decodeRequestNewEpisode(bytes);
        await this.newEpisode(iniFile);
      }
    } catch (err) {
      await this.end(`world port: ${(err as Error).message}`);
    }
  }

  private async newEpisode(ini: string): Promise<void> {
    this.disarm();
    // The old episode's agent sockets close before anything of the new one exists.
    await this.agents?.close();
    this.agents = null;
    if (this.state === 'ended') return;
    this.settings = this.server.applyIni(ini);
    const scene = describeScene(this.server.worldModel, this.settings, this.server.options.protocol, this.server.options.seed);
    this.socket.write(encodeFrame(encodeSceneDescription(scene)));
    this.state = 'awaitStart';
    this.arm('EpisodeStart');
    this.log.info({ sensors: scene.sensors.length, startSpots: scene.playerStartSpots.length }, 'scene described');
  }

  private async startEpisode(index: number): Promise<void> {
    this.disarm();
    const world = this.server.worldModel;
    const spot = index < world.startSpots.length ? index : 0;
    const episode = new Episode(this.server.stage, this.settings!, spot, this.server.options.protocol, this.server.options.seed);
    const agents = new AgentServer(this.server, episode, this.settings!);
    let ready = true;
    try {
      await agents.listen();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'agent ports unavailable');
      ready = false;
    }
    if (this.state === 'ended') { await agents.close(); return; }
    this.agents = ready ? agents : null;
    this.socket.write(encodeFrame(encodeEpisodeReady(ready)));
    this.state = 'running';
    this.log.info({ startSpot: spot, synchronous: this.settings!.synchronousMode, weather: this.settings!.weatherId }, 'episode ready');
  }

  async end(reason: string): Promise<void> {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.disarm();
    this.log.info({ reason }, 'world session ended');
    this.socket.destroy();
    const agents = this.agents;
    this.agents = null;
    await agents?.close();
    this.onEnd();
  }
}

/**
 * The agent ports of one episode: the stream (W+1, frames out) and the control (W+2,
 * Controls in), one connection each, and the tick loop that joins them.
 */
class AgentServer {
  private streamServer = net.createServer((s) => this.onStream(s));
  private controlServer = net.createServer((s) => this.onControl(s));
  private stream: net.Socket | null = null;
  private control: net.Socket | null = null;
  private streamUsed = false;
  private controlUsed = false;
  private closed = false;
  private pendingControl: Control | null = null;
  private controlWaiter: (() => void) | null = null;
  private lastControlAt = Date.now();
  private started = false;
  private acceptTimer: NodeJS.Timeout | null = null;
  private loopTimer: NodeJS.Timeout | null = null;
  private streamBusySince = 0;
  private frameWanted = false;
  /** The newest step (s): 1/fps, or with a variable step what the last one took. */
  private dt: number;
  private readonly targetDt: number;
  private lastTickAt: number | null = null;

  constructor(private readonly server: SimServer, private readonly episode: Episode, private readonly settings: CarlaSettings) {
    this.dt = this.targetDt = 1 / server.options.fps;
  }

  /**
   * The next step's length. Fixed: 1/fps. Variable: 1/fps while the simulator keeps its pace;
   * when it fell behind — computing the last frame took longer than a step (`busyS`), or the
   * client answered it at once (`heldS`, how long the simulator waited for that Control, was
   * short: a client pacing by game_timestamp holds a simulator that is ahead) — the wall time
   * since the previous step, at most MAX_STEP_S (in physics sub-steps). Neither measure contains
   * the client's holding, so its waiting cannot feed back into the step. On the asynchronous mode's wall-clock timer (`heldS` null) the step is the
   * wall's interval: a late tick steps further.
   */
  private nextStep(now: number, heldS: number | null, busyS = 0): number {
    const interval = this.lastTickAt === null ? this.targetDt : (now - this.lastTickAt) / 1000;
    this.lastTickAt = now;
    if (this.server.options.fixedStep) return this.targetDt;
    if (heldS === null) return Math.min(MAX_STEP_S, Math.max(0.001, interval));
    // Behind: computing the frame took longer than a step, or the client did not hold it.
    if (busyS < this.targetDt && heldS > this.targetDt / 4) return this.targetDt;
    return Math.min(MAX_STEP_S, Math.max(this.targetDt, interval));
  }

  private get log(): Logger { return this.server.log; }
  private get timeoutMs(): number { return this.server.options.timeoutMs; }

  async listen(): Promise<void> {
    const { host } = this.server.options;
    const port = this.server.worldPort;
    const listen = (srv: net.Server, p: number) => new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(p, host, () => { srv.off('error', reject); resolve(); });
    });
    try {
      await listen(this.streamServer, port + 1);
      await listen(this.controlServer, port + 2);
    } catch (err) {
      await this.close();
      throw err;
    }
    // Both agent ports must be taken within ServerTimeOut of EpisodeReady.
    this.acceptTimer = setTimeout(() => {
      if (!this.stream) {
        this.log.warn('no stream connection within ServerTimeOut; episode abandoned');
        void this.close();
      } else {
        this.start();
      }
    }, this.timeoutMs);
  }

  private onStream(socket: net.Socket): void {
    if (this.closed || this.streamUsed) { socket.destroy(); return; }
    this.streamUsed = true;
    this.stream = socket;
    socket.setNoDelay(true);
    // Nothing is read from the stream port; bytes sent to it are discarded.
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('drain', () => this.onDrain());
    socket.on('close', () => {
      if (this.stream === socket) this.stream = null;
      this.log.info('stream connection closed');
    });
    this.log.info('stream client connected');
    if (this.control) this.start();
  }

  private onControl(socket: net.Socket): void {
    if (this.closed || this.controlUsed) { socket.destroy(); return; }
    this.controlUsed = true;
    this.control = socket;
    socket.setNoDelay(true);
    this.lastControlAt = Date.now();
    const decoder = new FrameDecoder({ maxMessageBytes: MAX_CONTROL_MESSAGE });
    socket.on('data', (chunk) => {
      try {
        const msgs = decoder.push(chunk);
        // Only the newest Control of a tick is applied.
        for (const m of msgs) this.pendingControl = decodeControl(m);
        if (msgs.length > 0) {
          this.lastControlAt = Date.now();
          this.wakeControlWaiter();
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'control port: closing connection');
        socket.destroy();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.control === socket) this.control = null;
      this.wakeControlWaiter();
    });
    this.log.info('control client connected');
    if (this.stream) this.start();
  }

  private start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.acceptTimer) clearTimeout(this.acceptTimer);
    this.acceptTimer = null;
    if (this.settings.synchronousMode) void this.runSynchronous();
    else this.runAsynchronous();
  }

  private takeControl(): Control {
    const c = this.pendingControl ?? ZERO_CONTROL;
    this.pendingControl = null;
    return c;
  }

  /** Sync: tick, send the whole frame, then block until a Control (or ServerTimeOut). */
  private async runSynchronous(): Promise<void> {
    let control: Control = ZERO_CONTROL;
    const tickMs = 1000 / this.server.options.fps;
    let heldS = Infinity, busyS = 0;
    while (!this.closed) {
      const t0 = performance.now();
      this.dt = this.nextStep(t0, heldS, busyS);
      this.tick(control);
      if (this.stream) {
        this.writeFrame(this.stream);
        busyS = (performance.now() - t0) / 1000;
        if (!(await this.drained())) continue;
      }
      if (this.closed) break;
      heldS = Infinity;
      if (this.control) {
        const waitFrom = performance.now();
        const arrived = await this.waitForControl(this.timeoutMs);
        heldS = (performance.now() - waitFrom) / 1000;
        if (this.closed) break;
        if (!arrived && this.control) {
          this.log.warn('no Control within ServerTimeOut: applying an all-zero control and closing the control connection');
          this.control.destroy();
          this.control = null;
        }
      } else {
        // Nobody can send a Control: keep time rather than spin.
        await new Promise((r) => { this.loopTimer = setTimeout(r, tickMs); });
      }
      control = this.takeControl();
    }
  }

  private wakeControlWaiter(): void {
    const wake = this.controlWaiter;
    this.controlWaiter = null;
    wake?.();
  }

  private async waitForControl(ms: number): Promise<boolean> {
    if (!this.pendingControl) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { this.controlWaiter = null; resolve(); }, ms);
        this.controlWaiter = () => { clearTimeout(timer); resolve(); };
      });
    }
    // Controls that arrived in the same instant are read first, so the newest one wins.
    await new Promise((r) => setImmediate(r));
    return this.pendingControl !== null;
  }

  /** Resolves true once the stream has flushed, false if it was closed for stalling. */
  private drained(): Promise<boolean> {
    const stream = this.stream;
    if (!stream || stream.writableLength === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn('stream write stalled beyond ServerTimeOut: closing the stream connection');
        stream.destroy();
        resolve(false);
      }, this.timeoutMs);
      const done = () => { clearTimeout(timer); stream.off('close', done); stream.off('drain', done); resolve(!stream.destroyed); };
      stream.once('drain', done);
      stream.once('close', done);
    });
  }

  /** Async: tick on the wall clock; a frame the reader is not ready for is dropped. */
  private runAsynchronous(): void {
    const tickMs = 1000 / this.server.options.fps;
    const t0 = performance.now();
    let k = 0;
    const tick = () => {
      if (this.closed) return;
      // On a wall-clock timer the interval is the wall's own: a late tick steps further.
      const now = performance.now();
      this.dt = this.nextStep(now, null);
      this.tick(this.takeControl());
      const stream = this.stream;
      if (stream) {
        if (stream.writableLength === 0) {
          this.streamBusySince = 0;
          this.writeFrame(stream);
        } else {
          this.frameWanted = true;
          if (!this.streamBusySince) this.streamBusySince = Date.now();
          else if (Date.now() - this.streamBusySince > this.timeoutMs) {
            this.log.warn('stream write stalled beyond ServerTimeOut: closing the stream connection');
            stream.destroy();
          }
        }
      }
      if (this.control && Date.now() - this.lastControlAt > this.timeoutMs) {
        this.log.warn('no Control within ServerTimeOut: closing the control connection');
        this.control.destroy();
        this.control = null;
      }
      k++;
      const next = t0 + k * tickMs - performance.now();
      this.loopTimer = setTimeout(tick, Math.max(0, next));
    };
    tick();
  }

  /** The newest state goes out as soon as a slow reader has caught up. */
  private onDrain(): void {
    if (this.closed || this.settings.synchronousMode || !this.frameWanted || !this.stream) return;
    this.frameWanted = false;
    this.streamBusySince = 0;
    this.writeFrame(this.stream);
  }

  private tick(control: Control): void {
    // A long variable step is taken in physics sub-steps no longer than CARLA's (0.1 s).
    const parts = Math.ceil(this.dt / PHYSICS_STEP_S - 1e-9);
    for (let i = 0; i < parts; i++) this.episode.step(control, this.dt / parts);
    this.server.frameNumber++;
  }

  private writeFrame(stream: net.Socket): void {
    const frame = this.server.frameNumber;
    const m = encodeFrame(encodeMeasurements(this.episode.measurements(frame, Date.now())));
    const sensors = this.episode.sensorMessages(frame, this.dt);
    stream.cork();
    stream.write(m);
    for (const s of sensors) stream.write(s, () => this.episode.release(s));
    // 0.7 has no terminator: the bulk image message ends the frame.
    if (this.episode.protocol !== '0.7') stream.write(TERMINATOR);
    stream.uncork();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.acceptTimer) clearTimeout(this.acceptTimer);
    if (this.loopTimer) clearTimeout(this.loopTimer);
    this.wakeControlWaiter();
    this.stream?.destroy();
    this.control?.destroy();
    const stop = (srv: net.Server) => new Promise<void>((resolve) => (srv.listening ? srv.close(() => resolve()) : resolve()));
    await Promise.all([stop(this.streamServer), stop(this.controlServer)]);
  }
}
