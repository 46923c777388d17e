/**
 * The riding loop as a specification: frames of Measurements in, one Control per frame out,
 * the ride's figures on simulation time. The simulated vehicle here is our simulator's bicycle
 * (tests/support/plants.ts), driven only by the loop's Controls.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETUP, RidingLoop, steadySpeed, type Control, type FrameSample } from '../../app/ride/index.ts';
import { simBicycle } from '../support/plants.ts';

const FRAME_MS = 1000 / 30;

/** Rides `seconds` on a straight road of the given grade, x forward, z rising with it. */
function ride(loop: RidingLoop, seconds: number, grade = 0, start = { t: 0, x: 0, speed: 0 }) {
  const bike = simBicycle(start.speed);
  let t = start.t, x = start.x;
  const controls: Control[] = [];
  for (let k = 0; k < seconds * 30; k++) {
    const frame: FrameSample = { gameMs: t, x, y: 0, z: x * grade, speed: bike.speed, autoSteer: 0.01 };
    const c = loop.step(frame);
    controls.push(c);
    bike.step(c, grade, FRAME_MS / 1000);
    x += (bike.speed * FRAME_MS) / 1000;
    t += FRAME_MS;
  }
  return { controls, bike, end: { t, x, speed: bike.speed } };
}

describe('the riding loop', () => {
  it('rides 200 W on the flat at the road-load model\'s 9.42 m/s, and the simulated bike follows within 0.5 m/s', () => {
    const loop = new RidingLoop();
    loop.setPower(200);
    const { bike } = ride(loop, 90);
    expect(loop.figures.speed).toBeCloseTo(9.422, 1);
    expect(Math.abs(bike.speed - loop.figures.speed)).toBeLessThan(0.5);
  });

  it('answers every frame with exactly one Control, throttle and brake in [0, 1] and never both', () => {
    const loop = new RidingLoop();
    loop.setPower(300);
    const { controls } = ride(loop, 20);
    expect(controls).toHaveLength(600);
    for (const c of controls) {
      expect(c.throttle).toBeGreaterThanOrEqual(0);
      expect(c.throttle).toBeLessThanOrEqual(1);
      expect(c.brake).toBeGreaterThanOrEqual(0);
      expect(c.brake).toBeLessThanOrEqual(1);
      expect(c.throttle * c.brake).toBe(0);
    }
  });

  it('counts ride time and distance on simulation time: 60 s of frames is 60 s of ride', () => {
    const loop = new RidingLoop();
    loop.setPower(150);
    ride(loop, 60);
    // The first frame only sets the clock: 1799 steps of 1/30 s.
    expect(loop.figures.elapsed).toBeCloseTo(1799 / 30, 6);
    expect(loop.figures.distance).toBeGreaterThan(300);
  });

  it('uses the grade under the simulated bike: a +6 % road slows 250 W to the model\'s climbing speed and counts the metres climbed', () => {
    const loop = new RidingLoop();
    loop.setPower(250);
    ride(loop, 120, 0.06);
    expect(loop.figures.grade).toBeCloseTo(0.06, 3);
    expect(loop.figures.speed).toBeCloseTo(steadySpeed(DEFAULT_SETUP, 250, 0.06), 1);
    // Climbed = grade × distance ridden (the first few metres measure the grade).
    expect(loop.figures.climbed).toBeGreaterThan(0.06 * loop.figures.distance * 0.95);
    expect(loop.figures.climbed).toBeLessThanOrEqual(0.06 * loop.figures.distance * 1.0001);
  });

  it('holds the bike and stops the clock while paused; full brake goes to the simulator', () => {
    const loop = new RidingLoop();
    loop.setPower(200);
    const first = ride(loop, 20);
    const before = { ...loop.figures };
    loop.setPaused(true);
    const paused = ride(loop, 5, 0, first.end);
    expect(loop.figures.elapsed).toBe(before.elapsed);
    expect(loop.figures.distance).toBe(before.distance);
    expect(loop.figures.speed).toBe(0);
    expect(loop.figures.cadence).toBe(0);
    expect(paused.bike.speed).toBe(0);
    expect(paused.controls.at(-1)).toMatchObject({ throttle: 0, brake: 1 });
  });

  it('auto-pauses after 2 s stopped without power, when the rider asked for it, and not otherwise', () => {
    for (const autoPause of [true, false]) {
      const loop = new RidingLoop({ autoPause });
      ride(loop, 5);
      expect(loop.figures.autoPaused).toBe(autoPause);
      expect(loop.figures.elapsed).toBeCloseTo(autoPause ? 2 : 149 / 30, 1);
    }
  });

  it('a heavier rider goes slower up a climb at the same power', () => {
    const light = new RidingLoop({ massKg: 70 }), heavy = new RidingLoop({ massKg: 110 });
    light.setPower(250); heavy.setPower(250);
    ride(light, 60, 0.08); ride(heavy, 60, 0.08);
    expect(heavy.figures.speed).toBeLessThan(light.figures.speed * 0.8);
  });

  it('steers as the rider asks (clamped to ±1), and follows the lane again on null', () => {
    const loop = new RidingLoop();
    const frame = (t: number): FrameSample => ({ gameMs: t, x: 0, y: 0, z: 0, speed: 0, autoSteer: -0.2 });
    expect(loop.step(frame(0)).steer).toBe(-0.2);
    loop.setSteer(3);
    expect(loop.step(frame(33)).steer).toBe(1);
    loop.setSteer(null);
    expect(loop.step(frame(66)).steer).toBe(-0.2);
  });

  it('carries distance and time over a new episode, whose clock and road start again', () => {
    const loop = new RidingLoop();
    loop.setPower(200);
    ride(loop, 30);
    const before = { ...loop.figures };
    loop.newEpisode();
    // The new episode's clock starts at 0 and its bike somewhere else: no jump in time or distance.
    const frame: FrameSample = { gameMs: 0, x: 5000, y: 5000, z: 40, speed: 0, autoSteer: 0 };
    loop.step(frame);
    expect(loop.figures.elapsed).toBe(before.elapsed);
    expect(loop.figures.distance).toBe(before.distance);
    expect(loop.figures.grade).toBe(0);
  });
});
