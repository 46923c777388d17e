/**
 * Which dialect of the CARLA server protocol a server speaks, and the units it uses on the
 * wire. 0.8 servers send metres and m/s; 0.7 servers send Unreal's centimetres and km/h
 * (spec carla-0.8-protocol.md, the 0.7 notes). Written once: the simulator converts to the
 * wire with these factors and the app converts back with them.
 */
export const CARLA_PROTOCOLS = ['0.8', '0.7'] as const;
export type CarlaProtocol = (typeof CARLA_PROTOCOLS)[number];

export interface WireUnits {
  /** Wire length units per metre. */
  perMetre: number;
  /** Wire speed units per m/s. */
  perMps: number;
}

export const WIRE_UNITS: Readonly<Record<CarlaProtocol, WireUnits>> = {
  '0.8': { perMetre: 1, perMps: 1 },
  '0.7': { perMetre: 100, perMps: 3.6 },
};
