/**
 * JPEG encoding off the relay's event loop: a small pool of worker threads, each running
 * sharp. A job's bytes are transferred, not copied; jobs queue when every thread is busy.
 */
import { Worker } from 'node:worker_threads';

export { encodeCameraJpeg, isColourImage } from './encode-camera.ts';

/** A copy of a payload for the encoder, with the spare byte after it that lets its pixels be swapped where they lie. */
export function jobCopy(payload: Uint8Array): Uint8Array {
  const job = new Uint8Array(payload.byteLength + 1);
  job.set(payload);
  return job.subarray(0, payload.byteLength);
}

interface Pending { resolve: (jpeg: Uint8Array) => void; reject: (err: Error) => void }

export class JpegPool {
  private readonly workers: Worker[];
  private readonly busy = new Map<Worker, Map<number, Pending>>();
  private nextId = 0;
  private turn = 0;

  constructor(threads = 2) {
    // The relay runs under tsx: its threads load TypeScript the same way (worker-entry.mjs).
    this.workers = Array.from({ length: threads }, () => new Worker(new URL('./worker-entry.mjs', import.meta.url)));
    for (const w of this.workers) {
      const pending = new Map<number, Pending>();
      this.busy.set(w, pending);
      w.on('message', (m: { id: number; jpeg?: Uint8Array; error?: string }) => {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.jpeg) p?.resolve(m.jpeg); else p?.reject(new Error(m.error ?? 'JPEG encoding failed'));
      });
      w.on('error', (err) => { for (const p of pending.values()) p.reject(err); pending.clear(); });
    }
  }

  /**
   * Encodes a 0.8 camera payload. `transfer`: the payload's buffer is handed to the thread (the
   * caller gives it up: no copy on the event loop); otherwise the job is a copy.
   */
  encode(payload: Uint8Array, quality: number, transfer = false): Promise<Uint8Array> {
    // The least busy thread, ties in turn.
    let best = this.workers[this.turn++ % this.workers.length]!;
    for (const w of this.workers) if (this.busy.get(w)!.size < this.busy.get(best)!.size) best = w;
    const id = this.nextId++;
    const job = transfer ? payload : jobCopy(payload);
    return new Promise((resolve, reject) => {
      this.busy.get(best)!.set(id, { resolve, reject });
      best.postMessage({ id, payload: job, quality, owned: true }, [job.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
