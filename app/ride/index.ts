/** Riding: the rider's virtual bike from power, the grade under it, and the controller that makes the simulated bike follow. */
export { DEFAULT_SETUP, VirtualBike, resistance, steadySpeed, type RiderSetup } from './road-load.ts';
export { GradeEstimator } from './grade-estimator.ts';
export { SIM_BICYCLE, SpeedController, type Pedals, type VehicleModel } from './speed-controller.ts';
