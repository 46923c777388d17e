/** The page's side of the stream worker: owns its lifetime, hands it the canvas. */
import * as Comlink from 'comlink';
import type { RideSnapshot, StreamApi } from './worker.ts';

export type { RideSnapshot };

export class StreamBridge {
  private worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  private api = Comlink.wrap<StreamApi>(this.worker);

  async start(url: string, ini: string, startIndex: number, massKg: number, canvas: HTMLCanvasElement, onSnapshot: (s: RideSnapshot) => void): Promise<void> {
    const offscreen = canvas.transferControlToOffscreen();
    await this.api.start(Comlink.transfer({ url, ini, startIndex, massKg, canvas: offscreen }, [offscreen]), Comlink.proxy(onSnapshot));
  }

  setPower(watts: number): Promise<void> { return this.api.setPower(watts); }
  setPaused(paused: boolean): Promise<void> { return this.api.setPaused(paused); }
  setSteer(steer: number | null): Promise<void> { return this.api.setSteer(steer); }

  async stop(): Promise<void> {
    await this.api.stop();
    this.worker.terminate();
  }
}
