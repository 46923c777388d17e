/**
 * A slow network on loopback: a TCP proxy that shapes each direction like a link of a given
 * rate with a given one-way delay — a token bucket (a burst of a couple of milliseconds at the
 * rate) behind a delay line, and a bottleneck queue of bounded size that stops reading from
 * the sender when full, so the sender feels the link the way it would feel Wi-Fi (its socket
 * buffers fill, then its own). For benchmarks and tests only; it serves until closed.
 */
import net from 'node:net';

export interface LinkShape {
  bitsPerSecond: number;
  /** One-way delay, each direction, ms. */
  delayMs: number;
  /** What the bottleneck holds before it pushes back on the sender, bytes. */
  queueBytes?: number;
}

/** One direction of one connection. */
class ShapedPipe {
  private readonly chunks: { due: number; bytes: Buffer }[] = [];
  private queued = 0;
  private tokens: number;
  private last = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly bytesPerMs: number;
  private readonly burst: number;
  private readonly queueBytes: number;
  private ended = false;

  constructor(private readonly from: net.Socket, private readonly to: net.Socket, shape: LinkShape, private readonly carried: (bytes: number) => void) {
    this.bytesPerMs = shape.bitsPerSecond / 8 / 1000;
    this.burst = Math.max(16 * 1024, this.bytesPerMs * 2);
    this.tokens = this.burst;
    this.queueBytes = shape.queueBytes ?? 256 * 1024;
    from.on('data', (d: Buffer) => {
      this.chunks.push({ due: performance.now() + shape.delayMs, bytes: d });
      this.queued += d.byteLength;
      if (this.queued > this.queueBytes) from.pause();
      this.pump();
    });
    from.on('end', () => { this.ended = true; this.pump(); });
  }

  private pump(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.bytesPerMs);
    this.last = now;
    while (this.chunks.length) {
      const head = this.chunks[0]!;
      if (head.due > now) { this.wait(head.due - now); return; }
      if (this.tokens < 1) { this.wait(Math.min(head.bytes.byteLength, 1500) / this.bytesPerMs); return; }
      const n = Math.min(head.bytes.byteLength, Math.floor(this.tokens));
      if (!this.to.destroyed) this.to.write(head.bytes.subarray(0, n));
      this.tokens -= n;
      this.queued -= n;
      this.carried(n);
      if (n === head.bytes.byteLength) this.chunks.shift(); else head.bytes = head.bytes.subarray(n);
    }
    if (this.queued < this.queueBytes / 2 && this.from.isPaused()) this.from.resume();
    if (this.ended && !this.to.destroyed) this.to.end();
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => this.pump(), Math.max(1, ms));
  }

  stop(): void { if (this.timer) clearTimeout(this.timer); }
}

export class ThrottledLink {
  private readonly pipes = new Set<ShapedPipe>();
  private readonly sockets = new Set<net.Socket>();
  /** Bytes carried so far, both ways, on every connection. */
  carried = 0;

  private constructor(private readonly server: net.Server, readonly port: number) {}

  /** A proxy on 127.0.0.1 (a free port) to `targetPort`, shaped both ways. */
  static async start(targetPort: number, shape: LinkShape): Promise<ThrottledLink> {
    let link: ThrottledLink | null = null;
    const server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        s.setNoDelay(true);
        link!.sockets.add(s);
        s.on('close', () => link!.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      const count = (n: number) => { link!.carried += n; };
      const up = new ShapedPipe(client, upstream, shape, count), down = new ShapedPipe(upstream, client, shape, count);
      link!.pipes.add(up).add(down);
      client.on('close', () => { upstream.destroy(); up.stop(); down.stop(); link!.pipes.delete(up); link!.pipes.delete(down); });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    link = new ThrottledLink(server, (server.address() as net.AddressInfo).port);
    return link;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    for (const p of this.pipes) p.stop();
    await new Promise((r) => this.server.close(r));
  }
}
