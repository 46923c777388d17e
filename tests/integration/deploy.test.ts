/**
 * Past one computer, as far as this machine allows without a container engine: the Dockerfile
 * lints clean and its runtime stage holds everything the relay imports; compose.yaml parses and
 * says what docs/operations.md promises; the image's start command, run with the options the
 * compose file passes, serves and rides; the shop set-up's nginx really routes by car in front
 * of two relays; the Caddyfile validates; the dashboard's figures are real metric names.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DockerfileParser, type Entrypoint, type Env, type Healthcheck, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FakeCarla } from '../support/fake-carla.ts';
import { freePortTriple } from '../support/ports.ts';
import { ROOT, runNpm } from '../support/processes.ts';
import { RelayTestClient } from '../support/relay-client.ts';
import { FAST_RECONNECT, FAST_TIMEOUTS, startRelay, type RelayProcess } from '../support/relay-process.ts';

const INI = '[CARLA/Server]\nSynchronousMode=True\n';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const dockerfile = DockerfileParser.parse(read('Dockerfile'));
const finalStage = (): Instruction[] => {
  const all = dockerfile.getInstructions();
  const lastFrom = all.map((i) => i.getKeyword()).lastIndexOf('FROM');
  return all.slice(lastFrom);
};
const one = <T extends Instruction>(keyword: string): T => {
  const found = finalStage().filter((i) => i.getKeyword() === keyword);
  expect(found, keyword).toHaveLength(1);
  return found[0] as T;
};
const entrypoint = () => one<Entrypoint>('ENTRYPOINT').getJSONStrings().map((s) => s.getJSONValue());
const imageEnv = () => Object.fromEntries(finalStage().filter((i) => i.getKeyword() === 'ENV').flatMap((i) => (i as Env).getProperties().map((p) => [p.getName(), p.getValue() ?? ''])));
const compose = () => parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Record<string, unknown>> };

function waitExit(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(child.exitCode); return; }
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
}
function waitOutput(child: ChildProcess, text: string, out: () => string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${out()}`)), timeoutMs);
    const check = () => { if (out().includes(text)) { clearTimeout(t); resolve(); } };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', () => { clearTimeout(t); reject(new Error(`exited before "${text}":\n${out()}`)); });
    check();
  });
}
/** Spawns like a container: its own cwd and exactly the environment given (plus PATH). */
function run(cmd: string[], cwd: string, env: Record<string, string>): { child: ChildProcess; out: () => string } {
  const child = spawn(cmd[0] === 'node' ? process.execPath : cmd[0]!, cmd.slice(1), { cwd, env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  cleanups.push(async () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } });
  return { child, out: () => out };
}

