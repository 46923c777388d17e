import { describe, expect, it } from 'vitest';
import {
  FrameDecoder, FramingError, StreamingFrameDecoder, encodeFrame, framePrefix,
  encodeControl, encodeEpisodeReady, encodeEpisodeStart, encodeRequestNewEpisode,
  decodeControl, decodeEpisodeReady, decodeEpisodeStart, decodeRequestNewEpisode,
} from '../../proto/index.ts';

const hex = (s: string) => Uint8Array.from(s.split(/\s+/).filter(Boolean).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

// The spec's table of known-good framed messages (carla-0.8-protocol.md §1).
const golden = [
  { name: 'EpisodeReady{ready=true}', bytes: '02 00 00 00 08 01', encode: () => encodeEpisodeReady(true) },
  { name: 'EpisodeStart{0}', bytes: '00 00 00 00', encode: () => encodeEpisodeStart(0) },
  { name: 'EpisodeStart{3}', bytes: '02 00 00 00 08 03', encode: () => encodeEpisodeStart(3) },
  {
    name: 'Control{steer=0.5, throttle=1.0}',
    bytes: '0a 00 00 00 0d 00 00 00 3f 15 00 00 80 3f',
    encode: () => encodeControl({ steer: 0.5, throttle: 1.0 }),
  },
  { name: 'RequestNewEpisode{ini_file="[A]"}', bytes: '05 00 00 00 0a 03 5b 41 5d', encode: () => encodeRequestNewEpisode('[A]') },
  { name: 'stream terminator', bytes: '00 00 00 00', encode: () => new Uint8Array(0) },
];

describe('length-prefix framing', () => {
  for (const g of golden) {
    it(`encodes ${g.name} to the spec's bytes`, () => {
      expect(toHex(encodeFrame(g.encode()))).toBe(g.bytes);
    });
  }

  it('decodes the golden messages back to their values', () => {
    const all = hex(golden.map((g) => g.bytes).join(' '));
    const msgs = new FrameDecoder().push(all);
    expect(msgs).toHaveLength(golden.length);
    expect(decodeEpisodeReady(msgs[0]!)).toEqual({ ready: true });
    expect(decodeEpisodeStart(msgs[1]!)).toEqual({ playerStartSpotIndex: 0 });
    expect(decodeEpisodeStart(msgs[2]!)).toEqual({ playerStartSpotIndex: 3 });
    expect(decodeControl(msgs[3]!)).toEqual({ steer: 0.5, throttle: 1, brake: 0, handBrake: false, reverse: false });
    expect(decodeRequestNewEpisode(msgs[4]!)).toEqual({ iniFile: '[A]' });
    expect(msgs[5]!.byteLength).toBe(0);
  });

  it('yields the same messages when the stream is split at every byte boundary', () => {
    const stream = hex(golden.map((g) => g.bytes).join(' '));
    const expected = new FrameDecoder().push(stream).map(toHex);
    for (let cut = 0; cut <= stream.length; cut++) {
      for (let cut2 = cut; cut2 <= stream.length; cut2++) {
        const d = new FrameDecoder();
        const got = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut, cut2)), ...d.push(stream.subarray(cut2))];
        expect(got.map(toHex)).toEqual(expected);
        expect(d.bufferedBytes).toBe(0);
      }
    }
  });

  it('yields every message of a one-byte-at-a-time stream', () => {
    const stream = hex(golden.map((g) => g.bytes).join(' '));
    const d = new FrameDecoder();
    const got: Uint8Array[] = [];
    for (const byte of stream) got.push(...d.push(Uint8Array.of(byte)));
    expect(got).toHaveLength(golden.length);
  });

  it('decodes thousands of messages coalesced into one chunk, in order', () => {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 5000; i++) parts.push(encodeFrame(encodeEpisodeStart(i)));
    const chunk = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { chunk.set(p, o); o += p.length; }
    const msgs = new FrameDecoder().push(chunk);
    expect(msgs.map((m) => decodeEpisodeStart(m).playerStartSpotIndex)).toEqual([...Array(5000).keys()]);
  });

  it('returns a zero-copy view when a body lies inside one chunk', () => {
    const chunk = encodeFrame(Uint8Array.of(1, 2, 3));
    const [msg] = new FrameDecoder().push(chunk);
    expect(msg!.buffer).toBe(chunk.buffer);
  });

  it('copies a body that spans chunks exactly once into a buffer of its own size', () => {
    const frame = encodeFrame(Uint8Array.of(1, 2, 3, 4, 5, 6));
    const d = new FrameDecoder();
    expect(d.push(frame.subarray(0, 6))).toEqual([]);
    const [msg] = d.push(frame.subarray(6));
    expect(Array.from(msg!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(msg!.buffer.byteLength).toBe(6);
  });

  it('rejects a length above the limit as soon as the prefix is complete, without buffering the body', () => {
    const d = new FrameDecoder({ maxMessageBytes: 1024 });
    const absurd = hex('ff ff ff ff');
    let err: unknown;
    try { d.push(absurd.subarray(0, 3)); d.push(absurd.subarray(3)); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FramingError);
    expect((err as FramingError).code).toBe('CARLA_ERR_FRAME_TOO_LARGE');
    expect((err as FramingError).message).toBe('message of 4294967295 bytes exceeds the limit of 1024 bytes');
    expect(d.bufferedBytes).toBe(0);
    // A failed decoder stays failed: the stream position is lost, so nothing after it can be trusted.
    expect(() => d.push(encodeFrame(new Uint8Array(1)))).toThrow(FramingError);
  });

  it('accepts a message of exactly the limit', () => {
    const d = new FrameDecoder({ maxMessageBytes: 8 });
    expect(d.push(encodeFrame(new Uint8Array(8)))[0]!.byteLength).toBe(8);
  });

  it('starts clean after reset(): no stale byte reaches the next stream', () => {
    const d = new FrameDecoder();
    d.push(hex('05 00 00 00 0a 03'));
    expect(d.bufferedBytes).toBe(2);
    d.reset();
    expect(d.push(hex('02 00 00 00 08 01')).map(decodeEpisodeReady)).toEqual([{ ready: true }]);
  });

  it('refuses prefixes and limits outside the u32 range', () => {
    expect(() => framePrefix(-1)).toThrow(RangeError);
    expect(() => framePrefix(2 ** 32)).toThrow(RangeError);
    expect(() => new FrameDecoder({ maxMessageBytes: 2 ** 32 })).toThrow(/maxMessageBytes/);
  });
});

