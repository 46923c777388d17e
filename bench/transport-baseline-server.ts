/**
 * Baseline for the simulator benchmark: the same CARLA protocol and the same bytes per
 * frame, but every frame pre-built: what serving costs when rendering costs nothing.
 * Usage: transport-baseline-server.ts <worldPort> <cameraCount> <width> <height>
 */
import net from 'node:net';
import { FrameDecoder, encodeEpisodeReady, encodeFrame, encodeMeasurements, encodeSceneDescription, decodeMeasurements } from '../proto/index.ts';

const [port, cameras, width, height] = process.argv.slice(2).map(Number) as [number, number, number, number];
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
  stream.cork();
  stream.write(measurements);
  for (const img of images) stream.write(img);
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
net.createServer((s) => { s.setNoDelay(true); stream = s; s.on('error', () => {}); send(); }).listen(port + 1, '127.0.0.1');
net.createServer((s) => {
  s.setNoDelay(true);
  const d = new FrameDecoder();
  s.on('data', (c) => { for (const _ of d.push(c)) send(); });
  s.on('error', () => {});
}).listen(port + 2, '127.0.0.1', () => console.log('baseline listening'));
