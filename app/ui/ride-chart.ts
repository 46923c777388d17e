/**
 * The summary's charts, drawn on a canvas (no chart library: two simple plots do not justify
 * a dependency, and canvas keeps a 4-hour ride to a thousand points drawn in a few ms):
 * power, heart rate, cadence and speed over distance on the elevation as background, and the
 * route from its coordinates.
 */
import type { RideSample } from '../rides/sample.ts';

/** At most this many points per line: one per pixel column of a wide screen. */
const MAX_POINTS = 1000;

export const SERIES = [
  { key: 'power', label: 'Power (W)', colour: '#ffd24a', dash: [] as number[] },
  { key: 'hr', label: 'Heart rate (bpm)', colour: '#ff6b6b', dash: [6, 3] },
  { key: 'cadence', label: 'Cadence (rpm)', colour: '#7fd1ff', dash: [2, 3] },
  { key: 'speed', label: 'Speed', colour: '#9cf29c', dash: [10, 4] },
] as const;

function thin(samples: readonly RideSample[]): RideSample[] {
  const step = Math.max(1, Math.ceil(samples.length / MAX_POINTS));
  return samples.filter((_, i) => i % step === 0);
}

function sized(canvas: HTMLCanvasElement): { c: CanvasRenderingContext2D; w: number; h: number } {
  const w = (canvas.width = canvas.clientWidth || 600), h = (canvas.height = canvas.clientHeight || 240);
  const c = canvas.getContext('2d')!;
  c.clearRect(0, 0, w, h);
  return { c, w, h };
}

export function drawRideChart(canvas: HTMLCanvasElement, all: readonly RideSample[]): void {
  const { c, w, h } = sized(canvas);
  const s = thin(all.filter((x) => !x.paused));
  if (s.length < 2) return;
  const d0 = s[0]!.distance, d1 = Math.max(s[s.length - 1]!.distance, d0 + 1);
  const X = (d: number) => ((d - d0) / (d1 - d0)) * (w - 8) + 4;
  const eles = s.map((x) => x.ele), eMin = Math.min(...eles) - 2, eMax = Math.max(...eles) + 2;
  c.beginPath();
  c.moveTo(X(d0), h);
  for (const p of s) c.lineTo(X(p.distance), h - ((p.ele - eMin) / (eMax - eMin)) * (h * 0.6));
  c.lineTo(X(s[s.length - 1]!.distance), h);
  c.fillStyle = 'rgba(120, 170, 120, 0.35)';
  c.fill();
  for (const series of SERIES) {
    const values = s.map((p) => p[series.key]);
    const known = values.filter((v): v is number => v !== null);
    if (!known.length) continue;
    const top = Math.max(...known) * 1.1 || 1;
    c.beginPath();
    c.setLineDash(series.dash);
    c.strokeStyle = series.colour;
    c.lineWidth = 2;
    let drawing = false;
    s.forEach((p, i) => {
      const v = values[i];
      if (v === null || v === undefined) { drawing = false; return; }
      const x = X(p.distance), y = h - 4 - (v / top) * (h - 8);
      if (drawing) c.lineTo(x, y); else c.moveTo(x, y);
      drawing = true;
    });
    c.stroke();
  }
  c.setLineDash([]);
}

export function drawRoute(canvas: HTMLCanvasElement, all: readonly RideSample[]): void {
  const { c, w, h } = sized(canvas);
  const s = thin(all);
  if (s.length < 2) return;
  const lats = s.map((p) => p.lat), lons = s.map((p) => p.lon);
  const la0 = Math.min(...lats), la1 = Math.max(...lats), lo0 = Math.min(...lons), lo1 = Math.max(...lons);
  const span = Math.max(la1 - la0, lo1 - lo0, 1e-6);
  const k = (Math.min(w, h) - 16) / span;
  const X = (lon: number) => w / 2 + (lon - (lo0 + lo1) / 2) * k, Y = (lat: number) => h / 2 - (lat - (la0 + la1) / 2) * k;
  c.beginPath();
  s.forEach((p, i) => (i ? c.lineTo(X(p.lon), Y(p.lat)) : c.moveTo(X(p.lon), Y(p.lat))));
  c.strokeStyle = '#ffd24a';
  c.lineWidth = 3;
  c.stroke();
  c.fillStyle = '#2f9e5b';
  c.beginPath();
  c.arc(X(s[0]!.lon), Y(s[0]!.lat), 6, 0, Math.PI * 2);
  c.fill();
}
