/**
 * Ride time is wall time, through the real relay and our simulator: the relay releases frames at
 * the pace of the server's own clock (game_timestamp), whatever step the server takes, and the
 * simulator — like CARLA without -benchmark — steps by the wall time a frame took when it cannot
 * keep its pace, so the world never runs in slow motion.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { iniFor } from '../support/carla-client.ts';
import { RelayTestClient } from '../support/relay-client.ts';
import { FAST_RECONNECT, startRelay } from '../support/relay-process.ts';
import { startSim } from '../support/sim-process.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** Simulated seconds per wall second over `seconds` of riding on the simulator started with `simArgs`. */
async function clockRatio(simArgs: string[], camera: { w: number; h: number }, seconds = 5): Promise<{ ratio: number; fps: number }> {
  const sim = await startSim(simArgs, { fixedStep: false });
  cleanups.push(() => sim.stop());
  const relay = await startRelay({ cars: { main: { host: '127.0.0.1', port: sim.port } }, reconnect: FAST_RECONNECT });
  cleanups.push(() => relay.proc.stop());
  const driver = await RelayTestClient.open(relay.url('car=main&role=driver'));
  cleanups.push(() => driver.close());
  driver.keepFrames = false;
  const t = setInterval(() => driver.control({ throttle: 0.6 }), 20);
  cleanups.push(() => clearInterval(t));
  await driver.ride(iniFor({ sync: true, sensors: [{ name: 'Cam', ...camera }] }));
  await driver.framesAtLeast(driver.frameCount + 10, 20_000);
  const g0 = driver.latest!.measurements.gameTimestamp, w0 = performance.now(), f0 = driver.frameCount;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const g1 = driver.latest!.measurements.gameTimestamp, w1 = performance.now();
  return { ratio: (g1 - g0) / (w1 - w0), fps: (driver.frameCount - f0) / ((w1 - w0) / 1000) };
}

describe('ride time is wall time', () => {
  it.each([
    ['a 10 fps server (a 100 ms step)', ['--fps', '10']],
    ['a 60 fps server (16.7 ms)', ['--fps', '60']],
    ['a fixed 100 ms step (CARLA -benchmark -fps=10)', ['--fps', '10', '--benchmark']],
  ])('on %s: within 2 %', async (_name, args) => {
    const { ratio } = await clockRatio(args, { w: 160, h: 120 });
    expect(Math.abs(ratio - 1)).toBeLessThan(0.02);
  }, 60_000);

  it('on a simulator that cannot keep its pace (800×600 at 60 fps): fewer frames, but the world keeps the wall\'s pace', async () => {
    const { ratio, fps } = await clockRatio(['--fps', '60'], { w: 800, h: 600 });
    expect(fps).toBeLessThan(55);
    // Never faster than the wall; on a machine so loaded that a frame takes over half a second
    // (the longest step) a little time is lost, never the half or more a fixed step would lose.
    expect(ratio, `simulated/wall ${ratio.toFixed(3)} at ${fps.toFixed(1)} fps`).toBeLessThan(1.02);
    expect(ratio, `simulated/wall ${ratio.toFixed(3)} at ${fps.toFixed(1)} fps`).toBeGreaterThan(0.95);
  }, 60_000);
});
