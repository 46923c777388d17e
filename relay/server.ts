/**
 * The relay's front door: HTTP or HTTPS on one port, serving the built app, /healthz,
 * /metrics and the /carla WebSocket. Upgrades are checked before they are accepted: the
 * Origin must be the relay's own or an allowed one, and the access token must match when
 * one is configured. The browser names a car, never a host: the relay only ever connects to
 * the CARLA servers its configuration names.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { timingSafeEqual, X509Certificate } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { Car } from './car.ts';
import type { RelayConfig } from './config.ts';
import { RelayMetrics } from './metrics.ts';
import { AUTHORITY_PATH, CloseCode, ENCODINGS, ONBOARDING_PATH, ErrorCode, isJpegQuality, JPEG_QUALITY, ROLES, WS_PATH, type CarSummary, type Encoding, type Role } from '../proto/index.ts';
import { JpegPool } from './jpeg/index.ts';
import { isLoopbackAddress, isLoopbackHost } from './addresses.ts';
import { frontDoor } from './front-door.ts';
import { onboardingPage } from './onboarding.ts';

const PING_INTERVAL_MS = 15_000;
/** A connection that has not sent its first byte by then is closed. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

/** The Host header's host[:port] when it is a plain name or address, else null. */
function requestHost(req: http.IncomingMessage): { host: string; hostname: string } | null {
  const header = req.headers.host;
  if (!header || header.length > 255) return null;
  try {
    const u = new URL(`http://${header}`);
    if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(u.hostname)) return null;
    return { host: u.host, hostname: u.hostname };
  } catch {
    return null;
  }
}

/**
 * The authority's certificate as DER for download, when it is the one that signed the server
 * certificate (offering any other would not help a tablet).
 */
function authorityCertificate(cfg: RelayConfig, logger: Logger): Buffer | null {
  if (!cfg.tls.enabled || !cfg.tls.ca || !existsSync(cfg.tls.ca)) return null;
  try {
    const ca = new X509Certificate(readFileSync(cfg.tls.ca));
    if (!new X509Certificate(readFileSync(cfg.tls.cert)).checkIssued(ca)) {
      logger.warn({ ca: cfg.tls.ca }, 'tls.ca did not issue tls.cert: tablets are not offered it');
      return null;
    }
    return ca.raw;
  } catch (err) {
    logger.warn({ ca: cfg.tls.ca, err: (err as Error).message }, 'tls.ca is not a certificate: tablets are not offered it');
    return null;
  }
}

export interface Relay {
  readonly port: number;
  /** What the listening socket is bound to (0.0.0.0 for every interface). */
  readonly boundAddress: string;
  readonly cars: Map<string, Car>;
  readonly metrics: RelayMetrics;
  close(): Promise<void>;
}

function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected), b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A car as /healthz and /api/cars describe it. */
const status = (c: Car) => ({ state: c.state, driver: c.hasDriver, spectators: c.spectatorCount });

function statusPage(cars: Map<string, Car>): string {
  const rows = [...cars].map(([n, c]) => `<tr><td>${n}</td><td>${c.state}</td><td>${c.hasDriver ? 'yes' : 'no'}</td><td>${c.spectatorCount}</td></tr>`).join('');
  return `<!doctype html><meta charset="utf-8"><title>cycarla relay</title>
<style>body{font:18px system-ui;margin:2em;background:#111;color:#eee}td,th{padding:.3em 1em;text-align:left}</style>
<h1>cycarla relay</h1><p>The app is not built yet; the relay is running.</p>
<table><tr><th>car</th><th>simulator link</th><th>driver</th><th>spectators</th></tr>${rows}</table>`;
}

