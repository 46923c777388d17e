/**
 * A world as one server serves it: the world itself and what is built from it once and kept
 * for every episode — the camera renderer (its baked textures and sky) and the index of props
 * a rider can run into. Owned by the SimServer, so that nothing outlives the server that
 * made it.
 */
import { Renderer } from '../render/renderer.ts';
import type { Weather } from '../world/weather.ts';
import type { World } from '../world/world.ts';

/** Props a rider can run into, bucketed by square cells. */
export interface SolidIndex { cell: number; buckets: Map<number, number[]> }

const SOLID_CELL_METRES = 8;
/** Cell keys pack (x cell, y cell) into one number: y cells stay below this. */
export const CELL_ROW = 65536;

export class Stage {
  #renderer: Renderer | null = null;
  #solids: SolidIndex | null = null;

  constructor(readonly world: World) {}

  /** The renderer, lit for `weather`. */
  renderer(weather: Weather): Renderer {
    if (!this.#renderer) this.#renderer = new Renderer(this.world, weather);
    this.#renderer.setWeather(weather);
    return this.#renderer;
  }

  get solids(): SolidIndex {
    if (!this.#solids) {
      const idx: SolidIndex = { cell: SOLID_CELL_METRES, buckets: new Map() };
      const p = this.world.scenery;
      for (let i = 0; i < p.count; i++) {
        const key = Math.floor(p.x[i]! / idx.cell) * CELL_ROW + Math.floor(p.y[i]! / idx.cell);
        const b = idx.buckets.get(key);
        if (b) b.push(i); else idx.buckets.set(key, [i]);
      }
      this.#solids = idx;
    }
    return this.#solids;
  }
}
