/**
 * The fifteen CARLA weather presets (WeatherId 0..14; −1 = map default) as lighting: sun
 * height, sky and fog colours, how far one can see, and how wet the road looks.
 */
import { WEATHER_NAMES } from '../../proto/index.ts';

export type Rgb = readonly [number, number, number];

export interface Weather {
  id: number;
  name: string;
  sunElevation: number; // radians
  sunAzimuth: number; // radians, world yaw of the sun
  sunColor: Rgb;
  ambient: number;
  direct: number;
  skyZenith: Rgb;
  skyHorizon: Rgb;
  cloudCover: number; // 0..1
  cloudColor: Rgb;
  fogColor: Rgb;
  visibility: number; // metres for ~63 % fog
  wetness: number; // 0..1
  rain: number; // 0..1
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t,
];

export function weatherFor(id: number): Weather {
  const effective = id < 0 || id > 14 ? 1 : id === 0 ? 1 : id;
  const name = WEATHER_NAMES[effective]!;
  const sunset = name.includes('Sunset');
  const cloudy = name.includes('Cloudy') ? 0.75 : 0.15;
  const rain = name.includes('HardRain') ? 1 : name.includes('MidRain') ? 0.6 : name.includes('SoftRain') ? 0.3 : 0;
  const wet = name.includes('Wet') || rain > 0 ? Math.max(0.6, rain) : 0;
  const overcast = Math.max(cloudy, rain > 0 ? 0.6 + rain * 0.4 : 0);
  const clearZenith: Rgb = sunset ? [70, 90, 150] : [62, 118, 200];
  const clearHorizon: Rgb = sunset ? [250, 170, 110] : [185, 212, 238];
  const grey: Rgb = sunset ? [120, 105, 105] : [150, 156, 164];
  return {
    id: effective,
    name,
    sunElevation: sunset ? 0.14 : 1.0,
    sunAzimuth: sunset ? 2.6 : 2.2,
    sunColor: sunset ? [255, 190, 130] : [255, 246, 230],
    ambient: (sunset ? 0.42 : 0.5) * (1 - overcast * 0.25),
    direct: (sunset ? 0.6 : 0.62) * (1 - overcast * 0.75),
    skyZenith: mix(clearZenith, grey, overcast * 0.85),
    skyHorizon: mix(clearHorizon, grey, overcast * 0.8),
    cloudCover: overcast,
    cloudColor: sunset ? [235, 200, 185] : [238, 240, 244],
    fogColor: mix(clearHorizon, grey, overcast * 0.9),
    visibility: rain > 0 ? 420 - rain * 260 : 1100 - overcast * 400,
    wetness: wet,
    rain,
  };
}
