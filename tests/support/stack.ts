/** `npm start` as a rider runs it (relay + embedded simulator) on loopback, for browser tests and benches. */
import { freePortTriple } from './ports.ts';
import { runNpm, type RunningProcess } from './processes.ts';

export interface Stack { proc: RunningProcess; home: string }

export async function startStack(): Promise<Stack> {
  // The embedded simulator keeps one world port across restarts: the one probed port here.
  const proc = runNpm('start', ['--port', '0', '--sim-port', String(await freePortTriple()), '--host', '127.0.0.1']);
  const home = `http://127.0.0.1:${(await proc.waitForLog('relay listening')).port as number}/`;
  await proc.waitForLog('simulator listening');
  return { proc, home };
}
