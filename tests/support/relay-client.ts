/** A WebSocket client of the relay contract (docs/relay-protocol.md), for tests and benchmarks. */
import { WebSocket } from 'ws';
import {
  decodeEpisodeReady, decodeMeasurements, decodeSceneDescription, encodeControl, encodeEpisodeStart,
  encodeRequestNewEpisode, type Control, type Measurements, type SceneDescription,
} from '../../proto/index.ts';
import { Channel, parseRelayEvent, tagged, type RelayEvent } from '../../proto/index.ts';

export interface RelayFrame {
  measurements: Measurements;
  sensors: Uint8Array[];
  /** SENSOR_JPEG payloads: the 28-byte camera header, then JPEG bytes. */
  jpegs: Uint8Array[];
  /** Tags in arrival order, Measurements first and FRAME_END last. */
  order: number[];
  receivedAt: number;
}

export class RelayTestClient {
  readonly events: RelayEvent[] = [];
  readonly frames: RelayFrame[] = [];
  scenes: SceneDescription[] = [];
  readies: boolean[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private current: RelayFrame | null = null;
  private waiters = new Set<() => void>();
  /** When false, frames are not kept (long runs). */
  keepFrames = true;
  /** The newest whole frame, kept or not. */
  latest: RelayFrame | null = null;
  frameCount = 0;

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, isBinary) => {
      // Checked against the contract: an event the relay gets wrong fails the test that meets it.
      if (!isBinary) { this.events.push(parseRelayEvent(data.toString())); this.wake(); return; }
      const tag = data[0], payload = data.subarray(1);
      switch (tag) {
        case Channel.SCENE_DESCRIPTION: this.scenes.push(decodeSceneDescription(payload)); break;
        case Channel.EPISODE_READY: this.readies.push(decodeEpisodeReady(payload).ready); break;
        case Channel.MEASUREMENTS: this.current = { measurements: decodeMeasurements(payload), sensors: [], jpegs: [], order: [tag], receivedAt: performance.now() }; break;
        case Channel.SENSOR: this.current?.sensors.push(Uint8Array.from(payload)); this.current?.order.push(tag); break;
        case Channel.SENSOR_JPEG: this.current?.jpegs.push(Uint8Array.from(payload)); this.current?.order.push(tag); break;
        case Channel.FRAME_END:
          this.current?.order.push(tag);
          if (this.current) { this.frameCount++; this.latest = this.current; if (this.keepFrames) this.frames.push(this.current); }
          this.current = null;
          break;
        default: throw new Error(`unknown channel ${tag}`);
      }
      this.wake();
    });
    ws.on('close', (code, reason) => { this.closeCode = code; this.closeReason = reason.toString(); this.wake(); });
    ws.on('error', () => {});
  }

  static open(url: string, headers: Record<string, string> = {}, options: { rejectUnauthorized?: boolean; ca?: string | Buffer; servername?: string } = {}): Promise<RelayTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, ...options });
      const c = new RelayTestClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  private wake(): void { for (const w of [...this.waiters]) w(); }

  async until<T>(check: () => T | undefined | false | null, timeoutMs = 15_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.slice(-8))}`);
      await new Promise<void>((resolve) => {
        const done = () => { clearTimeout(t); this.waiters.delete(done); resolve(); };
        const t = setTimeout(done, Math.min(200, Math.max(1, deadline - Date.now())));
        this.waiters.add(done);
      });
    }
  }

  /** The first event of a type (matching pred) among those received since index `from`. */
  event<T extends RelayEvent['type']>(type: T, pred: (e: Extract<RelayEvent, { type: T }>) => boolean = () => true, timeoutMs = 15_000, from = 0) {
    return this.until(() => this.events.slice(from).find((e): e is Extract<RelayEvent, { type: T }> => e.type === type && pred(e as Extract<RelayEvent, { type: T }>)), timeoutMs, `event ${type}`);
  }

  framesAtLeast(n: number, timeoutMs = 15_000): Promise<number> {
    return this.until(() => this.frameCount >= n && this.frameCount, timeoutMs, `${n} frames`);
  }

  closed(timeoutMs = 10_000): Promise<number> {
    return this.until(() => this.closeCode, timeoutMs, 'close');
  }

  send(tag: Channel, payload: Uint8Array): void {
    this.ws.send(tagged(tag, payload));
  }

  requestEpisode(ini: string): void { this.send(Channel.REQUEST_NEW_EPISODE, encodeRequestNewEpisode(ini)); }
  startEpisode(index = 0): void { this.send(Channel.EPISODE_START, encodeEpisodeStart(index)); }
  control(c: Partial<Control>): void { this.send(Channel.CONTROL, encodeControl(c)); }

  /** Requests an episode, starts it as soon as the scene arrives, and waits for the first frame. */
  async ride(ini: string, index = 0, timeoutMs = 30_000): Promise<void> {
    const scenes = this.scenes.length;
    this.requestEpisode(ini);
    await this.until(() => this.scenes.length > scenes, timeoutMs, 'scene');
    this.startEpisode(index);
    const frames = this.frameCount;
    await this.framesAtLeast(frames + 1, timeoutMs);
  }

  close(): void { this.ws.close(); }
}
