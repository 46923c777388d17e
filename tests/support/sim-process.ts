/** A `npm run sim` process for a test, on a world port the system chooses. */
import { runNpm, type RunningProcess } from './processes.ts';

export interface StartedSim extends RunningProcess {
  /** The world port W it listens on (stream W+1, control W+2). */
  port: number;
}

export async function startSim(args: string[] = []): Promise<StartedSim> {
  const sim = runNpm('sim', ['--port', '0', ...args]);
  const listening = await sim.waitForLog('simulator listening');
  return { ...sim, port: listening.worldPort as number };
}
