/**
 * One car: its CARLA link, one driver and any number of spectators.
 *
 * - Exactly one Control per frame goes to CARLA, sent by the relay itself when a frame ends:
 *   the driver's newest Control while it is fresh, a safe one (no throttle, full brake) when
 *   the driver has been silent longer than controlStaleMs or is gone. In synchronous mode the
 *   Control that releases the next frame waits until the frame's simulated time is due on the
 *   wall clock (server-clock.ts: the frames' game_timestamp laid on a timeline; 1/syncFps steps
 *   until the server shows its own; a timer that fires late does not slow the ride, a frame that
 *   comes a whole step late starts the timeline anew rather than catching up), so the simulation
 *   runs at the wall's pace and never ahead of it, and the server never waits long enough to hit
 *   its own ServerTimeOut whatever the browser does.
 * - Frames fan out whole: a client whose WebSocket holds more than clientBufferBytes when a
 *   frame starts skips that entire frame (Measurements, sensors and end), and the drop is
 *   counted; nobody else is slowed and nothing buffers without bound.
 * - A driver that disconnects leaves the episode running on safe Controls for driverGraceMs;
 *   returning within it continues the same episode. A driver that ends its ride (close 1000)
 *   ends the episode at once: the car is free.
 */
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import {
  ROLES, Channel, CloseCode, ErrorCode, MessageDecodeError, RELAY_PROTOCOL_VERSION, decodeControl, decodeEpisodeStart,
  decodeSceneDescription, encodeControl, tagged, CAMERA_HEADER_BYTES, isJpegQuality, JPEG_QUALITY,
  type ControlState, type Encoding, type RelayEvent, type Role, type SceneSummary,
} from '../proto/index.ts';
import { isColourImage, jobCopy, type JpegPool } from './jpeg/index.ts';
import { CarlaLink, type FrameMessageKind } from './carla-link.ts';
import { peekGameTimestamp, ServerClock } from './server-clock.ts';
import type { CarConfig, RelayConfig } from './config.ts';
import type { RelayMetrics } from './metrics.ts';

const SAFE_CONTROL = encodeControl({ steer: 0, throttle: 0, brake: 1, handBrake: false, reverse: false });
/** Frame messages below this are gathered and sent whole; larger ones are forwarded as fragments. */
const COPY_BELOW = 16 * 1024;
/** Enough of a Measurements message to hold its two leading varints. */
const HEAD_BYTES = 24;
const TAGS = new Map(Object.values(Channel).map((c) => [c, Buffer.from([c])]));
const EMPTY = Buffer.alloc(0);
const CHANNEL_NAMES = new Map<number, keyof typeof Channel>(Object.entries(Channel).map(([name, tag]) => [tag, name as keyof typeof Channel]));

interface Client {
  ws: WebSocket;
  role: Role;
  skipping: boolean;
  /** In the middle of a fragmented message: nothing else may be sent until it ends. */
  inFragment: boolean;
  held: string[];
  dropped: number;
  reportedDrops: number;
  warnedSpectator: boolean;
  warnedEncoding: boolean;
  /**
   * 'jpeg': colour camera images go out as SENSOR_JPEG. Such a client gets every message whole
   * and in order through `queue` (an image waits for its encoding, and what follows waits for it).
   */
  encoding: Encoding;
  quality: number;
  queue: Promise<void>;
  /** Frames begun for this client whose FRAME_END has not gone out yet. */
  queued: number;
}

/** What a client asked for when it connected. */
export interface ClientOptions { encoding: Encoding; quality: number }
const RAW: ClientOptions = { encoding: 'raw', quality: JPEG_QUALITY.default };
/** An encoding client with this many frames still queued skips the next one (as a raw one does on a full buffer). */
const MAX_QUEUED_FRAMES = 2;

