/** The CARLA-compatible simulator: one door for the CLI, the relay and the tests. */
import type { Logger } from 'pino';
import type { SimOptions } from './server/options.ts';
import { SimServer } from './server/server.ts';

export { SimServer } from './server/server.ts';
export { LOG_LEVELS, SIM_DEFAULTS, RANGES, type SimOptions } from './server/options.ts';
export { applyCarlaIni, defaultCarlaSettings, type CarlaSettings } from './server/carla-settings.ts';

export async function startSimulator(options: SimOptions, logger: Logger): Promise<SimServer> {
  const t0 = performance.now();
  const server = new SimServer({ ...options, logger });
  await server.listen();
  const w = server.worldModel;
  logger.info({
    host: options.host, worldPort: server.worldPort, streamPort: server.worldPort + 1, controlPort: server.worldPort + 2,
    protocol: options.protocol, fps: options.fps, timeoutMs: options.timeoutMs, seed: options.seed,
    courseMetres: Math.round(w.course.length), startSpots: w.startSpots.length,
    readyMs: Math.round(performance.now() - t0),
  }, 'simulator listening');
  return server;
}
export { BIKE, BIKE_BODY, nextSpeed, stepVehicle, type VehicleState } from './dynamics/vehicle.ts';
