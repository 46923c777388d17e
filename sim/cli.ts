#!/usr/bin/env node
/**
 * `npm run sim -- [options]`: runs the CARLA-compatible simulator. commander parses the
 * flags and writes --help; each value is checked here and a bad one exits with status 2
 * and a message that names the flag and what it accepts.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { CARLA_PROTOCOLS } from '../proto/index.ts';
import { OptionError, RANGES, SIM_DEFAULTS, integerIn, LOG_LEVELS, type SimOptions } from './server/options.ts';
import { startSimulator } from './index.ts';

const int = (flag: string, [min, max]: readonly [number, number]) => (raw: string) => {
  try {
    return integerIn(flag, raw, min, max);
  } catch (err) {
    throw new InvalidArgumentError((err as OptionError).message.replace(`${flag}: `, ''));
  }
};

const program = new Command()
  .name('cycarla-sim')
  .description('A CARLA 0.8.4-compatible simulator: world port W, stream W+1, control W+2.')
  .addOption(new Option('--port <n>', 'world port W (the stream and control ports are W+1 and W+2)').default(SIM_DEFAULTS.port).argParser(int('--port', RANGES.port)))
  .addOption(new Option('--host <address>', 'address to listen on').default(SIM_DEFAULTS.host))
  .addOption(new Option('--fps <n>', 'simulation steps per second (also the async-mode tick rate)').default(SIM_DEFAULTS.fps).argParser(int('--fps', RANGES.fps)))
  .option('--benchmark', 'fixed time step, as CARLA\'s -benchmark: every step is 1/fps of simulated time even when it takes longer to compute')
  .addOption(new Option('--timeout-ms <ms>', "ServerTimeOut: how long any wait of the protocol may last").default(SIM_DEFAULTS.timeoutMs).argParser(int('--timeout-ms', RANGES.timeoutMs)))
  .addOption(new Option('--protocol <version>', '0.8 = CARLA 0.8.4 per-sensor messages; 0.7 = bulk images, 0.7 INI and Unreal units').choices(CARLA_PROTOCOLS).default(SIM_DEFAULTS.protocol))
  .addOption(new Option('--seed <n>', 'world, traffic and frames are a function of this').default(SIM_DEFAULTS.seed).argParser(int('--seed', RANGES.seed)))
  .addOption(new Option('--log-level <level>', 'log verbosity (JSON lines on stdout)').choices(LOG_LEVELS).default(SIM_DEFAULTS.logLevel))
  .showHelpAfterError(false)
  .configureOutput({ outputError: (str, write) => write(str) })
  .exitOverride((err) => {
    // commander exits 1 on bad input; we keep 0 for --help and use 2 for usage errors.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

program.parse();
const o = program.opts();
const options: SimOptions = {
  host: o.host, port: o.port, fps: o.fps, fixedStep: !!o.benchmark, timeoutMs: o.timeoutMs,
  protocol: o.protocol, seed: o.seed, logLevel: o.logLevel,
};

const logger = pino({ level: options.logLevel, base: { service: 'sim' } });
// Signals are handled from the first moment: a SIGTERM that comes as soon as "simulator
// listening" is logged must still stop it cleanly.
let sim: Awaited<ReturnType<typeof startSimulator>> | null = null;
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'simulator stopping');
  await sim?.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
try {
  sim = await startSimulator(options, logger);
  if (stopping) await sim.close();
} catch (err) {
  logger.fatal({ err: (err as Error).message }, 'simulator failed to start');
  process.exit(1);
}
