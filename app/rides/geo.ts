/**
 * Where a ride is on the globe. CARLA carries no coordinates: positions in metres are turned
 * into degrees from an origin (spec gpx-strava.md §1): lat = lat0 + northing/R·180/π,
 * lon = lon0 + easting/(R·cos lat0)·180/π, R = 6378137 m; CARLA's y axis points south.
 * The default origin is at sea near the equator, so that a virtual ride never lands on real
 * roads and the conversion barely distorts.
 */
export interface GeoOrigin { lat: number; lon: number }

/** Mid-Atlantic, 0.5° north of the equator: no road, no segment, no distortion to speak of. */
export const DEFAULT_ORIGIN: GeoOrigin = { lat: 0.5, lon: -24.5 };
export const EARTH_RADIUS_M = 6378137;
/** Added to the simulator's height so that elevation is never negative (clamped at 0 beyond). */
export const ELEVATION_BASE_M = 100;

const DEG = 180 / Math.PI;

export function toLatLon(x: number, y: number, origin: GeoOrigin = DEFAULT_ORIGIN): { lat: number; lon: number } {
  const northing = -y, easting = x;
  return {
    lat: origin.lat + (northing / EARTH_RADIUS_M) * DEG,
    lon: origin.lon + (easting / (EARTH_RADIUS_M * Math.cos(origin.lat / DEG))) * DEG,
  };
}

export function elevationOf(z: number): number {
  return Math.max(0, z + ELEVATION_BASE_M);
}
