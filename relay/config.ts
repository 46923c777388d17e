/**
 * Relay configuration: one schema (zod) with documented defaults, merged from a JSON file,
 * the environment and flags (flags win), and checked as a whole at start-up. Every error
 * names the key and what it accepts. docs/relay-config.md lists every option.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { z } from 'zod';
import { CARLA_PROTOCOLS } from '../proto/index.ts';
import { LOG_LEVELS } from '../sim/index.ts';

const intIn = (min: number, max: number) =>
  z.number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` });

export const CAR_NAME = /^[a-z0-9_]+$/;
// The embedded simulator is started with the relay's level: one list for both.
export { LOG_LEVELS };

export const carSchema = z.object({
  host: z.string({ error: 'must be a host name or address' }).min(1, { error: 'must be a host name or address' }),
  port: intIn(1, 65533),
  protocol: z.enum(CARLA_PROTOCOLS, { error: `must be ${CARLA_PROTOCOLS.map((p) => `"${p}"`).join(' or ')}` }).default('0.8'),
  /** The pace of synchronous frames until the server's own step shows in game_timestamp (server-clock.ts). */
  syncFps: intIn(1, 240).default(30),
}).strict();

export const configSchema = z.object({
  host: z.string().min(1).default('0.0.0.0'),
  /** 0: a free port the system chooses (the banner and the "relay listening" log say which). */
  port: intIn(0, 65535).default(9000),
  /** World port of the embedded simulator, used when no CARLA server is configured. */
  simPort: intIn(1, 65533).default(2000),
  cars: z.record(z.string(), carSchema).default({}),
  /** Browser origins allowed besides the relay's own. */
  allowedOrigins: z.array(z.string()).default([]),
  /** When set, WebSocket clients must present it (?token=). */
  accessToken: z.string().min(8, { error: 'must be at least 8 characters' }).optional(),
  tls: z.object({
    /** "auto": on when the certificate and key files exist (what `npm run cert` writes). */
    enabled: z.union([z.boolean(), z.literal('auto')], { error: 'must be true, false or "auto"' }).default('auto'),
    cert: z.string().default('certs/cycarla.crt'),
    key: z.string().default('certs/cycarla.key'),
    /** The authority's public certificate, offered to tablets at /cycarla-ca.crt; optional. */
    ca: z.string().default('certs/cycarla-ca.crt'),
  }).strict().prefault({}),
  timeouts: z.object({
    /** From connecting to the first frame (episode loading can be slow). */
    handshakeMs: intIn(100, 600_000).default(60_000),
    /** Retrying the agent ports after EpisodeReady (spec §9.1). */
    agentConnectMs: intIn(100, 600_000).default(10_000),
    /** No frame for this long: notify, tear down, reconnect. */
    stallMs: intIn(100, 600_000).default(5_000),
    /** No Control from the driver for this long: safe Controls (brake) until it returns. */
    controlStaleMs: intIn(50, 600_000).default(1_000),
    /** How long an episode outlives its driver's connection. */
    driverGraceMs: intIn(0, 3_600_000).default(30_000),
  }).strict().prefault({}),
  reconnect: z.object({
    /** First pause after a refused or lost connection (the seed's sleep_duration_after_connection_refused). */
    initialDelayMs: intIn(100, 600_000).default(500),
    maxDelayMs: intIn(100, 3_600_000).default(10_000),
  }).strict().prefault({}),
  limits: z.object({
    maxCarlaMessageBytes: intIn(1024, 256 * 1024 * 1024).default(64 * 1024 * 1024),
    maxBrowserMessageBytes: intIn(64, 16 * 1024 * 1024).default(64 * 1024),
    /** A client whose WebSocket holds more than this skips whole frames. */
    clientBufferBytes: intIn(64 * 1024, 1024 * 1024 * 1024).default(2 * 1024 * 1024),
  }).strict().prefault({}),
  log: z.object({
    level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    /** Where log files go; empty = no log files, stdout only. */
    directory: z.string().default(''),
    /** Rotate a log file at this size; 0 = never. */
    maxFileBytes: intIn(0, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
    /** Rotated files kept besides the current one. */
    filesToKeep: intIn(0, 1000).default(5),
  }).strict().prefault({}),
  /** The built app; a missing folder serves a status page instead. */
  staticDir: z.string().default('dist'),
}).strict();

type ParsedConfig = z.infer<typeof configSchema>;
/** A checked configuration: "auto" TLS has been decided. */
export type RelayConfig = Omit<ParsedConfig, 'tls'> & {
  tls: Omit<ParsedConfig['tls'], 'enabled'> & { enabled: boolean; /** decided by "auto" rather than named */ auto: boolean };
};
export type CarConfig = RelayConfig['cars'][string];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;

/** Deep merge of plain objects; later sources win, arrays and values replace. */
export function mergeConfig(...sources: Json[]): Json {
  const out: Json = {};
  for (const src of sources) {
    for (const [k, v] of Object.entries(src)) {
      if (v === undefined) continue;
      const prev = out[k];
      out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
        ? mergeConfig(prev as Json, v as Json) : v;
    }
  }
  return out;
}

/** `source` names where the path came from (--config or CYCARLA_CONFIG) in errors. */
export function readConfigFile(path: string, source = '--config'): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${source}: cannot read "${path}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('the top level must be an object');
    return v as Json;
  } catch (err) {
    throw new ConfigError([`${source}: "${path}" is not valid JSON: ${(err as Error).message}`]);
  }
}