function summarise(scene: Uint8Array): SceneSummary | null {
  try {
    const s = decodeSceneDescription(scene);
    return {
      mapName: s.mapName,
      startSpots: s.playerStartSpots.map((t) => ({ x: t.location.x, y: t.location.y, yaw: t.rotation.yaw })),
    };
  } catch {
    return null; // the link forwards CARLA's bytes as they are; a summary is only a courtesy
  }
}

export class Car {
  readonly link: CarlaLink;
  private driver: Client | null = null;
  private readonly spectators = new Set<Client>();
  private scene: Uint8Array | null = null;
  /**
   * The newest scene's map and start spots, kept after its episode ends: the home screen
   * offers them before a ride asks for an episode (a server's map does not change under it).
   */
  private sceneSummary: SceneSummary | null = null;
  private ready: Uint8Array | null = null;
  private newestControl: Uint8Array | null = null;
  private controlAt = 0;
  /**
   * The driver's last sign of life other than a Control: connecting, or asking for an episode
   * (whose first frames come before its first Control). Within controlStaleMs of it, a driver
   * without a fresh Control is not stale: safe Controls go out, but nobody is told "stale".
   */
  private driverSince = 0;
  private controlState: ControlState = 'absent';
  /** When the Control of the frame under way may be released (performance.now() ms; the server clock's timeline). */
  private nextRelease = 0;
  private releaseTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private dropTimer: NodeJS.Timeout;
  private closing = false;
  /** Clients receiving the message under way, and the message itself when it is small. */
  private receivers: Client[] = [];
  private small: Buffer | null = null;
  private smallAt = 0;
  /** Encoding clients receiving the message under way, and the whole message gathered for them (tag first). */
  private gathering: Client[] = [];
  private whole: Buffer | null = null;
  private wholeAt = 0;
  private currentKind: FrameMessageKind = 'measurements';
  /** The server's own step, from the frames' game_timestamp; syncFps until it shows. */
  private readonly clock: ServerClock;
  /** The first bytes of the Measurements under way (game_timestamp is among them). */
  private measurementsHead: Buffer | null = null;

  constructor(
    readonly name: string,
    readonly carConfig: CarConfig,
    private readonly cfg: RelayConfig,
    private readonly allCars: string[],
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
    /** The relay's JPEG pool, started when the first client asks for JPEG. */
    private readonly jpegPool: () => JpegPool = () => { throw new Error('no JPEG pool'); },
  ) {
    this.link = new CarlaLink(name, carConfig, cfg, log);
    this.clock = new ServerClock(1000 / carConfig.syncFps);
    this.metrics.linkState(name, 'idle');
    this.link.on('state', (state, info) => {
      this.metrics.linkState(name, state);
      if (state === 'waiting_for_simulator') this.metrics.reconnects.inc({ car: name });
      this.broadcastEvent({ type: 'state', state, ...info });
    });
    this.link.on('problem', (code, message) => {
      this.finishFragments();
      if (code === ErrorCode.STREAM_STALLED || code === ErrorCode.HANDSHAKE_TIMEOUT) this.metrics.stalls.inc({ car: name });
      this.broadcastEvent({ type: 'error', code, message });
    });
    this.link.on('scene', (m) => {
      this.clock.restart();
      this.scene = Uint8Array.from(m);
      this.ready = null;
      this.sceneSummary = summarise(this.scene);
      this.broadcast(Channel.SCENE_DESCRIPTION, m);
    });
    this.link.on('ready', (m) => { this.ready = Uint8Array.from(m); this.broadcast(Channel.EPISODE_READY, m); });
    this.link.on('messageStart', (kind, length) => this.messageStart(kind, length));
    this.link.on('messageData', (piece) => this.messageData(piece));
    this.link.on('messageEnd', () => this.messageEnd());
    this.link.on('frameEnd', () => this.frameEnd());
    this.dropTimer = setInterval(() => this.reportDrops(), 1000);
  }

