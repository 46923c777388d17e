/** A `npm run sim` process for a test, on a port triple of its own (see ports.ts for why not port 0). */
import { freePortTriple } from './ports.ts';
import { runNpm, type RunningProcess } from './processes.ts';

export interface StartedSim extends RunningProcess {
  /** The world port W it listens on (stream W+1, control W+2). */
  port: number;
}

/**
 * `fixedStep` (default): `--benchmark`, so that a frame's content is a function of its number
 * however busy the machine is; off, the simulator steps as it does under `npm start`.
 */
export async function startSim(args: string[] = [], { fixedStep = true } = {}): Promise<StartedSim> {
  const sim = runNpm('sim', ['--port', String(await freePortTriple()), ...(fixedStep ? ['--benchmark'] : []), ...args]);
  const listening = await sim.waitForLog('simulator listening');
  return { ...sim, port: listening.worldPort as number };
}
