/** The simulator's options: defaults, ranges, and the one validator the CLI and tests share. */
import type { CarlaProtocol } from '../../proto/index.ts';

export interface SimOptions {
  host: string;
  /** World port W; the agent ports are W+1 and W+2. */
  port: number;
  fps: number;
  /**
   * CARLA's -benchmark: every step is exactly 1/fps of simulated time, however long it takes to
   * compute. Off (the default, as a CARLA server without -benchmark): a step is 1/fps while the
   * simulator keeps its pace, and the wall time a step took when it cannot (at most 0.1 s), so
   * the world never runs in slow motion.
   */
  fixedStep: boolean;
  timeoutMs: number;
  protocol: CarlaProtocol;
  seed: number;
  logLevel: (typeof LOG_LEVELS)[number];
}

export const SIM_DEFAULTS: SimOptions = {
  host: '127.0.0.1',
  port: 2000,
  fps: 30,
  fixedStep: false,
  timeoutMs: 10_000,
  protocol: '0.8',
  seed: 1,
  logLevel: 'info',
};

/** pino's levels; the relay takes the same ones, and passes its own to the embedded simulator. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class OptionError extends Error {
  constructor(readonly option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'OptionError';
  }
}

/** An integer in [min, max], or an OptionError naming the option and the range. */
export function integerIn(option: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    throw new OptionError(option, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return v;
}

export const RANGES = {
  // The agent ports W+1 and W+2 must exist too. 0: a free world port the system chooses
  // (tests; the agent ports follow it, as on a real server).
  port: [0, 65533],
  fps: [1, 240],
  timeoutMs: [50, 600_000],
  seed: [0, 4294967295],
} as const;
