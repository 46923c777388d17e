/**
 * What a rider reads when the simulator goes quiet: plain words for what happened, when the
 * relay tries again (a countdown), and the technical reason kept for a detail line. Pure: the
 * worker feeds it the relay's events and the time, and the time since the last frame.
 */
import { ErrorCode, type LinkState } from '../../proto/relay-ws.ts';

/** No frame for this long while streaming: the rider is told at once, before the relay's stallMs. */
export const FRAME_GAP_MS = 1500;

/** The relay's CARLA-link error codes, in a rider's words. */
export function outageWords(code: string, message: string): string {
  switch (code) {
    case ErrorCode.STREAM_STALLED: return 'The simulator stopped sending pictures';
    case ErrorCode.CARLA_CLOSED:
      return /ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|ETIMEDOUT/.test(message)
        ? 'The simulator is not running, or this computer cannot reach it'
        : 'The simulator closed the connection';
    case ErrorCode.HANDSHAKE_TIMEOUT: return 'The simulator did not start the ride in time';
    case ErrorCode.EPISODE_NOT_READY: return 'The simulator could not start the ride';
    case ErrorCode.CARLA_PROTOCOL:
    case ErrorCode.CARLA_MESSAGE_TOO_LARGE: return 'The simulator sent something cycarla cannot read';
    default: return '';
  }
}

export interface OutageView {
  /** The warning line ('' when all is well). */
  text: string;
  /** The technical reason, for a smaller line under it. */
  detail: string;
  /** The simulator link as the rider should see it now. */
  link: LinkState;
}

export class Outage {
  private words = '';
  private detail = '';
  private retryAt: number | null = null;
  private link: LinkState = 'idle';
  private lastFrameAt: number | null = null;

  /** A CARLA-link error from the relay; false when the code is not one (the caller shows it as it is). */
  error(code: string, message: string): boolean {
    const words = outageWords(code, message);
    if (!words) return false;
    this.words = words;
    this.detail = message;
    return true;
  }

  state(state: LinkState, nowMs: number, retryInMs?: number): void {
    this.link = state;
    this.retryAt = state === 'waiting_for_simulator' && retryInMs !== undefined ? nowMs + retryInMs : null;
    if (state === 'streaming') this.lastFrameAt = nowMs;
  }

  frame(nowMs: number): void {
    this.lastFrameAt = nowMs;
    if (this.link === 'streaming') { this.words = ''; this.detail = ''; }
  }

  view(nowMs: number): OutageView {
    if (this.link === 'streaming' && this.lastFrameAt !== null && nowMs - this.lastFrameAt > FRAME_GAP_MS) {
      const s = Math.floor((nowMs - this.lastFrameAt) / 1000);
      return { text: `The simulator has sent no pictures for ${s} s — waiting for it`, detail: '', link: 'waiting_for_simulator' };
    }
    if (this.link === 'waiting_for_simulator') {
      const left = this.retryAt === null ? null : Math.ceil((this.retryAt - nowMs) / 1000);
      const when = left === null || left <= 0 ? 'trying again now' : `trying again in ${left} s`;
      return { text: `${this.words || 'The simulator is not answering'} — ${when}`, detail: this.detail, link: this.link };
    }
    if ((this.link === 'connecting' || this.link === 'loading_episode') && this.words) {
      return { text: `${this.words} — trying again now`, detail: this.detail, link: this.link };
    }
    return { text: '', detail: '', link: this.link };
  }
}