describe('cut-through framing', () => {
  const collect = (d: StreamingFrameDecoder, chunks: Uint8Array[]) => {
    const out: { length: number; pieces: number; bytes: number[] }[] = [];
    const sink = {
      start: (length: number) => out.push({ length, pieces: 0, bytes: [] }),
      data: (p: Uint8Array) => { out.at(-1)!.pieces++; out.at(-1)!.bytes.push(...p); },
      end: () => {},
    };
    for (const c of chunks) d.push(c, sink);
    return out;
  };

  it('hands on the same messages as the whole-message decoder, split at every boundary', () => {
    const stream = hex(golden.map((g) => g.bytes).join(' '));
    const whole = new FrameDecoder().push(stream).map((m) => Array.from(m));
    for (let cut = 0; cut <= stream.length; cut++) {
      const got = collect(new StreamingFrameDecoder(), [stream.subarray(0, cut), stream.subarray(cut)]);
      expect(got.map((m) => m.bytes)).toEqual(whole);
      expect(got.map((m) => m.length)).toEqual(whole.map((m) => m.length));
    }
  });

  it('passes a large body on in pieces as they arrive, without copying', () => {
    const body = new Uint8Array(100_000).map((_, i) => i & 255);
    const frame = encodeFrame(body);
    const chunks = [frame.subarray(0, 3), frame.subarray(3, 50_000), frame.subarray(50_000)];
    const pieces: Uint8Array[] = [];
    const d = new StreamingFrameDecoder();
    let ended = false;
    d.push(chunks[0]!, { start: () => {}, data: (p) => pieces.push(p), end: () => { ended = true; } });
    d.push(chunks[1]!, { start: () => {}, data: (p) => pieces.push(p), end: () => { ended = true; } });
    expect(ended).toBe(false);
    expect(pieces[0]!.buffer).toBe(frame.buffer);
    d.push(chunks[2]!, { start: () => {}, data: (p) => pieces.push(p), end: () => { ended = true; } });
    expect(ended).toBe(true);
    expect(pieces.reduce((n, p) => n + p.byteLength, 0)).toBe(100_000);
  });

  it('reports zero-length messages with a start and an end and no data', () => {
    expect(collect(new StreamingFrameDecoder(), [hex('00 00 00 00 00 00 00 00')])).toEqual([{ length: 0, pieces: 0, bytes: [] }, { length: 0, pieces: 0, bytes: [] }]);
  });

  it('rejects an absurd length before any of its body', () => {
    const d = new StreamingFrameDecoder({ maxMessageBytes: 10 });
    expect(() => collect(d, [hex('0b 00 00 00 01')])).toThrow('message of 11 bytes exceeds the limit of 10 bytes');
  });
});