  get state() { return this.link.state; }
  get hasDriver(): boolean { return this.driver !== null; }
  get spectatorCount(): number { return this.spectators.size; }
  get lastScene(): SceneSummary | null { return this.sceneSummary; }
  get controlAgeMs(): number { return this.controlAt ? Date.now() - this.controlAt : -1; }

  /** A new WebSocket for this car. Returns false if it was refused (and closed). */
  attach(ws: WebSocket, role: Role, opts: ClientOptions = RAW): boolean {
    if (this.closing) { ws.close(CloseCode.GOING_AWAY, 'relay shutting down'); return false; }
    // 0.7 servers send all images in one bulk message: those go raw.
    const encoding = this.carConfig.protocol === '0.8' ? opts.encoding : 'raw';
    const client: Client = {
      ws, role, skipping: false, inFragment: false, held: [], dropped: 0, reportedDrops: 0, warnedSpectator: false, warnedEncoding: false,
      encoding, quality: opts.quality, queue: Promise.resolve(), queued: 0,
    };
    if (role === 'driver' && this.driver) {
      const d = this.driver;
      const lastSign = Math.max(this.controlAt, this.driverSince);
      const stale = Date.now() - lastSign > this.cfg.timeouts.controlStaleMs || d.ws.readyState !== WebSocket.OPEN;
      if (!stale) {
        this.closeWith(client, { type: 'error', code: ErrorCode.DRIVER_TAKEN, message: `car "${this.name}" already has a driver; join as a spectator or try again when it is free` }, CloseCode.DRIVER_TAKEN, 'driver slot taken');
        return false;
      }
      // The old driver went quiet (a tab closed without a goodbye): the new one takes over.
      this.detach(d, CloseCode.REPLACED);
      this.closeWith(d, { type: 'error', code: ErrorCode.REPLACED, message: 'another driver took over this car' }, CloseCode.REPLACED, 'replaced by a new driver');
    }
    if (role === 'driver') {
      // The others hear of the new driver; the driver itself starts with its hello.
      this.broadcastEvent({ type: 'driver', present: true });
      this.driver = client;
      this.link.driverPresent = true;
      this.driverSince = Date.now();
      if (this.graceTimer) { clearTimeout(this.graceTimer); this.graceTimer = null; }
    } else {
      this.spectators.add(client);
    }
    this.metrics.sessions.set({ car: this.name, role: 'driver' }, this.driver ? 1 : 0);
    this.metrics.sessions.set({ car: this.name, role: 'spectator' }, this.spectators.size);
    this.send(client, {
      type: 'hello', version: RELAY_PROTOCOL_VERSION, car: this.name, role, cars: this.allCars,
      protocol: this.carConfig.protocol, state: this.link.state, encoding,
    });
    // Late joiners learn the episode they join.
    if (this.scene) this.sendTagged(client, Channel.SCENE_DESCRIPTION, this.scene);
    if (this.ready) this.sendTagged(client, Channel.EPISODE_READY, this.ready);
    // Frames start with the next Measurements, never in the middle of one.
    client.skipping = true;
    ws.on('message', (data, isBinary) => this.onMessage(client, data as Buffer, isBinary));
    ws.on('close', (code) => this.detach(client, code));
    ws.on('error', () => {});
    return true;
  }

  private detach(client: Client, code: number): void {
    if (client.role === 'driver') {
      if (this.driver !== client) return;
      this.driver = null;
      this.link.driverPresent = false;
      this.setControlState('absent');
      this.broadcastEvent({ type: 'driver', present: false });
      if (this.link.state !== 'idle' && !this.closing && code === CloseCode.NORMAL) {
        // The app ended its ride: the car is free at once, for this rider's next ride or another's.
        this.log.info('driver ended the ride; episode ended');
        this.scene = this.ready = null;
        this.link.endEpisode();
      } else if (this.link.state !== 'idle' && !this.closing) {
        this.log.info({ graceMs: this.cfg.timeouts.driverGraceMs }, 'driver left; episode kept on safe controls');
        this.graceTimer = setTimeout(() => {
          this.graceTimer = null;
          if (this.driver) return;
          this.log.info('driver did not return within the grace period; episode ended');
          this.scene = this.ready = null;
          this.link.endEpisode();
        }, this.cfg.timeouts.driverGraceMs);
      }
    } else {
      this.spectators.delete(client);
    }
    this.metrics.sessions.set({ car: this.name, role: 'driver' }, this.driver ? 1 : 0);
    this.metrics.sessions.set({ car: this.name, role: 'spectator' }, this.spectators.size);
  }

