import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first JSON log line whose msg matches. */
  waitForLog: (msg: string, timeoutMs?: number) => Promise<Record<string, unknown>>;
  /** How many JSON log lines so far have this msg. */
  logCount: (msg: string) => number;
  /** Exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string>;
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
}

/** Runs an npm script as its own process group so that stop() ends npm and its children. */
export function runNpm(script: string, args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => { out += d.toString(); for (const l of listeners) l(); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const logLines = () => out.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try { return [JSON.parse(line) as Record<string, unknown>]; } catch { return []; /* partial line */ }
  });
  const logCount = (msg: string) => logLines().filter((j) => j.msg === msg).length;
  const waitForLog = (msg: string, timeoutMs = 60_000) => new Promise<Record<string, unknown>>((resolve, reject) => {
    const check = () => {
      const j = logLines().find((l) => l.msg === msg);
      if (j) { cleanup(); resolve(j); }
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`no "${msg}" log within ${timeoutMs} ms; output:\n${out}`)); }, timeoutMs);
    const onExit = () => { cleanup(); reject(new Error(`process exited before "${msg}"; output:\n${out}`)); };
    const cleanup = () => { clearTimeout(timer); listeners.delete(check); child.off('exit', onExit); };
    listeners.add(check);
    child.once('exit', onExit);
    check();
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
    }
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return { child, output: () => out, waitForLog, logCount, exited, stop };
}

/**
 * The pid behind an npm script (npm → sh → node): the deepest descendant of `rootPid` whose
 * command line names `script`, for reading its own CPU time and memory from /proc.
 */
export function scriptPid(rootPid: number, script: string): number {
  const children = (pid: number): number[] => {
    try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { return []; }
  };
  const queue = [rootPid];
  let found = rootPid;
  while (queue.length) {
    const p = queue.shift()!;
    try { if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(script)) found = p; } catch { /* gone */ }
    queue.push(...children(p));
  }
  return found;
}