describe('the container image', () => {
  it('lints clean (dockerfile-utils), and the linter does catch a broken file', () => {
    expect(validate(read('Dockerfile'))).toEqual([]);
    expect(validate('FROM node:20\nEXPOSE 99999\nHEALTHCHECK CMD\n').length).toBeGreaterThan(0);
  });

  it('runs as a non-root user, starts what npm start starts, and checks /healthz', () => {
    expect(one('USER').getArgumentsContent()).toBe('node');
    const start = JSON.parse(read('package.json')).scripts.start as string;
    expect(start).toContain('tsx relay/cli.ts');
    expect(entrypoint()).toEqual(['node', '--import', 'tsx', 'relay/cli.ts']);
    expect(one<Healthcheck>('HEALTHCHECK').getArgumentsContent()).toContain('/healthz');
    expect(imageEnv()).toMatchObject({ HOST: '0.0.0.0', PORT: '9000', NODE_ENV: 'production' });
  });

  it('keeps certificates, keys and the work tree out of the build', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const p of ['certs', 'node_modules', '.git', 'test-artifacts']) expect(ignored).toContain(p);
  });

  it('holds in its runtime stage every module the relay and simulator import, with production dependencies only', () => {
    const copied = finalStage().filter((i) => i.getKeyword() === 'COPY').map((i) => i.getArguments().map((a) => a.getValue()).filter((a) => !a.startsWith('--'))[0]!.replace(/^\/app\//, ''));
    const runtimeDirs = ['relay', 'sim', 'proto'];
    for (const d of [...runtimeDirs, 'dist', 'node_modules', 'package.json']) expect(copied).toContain(d);
    const deps = Object.keys(JSON.parse(read('package.json')).dependencies as Record<string, string>);
    const files = runtimeDirs.flatMap(function walk(d: string): string[] {
      return readdirSync(join(ROOT, d)).flatMap((n) => statSync(join(ROOT, d, n)).isDirectory() ? walk(join(d, n)) : /\.(ts|mjs|js)$/.test(n) && !n.endsWith('.d.ts') ? [join(d, n)] : []);
    });
    const bare = new Set<string>();
    for (const f of files) {
      for (const m of read(f).matchAll(/(?:from|import)\s*\(?\s*'([^'.][^']*)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:') || !/^(@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*(\/|$)/.test(spec)) continue;
        bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
      // Nothing outside the copied folders (app/ is built into dist/).
      for (const m of read(f).matchAll(/from\s*'(\.\.?\/[^']*)'/g)) {
        const target = relative(ROOT, join(ROOT, f, '..', m[1]!)).split('/')[0]!;
        expect(runtimeDirs, `${f} imports ${m[1]}`).toContain(target);
      }
    }
    expect(bare.size).toBeGreaterThan(5);
    for (const b of [...bare, 'tsx']) expect(deps, `${b} (imported at run time) must be a dependency, not a devDependency`).toContain(b);
  });
});

describe('compose.yaml', () => {
  it('runs the relay beside our simulator (profile sim) or beside CARLA 0.8.4 with a GPU and a fixed time step (profile carla)', () => {
    const s = compose().services;
    const inProfile = (p: string) => Object.entries(s).filter(([, v]) => (v.profiles as string[] | undefined)?.includes(p)).map(([k]) => k).sort();
    expect(inProfile('sim')).toEqual(['relay-sim', 'sim']);
    expect(inProfile('carla')).toEqual(['carla', 'relay-carla']);
    for (const name of ['relay-sim', 'relay-carla']) {
      expect(s[name]).toMatchObject({ build: '.', image: 'cycarla-relay:latest', init: true, ports: ['9000:9000'], volumes: ['./certs:/app/certs:ro'] });
    }
    expect(s['relay-sim']!.environment).toMatchObject({ CARLA_SIM_IP: 'sim', CARLA_SIM_PORT: '2000' });
    expect(s['relay-sim']!.depends_on).toEqual({ sim: { condition: 'service_healthy' } });
    expect(s['relay-carla']!.environment).toMatchObject({ CARLA_SIM_IP: 'carla', CARLA_SIM_PORT: '2000' });
    const carla = s.carla!;
    expect(carla.image).toBe('carlasim/carla:0.8.4');
    const cmd = carla.command as string[];
    expect(cmd).toEqual(expect.arrayContaining(['-carla-server', '-benchmark']));
    expect(Number(cmd.find((c) => c.startsWith('-fps='))!.slice(5))).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(carla.deploy)).toContain('"capabilities":["gpu"]');
  });

  it('starts: the image\'s command with the options compose passes serves /healthz (by the image\'s own health check) and rides on the simulator service', async () => {
    // The image's layout: what the runtime stage copies, from this work tree (node_modules linked).
    const image = mkdtempSync(join(tmpdir(), 'cycarla-image-'));
    for (const d of ['relay', 'sim', 'proto', 'dist']) cpSync(join(ROOT, d), join(image, d), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(image, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(image, 'node_modules'));
    mkdirSync(join(image, 'certs'));
    const s = compose().services;
    const world = await freePortTriple();
    const relayPort = String(await freePortTriple());
    // Only addresses differ from compose: services reach each other by name there, by loopback here.
    const swapPort = (args: string[]) => args.map((a) => (a === '2000' ? String(world) : a));
    const sim = run([...(s.sim!.entrypoint as string[]), ...swapPort(s.sim!.command as string[])], image, {});
    await waitOutput(sim.child, 'simulator listening', sim.out);
    const simHealth = (s.sim!.healthcheck as { test: string[] }).test.slice(1).map((a) => a.replace('2000', String(world)));
    expect(spawnSync(process.execPath, simHealth.slice(1), { cwd: image }).status).toBe(0);

    const env = { ...imageEnv(), ...(s['relay-sim']!.environment as Record<string, string>), CARLA_SIM_IP: '127.0.0.1', CARLA_SIM_PORT: String(world), PORT: relayPort };
    const relay = run(entrypoint(), image, env);
    await waitOutput(relay.child, '"relay listening"', relay.out);
    expect(relay.out()).not.toContain('embedded simulator starting');
    const health = one<Healthcheck>('HEALTHCHECK').getArguments().map((a) => a.getValue());
    const healthCmd = JSON.parse(health.slice(health.findIndex((a) => a.startsWith('CMD')) + 1).join(' ')) as string[];
    expect(spawnSync(process.execPath, healthCmd.slice(1), { cwd: image, env: { PORT: relayPort } }).status).toBe(0);

    const driver = await RelayTestClient.open(`ws://127.0.0.1:${relayPort}/carla?car=main&role=driver`);
    cleanups.push(() => driver.close());
    const t = setInterval(() => driver.control({ throttle: 0.5 }), 30);
    cleanups.push(() => clearInterval(t));
    await driver.ride(INI);
    expect(driver.frameCount).toBeGreaterThan(0);
    // The app is served from the image's dist/.
    expect(await (await fetch(`http://127.0.0.1:${relayPort}/`)).text()).toContain('<div id="app"');
    process.kill(relay.child.pid!, 'SIGTERM');
    expect(await waitExit(relay.child)).toBe(0);
    process.kill(sim.child.pid!, 'SIGTERM');
    await waitExit(sim.child);
  });
});

describe('a shop with many rigs', () => {
  const hasNginx = existsSync('/usr/sbin/nginx');

  it('routes by car through the documented nginx: the WebSocket by ?car=, pages and /api/cars by host name, over TLS', async () => {
    expect(hasNginx, 'nginx is needed: apt-get install -y nginx (.ci/run does)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'cycarla-shop-'));
    const mk = runNpm('cert', [join(dir, 'certs'), '--name', 'rig1.rigs.shop.lan', '--name', 'rig3.rigs.shop.lan']);
    expect(await mk.exited).toBe(0);
    const relays: RelayProcess[] = [];
    for (const file of ['deploy/relay-a.json', 'deploy/relay-b.json']) {
      const cfg = JSON.parse(read(file)) as { cars: Record<string, { host: string; port: number }>; allowedOrigins: string[] };
      const cars: Record<string, unknown> = {};
      for (const name of Object.keys(cfg.cars)) {
        const f = new FakeCarla({ sensorBytes: 2000 });
        await f.listen();
        cleanups.push(() => f.close().catch(() => {}));
        cars[name] = { ...cfg.cars[name], host: '127.0.0.1', port: f.port };
      }
      const r = await startRelay({ ...cfg, cars, host: '127.0.0.1', port: 0, log: {}, timeouts: FAST_TIMEOUTS, reconnect: FAST_RECONNECT });
      cleanups.push(() => r.proc.stop());
      relays.push(r);
    }
    const port = await freePortTriple();
    let conf = read('deploy/nginx.conf');
    const swap = (from: string, to: string) => { expect(conf, from).toContain(from); conf = conf.replaceAll(from, to); };
    swap('server 10.0.0.2:9000;', `server 127.0.0.1:${relays[0]!.port};`);
    swap('server 10.0.0.3:9000;', `server 127.0.0.1:${relays[1]!.port};`);
    swap('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`);
    swap('/etc/cycarla/certs', join(dir, 'certs'));
    swap('/run/nginx-cycarla.pid', join(dir, 'nginx.pid'));
    swap('/var/log/nginx', dir);
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const check = spawnSync('/usr/sbin/nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const nginx = run(['/usr/sbin/nginx', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], dir, {});
    cleanups.push(async () => { process.kill(nginx.child.pid!, 'SIGQUIT'); await waitExit(nginx.child); });
    const ca = readFileSync(join(dir, 'certs', 'cycarla-ca.crt'));
    const get = (path: string, host: string) => new Promise<string>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port, path, ca, servername: host, headers: { host } }, (res) => {
        let b = '';
        res.on('data', (d) => { b += d; });
        res.on('end', () => resolve(b));
      }).on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 300));
    const carsAt = async (host: string) => (JSON.parse(await get('/api/cars', host)) as { name: string }[]).map((c) => c.name);
    expect(await carsAt('rig1.rigs.shop.lan')).toEqual(['rig1', 'rig2']);
    expect(await carsAt('rig3.rigs.shop.lan')).toEqual(['rig3', 'rig4']);
    // A tablet on rig3's page asks for car rig3: relay B answers, with the Origin it allows.
    const driver = await RelayTestClient.open(`wss://127.0.0.1:${port}/carla?car=rig3&role=driver`,
      { host: 'rig1.rigs.shop.lan', origin: 'https://rig3.rigs.shop.lan' }, { ca, servername: 'rig1.rigs.shop.lan' });
    cleanups.push(() => driver.close());
    const hello = await driver.until(() => driver.events.find((e) => e.type === 'hello') as { car: string; cars: string[] } | undefined);
    expect(hello).toMatchObject({ car: 'rig3', cars: ['rig3', 'rig4'] });
    const t = setInterval(() => driver.control({ throttle: 0.5 }), 30);
    cleanups.push(() => clearInterval(t));
    await driver.ride(INI);
    expect(driver.frameCount).toBeGreaterThan(0);
    // The figures docs/operations.md puts on a dashboard exist under those names.
    const metrics = await new Promise<string>((resolve, reject) => {
      http.get(`http://127.0.0.1:${relays[1]!.port}/metrics`, (res) => { let b = ''; res.on('data', (d) => { b += d; }); res.on('end', () => resolve(b)); }).on('error', reject);
    });
    const documented = [...read('docs/operations.md').matchAll(/\b(cycarla_relay_[a-z_]+)/g)].map((m) => m[1]!.replace(/_bucket$/, ''));
    expect(documented.length).toBeGreaterThan(5);
    for (const name of new Set(documented)) expect(metrics, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
  });

  it('has a Caddyfile that Caddy validates, and a Prometheus scrape of /metrics at the relays nginx names', () => {
    const caddy = ['/usr/bin/caddy', '/usr/local/bin/caddy'].find((p) => existsSync(p));
    expect(caddy, 'caddy is needed: apt-get install -y caddy (.ci/run does)').toBeDefined();
    const home = mkdtempSync(join(tmpdir(), 'cycarla-caddy-'));
    const v = spawnSync(caddy!, ['validate', '--config', join(ROOT, 'deploy/Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8', env: { ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home } });
    expect(v.status, v.stderr).toBe(0);
    const adapted = JSON.parse(execFileSync(caddy!, ['adapt', '--config', join(ROOT, 'deploy/Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8', env: { ...process.env, HOME: home } })) as unknown;
    expect(JSON.stringify(adapted)).toContain('"car":["rig3","rig4"]');
    const prom = parse(read('deploy/prometheus.yml')) as { scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[] };
    const targets = prom.scrape_configs.flatMap((c) => { expect(c.metrics_path).toBe('/metrics'); return c.static_configs.flatMap((s) => s.targets); });
    for (const upstream of read('deploy/nginx.conf').matchAll(/server (\d+\.\d+\.\d+\.\d+:\d+);/g)) expect(targets).toContain(upstream[1]);
  });
});
