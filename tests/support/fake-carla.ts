/**
 * A strict, scriptable fake CARLA 0.8 server for the relay's tests. It follows the protocol
 * facts of the spec and records every deviation of its client in `violations`; its script
 * injects, on purpose, the misbehaviours of spec §9 and the framing edge cases.
 *
 * In synchronous mode it is as strict as a real server: each frame waits for one Control and
 * one Control releases one frame. A Control for which no frame is waiting (a client sending
 * two per frame, or one before the first frame) is recorded as a violation and releases nothing.
 */
import net from 'node:net';
import {
  FrameDecoder, decodeControl, decodeEpisodeStart, decodeMeasurements, decodeRequestNewEpisode, encodeEpisodeReady,
  encodeFrame, encodeMeasurements, encodeSceneDescription, type Control,
} from '../../proto/index.ts';
import { freePortTriple } from './ports.ts';

export interface FakeScript {
  /** EpisodeReady value (real servers always send true). */
  ready?: boolean;
  /** Never answer RequestNewEpisode (a handshake that never completes). */
  silentHandshake?: boolean;
  /** Agent ports start listening this long after EpisodeReady (spec §9.1). */
  agentDelayMs?: number;
  /** Stop sending frames after this many (per episode). */
  stallAfterFrames?: number;
  /** Close the control connection after this many frames (spec §9.3, §9.4). */
  closeControlAfterFrames?: number;
  /** Send an absurd length prefix after this many frames. */
  absurdLengthAfterFrames?: number;
  /** How stream bytes are written: as is, one byte at a time, or frames coalesced in pairs. */
  chunking?: 'normal' | 'bytewise' | 'coalesced';
  /** Reset this many world connections right after accepting them (spec §9.2). */
  resetWorldConnections?: number;
  /** Hold the first frame of each episode back this long (spec §9.5). */
  firstFrameDelayMs?: number;
  /**
   * ServerTimeOut as a real server applies it to the control socket (spec §9.3): closed when no
   * Control arrives within this long of the connection or of the previous Control — before the
   * episode's first frame too.
   */
  serverTimeoutMs?: number;

  /**
   * Simulated time per frame (game_timestamp's step, ms; default 5: 200 fps, so that tests ride
   * quickly). The relay paces synchronous frames by it.
   */
  stepMs?: number;
  /** Synchronous: next frame after each Control. Otherwise frames every frameIntervalMs. */
  synchronous?: boolean;
  frameIntervalMs?: number;
  /** Bytes of the one fake camera message per frame (0 = no sensor). */
  sensorBytes?: number;
  /** The sensors the SceneDescription names (default: one camera "Cam", id 0xabcd1234). */
  sceneSensors?: { id: number; name: string }[];
  /** The sensor messages of frame k (instead of sensorBytes' one). */
  sensorPayloads?: (k: number) => Uint8Array[];
  /** The Measurements bytes of frame k, when they should not be a proper message. */
  measurementsPayload?: (k: number) => Uint8Array | null;
}

export class FakeCarla {
  readonly controls: Control[] = [];
  readonly violations: string[] = [];
  episodes = 0;
  /** Each episode's EpisodeStart spot index, in order. */
  readonly startSpots: number[] = [];
  worldConnections = 0;
  framesSent = 0;
  private worldServer: net.Server;
  private streamServer: net.Server | null = null;
  private controlServer: net.Server | null = null;
  private agentSockets = new Set<net.Socket>();
  private worldSockets = new Set<net.Socket>();
  private frameTimer: NodeJS.Timeout | null = null;
  private episodeFrames = 0;
  private frameNumber = 100;
  private readyAt = 0;
  private stream: net.Socket | null = null;
  private pending: Buffer[] = [];
  /** Synchronous mode: a frame has been sent and waits for its one Control. */
  private awaitingControl = false;
  private boundPort = 0;

  /** Without a port, one of a free triple found at listen() (see ports.ts for why not port 0). */
  constructor(public script: FakeScript = {}, private readonly requestedPort = 0) {
    this.worldServer = net.createServer((s) => this.onWorld(s));
  }

