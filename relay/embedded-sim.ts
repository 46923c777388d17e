/**
 * The embedded simulator: when no CARLA server is configured, the relay runs `sim/` as a
 * child process on loopback (a separate process, so its rendering never delays the relay's
 * event loop) and restarts it with back-off if it dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface EmbeddedSim { stop(): Promise<void> }

export function startEmbeddedSim(port: number, logLevel: string, logger: Logger): EmbeddedSim {
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | null = null;

  const launch = () => {
    const args = ['--import', 'tsx', 'sim/cli.ts', '--port', String(port), '--host', '127.0.0.1', '--log-level', logLevel];
    const c = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    // The simulator logs JSON lines of its own ("service":"sim"): pass them through.
    c.stdout!.on('data', (d: Buffer) => {
      process.stdout.write(d);
      if (d.includes('"simulator listening"')) restarts = 0;
    });
    c.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    c.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      const delay = Math.min(30_000, 1000 * 2 ** restarts++);
      logger.error({ code, signal, restartInMs: delay }, 'embedded simulator exited; restarting');
      restartTimer = setTimeout(launch, delay);
    });
    logger.info({ worldPort: port, pid: c.pid }, 'embedded simulator starting');
  };
  launch();

  return {
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const c = child;
      if (!c) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const kill = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
    },
  };
}
