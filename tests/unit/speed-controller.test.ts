/**
 * The speed controller drives vehicles it knows nothing about: our simulator's bicycle and a
 * heavy, laggy car. On each it must converge within a bound, not overshoot beyond it, and
 * not oscillate once settled — on the flat, on a climb, on a descent, through changes of grade
 * and of target.
 */
import { describe, expect, it } from 'vitest';
import { SpeedController } from '../../app/ride/index.ts';
import { heavyLaggyCar, simBicycle, type Plant } from '../support/plants.ts';

const DT = 1 / 30;

interface Sample { t: number; v: number; target: number; throttle: number; brake: number }

function ride(plant: Plant, target: (t: number) => number, grade: (t: number) => number, seconds: number, controller = new SpeedController()): Sample[] {
  const trace: Sample[] = [];
  for (let k = 0; k * DT < seconds; k++) {
    const t = k * DT;
    const out = controller.update(target(t), plant.speed, grade(t), DT);
    plant.step(out, grade(t), DT);
    trace.push({ t, v: plant.speed, target: target(t), ...out });
  }
  return trace;
}

const between = (tr: Sample[], from: number, to = Infinity) => tr.filter((p) => p.t >= from && p.t < to);
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

for (const [make, settle] of [[simBicycle, 6], [heavyLaggyCar, 12]] as const) {
  describe(`driving the ${make().name}`, () => {
    it(`holds a steady speed on the flat within ±0.5 m/s after ${settle} s, with no overshoot beyond that`, () => {
      const tr = ride(make(), () => 9.4, () => 0, 40);
      for (const p of between(tr, settle)) expect(Math.abs(p.v - 9.4)).toBeLessThan(0.5);
      expect(Math.max(...tr.map((p) => p.v))).toBeLessThan(9.4 + 0.5);
    });

    it('does not oscillate once settled: the speed stays within 0.1 m/s of the target', () => {
      const tr = ride(make(), () => 8, () => 0.03, 60);
      const late = between(tr, 30).map((p) => p.v);
      expect(spread(late)).toBeLessThan(0.1);
      expect(Math.abs(late.at(-1)! - 8)).toBeLessThan(0.1);
    });

    it('brakes and holds the rider\'s speed on a descent steeper than the bike would roll', () => {
      const tr = ride(make(6), () => 6, () => -0.08, 40);
      for (const p of between(tr, settle)) expect(Math.abs(p.v - 6)).toBeLessThan(0.5);
      expect(between(tr, settle).every((p) => p.brake > 0 && p.throttle === 0)).toBe(true);
    });

    it('holds a slow climb at +10 %', () => {
      const tr = ride(make(), () => 3, () => 0.1, 40);
      for (const p of between(tr, settle)) expect(Math.abs(p.v - 3)).toBeLessThan(0.5);
    });

    it('meets a change of grade with what it learned: within 0.6 m/s through flat → +6 % → flat', () => {
      const grade = (t: number) => (t >= 40 && t < 70 ? 0.06 : 0);
      // The target is what a rider at 250 W would do: slower on the climb.
      const target = (t: number) => (t >= 40 && t < 70 ? 5 : 9);
      const tr = ride(make(), target, grade, 100);
      for (const [from, to, want] of [[25, 40, 9], [40 + settle, 70, 5], [70 + settle, 100, 9]] as const) {
        for (const p of between(tr, from, to)) expect(Math.abs(p.v - want)).toBeLessThan(0.6);
      }
    });

    it('follows the rider from a sprint down to a stop', () => {
      const tr = ride(make(), (t) => (t < 30 ? 12 : 0), () => 0, 45);
      expect(Math.abs(between(tr, 29.9, 30)[0]!.v - 12)).toBeLessThan(0.5);
      expect(tr.at(-1)!.v).toBe(0);
    });
  });
}

describe('learning the vehicle', () => {
  it('learns a heavier feed-forward for the car than for the bicycle (the model adapts, it is not a copy of either)', () => {
    const bike = new SpeedController(), car = new SpeedController();
    ride(simBicycle(), () => 8, () => 0, 60, bike);
    ride(heavyLaggyCar(), () => 8, () => 0, 60, car);
    const ff = (c: SpeedController) => c.model[0] + c.model[2] * 0.64;
    expect(ff(car)).toBeGreaterThan(ff(bike) * 1.5);
  });

  it('learns a model that holds the vehicle by itself: its feed-forward alone keeps the car near the target', () => {
    const learned = new SpeedController();
    ride(heavyLaggyCar(), () => 8, () => 0.03, 60, learned);
    learned.reset(); // a new episode forgets the integral, not the model
    const openLoop = (c: SpeedController) => {
      const car = heavyLaggyCar(8);
      for (let k = 0; k < 30 / DT; k++) car.step(c.feedForward(8, 0.03), 0.03, DT);
      return car.speed;
    };
    expect(Math.abs(openLoop(learned) - 8)).toBeLessThan(1);
    // The prior it started from could not: the learning is what holds the car.
    expect(Math.abs(openLoop(new SpeedController()) - 8)).toBeGreaterThan(2);
  });
});
