/** `npm start` as a rider runs it (relay + embedded simulator) on loopback, for browser tests and benches. */
import type { Browser } from 'playwright-core';
import { writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ARTIFACTS } from './images.ts';
import { launchChromium } from './browser.ts';
import { freePortTriple } from './ports.ts';
import { runNpm, type RunningProcess } from './processes.ts';

export interface Stack { proc: RunningProcess; home: string }

export async function startStack(): Promise<Stack> {
  // The embedded simulator keeps one world port across restarts: the one probed port here.
  // --no-tls: a developer's certs/ (from `npm run cert`) must not change what the tests meet.
  const proc = runNpm('start', ['--port', '0', '--sim-port', String(await freePortTriple()), '--host', '127.0.0.1', '--no-tls']);
  const home = `http://127.0.0.1:${(await proc.waitForLog('relay listening')).port as number}/`;
  await proc.waitForLog('simulator listening');
  return { proc, home };
}

/** For a browser test file: the stack and Chromium started before its tests and stopped after them. */
export function stackAndBrowser(): { readonly stack: RunningProcess; readonly home: string; readonly browser: Browser } {
  const ctx = {} as { stack: RunningProcess; home: string; browser: Browser };
  const file = basename(expect.getState().testPath ?? 'stack', '.test.ts');
  beforeAll(async () => {
    const s = await startStack();
    ctx.stack = s.proc;
    ctx.home = s.home;
    ctx.browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await ctx.browser?.close();
    await ctx.stack?.stop();
    // The stack's log, for reading after a failure (CI keeps nothing else of it).
    if (ctx.stack) writeFileSync(join(ARTIFACTS, `stack-${file}.log`), ctx.stack.output());
  });
  return ctx;
}