/** Validates a merged configuration; throws ConfigError listing every problem. */
export function validateConfig(input: Json): RelayConfig {
  const parsed = configSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => {
      const key = i.path.join('.') || '(top level)';
      if (i.code === 'unrecognized_keys') return `${[...i.path, ...i.keys].join('.')}: unknown option`;
      const got = 'input' in i && i.input !== undefined ? ` (got ${JSON.stringify(i.input)})` : '';
      return `${key}: ${i.message}${got}`;
    }));
  }
  const c = parsed.data;
  const problems: string[] = [];
  const names = Object.keys(c.cars);
  for (const name of names) {
    if (!CAR_NAME.test(name)) problems.push(`cars.${name}: car names may use only a-z, 0-9 and _`);
  }
  if (names.length > 16) problems.push(`cars: at most 16 cars (got ${names.length})`);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = c.cars[names[i]!]!, b = c.cars[names[j]!]!;
      if (a.host === b.host && Math.abs(a.port - b.port) <= 2) {
        problems.push(`cars.${names[j]}: ports ${b.port}–${b.port + 2} overlap cars.${names[i]} (${a.port}–${a.port + 2}) on ${a.host}`);
      }
    }
  }
  const t = c.timeouts;
  if (t.controlStaleMs >= t.stallMs) problems.push(`timeouts.controlStaleMs: must be less than timeouts.stallMs (${t.stallMs}) (got ${t.controlStaleMs})`);
  if (t.stallMs > t.handshakeMs) problems.push(`timeouts.stallMs: must not exceed timeouts.handshakeMs (${t.handshakeMs}) (got ${t.stallMs})`);
  if (t.agentConnectMs > t.handshakeMs) problems.push(`timeouts.agentConnectMs: must not exceed timeouts.handshakeMs (${t.handshakeMs}) (got ${t.agentConnectMs})`);
  if (c.reconnect.maxDelayMs < c.reconnect.initialDelayMs) {
    problems.push(`reconnect.maxDelayMs: must be at least reconnect.initialDelayMs (${c.reconnect.initialDelayMs}) (got ${c.reconnect.maxDelayMs})`);
  }
  for (const [i, o] of c.allowedOrigins.entries()) {
    let ok = false;
    try { ok = new URL(o).origin === o; } catch { ok = false; }
    if (!ok) problems.push(`allowedOrigins.${i}: must be an origin like https://tablet.local:9000 (got ${JSON.stringify(o)})`);
  }
  const readable = (path: string) => { try { accessSync(path, constants.R_OK); return null; } catch (err) { return (err as NodeJS.ErrnoException).code ?? 'unreadable'; } };
  const auto = c.tls.enabled === 'auto';
  const enabled = auto ? readable(c.tls.cert) === null && readable(c.tls.key) === null : c.tls.enabled === true;
  if (enabled) {
    for (const k of ['cert', 'key'] as const) {
      if (!c.tls[k]) { problems.push(`tls.${k}: required when TLS is enabled`); continue; }
      const why = readable(c.tls[k]);
      if (why) problems.push(`tls.${k}: cannot read "${c.tls[k]}" (${why})`);
    }
    const ca = c.tls.ca && readable(c.tls.ca) === null ? readFileSync(c.tls.ca, 'utf8') : '';
    // The authority's file is served to anyone: it must never hold a key.
    if (/PRIVATE KEY/.test(ca)) problems.push(`tls.ca: "${c.tls.ca}" contains a private key; name the authority's certificate (cycarla-ca.crt), never its key`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { ...c, tls: { ...c.tls, enabled, auto } };
}
