/** `npm run bench`: every benchmark, figures and ratios against a baseline in one run. */
import { runSimBench } from './sim-bench.ts';

console.log('# cycarla benchmarks');
console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
await runSimBench();
