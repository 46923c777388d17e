/** The page's side of the stream worker: owns its lifetime, hands it the canvases. */
import * as Comlink from 'comlink';
import type { RideSnapshot, StartOptions, StreamApi } from '../contract/stream-api.ts';

export type { RideSnapshot, StartOptions };

export class StreamBridge {
  private worker = new Worker(new URL('../worker/index.ts', import.meta.url), { type: 'module' });
  private api = Comlink.wrap<StreamApi>(this.worker);

  async start(opts: Omit<StartOptions, 'canvas' | 'inset'>, canvas: HTMLCanvasElement, inset: HTMLCanvasElement | null, onSnapshot: (s: RideSnapshot) => void): Promise<void> {
    const main = canvas.transferControlToOffscreen();
    const corner = inset?.transferControlToOffscreen();
    const transfers = corner ? [main, corner] : [main];
    await this.api.start(Comlink.transfer({ ...opts, canvas: main, inset: corner }, transfers), Comlink.proxy(onSnapshot));
  }

  setPower(watts: number): Promise<void> { return this.api.setPower(watts); }
  setPaused(paused: boolean): Promise<void> { return this.api.setPaused(paused); }
  setSteer(steer: number | null): Promise<void> { return this.api.setSteer(steer); }

  async stop(): Promise<void> {
    await this.api.stop();
    this.worker.terminate();
  }
}
