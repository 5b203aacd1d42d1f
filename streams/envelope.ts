// The versioned envelope every bus message carries, and its two encodings. msgpack is the default
// (plain maps, no msgpackr-only extensions, so any MessagePack library can read it); JSON is for
// topics a generic client writes by hand. Decoding validates the shape and never throws anything
// but a RisklineError with a catalogue code, so a consumer can route a bad record to the DLQ.

import { Packr } from 'msgpackr';
import { RisklineError } from '../errors/catalogue.js';
import { decodeFrame, type EncodedFrame } from '../engine/frames.js';
import { MsgpackWriter } from '../codecs/msgpack.js';
import { describe, type TickFields } from '../engine/validate.js';

export const ENVELOPE_VERSION = 1;

export type MessageType =
  'tick' | 'ticks' | 'execution' | 'order' | 'frame' | 'alert' | 'alert-action' | 'heartbeat' | 'checkpoint';
const MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'tick',
  'ticks',
  'execution',
  'order',
  'frame',
  'alert',
  'alert-action',
  'heartbeat',
  'checkpoint',
]);

export interface Envelope<T = unknown> {
  /** Schema version of the envelope. */
  v: number;
  type: MessageType;
  /** Producer id: which process/role wrote it. */
  src: string;
  /** Event time, epoch milliseconds. */
  ts: number;
  /** Per-producer sequence number. */
  seq: number;
  body: T;
}

/**
 * Body of a `ticks` message: a batch of ticks as positional tuples [instrument, ts, bid, ask, last].
 * Batching is what lets the bus carry millions of ticks a second (one envelope per few hundred
 * ticks); every tick in one record belongs to the record's partition. A single `tick` message has
 * a map body {instrument, ts, bid, ask, last} for clients that write one at a time.
 */
export type TickTuple = TickFields;

export type Codec = 'msgpack' | 'json';

// useRecords:false keeps the bytes standard MessagePack; float64 for every non-integer number.
// int64AsType: other languages' clients (Python's msgpack, msgpack-java) write epoch millis as
// 64-bit ints; they read as numbers, not BigInt. encodeUndefinedAsNil keeps msgpackr's own
// extension for `undefined` off the wire.
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  variableMapSize: false,
  int64AsType: 'number',
  encodeUndefinedAsNil: true,
});

/** Decodes one standard MessagePack value (a tuple of a batch sent to the DLQ, say). */
export const unpackValue = (bytes: Uint8Array): unknown => packr.unpack(bytes);
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export function encodeEnvelope(env: Envelope, codec: Codec = 'msgpack'): Uint8Array {
  if (codec === 'json') return textEncoder.encode(JSON.stringify(env));
  // msgpackr packs into a shared buffer; a copy of exactly the message's bytes keeps one retained
  // message (a compacted state, a DLQ record) from pinning megabytes of its neighbours.
  return new Uint8Array(packr.pack(env));
}

const writer = new MsgpackWriter();

/**
 * The msgpack envelope of a frame up to its body: the frame's own MessagePack bytes follow as the
 * body as they are (MessagePack values concatenate), so a frame is never decoded and re-encoded
 * on the way out. The engine role writes this before each frame in the engine's own buffer.
 */
export function writeFrameEnvelopeHeader(w: MsgpackWriter, src: string, seq: number, asOf: number): void {
  w.map(6).str('v').num(ENVELOPE_VERSION).str('type').str('frame').str('src').str(src);
  w.str('ts').num(asOf).str('seq').num(seq).str('body');
}

/** The envelope of an engine frame (one copy of its bytes; see writeFrameEnvelopeHeader). */
export function encodeFrameEnvelope(
  src: string,
  seq: number,
  frame: EncodedFrame,
  codec: Codec = 'msgpack',
): Uint8Array {
  if (codec === 'json')
    return encodeEnvelope(
      { v: ENVELOPE_VERSION, type: 'frame', src, ts: frame.asOf, seq, body: decodeFrame(frame) },
      'json',
    );
  writeFrameEnvelopeHeader(writer.reset(), src, seq, frame.asOf);
  return writer.raw(frame.bytes).take();
}

