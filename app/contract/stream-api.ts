/**
 * What the page and the stream worker say to each other through comlink. Kept apart from
 * both, so that the page's code is checked against the DOM and the worker's against the
 * worker scope, and neither imports the other.
 */
import type { ControlState, LinkState } from '../../proto/relay-ws.ts';
import type { RideSettings } from '../ride/index.ts';
import type { GeoOrigin } from '../rides/geo.ts';
import type { RecordingState } from '../rides/recorder.ts';

import type { RelayLinkState } from './relay-link.ts';

export type { RelayLinkState };

export interface RideSnapshot {
  /** The car's link to the simulator, as the relay reports it. */
  link: LinkState;
  mapName: string;
  /** The start spot the episode began at (0-based) and how many the map has. */
  startIndex: number;
  startSpots: number;
  /** The rider's virtual speed and the simulated bike's, m/s. */
  speed: number;
  simSpeed: number;
  power: number;
  distance: number;
  elapsed: number;
  grade: number;
  fps: number;
  frames: number;
  /** Sensor messages skipped: unknown ids, malformed or oversized payloads. */
  skipped: number;
  /** Whole frames the relay skipped because this browser fell behind (its running total). */
  dropped: number;
  warning: string;
  /** The simulator's outage in a rider's words, with its countdown ('' when frames flow), and the technical reason. */
  outage: string;
  outageDetail: string;
  /** Episodes begun after the ride's first (a lost simulator episode replaced): the trail breaks at each. */
  episode: number;
  /** The world's pace in per cent of the wall's when the simulator is behind (slow motion), else 0. */
  worldPace: number;
  /** From the simulator stamping a frame (platform_timestamp) to its picture drawn, ms. */
  latencyP50: number;
  latencyP95: number;
  /** Mean time to decode and draw one main camera frame in the worker, ms. */
  drawMs: number;
  /** Mean time to decode one JPEG main camera frame, ms (0 for raw pictures). */
  decodeMs: number;
  /** What the link carried over the last second, Mbit/s. */
  mbps: number;
  /** How pictures come (the relay's answer to what the ride asked), and the JPEG quality now (0 for raw). */
  encoding: 'raw' | 'jpeg';
  jpegQuality: number;
  relay: RelayLinkState;
  /** Whose Controls the relay sends the simulator: this ride's ('live') or its safe ones (full brake). */
  control: ControlState;
  autoPaused: boolean;
  /** Metres climbed so far (sum of rises over the grade estimate's road). */
  climbed: number;
  /** Estimated from power without a cadence sensor, rpm. */
  cadence: number;
  x: number;
  y: number;
  z: number;
  /** Whether the ride's samples reach storage ('full': kept in memory until there is room). */
  recording: RecordingState;
  /** What is wrong with storage, in words; empty while all is well. */
  recordingProblem: string;
}

/** The ride record the worker writes to, and where a resumed one left off. */
export interface RecordOptions {
  rideId: string;
  origin: GeoOrigin;
  resume: { t: number; movingS: number; distance: number; climbed: number } | null;
}

export interface StartOptions {
  url: string;
  ride: RideSettings;
  startIndex: number;
  canvas: OffscreenCanvas;
  /** Present when the ride shows an inset (ride.inset is not 'none'). */
  inset?: OffscreenCanvas;
  /** Rider plus bike, kg. */
  massKg: number;
  autoPause: boolean;
  record: RecordOptions;
  /** JPEG quality when the relay sends JPEG: pinned, or "auto" (stepped with the link from START_QUALITY). */
  jpegQuality: number | 'auto';
}

export interface StreamApi {
  /** comlink carries a callback only as a top-level argument: hence two. */
  start(opts: StartOptions, onSnapshot: (s: RideSnapshot) => void): void;
  setPower(watts: number): void;
  /** Paused: the clock stops and the bike is held; the episode stays. */
  setPaused(paused: boolean): void;
  /** Manual steering in [-1, 1], or null to follow the lane. */
  setSteer(steer: number | null): void;
  /** Ends the ride: every sample written before it resolves. */
  stop(): Promise<void>;
}
