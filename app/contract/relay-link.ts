/** The stream worker's own link to the relay, as the page shows it (the relay's link to CARLA is proto's LinkState). */
export type RelayLinkState = 'connecting' | 'connected' | 'reconnecting' | 'lost';