export function decodeEnvelope(bytes: Uint8Array, codec: Codec = 'msgpack'): Envelope {
  return checkEnvelope(codec === 'json' ? parseJson(bytes) : unpackOne(bytes));
}

/** A few bytes in hex for a reason: enough to recognise a record, never a dump of it. */
function hexBytes(bytes: Uint8Array, at = 0, n = 4): string {
  const shown = Array.from(bytes.subarray(at, at + n), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > at + n ? `${shown} …` : shown;
}

const decodeFailed = (codec: Codec, what: string) =>
  new RisklineError('DECODE_FAILED', `not valid ${codec === 'json' ? 'JSON' : codec}: ${what}`);

/** The one msgpack value that must fill `bytes`, or DECODE_FAILED naming what failed and at which byte. */
function unpackOne(bytes: Uint8Array): unknown {
  const n = bytes.length;
  if (n === 0) throw decodeFailed('msgpack', 'empty value');
  const b = bytes[0];
  // An envelope is a map: fixmap, map16 or map32. Anything else is refused before msgpackr reads it.
  if (!((b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf))
    throw decodeFailed(
      'msgpack',
      `first byte 0x${b.toString(16).padStart(2, '0')} is not a map header (nor '{' for JSON)`,
    );
  let value: unknown;
  let end = 0;
  try {
    packr.unpackMultiple(bytes, (v: unknown, _start?: number, stop?: number) => {
      value = v;
      end = stop ?? n;
      return false;
    });
  } catch (err) {
    if ((err as { incomplete?: boolean }).incomplete)
      throw decodeFailed('msgpack', `cut short: the map needs more than its ${n} bytes (${hexBytes(bytes)})`);
    throw decodeFailed('msgpack', `${oneLine((err as Error).message, 60)} in ${n} bytes (${hexBytes(bytes)})`);
  }
  if (end < n)
    throw decodeFailed(
      'msgpack',
      `${end} bytes decoded as one value, ${n - end} byte${n - end === 1 ? '' : 's'} left over at byte ${end}`,
    );
  return value;
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = textDecoder.decode(bytes);
  } catch {
    throw decodeFailed('json', `not UTF-8 (${bytes.length} bytes: ${hexBytes(bytes)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // V8 quotes the text it failed on in some messages: keep the problem and where, never the text.
    const problem = (err as Error).message
      .replace(/^(Unexpected token '.+?'), ".*$/s, '$1')
      .replace(' in JSON at', ' at');
    throw decodeFailed('json', `${oneLine(problem, 80)} (${bytes.length} bytes)`);
  }
}

/** `s` on one line, cut at `max` characters. */
export function oneLine(s: string, max: number): string {
  const line = s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Accepts msgpack or JSON by sniffing the first byte ('{' is never a valid msgpack envelope start). */
export function decodeEnvelopeAuto(bytes: Uint8Array): Envelope {
  return decodeEnvelope(bytes, bytes.length > 0 && bytes[0] === 0x7b ? 'json' : 'msgpack');
}

function checkEnvelope(raw: unknown): Envelope {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RisklineError('DECODE_FAILED', 'envelope must be a map');
  }
  const e = raw as Record<string, unknown>;
  if (e.v !== ENVELOPE_VERSION) {
    const v = e.v === undefined ? 'envelope has no v' : `envelope v=${describe(e.v)}`;
    throw new RisklineError('UNSUPPORTED_VERSION', `${v}; this build reads v=${ENVELOPE_VERSION}`);
  }
  if (typeof e.type !== 'string' || !MESSAGE_TYPES.has(e.type)) {
    throw new RisklineError(
      'DECODE_FAILED',
      `envelope type ${describe(e.type)} is not one of ${[...MESSAGE_TYPES].join(', ')}`,
    );
  }
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts))
    throw new RisklineError('DECODE_FAILED', 'envelope ts must be a number');
  if (typeof e.src !== 'string') throw new RisklineError('DECODE_FAILED', 'envelope src must be a string');
  if (typeof e.seq !== 'number') throw new RisklineError('DECODE_FAILED', 'envelope seq must be a number');
  if (e.body === undefined) throw new RisklineError('DECODE_FAILED', 'envelope body is missing');
  return e as unknown as Envelope;
}