  private onMessage(client: Client, data: Buffer, isBinary: boolean): void {
    if (!isBinary) return; // text from browsers carries nothing the relay acts on
    if (client.role !== 'driver') {
      if (!client.warnedSpectator) {
        client.warnedSpectator = true;
        this.send(client, { type: 'error', code: ErrorCode.SPECTATOR_SENT, message: 'spectators cannot send to the simulator; the message was ignored' });
      }
      return;
    }
    if (this.driver !== client || data.byteLength === 0) return;
    const tag = data[0]!;
    const payload = data.subarray(1);
    const channel = CHANNEL_NAMES.get(tag);
    if (!channel) {
      this.refuseMessage(client, ErrorCode.UNKNOWN_CHANNEL, `unknown channel 0x${tag.toString(16).padStart(2, '0')}`, 'unknown channel');
      return;
    }
    try {
      switch (tag) {
        case Channel.CONTROL:
          decodeControl(payload);
          this.newestControl = Uint8Array.from(payload);
          this.controlAt = Date.now();
          this.setControlState('live');
          return;
        case Channel.REQUEST_NEW_EPISODE:
          // The link decodes it (for SynchronousMode) and throws if it is malformed.
          this.link.requestEpisode(payload);
          this.scene = this.ready = null;
          this.newestControl = null;
          this.driverSince = Date.now();
          return;
        case Channel.QUALITY: {
          const q = payload.byteLength === 1 ? payload[0]! : NaN;
          if (!isJpegQuality(q)) {
            this.refuseMessage(client, ErrorCode.BAD_ENCODING, `QUALITY must be one byte from ${JPEG_QUALITY.min} to ${JPEG_QUALITY.max}, not ${payload.byteLength === 1 ? q : `${payload.byteLength} bytes`}`, 'bad quality');
            return;
          }
          // Frames already begun keep the quality they were encoded at; the next one takes this.
          client.quality = q;
          return;
        }
        case Channel.EPISODE_START:
          decodeEpisodeStart(payload);
          this.link.startEpisode(payload);
          return;
        default:
          // A tag the relay sends, not one a driver may.
          this.refuseMessage(client, ErrorCode.UNKNOWN_CHANNEL, `channel ${channel} (0x${tag.toString(16).padStart(2, '0')}) goes from the relay to browsers, not from a driver`, 'wrong direction');
      }
    } catch (err) {
      // Only a payload that is not its channel's protobuf is the driver's fault; anything else
      // is the relay's own failure, logged with its stack and not blamed on the browser.
      if (err instanceof MessageDecodeError) {
        this.refuseMessage(client, ErrorCode.MALFORMED_MESSAGE, err.message, `malformed ${channel}`);
      } else {
        this.log.error({ err, channel }, 'relay failed handling a driver message');
        this.closeWith(client, { type: 'error', code: ErrorCode.INTERNAL, message: `the relay failed handling ${channel}: ${(err as Error).message}` }, CloseCode.INTERNAL, 'relay error');
      }
    }
  }

  /** Tells the driver what was wrong with its message, then closes its connection (1003). */
  private refuseMessage(client: Client, code: ErrorCode, message: string, reason: string): void {
    this.log.warn({ code, detail: message }, 'driver message refused');
    this.closeWith(client, { type: 'error', code, message }, CloseCode.UNSUPPORTED_DATA, reason);
  }

