/**
 * One set of words for every link the rider sees, on the home screen and in the ride's
 * connection strip (UX A4): Connected, Reconnecting…, Lost, Off — and Connecting… before a
 * first answer — each with a glyph that reads in greyscale.
 */
import type { LinkState } from '../../proto/relay-ws.ts';
import type { RelayLinkState } from '../contract/relay-link.ts';

export type LinkWord = 'Connected' | 'Connecting…' | 'Reconnecting…' | 'Lost' | 'Off';

const GLYPHS: Record<LinkWord, string> = { Connected: '●', 'Connecting…': '◐', 'Reconnecting…': '◐', Lost: '✕', Off: '○' };

export const glyph = (word: LinkWord): string => GLYPHS[word];

/** "● Relay: Connected". */
export const chipText = (name: string, word: LinkWord): string => `${glyph(word)} ${name}: ${word}`;

const RELAY_WORDS: Record<RelayLinkState, LinkWord> = {
  connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…', lost: 'Lost',
};
export const relayWord = (state: RelayLinkState | undefined): LinkWord => RELAY_WORDS[state ?? 'connecting'];

const SIMULATOR_WORDS: Record<LinkState, LinkWord> = {
  idle: 'Off', connecting: 'Connecting…', loading_episode: 'Connecting…', streaming: 'Connected', waiting_for_simulator: 'Reconnecting…',
};
export const simulatorWord = (state: LinkState | undefined): LinkWord => (state ? SIMULATOR_WORDS[state] : 'Connecting…');

/** A car on the home screen, by what its link to the simulator is doing. */
export const CAR_STATE_WORDS: Record<LinkState, string> = {
  idle: 'Ready', connecting: 'Connecting…', loading_episode: 'Loading a ride…', streaming: 'Riding', waiting_for_simulator: 'Waiting for the simulator…',
};
