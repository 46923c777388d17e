/**
 * The relay's cost: one client reading 800×600 BGRA frames straight from a CARLA-protocol
 * server over TCP, and the same client through the relay over WebSocket. The relay is pinned
 * to one core; the server and client share the other.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { FrameDecoder, encodeControl, encodeEpisodeStart, encodeFrame, encodeRequestNewEpisode } from '../proto/index.ts';
import { Channel, tagged } from '../proto/index.ts';
import { cpuSeconds, percentile, pinnedNote, rssMiB, startPinned, table, waitForLine } from './support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const STALL_SECONDS = Number(process.env.BENCH_STALL_SECONDS ?? 60);
const W = 800, H = 600;
const TIMING_SENSOR_ID = 0x7173;
const now = () => performance.timeOrigin + performance.now();
const INI_ASYNC = '[CARLA/Server]\nSynchronousMode=False\n';

interface Run { frames: number; bytes: number; seconds: number; latencies: number[] }

/** Reads the timing message's send time out of a sensor payload, or NaN. */
function sentAt(payload: Uint8Array): number {
  if (payload.byteLength !== 12) return NaN;
  const dv = new DataView(payload.buffer, payload.byteOffset, 12);
  return dv.getUint32(0, true) === TIMING_SENSOR_ID ? dv.getFloat64(4, true) : NaN;
}

async function direct(port: number, seconds: number, answer: boolean): Promise<Run> {
  const connect = (p: number) => new Promise<net.Socket>((res, rej) => { const s = net.connect({ port: p, host: '127.0.0.1', noDelay: true }); s.once('connect', () => res(s)); s.once('error', rej); });
  const world = await connect(port);
  const wd = new FrameDecoder();
  const next = () => new Promise<void>((r) => { const on = (c: Buffer) => { if (wd.push(c).length) { world.off('data', on); r(); } }; world.on('data', on); });
  world.write(encodeFrame(encodeRequestNewEpisode(INI_ASYNC))); await next();
  world.write(encodeFrame(encodeEpisodeStart(0))); await next();
  const stream = await connect(port + 1), control = await connect(port + 2);
  const d = new FrameDecoder({ maxMessageBytes: 64 << 20 });
  const ctl = encodeFrame(encodeControl({ throttle: 0.5 }));
  const run: Run = { frames: 0, bytes: 0, seconds: 0, latencies: [] };
  let inFrame = false, t0 = 0, sent = NaN;
  await new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      if (t0) run.bytes += chunk.byteLength;
      for (const m of d.push(chunk)) {
        if (!inFrame) { inFrame = true; continue; }
        if (m.byteLength > 0) { const t = sentAt(m); if (!Number.isNaN(t)) sent = t; continue; }
        inFrame = false;
        if (!t0) { t0 = performance.now(); } else { run.frames++; run.latencies.push(now() - sent); }
        if (performance.now() - t0 > seconds * 1000) { run.seconds = (performance.now() - t0) / 1000; resolve(); return; }
        if (answer) control.write(ctl);
      }
    });
  });
  for (const s of [stream, control, world]) s.destroy();
  return run;
}

