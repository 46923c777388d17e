/**
 * The tablet path, through real processes: `npm run cert` makes an authority whose server
 * certificate Node's TLS accepts for every name and address of this computer; `npm start`
 * then serves HTTPS by itself on the same port, and plain HTTP gives another machine only the
 * onboarding page and the authority's certificate; the banner names only what it listens on.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeCarla } from '../support/fake-carla.ts';
import { accepts } from '../support/ports.ts';
import { runNpm } from '../support/processes.ts';
import { RelayTestClient } from '../support/relay-client.ts';
import { FAST_RECONNECT, FAST_TIMEOUTS, startRelay, type RelayProcess } from '../support/relay-process.ts';

const INI = '[CARLA/Server]\nSynchronousMode=True\n';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const lanIps = () => Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);

async function makeCerts(dir: string, extra: string[] = []): Promise<string> {
  const mk = runNpm('cert', [dir, ...extra]);
  expect(await mk.exited, mk.output()).toBe(0);
  return mk.output();
}

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: Buffer }
function plainGet(port: number, path: string, host: string, address = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http.get({ host: address, port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
function secureGet(port: number, path: string, ca: string, servername = 'localhost'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port, path, ca, servername, headers: { host: `${servername}:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
/** A TLS handshake that trusts only `ca` and checks the certificate names `name` (a DNS name or an IP). */
function handshake(port: number, address: string, ca: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const isIp = /^[\d.]+$|:/.test(name);
    const s = tls.connect({ host: address, port, ca, ...(isIp ? {} : { servername: name }),
      checkServerIdentity: (_h, cert) => tls.checkServerIdentity(name, cert) }, () => { s.end(); resolve(); });
    s.once('error', reject);
  });
}

async function relayWithCerts(dir: string, extra: Record<string, unknown> = {}, flags: string[] = []): Promise<{ relay: RelayProcess; f: FakeCarla }> {
  const f = new FakeCarla({ sensorBytes: 2000 });
  await f.listen();
  cleanups.push(() => f.close().catch(() => {}));
  const relay = await startRelay({
    cars: { main: { host: '127.0.0.1', port: f.port } }, timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT,
    // No `enabled`: "auto", decided by the files being there.
    tls: { cert: join(dir, 'cycarla.crt'), key: join(dir, 'cycarla.key'), ca: join(dir, 'cycarla-ca.crt') },
    ...extra,
  }, flags);
  cleanups.push(() => relay.proc.stop());
  return { relay, f };
}

describe('npm run cert', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cycarla-certs-'));
    await makeCerts(dir, ['--name', 'rig1.shop.test']);
  }, 60_000);

  it('makes an authority and a server certificate that TLS accepts, against that authority only, for every name and LAN address', async () => {
    const ca = readFileSync(join(dir, 'cycarla-ca.crt'), 'utf8');
    const cert = new X509Certificate(readFileSync(join(dir, 'cycarla.crt')));
    expect(new X509Certificate(ca).ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(new X509Certificate(ca))).toBe(true);
    // The keys are the owner's alone.
    expect(statSync(join(dir, 'cycarla-ca.key')).mode & 0o077).toBe(0);
    expect(statSync(join(dir, 'cycarla.key')).mode & 0o077).toBe(0);

    const { relay } = await relayWithCerts(dir, { host: '0.0.0.0' });
    const names = (cert.subjectAltName ?? '').split(', ').filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4));
    expect(names).toEqual(expect.arrayContaining(['localhost', 'rig1.shop.test']));
    for (const name of names) await handshake(relay.port, '127.0.0.1', ca, name);
    for (const ip of ['127.0.0.1', ...lanIps()]) await handshake(relay.port, ip, ca, ip);
    // A name it was not made for is refused, and so is any other authority.
    await expect(handshake(relay.port, '127.0.0.1', ca, 'elsewhere.test')).rejects.toThrow(/elsewhere\.test/);
    await expect(handshake(relay.port, '127.0.0.1', tls.rootCertificates.join('\n'), 'localhost')).rejects.toThrow(/self.signed|unable to (get|verify)/i);
  });

  it('keeps the authority on a re-run, and renews the server certificate only when an address is new', async () => {
    const before = { ca: readFileSync(join(dir, 'cycarla-ca.crt'), 'utf8'), cert: readFileSync(join(dir, 'cycarla.crt'), 'utf8') };
    expect(await makeCerts(dir)).toContain('kept the server certificate');
    expect(readFileSync(join(dir, 'cycarla.crt'), 'utf8')).toBe(before.cert);

    const out = await makeCerts(dir, ['--ip', '10.99.0.7']);
    expect(out).toContain('renewed (it does not name 10.99.0.7)');
    expect(readFileSync(join(dir, 'cycarla-ca.crt'), 'utf8')).toBe(before.ca);
    const renewed = new X509Certificate(readFileSync(join(dir, 'cycarla.crt')));
    expect(renewed.checkIP('10.99.0.7')).toBe('10.99.0.7');
    expect(renewed.checkIssued(new X509Certificate(before.ca))).toBe(true);
  });

  it('refuses an --ip that is not an address, naming it', async () => {
    const mk = runNpm('cert', [dir, '--ip', 'ten.0.0.1']);
    expect(await mk.exited).toBe(2);
    expect(mk.output()).toContain('--ip: "ten.0.0.1" is not an IP address');
  });
});