  /**
   * The last word to a client, then its close. An encoding client gets it at once, ahead of
   * its queue: its messages are all whole, and a queued word would come after the close.
   */
  private closeWith(c: Client, event: RelayEvent, code: number, reason: string): void {
    if (c.encoding === 'jpeg') this.sendNow(c, event); else this.send(c, event);
    c.ws.close(code, reason);
  }

  private setControlState(state: ControlState): void {
    if (this.controlState === state) return;
    this.controlState = state;
    this.broadcastEvent({ type: 'control', state, ageMs: this.controlAgeMs });
  }

  // -- frames ------------------------------------------------------------------

  private clients(): Client[] {
    const all = [...this.spectators];
    if (this.driver) all.unshift(this.driver);
    return all;
  }

  /**
   * Frame messages are forwarded cut-through: a large one goes out as WebSocket fragments
   * (the tag, then each piece as it arrives from CARLA, then the final fragment) so the
   * browser gets it without the relay waiting for — or copying — the whole image. A small
   * one is gathered and sent whole, tag and payload in one frame.
   */
  private messageStart(kind: FrameMessageKind, length: number): void {
    if (kind === 'measurements') {
      this.metrics.framesIn.inc({ car: this.name });
      const buffered = { driver: 0, spectator: 0 };
      for (const c of this.clients()) buffered[c.role] = Math.max(buffered[c.role], c.ws.bufferedAmount);
      for (const role of ROLES) this.metrics.sendBufferBytes.set({ car: this.name, role }, buffered[role]);
      for (const c of this.clients()) {
        c.skipping = c.ws.readyState !== WebSocket.OPEN || c.ws.bufferedAmount > this.cfg.limits.clientBufferBytes
          || c.queued >= MAX_QUEUED_FRAMES;
        if (c.skipping) {
          c.dropped++;
          this.metrics.framesDropped.inc({ car: this.name, role: c.role });
        } else {
          if (c.encoding === 'jpeg') c.queued++;
          this.metrics.framesOut.inc({ car: this.name, role: c.role });
        }
      }
    }
    this.currentKind = kind;
    this.measurementsHead = kind === 'measurements' ? Buffer.alloc(0) : null;
    const tag = kind === 'measurements' ? Channel.MEASUREMENTS : Channel.SENSOR;
    this.metrics.bytesIn.inc({ car: this.name }, length + 4);
    const open = this.clients().filter((c) => !c.skipping && c.ws.readyState === WebSocket.OPEN);
    this.receivers = open.filter((c) => c.encoding === 'raw');
    this.gathering = open.filter((c) => c.encoding !== 'raw');
    this.whole = null;
    if (length < COPY_BELOW) {
      this.small = Buffer.allocUnsafe(length + 1);
      this.small[0] = tag;
      this.smallAt = 1;
      return;
    }
    this.small = null;
    if (this.gathering.length) {
      // One spare byte after the message lets the encoder read the pixels where they lie (encode-camera.ts).
      this.whole = Buffer.allocUnsafe(length + 2);
      this.whole[0] = tag;
      this.wholeAt = 1;
    }
    for (const c of this.receivers) {
      c.inFragment = true;
      c.ws.send(TAGS.get(tag)!, { binary: true, fin: false });
    }
    this.metrics.bytesOut.inc({ car: this.name }, (length + 1) * this.receivers.length);
  }

  private messageData(piece: Uint8Array): void {
    if (this.measurementsHead && this.measurementsHead.byteLength < HEAD_BYTES) {
      this.measurementsHead = Buffer.concat([this.measurementsHead, piece.subarray(0, HEAD_BYTES - this.measurementsHead.byteLength)]);
    }
    if (this.small) {
      this.small.set(piece, this.smallAt);
      this.smallAt += piece.byteLength;
      return;
    }
    for (const c of this.receivers) c.ws.send(piece, { binary: true, fin: false });
    if (this.whole) {
      this.whole.set(piece, this.wholeAt);
      this.wholeAt += piece.byteLength;
    }
  }

