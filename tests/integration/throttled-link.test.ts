/**
 * The benchmark's slow network (tests/support/throttled-link.ts): it never carries faster than
 * its rate nor answers sooner than its delay allows, and it delivers every byte in order.
 * (Lower bounds only: a busy machine may make it slower, never faster.)
 */
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { ThrottledLink } from '../support/throttled-link.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** An echo server; resolves with its port. */
async function echo(): Promise<number> {
  const server = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as net.AddressInfo).port;
}

it('carries 1 MB each way at 20 Mbit/s in no less than 0.4 s, every byte in order', async () => {
  const link = await ThrottledLink.start(await echo(), { bitsPerSecond: 20e6, delayMs: 5 });
  cleanups.push(() => link.close());
  const sent = Buffer.alloc(1_000_000);
  for (let i = 0; i < sent.length; i++) sent[i] = (i * 31) & 255;
  const s = net.connect(link.port, '127.0.0.1');
  cleanups.push(() => { s.destroy(); });
  const t0 = performance.now();
  const got: Buffer[] = [];
  let n = 0;
  await new Promise<void>((resolve) => {
    s.on('data', (d: Buffer) => { got.push(d); n += d.byteLength; if (n >= sent.length) resolve(); });
    s.write(sent);
  });
  // 1 MB at 2.5 MB/s is 0.4 s; up and down overlap, less the first bursts.
  expect(performance.now() - t0).toBeGreaterThan(380);
  expect(Buffer.compare(Buffer.concat(got), sent)).toBe(0);
});

it('answers a small message no sooner than twice its one-way delay', async () => {
  const link = await ThrottledLink.start(await echo(), { bitsPerSecond: 100e6, delayMs: 25 });
  cleanups.push(() => link.close());
  const s = net.connect(link.port, '127.0.0.1');
  cleanups.push(() => { s.destroy(); });
  await new Promise((r) => s.once('connect', r));
  const t0 = performance.now();
  s.write('ping');
  await new Promise((r) => s.once('data', r));
  expect(performance.now() - t0).toBeGreaterThanOrEqual(49);
});