export async function startRelayServer(cfg: RelayConfig, logger: Logger): Promise<Relay> {
  const metrics = new RelayMetrics();
  const names = Object.keys(cfg.cars);
  // JPEG threads start only when a client first asks for JPEG.
  let pool: JpegPool | null = null;
  const jpegPool = () => (pool ??= new JpegPool(2));
  const cars = new Map(names.map((n) => [n, new Car(n, cfg.cars[n]!, cfg, names, logger.child({ car: n }), metrics, jpegPool)]));
  const statics = existsSync(cfg.staticDir) ? sirv(cfg.staticDir, { single: true, etag: true, gzip: true, brotli: true }) : null;

  const authority = authorityCertificate(cfg, logger);
  // Over plain HTTP, another machine (or a browser that named this one by a non-loopback
  // name) gets only the onboarding page and the authority's certificate when TLS is on.
  const plainOnly = (req: http.IncomingMessage) => cfg.tls.enabled && !(req.socket as TLSSocket).encrypted
    && !(isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(requestHost(req)?.hostname ?? ''));
  const httpsUrl = (req: http.IncomingMessage, path = '/') => `https://${requestHost(req)?.host ?? `localhost:${port}`}${path}`;

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname === ONBOARDING_PATH) {
      void onboardingPage({ appUrl: cfg.tls.enabled ? httpsUrl(req) : null, authority: authority !== null }).then((page) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      });
      return;
    }
    if (url.pathname === AUTHORITY_PATH) {
      if (!authority) { res.writeHead(404, { 'content-type': 'text/plain' }).end('this relay has no certificate authority of its own to offer'); return; }
      res.writeHead(200, {
        'content-type': 'application/x-x509-ca-cert', 'content-disposition': 'attachment; filename="cycarla-ca.crt"', 'cache-control': 'no-store',
      }).end(authority);
      return;
    }
    if (plainOnly(req)) {
      if (url.pathname === '/') { res.writeHead(302, { location: ONBOARDING_PATH }).end(); return; }
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`cycarla serves the app only over HTTPS: ${httpsUrl(req)}\nFirst time on this device? Open ${ONBOARDING_PATH} over http:// for the steps.\n`);
      return;
    }
    if (url.pathname === '/healthz') {
      const body = {
        status: 'ok',
        cars: Object.fromEntries([...cars].map(([n, c]) => [n, status(c)])),
      };
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
      return;
    }
    if (url.pathname === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      });
      return;
    }
    if (url.pathname === '/api/cars') {
      const summary: CarSummary[] = [...cars].map(([n, c]) => ({ name: n, ...status(c), protocol: c.carConfig.protocol, scene: c.lastScene }));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(summary));
      return;
    }
    if (statics) { statics(req, res, () => { res.writeHead(404).end('not found'); }); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(statusPage(cars));
  };

  const plain = http.createServer(handler);
  const secure = cfg.tls.enabled
    ? https.createServer({ cert: readFileSync(cfg.tls.cert), key: readFileSync(cfg.tls.key), handshakeTimeout: FIRST_BYTE_TIMEOUT_MS }, handler) : null;
  const door = secure ? frontDoor(plain, secure, FIRST_BYTE_TIMEOUT_MS) : null;
  const listener: net.Server = door?.server ?? plain;
  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.limits.maxBrowserMessageBytes, perMessageDeflate: false });

  const reject = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname !== WS_PATH) { reject(socket, 404, `no WebSocket endpoint at ${url.pathname}; use ${WS_PATH}`); return; }
    if (plainOnly(req)) { reject(socket, 403, `cycarla's WebSocket is served only over TLS: use ${httpsUrl(req, WS_PATH).replace(/^https/, 'wss')}`); return; }
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    // Browsers always send Origin; it must be ours or an allowed one. (Non-browser clients
    // send none and are subject to the token alone.)
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `${scheme}://${req.headers.host}` && !cfg.allowedOrigins.includes(origin)) {
      logger.warn({ origin }, 'WebSocket refused: origin not allowed');
      reject(socket, 403, `origin ${origin} is not allowed`);
      return;
    }
    if (cfg.accessToken && !tokenMatches(cfg.accessToken, url.searchParams.get('token'))) {
      logger.warn({ remote: req.socket.remoteAddress }, 'WebSocket refused: bad or missing access token');
      reject(socket, 401, 'a valid access token is required');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const carName = url.searchParams.get('car') ?? (names.length === 1 ? names[0]! : '');
      const role = url.searchParams.get('role') ?? 'spectator';
      const car = cars.get(carName);
      const refuse = (code: number, err: string, message: string) => {
        ws.send(JSON.stringify({ type: 'error', code: err, message }));
        ws.close(code, message.slice(0, 120));
      };
      if (!car) { refuse(CloseCode.UNKNOWN_CAR, ErrorCode.UNKNOWN_CAR, `no car "${carName}"; cars: ${names.join(', ')}`); return; }
      if (!(ROLES as readonly string[]).includes(role)) { refuse(CloseCode.BAD_REQUEST, ErrorCode.BAD_ROLE, `role must be driver or spectator, not "${role}"`); return; }
      const encoding = url.searchParams.get('encoding') ?? 'raw';
      if (!(ENCODINGS as readonly string[]).includes(encoding)) {
        refuse(CloseCode.BAD_REQUEST, ErrorCode.BAD_ENCODING, `encoding must be ${ENCODINGS.join(' or ')}, not "${encoding.slice(0, 20)}"`);
        return;
      }
      const qualityText = url.searchParams.get('quality');
      const quality = qualityText === null ? JPEG_QUALITY.default : Number(qualityText);
      if (!isJpegQuality(quality)) {
        refuse(CloseCode.BAD_REQUEST, ErrorCode.BAD_ENCODING, `quality must be an integer from ${JPEG_QUALITY.min} to ${JPEG_QUALITY.max}`);
        return;
      }
      keepAlive(ws);
      if (car.attach(ws, role as Role, { encoding: encoding as Encoding, quality })) logger.info({ car: carName, role, remote: req.socket.remoteAddress }, 'WebSocket session opened');
    });
  };
  plain.on('upgrade', onUpgrade);
  secure?.on('upgrade', onUpgrade);

  // Dead connections (a tablet that vanished from Wi-Fi) are found by ping and terminated.
  const alive = new WeakMap<WebSocket, boolean>();
  const keepAlive = (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  };
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) { ws.terminate(); continue; }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);

  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(cfg.port, cfg.host, () => { listener.off('error', reject); resolve(); });
  });
  const address = listener.address();
  const port = typeof address === 'object' && address ? address.port : cfg.port;
  const boundAddress = typeof address === 'object' && address ? address.address : cfg.host;

  return {
    port, boundAddress, cars, metrics,
    async close() {
      clearInterval(pinger);
      await Promise.all([...cars.values()].map((c) => c.shutdown()));
      await pool?.close();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        listener.close(() => resolve());
        plain.closeAllConnections();
        secure?.closeAllConnections();
        door?.destroyAll();
      });
    },
  };
}
