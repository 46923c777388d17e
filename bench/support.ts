/** Shared by the benchmarks: processes pinned to a core, CPU accounting, a lean CARLA reader, tables. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  FrameDecoder, encodeControl, encodeEpisodeStart, encodeFrame, encodeRequestNewEpisode, parseCameraPayload,
} from '../proto/index.ts';
import { CarlaTestClient, iniFor } from '../tests/support/carla-client.ts';
import { startSim } from '../tests/support/sim-process.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

/** Starts a TypeScript entry point in its own Node process, on CPU `core` when taskset exists. */
export function startPinned(entry: string, args: string[], core: number): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', entry, ...args];
  const cmd = TASKSET ? [TASKSET, '-c', String(core), ...node] : node;
  return spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

export const pinnedNote = TASKSET ? 'pinned to one core with taskset' : 'taskset not found: not pinned';

export function waitForLine(child: ChildProcess, text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code} before "${text}":\n${out}`)); });
  });
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

async function connectRetry(port: number): Promise<net.Socket> {
  for (let i = 0; ; i++) {
    try { return await connect(port); } catch (e) { if (i > 40) throw e; await new Promise((r) => setTimeout(r, 50)); }
  }
}

export interface StreamResult { frames: number; bytes: number; seconds: number; cpu: number; latencies: number[] }

/**
 * Runs one synchronous episode against a CARLA-protocol server and reads frames as fast as
 * the server makes them: a Control goes back the moment a frame's terminator arrives (or,
 * for 0.7-style servers, never needed here). Counts frames and bytes over `seconds`.
 */
export async function streamEpisode(port: number, ini: string, seconds: number, serverPid: number, warmup = 1): Promise<StreamResult> {
  const world = await connect(port);
  const wd = new FrameDecoder({ maxMessageBytes: 1 << 20 });
  const worldMsg = () => new Promise<Uint8Array>((resolve) => {
    const on = (c: Buffer) => { const m = wd.push(c); if (m.length) { world.off('data', on); resolve(m[0]!); } };
    world.on('data', on);
  });
  world.write(encodeFrame(encodeRequestNewEpisode(ini)));
  await worldMsg();
  world.write(encodeFrame(encodeEpisodeStart(0)));
  await worldMsg();
  const stream = await connectRetry(port + 1);
  const control = await connectRetry(port + 2);
  const ctl = encodeFrame(encodeControl({ throttle: 0.6 }));
  const decoder = new FrameDecoder({ maxMessageBytes: 256 << 20 });
  let frames = 0, bytes = 0, counting = false, frameStart = 0;
  const latencies: number[] = [];
  let t0 = 0, cpu0 = 0;
  const done = new Promise<StreamResult>((resolve) => {
    const started = performance.now();
    stream.on('data', (chunk: Buffer) => {
      if (counting) bytes += chunk.byteLength;
      for (const m of decoder.push(chunk)) {
        if (m.byteLength !== 0) continue;
        const now = performance.now();
        if (counting) { frames++; latencies.push(now - frameStart); }
        if (!counting && now - started > warmup * 1000) { counting = true; t0 = now; cpu0 = cpuSeconds(serverPid); }
        if (counting && now - t0 > seconds * 1000) {
          resolve({ frames, bytes, seconds: (now - t0) / 1000, cpu: cpuSeconds(serverPid) - cpu0, latencies });
          return;
        }
        frameStart = now;
        control.write(ctl);
      }
    });
  });
  const result = await done;
  for (const s of [stream, control, world]) s.destroy();
  return result;
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[]) => '| ' + r.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(cells[0]!), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.slice(1).map(line)].join('\n');
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * `count` camera payloads of our simulator at w×h (one colour camera, traffic on), each its own
 * copy, taken every fifth frame while riding: a few metres apart, so that JPEG sizes vary as on a ride.
 */
export async function simCameraFrames(w: number, h: number, count: number): Promise<Uint8Array[]> {
  const sim = await startSim(['--seed', '1']);
  try {
    const c = new CarlaTestClient(sim.port);
    await c.episode(iniFor({ vehicles: 8, pedestrians: 4, sensors: [{ name: 'Rgb', w, h }] }), 1);
    const out: Uint8Array[] = [];
    for (let k = 0; out.length < count; k++) {
      const f = await c.readFrame();
      c.sendControl({ throttle: 0.8 });
      if (k % 5 === 4) out.push(Uint8Array.from(f.raw.slice(1).find((x) => x.byteLength > 28 && parseCameraPayload(x).width === w)!));
    }
    c.close();
    return out;
  } finally {
    await sim.stop();
  }
}