  private messageEnd(): void {
    if (this.measurementsHead) {
      const due = this.clock.frame(peekGameTimestamp(this.measurementsHead), performance.now());
      this.nextRelease = this.link.synchronous ? due : 0;
      this.measurementsHead = null;
    }
    const owned = this.whole !== null;
    const whole = this.small ?? this.whole?.subarray(0, this.wholeAt) ?? null;
    const gathering = this.gathering;
    if (this.small) {
      for (const c of this.receivers) c.ws.send(this.small, { binary: true });
      this.metrics.bytesOut.inc({ car: this.name }, this.small.byteLength * this.receivers.length);
      this.small = null;
      this.receivers = [];
    } else {
      this.finishFragments();
    }
    this.whole = null;
    this.gathering = [];
    if (whole && gathering.length) this.sendEncoded(gathering, whole, owned);
  }



  /**
   * A whole frame message (tag first) to the clients that asked for an encoding: a colour
   * camera image is encoded once per quality asked for and sent as SENSOR_JPEG; anything else
   * (Measurements, depth, segmentation, lidar) goes byte for byte. Each client's queue keeps
   * its messages in order while an image is being encoded.
   */
  private sendEncoded(clients: Client[], message: Buffer, owned: boolean): void {
    const payload = message.subarray(1);
    const colour = this.currentKind === 'sensor' && payload.byteLength > CAMERA_HEADER_BYTES
      && isColourImage(payload.readUInt32LE(20));
    if (!colour) {
      for (const c of clients) this.enqueue(c, () => this.sendWhole(c, message));
      return;
    }
    // The header goes out with the JPEG; the payload itself may be handed to the encoder.
    const header = Buffer.from(payload.subarray(0, CAMERA_HEADER_BYTES));
    const qualities = [...new Set(clients.map((c) => c.quality))];
    // The encoder takes the payload's own buffer when the relay allocated it for this one message
    // (never a small message: those share Node's buffer pool); of several qualities the last
    // takes it, the others a copy.
    const encodings = new Map(qualities.map((q, i) => {
      const job = owned && i === qualities.length - 1 ? payload : jobCopy(payload);
      const started = performance.now();
      const encoded = this.jpegPool().encode(job, q, true).then((bytes) => {
        this.metrics.jpegEncodeSeconds.observe({ car: this.name }, (performance.now() - started) / 1000);
        return bytes;
      });
      return [q, encoded.catch((err: unknown) => err as Error)] as const;
    }));
    for (const c of clients) {
      const encoded = encodings.get(c.quality)!;
      this.enqueue(c, async () => {
        const bytes = await encoded;
        if (bytes instanceof Error) {
          // Only a camera payload the encoder cannot read gets here: the image is skipped, the
          // rest of the frame goes on, and the client hears why once.
          this.log.warn({ err: bytes.message }, 'JPEG encoding failed; the image was skipped');
          if (!c.warnedEncoding) {
            c.warnedEncoding = true;
            this.sendNow(c, { type: 'error', code: ErrorCode.CARLA_PROTOCOL, message: `a camera image could not be encoded as JPEG and was skipped: ${bytes.message}` });
          }
          return;
        }
        const out = Buffer.allocUnsafe(1 + CAMERA_HEADER_BYTES + bytes.byteLength);
        out[0] = Channel.SENSOR_JPEG;
        header.copy(out, 1);
        out.set(bytes, 1 + CAMERA_HEADER_BYTES);
        this.sendWhole(c, out);
      });
    }
  }

