/** Prometheus metrics (prom-client), served as text at /metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LINK_STATES, type LinkState } from '../proto/index.ts';

export class RelayMetrics {
  readonly registry = new Registry();
  readonly sessions = new Gauge({ name: 'cycarla_relay_sessions', help: 'WebSocket sessions by car and role', labelNames: ['car', 'role'], registers: [this.registry] });
  readonly framesIn = new Counter({ name: 'cycarla_relay_frames_in_total', help: 'Frames received from CARLA', labelNames: ['car'], registers: [this.registry] });
  readonly framesOut = new Counter({ name: 'cycarla_relay_frames_out_total', help: 'Frames sent to browsers', labelNames: ['car', 'role'], registers: [this.registry] });
  readonly framesDropped = new Counter({ name: 'cycarla_relay_frames_dropped_total', help: 'Whole frames skipped for slow browsers', labelNames: ['car', 'role'], registers: [this.registry] });
  readonly bytesIn = new Counter({ name: 'cycarla_relay_bytes_in_total', help: 'Bytes received from CARLA stream ports', labelNames: ['car'], registers: [this.registry] });
  readonly bytesOut = new Counter({ name: 'cycarla_relay_bytes_out_total', help: 'Bytes sent to browsers', labelNames: ['car'], registers: [this.registry] });
  readonly controlsOut = new Counter({ name: 'cycarla_relay_controls_out_total', help: 'Controls sent to CARLA, from the driver or safe', labelNames: ['car', 'kind'], registers: [this.registry] });
  readonly reconnects = new Counter({ name: 'cycarla_relay_reconnects_total', help: 'Reconnections to CARLA', labelNames: ['car'], registers: [this.registry] });
  readonly stalls = new Counter({ name: 'cycarla_relay_stalls_total', help: 'Stalled streams and handshakes torn down', labelNames: ['car'], registers: [this.registry] });
  readonly controlAge = new Gauge({ name: 'cycarla_relay_control_age_seconds', help: "Age of the driver's newest Control (-1: none yet)", labelNames: ['car'], registers: [this.registry] });
  readonly jpegEncodeSeconds = new Histogram({
    name: 'cycarla_relay_jpeg_encode_seconds', help: "A camera image's wait and encoding in the JPEG pool: the relay's share of a JPEG frame's latency",
    labelNames: ['car'], buckets: [0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2, 0.5], registers: [this.registry],
  });
  readonly sendBufferBytes = new Gauge({
    name: 'cycarla_relay_send_buffer_bytes', help: 'Bytes waiting in the fullest WebSocket of each role at the newest frame: a link that cannot keep up',
    labelNames: ['car', 'role'], registers: [this.registry],
  });
  readonly state = new Gauge({ name: 'cycarla_relay_link_state', help: 'CARLA link state (1 for the current one)', labelNames: ['car', 'state'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'cycarla_relay_' });
  }

  linkState(car: string, current: LinkState): void {
    for (const s of LINK_STATES) this.state.set({ car, state: s }, s === current ? 1 : 0);
  }
}