async function viaRelay(relayPort: number, seconds: number): Promise<Run & { ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${relayPort}/carla?car=main&role=driver`, { perMessageDeflate: false });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  const run: Run = { frames: 0, bytes: 0, seconds: 0, latencies: [] };
  let t0 = 0, sent = NaN;
  await new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer, binary) => {
      if (!binary) return;
      if (t0) run.bytes += data.byteLength;
      const tag = data[0];
      if (tag === Channel.SCENE_DESCRIPTION) ws.send(tagged(Channel.EPISODE_START, encodeEpisodeStart(0)));
      else if (tag === Channel.SENSOR) { const t = sentAt(data.subarray(1)); if (!Number.isNaN(t)) sent = t; }
      else if (tag === Channel.FRAME_END) {
        if (!t0) t0 = performance.now(); else { run.frames++; run.latencies.push(now() - sent); }
        ws.send(tagged(Channel.CONTROL, encodeControl({ throttle: 0.5 })));
        if (performance.now() - t0 > seconds * 1000) { run.seconds = (performance.now() - t0) / 1000; resolve(); }
      }
    });
    ws.send(tagged(Channel.REQUEST_NEW_EPISODE, encodeRequestNewEpisode(INI_ASYNC)));
  });
  return { ...run, ws };
}

/** A relay (pinned to core 0) whose one car is the CARLA-protocol server on `port`. */
async function startRelayFor(port: number, dir: string): Promise<{ relay: ReturnType<typeof startPinned>; relayPort: number }> {
  const relayPort = port + 10;
  const cfg = join(dir, `relay-${relayPort}.json`);
  writeFileSync(cfg, JSON.stringify({ port: relayPort, host: '127.0.0.1', cars: { main: { host: '127.0.0.1', port } }, log: { level: 'warn' }, staticDir: join(dir, 'none') }));
  const relay = startPinned('relay/cli.ts', ['--config', cfg, '--log-level', 'info'], 0);
  await waitForLine(relay, 'relay listening');
  return { relay, relayPort };
}

export async function runRelayBench(): Promise<void> {
  console.log(`\n## Relay (relay/): 800×600 BGRA frames, ${SECONDS} s per run, relay ${pinnedNote} (core 0), server and client on core 1\n`);
  let port = 36000 + Math.floor(Math.random() * 1000) * 5;
  const dir = mkdtempSync(join(tmpdir(), 'cycarla-bench-'));
  const rows: (string | number)[][] = [];
  const results: Record<string, { direct: Run; relay: Run; cpuMsPerFrame: number }> = {};

  for (const mode of ['flat out', '30 fps'] as const) {
    const interval = mode === '30 fps' ? '33.333' : '';
    port += 20;
    const server = startPinned('bench/transport-baseline-server.ts', [String(port), '1', String(W), String(H), ...(interval ? [interval] : [])], 1);
    await waitForLine(server, 'baseline listening');
    const d = await direct(port, SECONDS, !interval);
    server.kill('SIGTERM');

    port += 20;
    const server2 = startPinned('bench/transport-baseline-server.ts', [String(port), '1', String(W), String(H), ...(interval ? [interval] : [])], 1);
    await waitForLine(server2, 'baseline listening');
    const { relay, relayPort } = await startRelayFor(port, dir);
    const cpu0 = cpuSeconds(relay.pid!);
    const r = await viaRelay(relayPort, SECONDS);
    const cpu = cpuSeconds(relay.pid!) - cpu0;
    r.ws.close();
    relay.kill('SIGTERM');
    server2.kill('SIGTERM');
    results[mode] = { direct: d, relay: r, cpuMsPerFrame: (cpu / Math.max(1, r.frames)) * 1000 };
  }

  for (const [mode, { direct: d, relay: r, cpuMsPerFrame }] of Object.entries(results)) {
    const fps = (x: Run) => x.frames / x.seconds, mbs = (x: Run) => x.bytes / x.seconds / 1e6;
    rows.push([`${mode}: direct TCP`, fps(d), mbs(d), percentile(d.latencies, 50), percentile(d.latencies, 99), '—', '']);
    const add50 = percentile(r.latencies, 50) - percentile(d.latencies, 50);
    const add99 = percentile(r.latencies, 99) - percentile(d.latencies, 99);
    const target = mode === '30 fps'
      ? `added p50 ${add50.toFixed(2)} ms (< 1: ${add50 < 1 ? 'met' : 'NOT met'}), p99 ${add99.toFixed(2)} ms (< 5: ${add99 < 5 ? 'met' : 'NOT met'})`
      : `≥ 300 MB/s: ${mbs(r) >= 300 ? 'met' : 'NOT met'} (${((mbs(r) / mbs(d)) * 100).toFixed(0)} % of direct)`;
    rows.push([`${mode}: through relay`, fps(r), mbs(r), percentile(r.latencies, 50), percentile(r.latencies, 99), cpuMsPerFrame, target]);
  }
  console.log(table(['path', 'fps', 'MB/s', 'latency ms p50', 'latency ms p99', 'relay CPU ms/frame', 'target'], rows));
  console.log('\nlatency: from the server writing a frame to the client holding all of it (same clock, loopback).');

  // A spectator that never reads, for STALL_SECONDS, while a driver rides at 30 fps.
  port += 20;
  const server = startPinned('bench/transport-baseline-server.ts', [String(port), '1', String(W), String(H), '33.333'], 1);
  await waitForLine(server, 'baseline listening');
  const { relay, relayPort } = await startRelayFor(port, dir);
  const riding = viaRelay(relayPort, STALL_SECONDS);
  await new Promise((r) => setTimeout(r, 500));
  const stalled = new WebSocket(`ws://127.0.0.1:${relayPort}/carla?car=main&role=spectator`);
  await new Promise((r) => stalled.once('open', r));
  (stalled as unknown as { _socket: net.Socket })._socket.pause();
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, rssMiB(relay.pid!)); }, 250);
  const r = await riding;
  clearInterval(sampler);
  r.ws.close(); stalled.terminate();
  relay.kill('SIGTERM'); server.kill('SIGTERM');
  console.log(`\nStalled spectator for ${STALL_SECONDS} s while a driver rode at ${(r.frames / r.seconds).toFixed(1)} fps: relay resident memory peaked at ${peak.toFixed(0)} MB (target < 200 MB: ${peak < 200 ? 'met' : 'NOT met'}).`);
}
