/**
 * The worker's WebSocket to the relay, and staying connected: a lost relay is tried again for
 * as long as the ride lasts (the relay keeps the episode for a returning driver, so the ride
 * carries on where it was), except after a refusal that trying again would only repeat. Text
 * messages are checked against the contract here, at the edge; what does not fit is reported,
 * never cast.
 */
import { CloseCode, parseRelayEvent, RelayEventError, tagged, type Channel, type RelayEvent } from '../../proto/relay-ws.ts';
import type { RelayLinkState } from '../contract/stream-api.ts';

/** How long the end of a ride waits for the relay to acknowledge the close. */
const CLOSE_WAIT_MS = 1000;

/** Reconnecting to the relay: quick at first (a Wi-Fi blip), then every few seconds. */
export const RECONNECT_MS = [250, 500, 1000, 2000, 4000];

/** Close codes after which trying again would only repeat the refusal, in the rider's words. */
const FINAL_CLOSES = new Map<number, string>([
  [CloseCode.DRIVER_TAKEN, 'Someone else is riding this car.'],
  [CloseCode.REPLACED, 'Another tablet took over this ride.'],
  [CloseCode.UNKNOWN_CAR, 'The relay has no such car.'],
]);

export interface RelaySocketEvents {
  event(e: RelayEvent): void;
  binary(message: Uint8Array): void;
  /** The link changed; `reason` is set when it is lost for good. */
  link(state: RelayLinkState, reason?: string): void;
  /** A text message that does not fit the contract (it is skipped). */
  invalid(err: RelayEventError): void;
}

export class RelaySocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly url: string, private readonly on: RelaySocketEvents) {
    this.connect();
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { this.attempts = 0; this.on.link('connected'); };
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') { this.on.binary(new Uint8Array(e.data as ArrayBuffer)); return; }
      let event: RelayEvent;
      try {
        event = parseRelayEvent(e.data);
      } catch (err) {
        if (!(err instanceof RelayEventError)) throw err;
        this.on.invalid(err);
        return;
      }
      this.on.event(event);
    };
    ws.onclose = (e) => this.onClose(e.code);
  }

  private onClose(code: number): void {
    if (this.closed) return;
    const final = FINAL_CLOSES.get(code);
    if (final) { this.on.link('lost', final); return; }
    this.on.link('reconnecting');
    const delay = RECONNECT_MS[Math.min(this.attempts++, RECONNECT_MS.length - 1)]!;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Sends a tagged message if the socket is open; a message while reconnecting is dropped (the next frame sends anew). */
  send(tag: Channel, payload: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(tagged(tag, payload));
  }

  /**
   * Ends the ride's connection with 1000 (the relay frees the car at once) and resolves when the
   * closing handshake is done, or after CLOSE_WAIT_MS: a worker terminated sooner would drop the
   * connection without its close frame, and the relay would keep the episode for its grace period.
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, CLOSE_WAIT_MS);
      ws.addEventListener('close', () => { clearTimeout(t); resolve(); }, { once: true });
    });
    ws.close(CloseCode.NORMAL, 'ride ended');
    return done;
  }
}
