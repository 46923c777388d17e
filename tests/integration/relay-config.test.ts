/** Start-up validation as an operator meets it: a bad value exits with status 2 and names the key (the rules: tests/unit/relay-config.test.ts). */
import { describe, expect, it } from 'vitest';
import { runNpm } from '../support/processes.ts';

describe('relay start-up with a bad configuration', () => {
  it('exits with status 2, listing every problem with its key and range, and starts nothing', async () => {
    const p = runNpm('start', ['--port', '70000', '--sim-port', '99999']);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('cycarla relay: invalid configuration');
    expect(p.output()).toContain('port: must be an integer from 0 to 65535 (got 70000)');
    expect(p.output()).toContain('simPort: must be an integer from 1 to 65533 (got 99999)');
    expect(p.output()).not.toContain('simulator listening');
  });

  it('exits with status 2 on an unknown flag or a choice it does not offer', async () => {
    const p = runNpm('start', ['--log-level', 'chatty']);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain("argument 'chatty' is invalid");
  });
});
