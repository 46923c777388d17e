/** What a ride records once a second, and the ride it belongs to. Plain data: stored in IndexedDB as it is. */
export interface RideSample {
  /** Wall clock, ms since the epoch (UTC). */
  t: number;
  /** Simulation time of the episode, ms. */
  simMs: number;
  /** Position in the simulator's world, metres. */
  x: number; y: number; z: number;
  lat: number; lon: number;
  /** Elevation, metres (the world's height offset so that it is never negative). */
  ele: number;
  /** The rider's speed, m/s. */
  speed: number;
  power: number;
  /** rpm / bpm, or null without a source. */
  cadence: number | null;
  hr: number | null;
  grade: number;
  /** Metres ridden since the ride began. */
  distance: number;
  /** Paused by the rider or by auto-pause: the clock stands still. */
  paused: boolean;
}
