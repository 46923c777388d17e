/** A `npm run sim` process for a test, on ports of its own. */
import { freePortTriple } from './ports.ts';
import { runNpm, type RunningProcess } from './processes.ts';

export interface StartedSim extends RunningProcess {
  /** The world port W it listens on (stream W+1, control W+2). */
  port: number;
}

export async function startSim(args: string[] = []): Promise<StartedSim> {
  const port = await freePortTriple();
  const sim = runNpm('sim', ['--port', String(port), ...args]);
  await sim.waitForLog('simulator listening');
  return { ...sim, port };
}
