/**
 * CARLA's length-prefix framing: every message is a u32 little-endian length N followed by
 * N payload bytes. N = 0 is legal (an all-default message, and the stream port's frame
 * terminator).
 *
 * The decoder is a two-state machine (length, body) over a list of buffered chunks, in the
 * manner of the `ws` receiver: a body that lies inside one chunk is returned as a zero-copy
 * view, one that spans chunks is copied exactly once, and the stream is never concatenated.
 * The length is checked against the limit the moment it is known, before any byte of the
 * body is buffered, so an absurd prefix cannot make us allocate it.
 */

export const PREFIX_BYTES = 4;
/** Default upper bound for one message: 64 MiB holds a 4096×4096 BGRA image plus header. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export type FramingErrorCode = 'CARLA_ERR_FRAME_TOO_LARGE';

export class FramingError extends Error {
  readonly code: FramingErrorCode;
  constructor(code: FramingErrorCode, message: string) {
    super(message);
    this.name = 'FramingError';
    this.code = code;
  }
}

/** The one error a prefix can cause: a length over the limit (built here only, like ws's createError). */
function tooLarge(length: number, max: number): FramingError {
  return new FramingError('CARLA_ERR_FRAME_TOO_LARGE', `message of ${length} bytes exceeds the limit of ${max} bytes`);
}

function checkLength(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${name} must be an integer in [0, 4294967295], got ${n}`);
}

/** The payload length in the four prefix bytes at `offset`. */
function readPrefix(bytes: Uint8Array, offset = 0): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) + bytes[offset + 3]! * 0x1000000;
}

/**
 * Writes the prefix for a payload of `length` bytes at `offset` of `into` — for a sender
 * that frames into a buffer of its own (the simulator's pooled camera messages).
 */
export function writeFramePrefix(into: Uint8Array, length: number, offset = 0): void {
  checkLength('frame length', length);
  into[offset] = length & 0xff;
  into[offset + 1] = (length >>> 8) & 0xff;
  into[offset + 2] = (length >>> 16) & 0xff;
  into[offset + 3] = length >>> 24;
}

/** The four prefix bytes for a payload of `length` bytes. */
export function framePrefix(length: number): Uint8Array {
  const prefix = new Uint8Array(PREFIX_BYTES);
  writeFramePrefix(prefix, length);
  return prefix;
}

/** One framed message (prefix + payload) in a single new buffer. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX_BYTES + payload.byteLength);
  writeFramePrefix(out, payload.byteLength);
  out.set(payload, PREFIX_BYTES);
  return out;
}

export interface FrameDecoderOptions {
  /** Largest payload accepted; a longer prefix fails with CARLA_ERR_FRAME_TOO_LARGE. */
  maxMessageBytes?: number;
}

function maxMessageBytesOf(options: FrameDecoderOptions): number {
  const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  checkLength('maxMessageBytes', max);
  return max;
}

const GET_LENGTH = 0;
const GET_BODY = 1;

export class FrameDecoder {
  readonly maxMessageBytes: number;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #state = GET_LENGTH;
  #bodyLength = 0;
  #failed: FramingError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxMessageBytes = maxMessageBytesOf(options);
  }

  /** Bytes received but not yet returned as part of a whole message. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /**
   * Feeds one chunk; returns the whole messages it completes, in order. Views may share
   * memory with the chunks passed in: copy a message before mutating the chunk it came in.
   * After a FramingError the decoder stays failed until reset().
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) throw this.#failed;
    const out: Uint8Array[] = [];
    if (chunk.byteLength > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.byteLength;
    }
    for (;;) {
      if (this.#state === GET_LENGTH) {
        if (this.#buffered < PREFIX_BYTES) break;
        const length = readPrefix(this.#consume(PREFIX_BYTES));
        if (length > this.maxMessageBytes) {
          this.#failed = tooLarge(length, this.maxMessageBytes);
          this.#chunks = [];
          this.#buffered = 0;
          throw this.#failed;
        }
        this.#bodyLength = length;
        this.#state = GET_BODY;
      } else {
        if (this.#buffered < this.#bodyLength) break;
        out.push(this.#consume(this.#bodyLength));
        this.#state = GET_LENGTH;
      }
    }
    return out;
  }

  /** Drops every buffered byte and any failure: the next byte pushed starts a new prefix. */
  reset(): void {
    this.#chunks = [];
    this.#buffered = 0;
    this.#state = GET_LENGTH;
    this.#bodyLength = 0;
    this.#failed = null;
  }

  #consume(n: number): Uint8Array {
    this.#buffered -= n;
    if (n === 0) return new Uint8Array(0);
    const first = this.#chunks[0]!;
    if (n === first.byteLength) {
      this.#chunks.shift();
      return first;
    }
    if (n < first.byteLength) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const dst = new Uint8Array(n);
    let offset = 0;
    while (offset < n) {
      const chunk = this.#chunks[0]!;
      const take = Math.min(chunk.byteLength, n - offset);
      dst.set(take === chunk.byteLength ? chunk : chunk.subarray(0, take), offset);
      offset += take;
      if (take === chunk.byteLength) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(take);
    }
    return dst;
  }
}

/** Receives one message at a time, in pieces, from a StreamingFrameDecoder. */
export interface FrameSink {
  /** A message of `length` bytes begins (its limit already checked). */
  start(length: number): void;
  /** The next piece of its body: a view into the chunk that was pushed. */
  data(piece: Uint8Array): void;
  /** The message is complete. */
  end(): void;
}

/**
 * The cut-through variant of FrameDecoder: bodies are handed on piece by piece as chunks
 * arrive, never assembled or copied, so a forwarder can pass a multi-megabyte image on
 * before its last byte has arrived. The same limits and errors apply.
 */
export class StreamingFrameDecoder {
  readonly maxMessageBytes: number;
  readonly #prefix = new Uint8Array(PREFIX_BYTES);
  #prefixHave = 0;
  /** Body bytes still to come, or -1 while reading a prefix. */
  #remaining = -1;
  #failed: FramingError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxMessageBytes = maxMessageBytesOf(options);
  }

  push(chunk: Uint8Array, sink: FrameSink): void {
    if (this.#failed) throw this.#failed;
    let o = 0;
    const n = chunk.byteLength;
    while (o < n || this.#remaining === 0) {
      if (this.#remaining < 0) {
        const take = Math.min(PREFIX_BYTES - this.#prefixHave, n - o);
        this.#prefix.set(chunk.subarray(o, o + take), this.#prefixHave);
        this.#prefixHave += take;
        o += take;
        if (this.#prefixHave < PREFIX_BYTES) return;
                const length = readPrefix(this.#prefix);
        this.#prefixHave = 0;
        if (length > this.maxMessageBytes) {
          this.#failed = tooLarge(length, this.maxMessageBytes);
          throw this.#failed;
        }
        this.#remaining = length;
        sink.start(length);
      }
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, n - o);
        if (take === 0) return;
        sink.data(chunk.subarray(o, o + take));
        o += take;
        this.#remaining -= take;
      }
      if (this.#remaining === 0) {
        this.#remaining = -1;
        sink.end();
      }
    }
  }

  reset(): void {
    this.#prefixHave = 0;
    this.#remaining = -1;
    this.#failed = null;
  }
}
