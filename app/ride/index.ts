/** Riding: the rider's virtual bike from power, the grade under it, the controller that makes the simulated bike follow, auto-pause, and the INI a ride asks for. */
export { DEFAULT_SETUP, VirtualBike, steadySpeed, type RiderSetup } from './road-load.ts';
export { GradeEstimator } from './grade-estimator.ts';
export { DEFAULT_GAINS, SpeedController, type ControllerGains, type Pedals } from './speed-controller.ts';
export { RidingLoop, type Control, type FrameSample, type RideFigures, type RidingOptions } from './riding-loop.ts';
export { AUTO_PAUSE, AutoPause } from './auto-pause.ts';
export {
  INSET_CAMERA, INSET_SIZE, QUALITY_WIDTH, RIDE_CAMERA, cameraSizeFor, rideCameras, rideIni,
  type InsetView, type Quality, type RideSettings,
} from './ride-ini.ts';
export { AUTO_WIDTHS, LINK_RULES, RAW_MAX_WIDTH, nextAutoWidth, type AutoWidth, type LinkReport } from './link-quality.ts';
export { Track } from './track.ts';
export { restartSpot, type Point } from './restart-spot.ts';
