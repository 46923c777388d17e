/**
 * One car's link to a CARLA server: the world connection, and per episode the stream and
 * control connections (spec §3). It follows the protocol strictly — world first, agent ports
 * only after EpisodeReady(ready=true), agent sockets closed before a RequestNewEpisode goes
 * out — and survives what real servers do (spec §9): refused or reset connections are retried
 * with exponential back-off and jitter, agent ports that refuse right after EpisodeReady are
 * retried, a handshake that never completes or a stream that stalls is torn down and the last
 * episode is requested again.
 *
 * Every connection attempt has a generation number; events from sockets of an earlier
 * generation are ignored, and every parser is replaced on teardown, so no stale byte can
 * cross into the next episode.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Logger } from 'pino';
import {
  FrameDecoder, FramingError, StreamingFrameDecoder, decodeEpisodeReady, decodeRequestNewEpisode, encodeFrame, iniBool, readIni,
} from '../proto/index.ts';
import type { CarConfig, RelayConfig } from './config.ts';
import { ErrorCode, encodeControl, type LinkState } from '../proto/index.ts';

/**
 * How long a new episode after a failure waits for the driver's EpisodeStart before taking the
 * previous one (well within the server's ServerTimeOut for it).
 */
export const RESTART_START_WAIT_MS = 1000;
/** Before a first frame, a safe Control this often keeps the control socket open (ServerTimeOut ≥ 1 s in practice). */
export const KEEPALIVE_MS = 500;
const KEEPALIVE_CONTROL = encodeControl({ steer: 0, throttle: 0, brake: 1, handBrake: false, reverse: false });

const MAX_WORLD_MESSAGE = 16 * 1024 * 1024;

/** One read of the stream port at most (see streamReads). */
const STREAM_READ_BYTES = 1 << 20;

interface StreamReads { options: Partial<net.NetConnectOpts>; onChunk: ((chunk: Buffer) => void) | null }

/**
 * How one stream socket is read. The stream port carries megabytes a second: reading it into
 * one large reused buffer takes a frame in a few read calls instead of Node's dozens of 64 KB
 * ones (relay CPU per 1.9 MB frame about 2.7 → 1.7 ms, npm run bench). Each read is copied out
 * at its exact size, because its pieces are forwarded to browsers and may wait in their queues.
 */
function streamReads(): StreamReads {
  const buffer = Buffer.allocUnsafe(STREAM_READ_BYTES);
  const reads: StreamReads = {
    onChunk: null,
    options: {
      onread: {
        buffer,
        callback: (n: number, buf: Uint8Array) => {
          reads.onChunk?.(Buffer.from(buf.subarray(0, n)));
          return true;
        },
      },
    } as Partial<net.NetConnectOpts>,
  };
  return reads;
}

export type FrameMessageKind = 'measurements' | 'sensor';

/**
 * Stream messages are passed on as they arrive (cut-through): messageStart, the body in
 * messageData pieces (views into each read), messageEnd; frameEnd after the terminator.
 */
export interface LinkEvents {
  state: [LinkState, { reason?: string; retryInMs?: number }];
  scene: [Uint8Array];
  ready: [Uint8Array];
  messageStart: [kind: FrameMessageKind, length: number];
  messageData: [piece: Uint8Array];
  messageEnd: [kind: FrameMessageKind];
  frameEnd: [];
  problem: [code: string, message: string];
}

/** Whether an INI asks for synchronous mode; absent or unreadable keys keep the previous value (spec §5). */
export function synchronousModeOf(ini: string, previous: boolean): boolean {
  const entry = readIni(ini, []).get('carla/server')?.get('synchronousmode');
  return (entry && iniBool(entry.value)) ?? previous;
}

