/**
 * What JPEG would buy the picture on Wi-Fi (issue: compressed camera frames), measured on the
 * simulator's real frames: bytes per frame raw and as JPEG at three qualities, the encode cost
 * in the relay's worker-thread pool against encoding on the event loop (the baseline), the
 * event loop's worst stall while 60 frames are encoded each way, and the frame rate a
 * 100 Mbit/s and a 20 Mbit/s link could carry for each (bytes only: wifi-bench.ts rides
 * through Chromium over such links).
 */
import { encodeCameraJpeg, JpegPool } from '../relay/jpeg/index.ts';
import { simCameraFrames, table } from './support.ts';

const FRAMES = 60;

/** Runs `work` while a 1 ms timer watches the event loop; returns the elapsed ms and the worst timer lateness. */
async function withLagProbe(work: () => Promise<void>): Promise<{ ms: number; worstLag: number }> {
  let worst = 0, last = performance.now();
  const probe = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last - 1); last = now; }, 1);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  clearInterval(probe);
  return { ms, worstLag: worst };
}

export async function runJpegBench(): Promise<void> {
  console.log('\n## Camera frames as JPEG (relay/jpeg): the simulator\'s real frames\n');
  const rows: (string | number)[][] = [];
  const links = [100e6 / 8, 20e6 / 8];
  const pool = new JpegPool(2);
  try {
    for (const [w, h] of [[800, 600], [1280, 720]] as const) {
      const [raw] = await simCameraFrames(w, h, 1) as [Uint8Array];
      const fps = (bytes: number) => links.map((b) => (b / bytes).toFixed(0)).join(' / ');
      rows.push([`${w}×${h} raw BGRA`, (raw.byteLength / 1024).toFixed(0), '—', '—', '—', fps(raw.byteLength)]);
      for (const q of [60, 75, 90]) {
        const jpeg = await encodeCameraJpeg(raw, q);
        await pool.encode(raw, q); // warm the threads
        const inline = await withLagProbe(async () => { for (let k = 0; k < FRAMES; k++) await encodeCameraJpeg(raw, q); });
        // Two frames in flight at a time, as a relay keeps both threads busy at 30 fps and more.
        const pooled = await withLagProbe(async () => {
          for (let k = 0; k < FRAMES; k += 2) await Promise.all([pool.encode(raw, q), pool.encode(raw, q)]);
        });
        rows.push([
          `${w}×${h} JPEG q${q}`, (jpeg.byteLength / 1024).toFixed(0),
          `${(pooled.ms / FRAMES).toFixed(1)} (${(FRAMES / (pooled.ms / 1000)).toFixed(0)} fps)`, `${(inline.ms / FRAMES).toFixed(1)}`,
          `${pooled.worstLag.toFixed(1)} / ${inline.worstLag.toFixed(1)}`, fps(jpeg.byteLength),
        ]);
      }
    }
  } finally {
    await pool.close();
  }
  console.log(table(['frame', 'KiB/frame', 'ms/frame in the pool (2 threads, 2 in flight)', 'baseline: ms/frame on the event loop', 'worst event-loop stall ms, pool / baseline', 'fps a 100 / 20 Mbit/s link carries'], rows));
  console.log('\nbytes only: the link columns divide its capacity by the frame size (no protocol overhead, no latency).');
}
