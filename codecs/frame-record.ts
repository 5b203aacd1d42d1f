// Frames read in place: the gateway's reader of the engine's frame records (readFrameRecord) and the
// terminal's of the server's frame messages (readServerFrame). The routing fields are read from the
// bytes, the data is left as the MessagePack the engine wrote, and an update is merged from those
// bytes straight into the rows the reader holds. A 10k-position portfolio sends 100k rows a second;
// decoding each row into an object and then copying its fields into the row held was most of the
// gateway's time, and the objects most of its garbage.
//
// Invariants: a record this reader takes is one the generic path (decodeEnvelope, checkFrame,
// applyFrame with ownRows) takes, with the same result; anything else (another type or version,
// JSON, a map key that is not a string, a string that is not ASCII, bin or ext, bytes left over)
// makes readFrameRecord return null before any state is touched, and the caller falls back to the
// generic path, which then gives the same error it always gave. Maps with a key twice are outside
// this (MessagePack leaves their meaning open; the engine never writes one): the generic decoder
// keeps the last entry, a merge here applies both in order.

import { KEYED_SECTIONS, type Frame } from '../engine/frames.js';
import { BytesTable, Cursor, NUMBER_SIZE } from './msgpack-cursor.js';

/**
 * A frame read from its record with its data left as MessagePack (`packed`, a view into the
 * record): `data` is decoded the first time something asks for it (a JSON subscriber, say); the
 * channel store merges an update from the bytes (mergeInto), and a MessagePack subscriber is sent
 * the bytes as they came (gateways/protocol.ts encodeFrame).
 */
export class PackedFrame implements Frame {
  private decoded: Record<string, unknown> | undefined;

  constructor(
    public channel: string,
    public type: Frame['type'],
    public seq: number,
    public asOf: number,
    public inputSeq: number,
    readonly packed: Uint8Array,
    private readonly strings: FrameStrings,
  ) {}

  get data(): Record<string, unknown> {
    return (this.decoded ??= new Data(this.packed, this.strings).value() as Record<string, unknown>);
  }

  /**
   * Merges this update into a channel's state as applyFrame(state, this, true) would; `onRow` hears
   * each key of its `rows` section. Whether it had one.
   */
  mergeInto(state: Record<string, unknown>, onRow?: (key: string) => void): boolean {
    return mergeUpdate(state, new Data(this.packed, this.strings), onRow);
  }
}

/** Strings at most this long are looked up in the table; longer ones are decoded each time. */
const CACHED_STRING = 64;
const ascii = new TextDecoder('latin1');

/** Keys and short strings by their bytes: field names and instrument ids decoded once each. */
export class FrameStrings extends BytesTable<string> {
  constructor() {
    super((s) => s, '');
  }
}

/**
 * Reads a msgpack `frame` envelope of schema version 1 whose body is a frame with its routing
 * fields (channel, type, seq, asOf, inputSeq) and a data map. Null for anything else.
 */
export function readFrameRecord(bytes: Uint8Array, strings: FrameStrings): PackedFrame | null {
  const c = new Data(bytes, strings);
  const keys = c.map();
  if (keys < 0) return null;
  let version = NaN;
  let isFrame = false;
  let src = false;
  let ts = NaN;
  let seq = NaN;
  let frame: PackedFrame | null = null;
  for (let k = 0; k < keys && !c.fail; k++) {
    if (c.isWord('v')) version = c.number();
    else if (c.isWord('type')) {
      if (!c.isWord('frame')) return null;
      isFrame = true;
    } else if (c.isWord('src')) {
      const n = c.strLength();
      if (n < 0) return null;
      c.pos += n;
      src = true;
    } else if (c.isWord('ts')) ts = c.number();
    else if (c.isWord('seq')) seq = c.number();
    else if (c.isWord('body')) {
      if ((frame = readFrame(c)) === null) return null;
    } else {
      c.skip();
      c.skip();
    }
  }
  if (c.fail || c.pos !== bytes.length || version !== 1 || !isFrame || !src) return null;
  if (!Number.isFinite(ts) || Number.isNaN(seq)) return null;
  return frame;
}

/**
 * Reads a server message of the client protocol (gateways/protocol.ts) that is a frame, `snapshot`
 * or `update` (its `ts` ignored: it is `asOf`), the same way; null for any other message.
 */
export function readServerFrame(bytes: Uint8Array, strings: FrameStrings): PackedFrame | null {
  const d = new Data(bytes, strings);
  const frame = readFrame(d);
  return frame !== null && d.pos === bytes.length ? frame : null;
}