  /** The world port W (the one asked for, or once listening the system's choice); stream W+1, control W+2. */
  get port(): number {
    const port = this.boundPort || this.requestedPort;
    if (!port) throw new Error('FakeCarla: port 0 is known only after listen()');
    return port;
  }

  async listen(): Promise<void> {
    const nextTriple = this.boundPort || this.requestedPort ? 0 : await freePortTriple();
    return new Promise((resolve, reject) => {
      this.worldServer.once('error', reject);
      this.worldServer.listen(this.boundPort || this.requestedPort || nextTriple, '127.0.0.1', () => {
        this.boundPort = (this.worldServer.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private onWorld(socket: net.Socket): void {
    this.worldConnections++;
    if ((this.script.resetWorldConnections ?? 0) > 0) {
      this.script.resetWorldConnections!--;
      socket.resetAndDestroy();
      return;
    }
    this.worldSockets.add(socket);
    const decoder = new FrameDecoder({ maxMessageBytes: 1 << 20 });
    let expect: 'request' | 'start' = 'request';
    // Messages are handled one after the other, even when one waits for sockets to close.
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const m of decoder.push(chunk)) queue = queue.then(() => handle(m));
    });
    const handle = async (m: Uint8Array) => {
      {
        if (expect === 'request') {
          try { decodeRequestNewEpisode(m); } catch { this.violations.push('malformed RequestNewEpisode'); }
          // The client must have closed its agent connections before asking (spec §3). They
          // travel on other TCP connections, so their closes may land a moment later.
          const old = [...this.agentSockets];
          const deadline = Date.now() + 200;
          while (old.some((a) => this.agentSockets.has(a)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          if (old.some((a) => this.agentSockets.has(a))) this.violations.push('RequestNewEpisode arrived while agent connections were still open');
          await this.closeAgents();
          if (this.script.silentHandshake) return;
          const sensors = (this.script.sceneSensors ?? [{ id: 0xabcd1234, name: 'Cam' }]).map((x) => ({ ...x, type: 1 as const }));
          socket.write(encodeFrame(encodeSceneDescription({ playerStartSpots: [], sensors, mapName: 'Fake' })));
          expect = 'start';
        } else {
          try { this.startSpots.push(decodeEpisodeStart(m).playerStartSpotIndex); } catch { this.violations.push('malformed EpisodeStart'); }
          this.episodes++;
          this.episodeFrames = 0;
          void this.openAgents().then(() => {
            this.readyAt = Date.now();
            socket.write(encodeFrame(encodeEpisodeReady(this.script.ready ?? true)));
          });
          expect = 'request';
        }
      }
    };
    socket.on('error', () => {});
    socket.on('close', () => { this.worldSockets.delete(socket); void this.closeAgents(); });
  }

  private async openAgents(): Promise<void> {
    const delay = this.script.agentDelayMs ?? 0;
    const listen = (port: number, onConn: (s: net.Socket) => void) => new Promise<net.Server>((resolve) => {
      const srv = net.createServer((s) => {
        if (Date.now() < this.readyAt || this.readyAt === 0) this.violations.push(`agent port ${port} connected before EpisodeReady`);
        this.agentSockets.add(s);
        // Flowing, so that the client's FIN is seen and the socket leaves the set.
        s.resume();
        s.on('close', () => this.agentSockets.delete(s));
        s.on('error', () => {});
        onConn(s);
      });
      srv.listen(port, '127.0.0.1', () => resolve(srv));
    });
    const open = async () => {
      this.streamServer = await listen(this.port + 1, (s) => { this.stream = s; this.maybeStart(); });
      this.controlServer = await listen(this.port + 2, (s) => this.onControl(s));
    };
    // Real servers may still refuse right after EpisodeReady: open the ports late on purpose.
    if (delay > 0) setTimeout(() => void open(), delay); else await open();
  }

  private controlSocket: net.Socket | null = null;
  /** Control sockets this fake closed for ServerTimeOut. */
  controlTimeouts = 0;
  private onControl(s: net.Socket): void {
    this.controlSocket = s;
    const d = new FrameDecoder({ maxMessageBytes: 256 });
    let timeout: NodeJS.Timeout | null = null;
    const arm = () => {
      if (timeout) clearTimeout(timeout);
      if (this.script.serverTimeoutMs === undefined) return;
      timeout = setTimeout(() => { this.controlTimeouts++; s.destroy(); }, this.script.serverTimeoutMs);
    };
    arm();
    s.on('close', () => { if (timeout) clearTimeout(timeout); });
    s.on('data', (chunk) => {
      for (const m of d.push(chunk)) {
        arm();
        try { this.controls.push(decodeControl(m)); } catch { this.violations.push('malformed Control'); }
        if (this.script.synchronous === false) continue;
        // Before the episode's first frame a Control only keeps the socket open (the server
        // applies the newest at its first tick).
        if (this.episodeFrames === 0 && !this.awaitingControl) continue;
        if (!this.awaitingControl) {
          this.violations.push(`a Control with no frame waiting for it (after frame ${this.frameNumber})`);
          continue;
        }
        this.awaitingControl = false;
        this.sendFrame();
      }
    });
    this.maybeStart();
  }

  private maybeStart(): void {
    if (!this.stream || !this.controlSocket) return;
    const begin = () => {
      if (this.script.synchronous === false) {
        this.frameTimer = setInterval(() => this.sendFrame(), this.script.frameIntervalMs ?? 33);
      }
      this.sendFrame();
    };
    if (this.script.firstFrameDelayMs) setTimeout(begin, this.script.firstFrameDelayMs); else begin();
  }

  private sendFrame(): void {
    const s = this.stream;
    if (!s || s.destroyed) return;
    const sc = this.script;
    if (sc.stallAfterFrames !== undefined && this.episodeFrames >= sc.stallAfterFrames) return;
    if (sc.closeControlAfterFrames !== undefined && this.episodeFrames >= sc.closeControlAfterFrames) {
      this.controlSocket?.destroy();
      return;
    }
    if (sc.absurdLengthAfterFrames !== undefined && this.episodeFrames >= sc.absurdLengthAfterFrames) {
      s.write(Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
      return;
    }
    const meas = sc.measurementsPayload?.(this.episodeFrames)
      ?? encodeMeasurements({ ...decodeMeasurements(new Uint8Array(0)), frameNumber: ++this.frameNumber, gameTimestamp: Math.round(this.episodeFrames * (sc.stepMs ?? 5)) });
    const parts = [encodeFrame(meas)];
    if (sc.sensorPayloads) {
      for (const p of sc.sensorPayloads(this.episodeFrames)) parts.push(encodeFrame(p));
    } else if (sc.sensorBytes) {
      const img = new Uint8Array(sc.sensorBytes);
      new DataView(img.buffer).setUint32(0, 0xabcd1234, true);
      img.fill(this.frameNumber & 255, 4);
      parts.push(encodeFrame(img));
    }
    // A zero-length message inside a frame would end it: terminators only.
    parts.push(new Uint8Array(4));
    this.episodeFrames++;
    this.framesSent++;
    this.awaitingControl = true;
    const bytes = Buffer.concat(parts);
    if (sc.chunking === 'bytewise') {
      for (let i = 0; i < bytes.length; i++) s.write(bytes.subarray(i, i + 1));
    } else if (sc.chunking === 'coalesced') {
      this.pending.push(bytes);
      if (this.pending.length === 2 || this.episodeFrames === 1) { s.write(Buffer.concat(this.pending)); this.pending = []; }
    } else {
      s.write(bytes);
    }
  }

  /** What the relay saw of the episode ends: agent sockets gone, listeners closed. */
  async closeAgents(): Promise<void> {
    if (this.frameTimer) clearInterval(this.frameTimer);
    this.frameTimer = null;
    for (const s of this.agentSockets) s.destroy();
    this.agentSockets.clear();
    this.stream = this.controlSocket = null;
    this.pending = [];
    this.awaitingControl = false;
    const stop = (srv: net.Server | null) => new Promise<void>((r) => (srv?.listening ? srv.close(() => r()) : r()));
    await Promise.all([stop(this.streamServer), stop(this.controlServer)]);
    this.streamServer = this.controlServer = null;
  }

  get openWorldConnections(): number { return this.worldSockets.size; }

  async close(): Promise<void> {
    await this.closeAgents();
    for (const s of this.worldSockets) s.destroy();
    await new Promise<void>((r) => this.worldServer.close(() => r()));
  }
}
