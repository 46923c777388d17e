/**
 * Simulator throughput on one core: 800×600 RGB alone and RGB + Depth + SemanticSegmentation
 * (one mount), synchronous mode with a client that answers each frame at once. Side by side
 * with a transport-only server that sends the same bytes without rendering them.
 */
import { percentile, pinnedNote, startPinned, streamEpisode, table, waitForLine } from './support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);

function ini(cameras: string[], sync = true): string {
  const lines = ['[CARLA/Server]', `SynchronousMode=${sync ? 'True' : 'False'}`, '[CARLA/LevelSettings]', 'NumberOfVehicles=20', 'NumberOfPedestrians=20', 'WeatherId=1', '[CARLA/Sensor]', `Sensors=${cameras.join(',')}`];
  for (const c of cameras) {
    lines.push(`[CARLA/Sensor/${c}]`, 'SensorType=CAMERA', 'ImageSizeX=800', 'ImageSizeY=600', 'FOV=90', 'PositionX=0.2', 'PositionZ=1.3',
      `PostProcessing=${c === 'Depth' ? 'Depth' : c === 'Seg' ? 'SemanticSegmentation' : 'SceneFinal'}`);
  }
  return lines.join('\n');
}

const scenarios = [
  { name: '800×600 RGB', cameras: ['RGB'], target: 60 },
  { name: '800×600 RGB + Depth + Seg', cameras: ['RGB', 'Depth', 'Seg'], target: 30 },
];

export async function runSimBench(): Promise<void> {
  console.log(`\n## Simulator (sim/): ${SECONDS} s per run, server ${pinnedNote} (core 0), client on the other core\n`);
  const rows: (string | number)[][] = [];
  let port = 31000 + Math.floor(Math.random() * 2000) * 3;
  const run = async (entry: string, args: (p: number) => string[], ready: string, iniText: string) => {
    port += 10;
    const child = startPinned(entry, args(port), 0);
    await waitForLine(child, ready);
    const r = await streamEpisode(port, iniText, SECONDS, child.pid!);
    child.kill('SIGTERM');
    return r;
  };
  for (const sc of scenarios) {
    const simArgs = (fps: number) => (p: number) => ['--port', String(p), '--fps', String(fps), '--log-level', 'info', '--timeout-ms', '30000'];
    // Flat out: asynchronous mode ticking as fast as it may; frames go out as fast as one core renders them.
    const flat = await run('sim/cli.ts', simArgs(240), 'simulator listening', ini(sc.cameras, false));
    // Synchronous ping-pong: each frame waits for the client's Control, as a driver's relay does.
    const sync = await run('sim/cli.ts', simArgs(30), 'simulator listening', ini(sc.cameras, true));
    const base = await run('bench/transport-baseline-server.ts', (p) => [String(p), String(sc.cameras.length), '800', '600'], 'baseline listening', ini(sc.cameras, true));
    const fps = flat.frames / flat.seconds;
    const syncFps = sync.frames / sync.seconds, baseFps = base.frames / base.seconds;
    rows.push([
      sc.name, fps, (flat.bytes / flat.seconds) / 1e6, (flat.cpu / flat.frames) * 1000,
      syncFps, baseFps, `${((syncFps / baseFps) * 100).toFixed(1)} %`, percentile(sync.latencies, 50),
      `≥ ${sc.target} fps: ${fps >= sc.target ? 'met' : 'NOT met'}`,
    ]);
  }
  console.log(table(['scenario', 'fps, one core', 'MB/s served', 'CPU ms/frame', 'sync fps', 'baseline sync fps', 'sync/baseline', 'sync frame ms p50', 'target'], rows));
  console.log('\nfps, one core: asynchronous mode at --fps 240, every frame the client can take; the server is pinned to one core.');
  console.log('sync: one Control per frame, sent the moment the terminator arrives (the protocol\'s round trip included).');
  console.log('baseline: a server speaking the same protocol with the same bytes per frame, pre-built (no rendering).');
}
