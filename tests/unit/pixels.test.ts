import { describe, expect, it } from 'vitest';
import { bgraToRgba, depthToGrey, segmentationToPalette } from '../../app/stream/index.ts';

const words = (bytes: number[]) => new Uint32Array(Uint8Array.from(bytes).buffer);
const bytes = (w: Uint32Array) => Array.from(new Uint8Array(w.buffer));

describe('camera pixels for the canvas', () => {
  it('turns known BGRA into known RGBA', () => {
    const src = words([0x10, 0x20, 0x30, 0xff, /* */ 0xff, 0x00, 0x80, 0x7f]);
    const dst = new Uint32Array(2);
    bgraToRgba(src, dst);
    expect(bytes(dst)).toEqual([0x30, 0x20, 0x10, 0xff, 0x80, 0x00, 0xff, 0x7f]);
  });

  it('shows depth as the spec’s logarithmic grey: near dark, far white', () => {
    // Depth bytes B, G, R (R least significant) for 0 m, 10 m, 100 m and 1000 m.
    const px = (m: number) => { const d = Math.round((m / 1000) * 16777215); return [(d >> 16) & 255, (d >> 8) & 255, d & 255, 255]; };
    const src = words([...px(0), ...px(10), ...px(100), ...px(1000)]);
    const dst = new Uint32Array(4);
    depthToGrey(src, dst);
    const g = bytes(dst);
    expect(g.slice(0, 4)).toEqual([0, 0, 0, 255]);
    // 255 × (1 + ln(n)/5.70378): n = 0.01 → 49.1, n = 0.1 → 152.1.
    expect(g.slice(4, 8)).toEqual([49, 49, 49, 255]);
    expect(g.slice(8, 12)).toEqual([152, 152, 152, 255]);
    expect(g.slice(12, 16)).toEqual([255, 255, 255, 255]);
  });

  it('shows everything nearer than 1/300 of the 1000 m range (3.33 m: 5.70378 is ln 300) as black, and grey beyond', () => {
    const px = (m: number) => { const d = Math.round((m / 1000) * 16777215); return [(d >> 16) & 255, (d >> 8) & 255, d & 255, 255]; };
    const src = words([...px(3.2), ...px(3.5), ...px(1000 / Math.sqrt(300))]);
    const dst = new Uint32Array(3);
    depthToGrey(src, dst);
    const g = bytes(dst);
    expect(g[0]).toBe(0);
    // 3.5 m: 255 × (1 + ln(0.0035)/ln 300) = 255 × 0.00852 = 2.2.
    expect(g[4]).toBe(2);
    // Half-way in the log view is √300 times nearer than the range: 57.7 m, grey 127.5.
    expect([127, 128]).toContain(g[8]);
  });

  it('colours segmentation tags (in R) with the CityScapes palette', () => {
    const src = words([0, 0, 7, 255, 0, 0, 10, 255, 0, 0, 200, 255]);
    const dst = new Uint32Array(3);
    segmentationToPalette(src, dst);
    expect(bytes(dst)).toEqual([128, 64, 128, 255, 0, 0, 255, 255, 255, 0, 255, 255]);
  });
});