  private sendWhole(c: Client, message: Uint8Array): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    c.ws.send(message, { binary: true });
    this.metrics.bytesOut.inc({ car: this.name }, message.byteLength);
  }

  /** Runs a send for an encoding client after everything queued before it. */
  private enqueue(c: Client, send: () => void | Promise<void>): void {
    c.queue = c.queue.then(send).catch((err: unknown) => { this.log.error({ err }, 'relay failed sending to a client'); });
  }

  /**
   * Ends the fragmented message under way (also when CARLA fails in the middle of one: the
   * browser then gets a short SENSOR and no FRAME_END) and sends what was held back.
   */
  private finishFragments(): void {
    for (const c of this.receivers) {
      if (!c.inFragment) continue;
      c.ws.send(EMPTY, { binary: true, fin: true });
      c.inFragment = false;
      for (const text of c.held.splice(0)) c.ws.send(text);
    }
    this.receivers = [];
    this.small = null;
  }

  private frameEnd(): void {
    for (const c of this.clients()) {
      if (!c.skipping) {
        this.sendTagged(c, Channel.FRAME_END, new Uint8Array(0));
        if (c.encoding === 'jpeg') this.enqueue(c, () => { c.queued--; });
      }
      c.skipping = false;
    }
    this.scheduleControl();
  }

  private scheduleControl(): void {
    if (this.releaseTimer) return;
    const wait = this.nextRelease - performance.now();
    if (wait <= 0) this.releaseControl();
    else this.releaseTimer = setTimeout(() => { this.releaseTimer = null; this.releaseControl(); }, wait);
  }

  private releaseControl(): void {
    const staleMs = this.cfg.timeouts.controlStaleMs;
    const fresh = this.driver && this.newestControl && Date.now() - this.controlAt <= staleMs;
    if (this.driver && !fresh && Date.now() - Math.max(this.controlAt, this.driverSince) > staleMs) this.setControlState('stale');
    const payload = fresh ? this.newestControl! : SAFE_CONTROL;
    if (this.link.sendControl(payload)) this.metrics.controlsOut.inc({ car: this.name, kind: fresh ? 'driver' : 'safe' });
  }

  // -- sending -------------------------------------------------------------------

  /** A whole tagged message (scene, EpisodeReady, FRAME_END: all small). */
  private sendTagged(c: Client, tag: Channel, payload: Uint8Array): void {
    const msg = tagged(tag, payload);
    if (c.encoding === 'jpeg') this.enqueue(c, () => this.sendWhole(c, msg));
    else this.sendWhole(c, msg);
  }

  private send(c: Client, event: RelayEvent): void {
    if (c.encoding === 'jpeg') {
      this.enqueue(c, () => this.sendNow(c, event));
      return;
    }
    if (c.ws.readyState !== WebSocket.OPEN) return;
    // WebSocket messages may not interleave: an event waits for the image under way.
    if (c.inFragment) c.held.push(JSON.stringify(event));
    else c.ws.send(JSON.stringify(event));
  }

  /** An event to an encoding client from within its queue. */
  private sendNow(c: Client, event: RelayEvent): void {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify(event));
  }

  private broadcast(tag: Channel, m: Uint8Array): void {
    for (const c of this.clients()) this.sendTagged(c, tag, m);
  }

  private broadcastEvent(event: RelayEvent): void {
    for (const c of this.clients()) this.send(c, event);
  }

  private reportDrops(): void {
    this.metrics.controlAge.set({ car: this.name }, this.controlAt ? (Date.now() - this.controlAt) / 1000 : -1);
    for (const c of this.clients()) {
      if (c.dropped !== c.reportedDrops) {
        c.reportedDrops = c.dropped;
        this.send(c, { type: 'drops', dropped: c.dropped });
      }
    }
  }

  /** SIGTERM: a safe Control, then every WebSocket closed with 1001, then the link. */
  async shutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.dropTimer);
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.link.sendControl(SAFE_CONTROL);
    this.finishFragments();
    for (const c of this.clients()) {
      this.closeWith(c, { type: 'error', code: ErrorCode.SHUTTING_DOWN, message: 'the relay is shutting down' }, CloseCode.GOING_AWAY, 'relay shutting down');
    }
    // Let the safe Control and the close frames leave before the sockets go.
    await new Promise((r) => setTimeout(r, 50));
    this.link.stop();
  }
}
