/**
 * What a CARLA client learns about the bike's contact with the world, through the real
 * protocol: the fractions of its footprint in the opposing lane and off the road, and the
 * collision impulse when it rides into something.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIKE } from '../../sim/index.ts';
import { CarlaTestClient, iniFor } from '../support/carla-client.ts';
import { startSim, type StartedSim } from '../support/sim-process.ts';

let sim: StartedSim;
let port: number;
beforeAll(async () => {
  sim = await startSim(['--seed', '1']);
  port = sim.port;
});
afterAll(async () => { await sim.stop(); });

/** Rides a fixed steer from a start spot in town; the largest figure each measurement reached, and the first impact. */
async function rideSteering(steer: number, frames: number) {
  const c = new CarlaTestClient(port);
  await c.episode(iniFor({ vehicles: 0, pedestrians: 0, sensors: [{ name: 'Cam', w: 32, h: 24 }] }), 1);
  const most = { otherlane: 0, offroad: 0, collisionOther: 0, collisionVehicles: 0, collisionPedestrians: 0 };
  let speedBefore = 0, firstImpact: { impulse: number; speed: number } | null = null;
  for (let k = 0; k < frames; k++) {
    const p = (await c.readFrame()).measurements.playerMeasurements;
    if (!firstImpact && p.collisionOther > 0) firstImpact = { impulse: p.collisionOther, speed: speedBefore };
    speedBefore = p.forwardSpeed;
    most.otherlane = Math.max(most.otherlane, p.intersectionOtherlane);
    most.offroad = Math.max(most.offroad, p.intersectionOffroad);
    most.collisionOther = Math.max(most.collisionOther, p.collisionOther);
    most.collisionVehicles = Math.max(most.collisionVehicles, p.collisionVehicles);
    most.collisionPedestrians = Math.max(most.collisionPedestrians, p.collisionPedestrians);
    c.sendControl({ throttle: 0.6, steer: k < 20 ? 0 : steer });
  }
  c.close();
  return { ...most, firstImpact };
}

it('reports the bike in its own lane as neither in the other lane nor off the road, and no collision', async () => {
  const m = await rideSteering(0, 120);
  expect(m).toEqual({ otherlane: 0, offroad: 0, collisionOther: 0, collisionVehicles: 0, collisionPedestrians: 0, firstImpact: null });
});

it('reports the opposing lane, then off the road, when the bike steers across the road', async () => {
  const m = await rideSteering(-0.25, 240);
  expect(m.otherlane).toBeGreaterThan(0);
  expect(m.offroad).toBeGreaterThan(0);
});

it('adds the impulse the bike loses (kg·m/s) to collision_other when it rides into something standing (a building, a tree, a pole)', async () => {
  const m = await rideSteering(0.25, 400);
  expect(m.offroad).toBeGreaterThan(0);
  expect(m.collisionOther).toBeGreaterThan(0);
  // The first impact stops the bike: its impulse is the bike's mass times the speed it had.
  expect(m.firstImpact!.speed).toBeGreaterThan(1);
  expect(m.firstImpact!.impulse).toBeCloseTo(BIKE.mass * m.firstImpact!.speed, 0);
  expect(m.collisionVehicles + m.collisionPedestrians).toBe(0);
});