describe('npm start with a certificate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cycarla-certs-'));
    await makeCerts(dir);
  }, 60_000);

  it('serves HTTPS and WSS by itself when the certificate exists, and rides over them', async () => {
    const { relay } = await relayWithCerts(dir);
    const listening = await relay.proc.waitForLog('relay listening');
    expect(listening).toMatchObject({ tls: true, tlsDecidedBy: 'auto' });
    const ca = readFileSync(join(dir, 'cycarla-ca.crt'), 'utf8');
    expect(JSON.parse((await secureGet(relay.port, '/healthz', ca)).body.toString()).status).toBe('ok');
    const driver = await RelayTestClient.open(`wss://localhost:${relay.port}/carla?car=main&role=driver`, {}, { ca });
    cleanups.push(() => driver.close());
    const t = setInterval(() => driver.control({ throttle: 0.5 }), 20);
    cleanups.push(() => clearInterval(t));
    await driver.ride(INI);
    expect(driver.frameCount).toBeGreaterThan(0);
  });

  it('gives another machine over plain HTTP only the onboarding page and the authority certificate, on the same port', async () => {
    const { relay } = await relayWithCerts(dir, { host: '0.0.0.0' });
    const host = `cycarla.test:${relay.port}`;
    const home = await plainGet(relay.port, '/', host);
    expect(home.status).toBe(302);
    expect(home.headers.location).toBe('/tablet');
    const page = await plainGet(relay.port, '/tablet', host);
    expect(page.status).toBe(200);
    const html = page.body.toString();
    expect(html).toContain(`href="https://${host}/"`);
    expect(html).toContain('Download the cycarla certificate');
    expect(html).toMatch(/<svg[^>]*>/); // the QR code of the https:// address
    for (const step of ['Android', 'iPad or iPhone', 'Certificate Trust Settings', 'Manage certificates']) expect(html).toContain(step);
    const authority = await plainGet(relay.port, '/cycarla-ca.crt', host);
    expect(authority.status).toBe(200);
    expect(authority.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(authority.body.equals(new X509Certificate(readFileSync(join(dir, 'cycarla-ca.crt'))).raw)).toBe(true);
    for (const path of ['/index.html', '/healthz', '/metrics', '/api/cars', '/cycarla-ca.key', '/carla?car=main', '/../certs/cycarla.key']) {
      const a = await plainGet(relay.port, path, host);
      expect(a.status, path).toBe(403);
      expect(a.body.toString()).toContain(`https://${host}/`);
      expect(a.body.toString()).not.toContain('PRIVATE KEY');
    }
    // From a real non-loopback address too, whatever Host it claims.
    for (const ip of lanIps()) expect((await plainGet(relay.port, '/healthz', `localhost:${relay.port}`, ip)).status).toBe(403);
    // No WebSocket over plain HTTP for another machine.
    await expect(RelayTestClient.open(`ws://127.0.0.1:${relay.port}/carla?car=main&role=driver`, { host })).rejects.toThrow('HTTP 403');
    // This computer itself (a secure context over http://localhost) keeps everything, the WebSocket too.
    expect((await plainGet(relay.port, '/healthz', `localhost:${relay.port}`)).status).toBe(200);
    const local = await RelayTestClient.open(`ws://localhost:${relay.port}/carla?car=main&role=spectator`, { origin: `http://localhost:${relay.port}` });
    cleanups.push(() => local.close());
    expect(await local.until(() => local.events.find((e) => e.type === 'hello'))).toMatchObject({ car: 'main', role: 'spectator' });
    // The key is not served over HTTPS either.
    const ca = readFileSync(join(dir, 'cycarla-ca.crt'), 'utf8');
    for (const path of ['/cycarla-ca.key', '/certs/cycarla-ca.key']) expect((await secureGet(relay.port, path, ca)).body.toString()).not.toContain('PRIVATE KEY');
  });

  it('serves plain HTTP only with --no-tls, the certificate notwithstanding', async () => {
    const { relay } = await relayWithCerts(dir, {}, ['--no-tls']);
    expect(await relay.proc.waitForLog('relay listening')).toMatchObject({ tls: false, tlsDecidedBy: 'config' });
    expect((await plainGet(relay.port, '/healthz', `cycarla.test:${relay.port}`)).status).toBe(200);
  });
});

describe('the start-up banner', () => {
  it('names only the addresses the relay listens on, each of which accepts a connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycarla-certs-'));
    await makeCerts(dir);
    const { relay } = await relayWithCerts(dir, { host: '0.0.0.0' });
    const urls = (await relay.proc.waitForLog('relay listening')).urls as string[];
    expect([...urls].sort()).toEqual([`http://localhost:${relay.port}/`, ...lanIps().map((ip) => `https://${ip}:${relay.port}/`)].sort());
    for (const u of urls) expect(await accepts(new URL(u).hostname === 'localhost' ? '127.0.0.1' : new URL(u).hostname, relay.port), u).toBe(true);
    expect(relay.proc.output()).toContain('First time on a tablet?');

    const only = await startRelay({ cars: { main: { host: '127.0.0.1', port: 2000 } } });
    cleanups.push(() => only.proc.stop());
    expect((await only.proc.waitForLog('relay listening')).urls).toEqual([`http://localhost:${only.port}/`]);
    expect(only.proc.output()).toContain('Only this computer can connect (listening on 127.0.0.1)');
  });
});
