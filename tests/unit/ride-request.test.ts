/** The ride session's pure policy: where the driver connects, what a ride asks for, the words for links. */
import { describe, expect, it } from 'vitest';
import { chipText, relayWord, simulatorWord } from '../../app/ui/link-words.ts';
import { driverUrl, encodingFor, jpegQualityFor, maxCameraWidth, rideSettings, type RideChoices } from '../../app/ui/ride-request.ts';
import { LINK_STATES } from '../../proto/relay-ws.ts';

const SETTINGS = {
  quality: 'standard', autoWidth: 800, fov: 90, weatherId: 3, vehicles: 5, pedestrians: 2, inset: 'rear',
} satisfies RideChoices;

describe('what a ride asks for', () => {
  it('connects as the driver of the car, over wss when the page came over https, with the car name escaped', () => {
    expect(driverUrl({ protocol: 'https:', host: 'rig.local:9443', hostname: 'rig.local' }, 'car 1&x', 'raw')).toBe('wss://rig.local:9443/carla?car=car%201%26x&role=driver');
    expect(driverUrl({ protocol: 'http:', host: 'localhost:9000', hostname: 'localhost' }, 'default')).toBe('ws://localhost:9000/carla?car=default&role=driver');
  });

  it('asks for JPEG pictures over a network and raw ones on this machine, unless the rider chose', () => {
    expect(driverUrl({ protocol: 'https:', host: '192.168.1.20:9443', hostname: '192.168.1.20' }, 'main')).toBe('wss://192.168.1.20:9443/carla?car=main&role=driver&encoding=jpeg');
    expect(encodingFor('auto', '127.0.0.1')).toBe('raw');
    expect(encodingFor('auto', '[::1]')).toBe('raw');
    expect(encodingFor('auto', 'rig.local')).toBe('jpeg');
    expect(encodingFor('jpeg', 'localhost')).toBe('jpeg');
    expect(encodingFor('raw', 'rig.local')).toBe('raw');
  });

  it('names a pinned JPEG quality in the URL and leaves "auto" to start from the relay\'s default', () => {
    const lan = { protocol: 'https:', host: 'rig.local:9443', hostname: 'rig.local' };
    expect(driverUrl(lan, 'main', 'auto', jpegQualityFor('90'))).toBe('wss://rig.local:9443/carla?car=main&role=driver&encoding=jpeg&quality=90');
    expect(driverUrl(lan, 'main', 'auto', jpegQualityFor('auto'))).toBe('wss://rig.local:9443/carla?car=main&role=driver&encoding=jpeg');
    expect(driverUrl(lan, 'main', 'raw', 50)).toBe('wss://rig.local:9443/carla?car=main&role=driver');
  });

  it('offers HD (1280 px) to JPEG pictures and stops raw ones at 800 px', () => {
    expect(rideSettings({ ...SETTINGS, quality: 'hd' }, 1920, 1080, 'jpeg')).toMatchObject({ width: 1280, height: 720 });
    expect(rideSettings({ ...SETTINGS, quality: 'hd' }, 1920, 1080, 'raw')).toMatchObject({ width: 800, height: 450 });
    expect(maxCameraWidth({ quality: 'auto', autoWidth: 1280 }, 'raw')).toBe(800);
    // A tablet narrower than HD gets its own width, not more pixels than it shows.
    expect(rideSettings({ ...SETTINGS, quality: 'hd' }, 1024, 768, 'jpeg')).toMatchObject({ width: 1024, height: 768 });
  });

  it('sizes the camera to the canvas within the quality\'s width, and "auto" uses the last ride\'s width', () => {
    expect(rideSettings(SETTINGS, 1600, 1000)).toEqual({
      width: 640, height: 400, fov: 90, weatherId: 3, vehicles: 5, pedestrians: 2, quality: 'Epic', inset: 'rear',
    });
    expect(maxCameraWidth({ quality: 'auto', autoWidth: 480 })).toBe(480);
    expect(rideSettings({ ...SETTINGS, quality: 'low' }, 1600, 1000)).toMatchObject({ width: 480, height: 300, quality: 'Low' });
  });
});

describe('words for links (UX A4)', () => {
  it('says Connected, Reconnecting…, Lost or Off, each with a glyph of its own', () => {
    expect(chipText('Relay', relayWord('connected'))).toBe('● Relay: Connected');
    expect(chipText('Relay', relayWord('reconnecting'))).toBe('◐ Relay: Reconnecting…');
    expect(chipText('Relay', relayWord('lost'))).toBe('✕ Relay: Lost');
    expect(chipText('Simulator', simulatorWord('idle'))).toBe('○ Simulator: Off');
    expect(relayWord(undefined)).toBe('Connecting…');
  });

  it('has a word for every link state of the relay contract', () => {
    for (const s of LINK_STATES) expect(['Connected', 'Connecting…', 'Reconnecting…', 'Off']).toContain(simulatorWord(s));
    expect(simulatorWord('streaming')).toBe('Connected');
    expect(simulatorWord('waiting_for_simulator')).toBe('Reconnecting…');
  });
});
