/**
 * The stream worker: the relay's socket, the CARLA frames, the canvases and the riding loop
 * all live here (stream-session.ts composes them), so image bytes never reach the main thread;
 * the page gets a small snapshot at most ten times a second. This file is only the comlink door.
 */
import * as Comlink from 'comlink';
import type { RideSnapshot, StartOptions, StreamApi } from '../contract/stream-api.ts';
import { StreamSession } from './stream-session.ts';

let session: StreamSession | null = null;

const api: StreamApi = {
  start(opts: StartOptions, onSnapshot: (s: RideSnapshot) => void): void {
    void session?.stop();
    session = new StreamSession(opts, onSnapshot);
  },
  setPower(watts: number): void { session?.loop.setPower(watts); },
  setPaused(paused: boolean): void { session?.loop.setPaused(paused); },
  setSteer(steer: number | null): void { session?.loop.setSteer(steer); },
  async stop(): Promise<void> {
    const s = session;
    session = null;
    await s?.stop();
  },
};

Comlink.expose(api);
