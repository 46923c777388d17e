/** `npm run bench`: every benchmark, figures and ratios against a baseline in one run. */
import { runAppBench } from './app-bench.ts';
import { runJpegBench } from './jpeg-bench.ts';
import { runRelayBench } from './relay-bench.ts';
import { runRidesBench } from './rides-bench.ts';
import { runSimBench } from './sim-bench.ts';
import { runWifiBench } from './wifi-bench.ts';

console.log('# cycarla benchmarks');
console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
const only = process.env.BENCH_ONLY;
if (!only || only === 'sim') await runSimBench();
if (!only || only === 'relay') await runRelayBench();
if (!only || only === 'app') await runAppBench();
if (!only || only === 'rides') await runRidesBench();
if (!only || only === 'jpeg') await runJpegBench();
if (!only || only === 'wifi') await runWifiBench();