export class CarlaLink extends EventEmitter<LinkEvents> {
  state: LinkState = 'idle';
  /** Synchronous mode as the last RequestNewEpisode set it. */
  synchronous = true;
  /** Bumped on every new connection: world-socket events of older ones are ignored. */
  private generation = 0;
  /** Bumped on every RequestNewEpisode: agent-socket events of older episodes are ignored. */
  private episode = 0;
  private world: net.Socket | null = null;
  private stream: net.Socket | null = null;
  private control: net.Socket | null = null;
  private request: Uint8Array | null = null;
  private start: Uint8Array | null = null;
  /** A driver is attached: it answers a new episode's scene with its own EpisodeStart. */
  driverPresent = false;
  private phase: 'none' | 'awaitScene' | 'awaitStartFromDriver' | 'awaitReady' | 'agents' | 'streaming' = 'none';
  private inFrame = false;
  private owedControl: Uint8Array | null = null;
  private failures = 0;
  private timers = new Set<NodeJS.Timeout>();
  private handshakeTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    readonly name: string,
    readonly car: CarConfig,
    private readonly cfg: Pick<RelayConfig, 'timeouts' | 'reconnect' | 'limits'>,
    private readonly log: Logger,
  ) {
    super();
  }

  /** The driver asks for an episode: framed RequestNewEpisode payload. */
  requestEpisode(payload: Uint8Array): void {
    const { iniFile } = decodeRequestNewEpisode(payload);
    this.synchronous = synchronousModeOf(iniFile, this.synchronous);
    this.request = Uint8Array.from(payload);
    this.start = null;
    if (this.world && !this.world.connecting && this.phase !== 'none') {
      // Same world connection: the agent sockets go first (spec §3), then the request.
      this.closeAgents();
      this.sendRequest();
    } else {
      this.failures = 0;
      this.connect();
    }
  }

  /** The driver picks a start spot: EpisodeStart payload. */
  startEpisode(payload: Uint8Array): void {
    this.start = Uint8Array.from(payload);
    if (this.phase === 'awaitStartFromDriver') this.sendStart();
  }

  /** One Control for the current frame. */
  sendControl(payload: Uint8Array): boolean {
    if (this.phase === 'agents') {
      // A server may send its first frame the moment it accepts the control connection,
      // before our side of it is ready: the Control is owed, and goes out when it is.
      this.owedControl = payload;
      return true;
    }
    if (!this.control || this.phase !== 'streaming') return false;
    this.control.write(encodeFrame(payload));
    return true;
  }

  /** Ends the episode and the connection; no reconnection follows. */
  stop(): void {
    this.stopped = true;
    this.request = this.start = null;
    this.teardown();
    this.setState('idle', {});
  }

  /** Ends the episode but keeps the link usable for a later request. */
  endEpisode(): void {
    this.request = this.start = null;
    this.teardown();
    this.setState('idle', {});
  }

  private setState(state: LinkState, info: { reason?: string; retryInMs?: number }): void {
    if (this.state === state && !info.reason) return;
    this.state = state;
    this.emit('state', state, info);
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
    return t;
  }

  private cancel(t: NodeJS.Timeout | null): void {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  private connect(): void {
    if (this.stopped || !this.request) return;
    this.teardown();
    const gen = ++this.generation;
    this.setState('connecting', {});
    const world = net.connect({ host: this.car.host, port: this.car.port, noDelay: true });
    this.world = world;
    const decoder = new FrameDecoder({ maxMessageBytes: MAX_WORLD_MESSAGE });
    world.once('connect', () => {
      if (gen !== this.generation) return;
      this.log.info({ host: this.car.host, port: this.car.port }, 'world connection open');
      this.sendRequest();
    });
    world.on('data', (chunk) => {
      if (gen !== this.generation) return;
      let messages: Uint8Array[];
      try { messages = decoder.push(chunk); } catch (err) { this.fail(ErrorCode.CARLA_PROTOCOL, `world port: ${(err as Error).message}`); return; }
      for (const m of messages) { if (gen === this.generation) this.onWorldMessage(m); }
    });
    world.on('error', (err) => {
      if (gen !== this.generation) return;
      this.fail(ErrorCode.CARLA_CLOSED, `world connection: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
    });
    world.on('close', () => {
      if (gen !== this.generation) return;
      this.fail(ErrorCode.CARLA_CLOSED, 'world connection closed by the server');
    });
  }

  private sendRequest(): void {
    if (!this.world || !this.request) return;
    this.phase = 'awaitScene';
    const ep = ++this.episode;
    this.inFrame = false;
    this.setState('loading_episode', {});
    this.cancel(this.handshakeTimer);
    this.cancel(this.stallTimer);
    this.stallTimer = null;
    this.handshakeTimer = this.later(this.cfg.timeouts.handshakeMs, () => {
      if (ep === this.episode && this.state !== 'streaming') this.fail(ErrorCode.HANDSHAKE_TIMEOUT, `no first frame within ${this.cfg.timeouts.handshakeMs} ms`);
    });
    this.world.write(encodeFrame(this.request));
  }

  private sendStart(): void {
    if (!this.world || !this.start) return;
    this.phase = 'awaitReady';
    this.world.write(encodeFrame(this.start));
  }

  private onWorldMessage(m: Uint8Array): void {
    if (this.phase === 'awaitScene') {
      this.emit('scene', m);
      this.phase = 'awaitStartFromDriver';
      // Starting again after a failure: a driver picks the spot nearest ahead of where it was;
      // without one (or without an answer in time) the episode's first spot is used again.
      if (this.start && !this.driverPresent) this.sendStart();
      else if (this.start) {
        const ep = this.episode;
        this.later(RESTART_START_WAIT_MS, () => { if (ep === this.episode && this.phase === 'awaitStartFromDriver') this.sendStart(); });
      }
    } else if (this.phase === 'awaitReady') {
      let ready = false;
      try { ready = decodeEpisodeReady(m).ready; } catch (err) { this.fail(ErrorCode.CARLA_PROTOCOL, (err as Error).message); return; }
      this.emit('ready', m);
      if (!ready) { this.fail(ErrorCode.EPISODE_NOT_READY, 'the server answered EpisodeReady(ready=false)'); return; }
      this.phase = 'agents';
      void this.connectAgents(this.episode);
    } else {
      this.fail(ErrorCode.CARLA_PROTOCOL, 'unexpected message on the world port');
    }
  }

  /** Stream port first, then control; both retried while the server is still opening them. */
  private async connectAgents(ep: number): Promise<void> {
    const deadline = Date.now() + this.cfg.timeouts.agentConnectMs;
    const open = async (port: number, extra: Partial<net.NetConnectOpts> = {}): Promise<net.Socket | null> => {
      for (;;) {
        if (ep !== this.episode) return null;
        try {
          return await new Promise<net.Socket>((resolve, reject) => {
            const s = net.connect({ host: this.car.host, port, noDelay: true, ...extra } as net.NetConnectOpts);
            s.once('connect', () => { s.off('error', reject); resolve(s); });
            s.once('error', reject);
          });
        } catch (err) {
          if (Date.now() + 100 > deadline) {
            this.fail(ErrorCode.CARLA_CLOSED, `agent port ${port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} for ${this.cfg.timeouts.agentConnectMs} ms`);
            return null;
          }
          await new Promise((r) => this.later(100, () => r(undefined)));
        }
      }
    };
    const reads = streamReads();
    const stream = await open(this.car.port + 1, reads.options);
    if (!stream) return;
    if (ep !== this.episode) { stream.destroy(); return; }
    this.stream = stream;
    this.wireStream(stream, ep, reads);
    const control = await open(this.car.port + 2);
    if (!control) return;
    if (ep !== this.episode) { control.destroy(); return; }
    this.control = control;
    control.on('data', () => {});
    control.on('error', () => {});
    control.on('close', () => { if (ep === this.episode) this.fail(ErrorCode.CARLA_CLOSED, 'control connection closed by the server'); });
    this.phase = 'streaming';
    if (this.owedControl) {
      control.write(encodeFrame(this.owedControl));
      this.owedControl = null;
    }
    this.keepControlAlive(ep, control);
    this.armStall(ep);
  }

  /**
   * Until the episode's first frame, a safe Control every KEEPALIVE_MS: a real server closes
   * the control socket when no Control arrives within its ServerTimeOut, counted from the
   * connection, and a first frame may come exactly that late (spec §9.3, §9.5) — without these
   * every retry of the episode would meet the same fate. A server applies the newest Control at
   * its next tick, so these change nothing but keep the socket open.
   */
  private keepControlAlive(ep: number, control: net.Socket): void {
    const beat = () => {
      if (ep !== this.episode || this.state === 'streaming' || control.destroyed) return;
      if (this.inFrame) { this.later(KEEPALIVE_MS, beat); return; } // the first frame is arriving
      control.write(encodeFrame(KEEPALIVE_CONTROL));
      this.later(KEEPALIVE_MS, beat);
    };
    this.later(KEEPALIVE_MS, beat);
  }

  private wireStream(stream: net.Socket, ep: number, reads: StreamReads): void {
    const decoder = new StreamingFrameDecoder({ maxMessageBytes: this.cfg.limits.maxCarlaMessageBytes });
    const legacy = this.car.protocol === '0.7';
    // Which message of the frame is under way; 'terminator' between frames.
    let kind: FrameMessageKind | 'terminator' = 'terminator';
    const sink = {
      start: (length: number) => {
        if (!this.inFrame) { this.inFrame = true; kind = 'measurements'; }
        else if (length === 0 && !legacy) { kind = 'terminator'; return; }
        else kind = 'sensor';
        this.emit('messageStart', kind, length);
      },
      data: (piece: Uint8Array) => { this.emit('messageData', piece); },
      end: () => {
        if (kind === 'terminator') { this.endFrame(ep); return; }
        this.emit('messageEnd', kind);
        // 0.7 frames end with their one bulk image message.
        if (legacy && kind === 'sensor') this.endFrame(ep);
      },
    };
    reads.onChunk = (chunk) => {
      if (ep !== this.episode) return;
      try {
        decoder.push(chunk, sink);
      } catch (err) {
        if (ep !== this.episode) return;
        const code = err instanceof FramingError && err.code === 'CARLA_ERR_FRAME_TOO_LARGE' ? ErrorCode.CARLA_MESSAGE_TOO_LARGE : ErrorCode.CARLA_PROTOCOL;
        this.fail(code, `stream port: ${(err as Error).message}`);
      }
    };
    stream.on('error', () => {});
    stream.on('close', () => { if (ep === this.episode) this.fail(ErrorCode.CARLA_CLOSED, 'stream connection closed by the server'); });
  }

  private endFrame(ep: number): void {
    this.inFrame = false;
    if (this.state !== 'streaming') {
      this.failures = 0;
      this.cancel(this.handshakeTimer);
      this.handshakeTimer = null;
      this.setState('streaming', {});
    }
    this.armStall(ep);
    this.emit('frameEnd');
  }

  private armStall(ep: number): void {
    this.cancel(this.stallTimer);
    // Before the first frame the handshake timeout applies (episode loading can be slow).
    if (this.state !== 'streaming') return;
    this.stallTimer = this.later(this.cfg.timeouts.stallMs, () => {
      if (ep === this.episode) this.fail(ErrorCode.STREAM_STALLED, `no frame for ${this.cfg.timeouts.stallMs} ms`);
    });
  }

  /** Tears everything down and, while an episode is wanted, reconnects after a back-off. */
  private fail(code: string, message: string): void {
    if (this.stopped) return;
    this.log.warn({ code, message }, 'CARLA link failed');
    this.emit('problem', code, message);
    this.teardown();
    if (!this.request) { this.setState('idle', { reason: message }); return; }
    const r = this.cfg.reconnect;
    const base = Math.min(r.maxDelayMs, r.initialDelayMs * 2 ** Math.min(this.failures, 20));
    const delay = Math.round(Math.max(r.initialDelayMs, Math.min(r.maxDelayMs, base * (0.75 + Math.random() * 0.5))));
    this.failures++;
    this.setState('waiting_for_simulator', { reason: message, retryInMs: delay });
    this.later(delay, () => this.connect());
  }

  private closeAgents(): void {
    this.episode++;
    this.owedControl = null;
    this.stream?.destroy();
    this.control?.destroy();
    this.stream = this.control = null;
    this.inFrame = false;
  }

  private teardown(): void {
    this.generation++;
    this.episode++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.handshakeTimer = this.stallTimer = null;
    this.closeAgents();
    this.world?.destroy();
    this.world = null;
    this.phase = 'none';
  }
}