/** The frame map at d.pos, its data walked (see Data.walk) and left packed; null if it is not one. */
function readFrame(d: Data): PackedFrame | null {
  const keys = d.map();
  if (keys < 0) return null;
  let channel: string | null = null;
  let type: Frame['type'] | null = null;
  let seq = NaN;
  let asOf = NaN;
  let inputSeq = NaN;
  let data = -1;
  let dataEnd = -1;
  for (let k = 0; k < keys; k++) {
    if (d.isWord('channel')) {
      const at = d.pos;
      if (d.strLength() < 0) return null;
      d.pos = at;
      if (!d.walk()) return null;
      d.pos = at;
      channel = d.str();
    } else if (d.isWord('type')) {
      type = d.isWord('update') ? 'update' : d.isWord('snapshot') ? 'snapshot' : null;
      if (type === null) return null;
    } else if (d.isWord('seq')) seq = d.number();
    else if (d.isWord('asOf')) asOf = d.number();
    else if (d.isWord('inputSeq')) inputSeq = d.number();
    else if (d.isWord('data')) {
      data = d.pos;
      if (d.map() < 0) return null;
      d.pos = data;
      if (!d.walk()) return null;
      dataEnd = d.pos;
    } else if (!d.walk() || !d.walk()) return null;
  }
  if (channel === null || type === null || data < 0) return null;
  if (!Number.isFinite(seq) || !Number.isFinite(asOf) || !Number.isFinite(inputSeq)) return null;
  return new PackedFrame(channel, type, seq, asOf, inputSeq, d.b.subarray(data, dataEnd), d.strings);
}

/** A cursor over a frame (the walk and the merge share it; no object per value). */
class Data extends Cursor {
  constructor(
    b: Uint8Array,
    readonly strings: FrameStrings,
  ) {
    super(b);
  }

  /** The string at pos (walked: its header is a string's). */
  str(): string {
    const n = this.strLength();
    const start = this.pos;
    this.pos += n;
    return n <= CACHED_STRING
      ? this.strings.lookup(this.b, start, this.pos)
      : ascii.decode(this.b.subarray(start, this.pos));
  }

  /** A key: the string at p, renamed as msgpackr renames the one that would set a prototype. */
  key(): string {
    const k = this.str();
    return k === '__proto__' ? '__proto_' : k;
  }

  /**
   * Walks one value, refusing what `value` would read differently from the generic decoder: a map
   * key that is not a string, a string with a byte over 0x7f, bin, ext, anything cut short.
   */
  walk(): boolean {
    const b = this.b;
    const x = b[this.pos];
    if (this.pos >= b.length) return false;
    if (x <= 0x7f || x >= 0xe0 || x === 0xc0 || x === 0xc2 || x === 0xc3) return (this.pos++, true);
    const size = NUMBER_SIZE[x];
    if (size !== 0) return (this.pos += 1 + size) <= b.length;
    let n = this.strLength();
    if (n >= 0) {
      const end = this.pos + n;
      if (end > b.length) return false;
      for (let i = this.pos; i < end; i++) if (b[i] > 0x7f) return false;
      this.pos = end;
      return true;
    }
    if ((n = this.map()) >= 0) {
      for (let i = 0; i < n; i++) {
        const k = b[this.pos];
        if (!((k >= 0xa0 && k <= 0xbf) || k === 0xd9 || k === 0xda || k === 0xdb)) return false;
        if (!this.walk() || !this.walk()) return false;
      }
      return true;
    }
    if ((n = this.array()) >= 0) {
      for (let i = 0; i < n; i++) if (!this.walk()) return false;
      return true;
    }
    return false;
  }

  /** One walked value: maps as plain objects, as the generic decoder makes them. */
  value(): unknown {
    const x = this.b[this.pos];
    if (x <= 0x7f || x >= 0xe0 || NUMBER_SIZE[x] !== 0) return this.number();
    if (x === 0xc0) return (this.pos++, null);
    if (x === 0xc2) return (this.pos++, false);
    if (x === 0xc3) return (this.pos++, true);
    if ((x >= 0xa0 && x <= 0xbf) || (x >= 0xd9 && x <= 0xdb)) return this.str();
    let n = this.map();
    if (n >= 0) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = this.key();
        o[k] = this.value();
      }
      return o;
    }
    n = this.array();
    const a: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) a[i] = this.value();
    return a;
  }
}

/**
 * Merges an update's data into `state` as applyFrame(state, {type: 'update', data}, true) does
 * (engine/frames.ts): keyed sections entry by entry, a row's fields written into the row held, a
 * null entry removing one, every other field replaced. No object is made for a row that is held.
 */
function mergeUpdate(state: Record<string, unknown>, d: Data, onRow?: (key: string) => void): boolean {
  let rows = false;
  const fields = d.map();
  for (let i = 0; i < fields; i++) {
    const field = d.key();
    const keyed = KEYED_SECTIONS.has(field);
    let n = keyed ? d.map() : -1;
    // A keyed section sent as an array merges by index, as Object.entries reads one.
    const byIndex = keyed && n < 0 && (n = d.array()) >= 0;
    if (n < 0) {
      state[field] = d.value();
      continue;
    }
    const section = (state[field] ??= {}) as Record<string, unknown>;
    const heard = field === 'rows' ? onRow : undefined;
    rows ||= field === 'rows';
    for (let r = 0; r < n; r++) {
      const key = byIndex ? String(r) : d.key();
      heard?.(key);
      if (d.b[d.pos] === 0xc0) {
        d.pos++;
        delete section[key];
        continue;
      }
      const held = section[key];
      const at = d.pos;
      const m = d.map();
      if (m < 0 || !isHeld(held)) {
        d.pos = at;
        section[key] = d.value();
        continue;
      }
      for (let f = 0; f < m; f++) {
        const name = d.key();
        held[name] = d.value();
      }
    }
  }
  return rows;
}

const isHeld = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
