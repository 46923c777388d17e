/**
 * The riding loop, once per CARLA frame: the rider's power through the road-load model gives
 * the virtual bike's speed; the grade comes from the simulated vehicle's height over the
 * distance it travelled; the speed controller turns the gap between the two speeds into
 * throttle or brake; steering is the rider's or the lane's. Pure: it knows no socket, no
 * canvas and no clock but the simulation's, so it is tested as it is and the recorder and
 * the device inputs plug into it.
 */
import { AutoPause } from './auto-pause.ts';
import { GradeEstimator } from './grade-estimator.ts';
import { DEFAULT_SETUP, VirtualBike } from './road-load.ts';
import { SpeedController } from './speed-controller.ts';

/** What the loop reads from one frame's Measurements (metres, m/s, simulation ms). */
export interface FrameSample {
  gameMs: number;
  x: number; y: number; z: number;
  /** The simulated vehicle's forward speed. */
  speed: number;
  /** The steer the server's autopilot would use to follow the lane. */
  autoSteer: number;
}

export interface Control { steer: number; throttle: number; brake: number }

/** The ride so far, as the HUD shows it. */
export interface RideFigures {
  /** The rider's virtual speed, m/s. */
  speed: number;
  /** Metres ridden by the virtual bike. */
  distance: number;
  /** Ride time, s: simulation time while not paused (manually or automatically). */
  elapsed: number;
  grade: number;
  autoPaused: boolean;
  /** Metres climbed: grade × distance ridden, over rising road only. */
  climbed: number;
  /** Estimated from power without a cadence sensor, rpm. */
  cadence: number;
}

export interface RidingOptions {
  /** Rider plus bike, kg. */
  massKg?: number;
  autoPause?: boolean;
}

/** The controller is given at least this step: a frame with no simulation time still steers. */
const MIN_CONTROL_STEP_S = 1 / 60;

export class RidingLoop {
  private readonly bike = new VirtualBike();
  private readonly grade = new GradeEstimator();
  private readonly controller = new SpeedController();
  private readonly autoPause = new AutoPause();
  private power = 0;
  private isPaused = false;
  private manualSteer: number | null = null;
  private lastGameMs = -1;
  private travelled = 0;
  private last: { x: number; y: number } | null = null;
  readonly figures: RideFigures = { speed: 0, distance: 0, elapsed: 0, grade: 0, autoPaused: false, climbed: 0, cadence: 0 };

  constructor(opts: RidingOptions = {}) {
    this.bike.setup = { ...DEFAULT_SETUP, massKg: opts.massKg ?? DEFAULT_SETUP.massKg };
    this.autoPause.enabled = opts.autoPause ?? false;
  }

  get riderPower(): number { return this.power; }
  /** Paused by the rider or by auto-pause: the clock stands still. */
  get paused(): boolean { return this.isPaused || this.figures.autoPaused; }

  /** A resumed ride carries on from its recorded figures (distance, ride time, climbing). */
  restore(from: Pick<RideFigures, 'distance' | 'elapsed' | 'climbed'>): void {
    this.bike.distance = from.distance;
    Object.assign(this.figures, { distance: from.distance, elapsed: from.elapsed, climbed: from.climbed });
  }

  setPower(watts: number): void { this.power = Math.max(0, watts); }

  /** Paused: the clock stops and the bike is held; the episode stays. */
  setPaused(paused: boolean): void {
    this.isPaused = paused;
    if (paused) this.bike.speed = 0;
  }

  /** Manual steering in [-1, 1], or null to follow the lane. */
  setSteer(steer: number | null): void { this.manualSteer = steer === null ? null : Math.max(-1, Math.min(1, steer)); }

  /**
   * A new episode puts the vehicle somewhere else: the road under it is measured afresh and
   * the simulation clock starts again (the ride's distance and time carry on, and the
   * controller keeps what it learned of the vehicle).
   */
  newEpisode(): void {
    this.grade.reset();
    this.controller.reset();
    this.last = null;
    this.lastGameMs = -1;
  }

  /** One frame of riding: physics on simulation time, then the one Control to send back. */
  step(m: FrameSample): Control {
    const dt = this.lastGameMs < 0 ? 0 : Math.max(0, (m.gameMs - this.lastGameMs) / 1000);
    this.lastGameMs = m.gameMs;
    if (this.last) this.travelled += Math.hypot(m.x - this.last.x, m.y - this.last.y);
    this.last = { x: m.x, y: m.y };
    const f = this.figures;
    const grade = this.grade.update(this.travelled, m.z);
    if (dt > 0 && !this.isPaused) {
      const before = this.bike.distance;
      this.bike.step(this.power, grade, dt);
      f.autoPaused = this.autoPause.update(this.power, this.bike.speed, dt);
      if (!f.autoPaused) f.elapsed += dt;
      if (grade > 0) f.climbed += grade * (this.bike.distance - before);
    }
    // No cadence sensor: an estimate a rider would recognise (about 85 rpm while pedalling).
    f.cadence = this.power > 0 && !this.isPaused ? Math.round(Math.min(100, 70 + this.power / 20)) : 0;
    f.speed = this.bike.speed;
    f.distance = this.bike.distance;
    f.grade = grade;
    const pedals = this.controller.update(this.isPaused ? 0 : this.bike.speed, m.speed, grade, Math.max(dt, MIN_CONTROL_STEP_S));
    return { steer: this.manualSteer ?? m.autoSteer, throttle: pedals.throttle, brake: pedals.brake };
  }
}
