/**
 * A CARLA-protocol server with pre-built frames: the simulator benchmark's baseline (what
 * serving costs when rendering costs nothing) and the relay benchmark's source.
 * Usage: transport-baseline-server.ts <worldPort> <cameraCount> <width> <height> [intervalMs]
 * Without intervalMs the next frame follows each Control (synchronous); with it, frames go out
 * on a timer. Every frame also carries a 12-byte timing message: sensor id 0x71m3, then the
 * send time as a float64 of epoch milliseconds (same clock in every local process).
 */
import net from 'node:net';
import { FrameDecoder, encodeEpisodeReady, encodeFrame, encodeMeasurements, encodeSceneDescription, decodeMeasurements } from '../proto/index.ts';

const [port, cameras, width, height, intervalMs] = process.argv.slice(2).map(Number) as [number, number, number, number, number | undefined];
export const TIMING_SENSOR_ID = 0x7173;
const measurements = encodeFrame(encodeMeasurements(decodeMeasurements(new Uint8Array(0))));
const payload = 28 + 4 * width * height;
const images = Array.from({ length: cameras }, (_, i) => {
  const b = new Uint8Array(4 + payload);
  new DataView(b.buffer).setUint32(0, payload, true);
  new DataView(b.buffer).setUint32(4, i + 1, true);
  return b;
});
const terminator = new Uint8Array(4);

let stream: net.Socket | null = null;
const send = () => {
  if (!stream) return;
  const timing = new Uint8Array(16);
  const dv = new DataView(timing.buffer);
  dv.setUint32(0, 12, true);
  dv.setUint32(4, TIMING_SENSOR_ID, true);
  stream.cork();
  stream.write(measurements);
  for (const img of images) stream.write(img);
  dv.setFloat64(8, performance.timeOrigin + performance.now(), true);
  stream.write(timing);
  stream.write(terminator);
  stream.uncork();
};

net.createServer((world) => {
  const d = new FrameDecoder();
  let n = 0;
  world.on('data', (c) => {
    for (const _ of d.push(c)) {
      n++;
      if (n === 1) world.write(encodeFrame(encodeSceneDescription({ playerStartSpots: [], sensors: [], mapName: 'baseline' })));
      if (n === 2) world.write(encodeFrame(encodeEpisodeReady(true)));
    }
  });
  world.on('error', () => {});
}).listen(port, '127.0.0.1');
net.createServer((s) => {
  s.setNoDelay(true);
  stream = s;
  s.on('error', () => {});
  s.on('close', () => { if (stream === s) stream = null; });
  if (intervalMs) {
    const t0 = performance.now();
    let k = 0;
    const tick = () => { if (stream !== s) return; if (s.writableLength === 0) send(); k++; setTimeout(tick, Math.max(0, t0 + k * intervalMs - performance.now())); };
    tick();
  } else send();
}).listen(port + 1, '127.0.0.1');
net.createServer((s) => {
  s.setNoDelay(true);
  const d = new FrameDecoder();
  s.on('data', (c) => { for (const _ of d.push(c)) if (!intervalMs) send(); });
  s.on('error', () => {});
}).listen(port + 2, '127.0.0.1', () => console.log('baseline listening'));
