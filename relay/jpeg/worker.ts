/** A worker thread of the JPEG pool: camera payloads in, JPEG bytes out (transferred both ways). */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { encodeCameraJpeg } from './encode-camera.ts';

// Each thread encodes one image at a time; the pool's threads are the parallelism.
sharp.concurrency(1);

/** `owned`: the payload was handed over (transferred), so its pixels may be swapped where they lie. */
interface Job { id: number; payload: Uint8Array; quality: number; owned: boolean }

parentPort!.on('message', (job: Job) => {
  encodeCameraJpeg(job.payload, job.quality, job.owned).then(
    (jpeg) => parentPort!.postMessage({ id: job.id, jpeg }, [jpeg.buffer as ArrayBuffer]),
    (err: unknown) => parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
