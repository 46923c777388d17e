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
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { Car } from './car.ts';
import type { RelayConfig } from './config.ts';
import { RelayMetrics } from './metrics.ts';
import { CloseCode, ENCODINGS, ErrorCode, isJpegQuality, JPEG_QUALITY, ROLES, WS_PATH, type CarSummary, type Encoding, type Role } from '../proto/index.ts';
import { JpegPool } from './jpeg/index.ts';

const PING_INTERVAL_MS = 15_000;

export interface Relay {
  readonly port: number;
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

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay');
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

  const server = cfg.tls.enabled
    ? https.createServer({ cert: readFileSync(cfg.tls.cert), key: readFileSync(cfg.tls.key) }, handler)
    : http.createServer(handler);
  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.limits.maxBrowserMessageBytes, perMessageDeflate: false });
  const scheme = cfg.tls.enabled ? 'https' : 'http';

  const reject = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  };

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname !== WS_PATH) { reject(socket, 404, `no WebSocket endpoint at ${url.pathname}; use ${WS_PATH}`); return; }
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
  });

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
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.port;

  return {
    port, cars, metrics,
    async close() {
      clearInterval(pinger);
      await Promise.all([...cars.values()].map((c) => c.shutdown()));
      await pool?.close();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections?.(); });
    },
  };
}
