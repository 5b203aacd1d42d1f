// Zero-allocation reader of msgpack `ticks` envelopes: walks the bytes once and hands each tick to
// a visitor as numbers, with the instrument already resolved to its dense index. It is the bus's
// hottest decode (every tick passes here), so it creates no arrays, no numbers on the heap and no
// strings per tick — an instrument's id is decoded once, the first time its bytes are seen.
//
// Invariants: keys of the envelope map may come in any order; anything this reader does not
// handle (another message type, JSON, a msgpack type it does not expect in an envelope) makes it
// return null before visiting a single tick, and the caller falls back to the generic decoder. A
// bad tuple inside a well-formed batch is reported through `bad` with its index, byte range and
// the reason, and the batch goes on.

import { RisklineError } from '../errors/catalogue.js';
import { tickNumbersError } from '../engine/validate.js';

export interface TickVisitor {
  /** A valid tick of a known instrument. */
  tick(instrument: number, ts: number, bid: number, ask: number, last: number): void;
  /** A tuple that failed: its index in the batch, its bytes [start, end) and why. */
  bad(index: number, start: number, end: number, err: RisklineError): void;
  /** The envelope's source (its UTF-8 bytes at bytes[srcStart, srcEnd)), seq and ts, before any tuple. */
  envelope?(bytes: Uint8Array, srcStart: number, srcEnd: number, seq: number, ts: number): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Instrument ids by their UTF-8 bytes: an open-addressing table, so lookups allocate nothing. */
/** FNV-1a over bytes[start, end): the id table's hash. */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h;
}

export class InstrumentBytes {
  private keys: Uint8Array[] = [];
  private values: number[] = [];
  private slots = new Int32Array(1024).fill(-1);

  constructor(private readonly resolve: (id: string) => number) {}

  /** Dense index for the id in bytes[start, end), or -1 when the resolver does not know it. */
  lookup(bytes: Uint8Array, start: number, end: number): number {
    const mask = this.slots.length - 1;
    for (let s = fnv1a(bytes, start, end) & mask; ; s = (s + 1) & mask) {
      const k = this.slots[s];
      if (k < 0) return this.insert(s, bytes, start, end);
      const key = this.keys[k];
      if (key.length === end - start && equalBytes(key, bytes, start)) return this.values[k];
    }
  }

  private insert(slot: number, bytes: Uint8Array, start: number, end: number): number {
    let value = -1;
    try {
      value = this.resolve(utf8.decode(bytes.subarray(start, end)));
    } catch {
      // Not UTF-8: no instrument has such an id.
    }
    // Unknown ids are remembered too, so a stream of bad ticks does not decode strings either.
    this.slots[slot] = this.keys.length;
    this.keys.push(bytes.slice(start, end));
    this.values.push(value);
    if (this.keys.length * 2 > this.slots.length) this.rehash();
    return value;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    this.keys.forEach((key, k) => {
      let s = fnv1a(key, 0, key.length) & mask;
      while (this.slots[s] >= 0) s = (s + 1) & mask;
      this.slots[s] = k;
    });
  }
}

function equalBytes(key: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < key.length; i++) if (key[i] !== bytes[start + i]) return false;
  return true;
}

/** Byte cursor over one message; `fail` marks input this reader does not take (→ fallback). */
class Cursor {
  pos = 0;
  fail = false;
  private view: DataView;
  constructor(readonly b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  /** Length of a map/array/str header of the wanted family at pos, advancing past it; -1 if other. */
  header(kind: 'map' | 'array' | 'str'): number {
    const b = this.b;
    const c = b[this.pos];
    if (this.pos >= b.length) return -1;
    if (kind === 'map' && c >= 0x80 && c <= 0x8f) return (this.pos++, c & 0x0f);
    if (kind === 'array' && c >= 0x90 && c <= 0x9f) return (this.pos++, c & 0x0f);
    if (kind === 'str' && c >= 0xa0 && c <= 0xbf) return (this.pos++, c & 0x1f);
    const size = WIDE_HEADER[kind][c];
    if (size === undefined) return -1;
    if (this.pos + 1 + size > b.length) return -1;
    const n =
      size === 1 ? b[this.pos + 1] : size === 2 ? this.view.getUint16(this.pos + 1) : this.view.getUint32(this.pos + 1);
    this.pos += 1 + size;
    return n;
  }

  /** A number (any msgpack int or float) at pos, or NaN (cursor unmoved) if it is not one. */
  number(): number {
    const b = this.b;
    const p = this.pos;
    if (p >= b.length) return NaN;
    const c = b[p];
    if (c <= 0x7f) return ((this.pos = p + 1), c);
    if (c >= 0xe0) return ((this.pos = p + 1), c - 0x100);
    const v = this.view;
    const need = NUMBER_SIZE[c];
    if (need === 0 || p + 1 + need > b.length) return NaN;
    this.pos = p + 1 + need;
    switch (c) {
      case 0xcb:
        return v.getFloat64(p + 1);
      case 0xca:
        return v.getFloat32(p + 1);
      case 0xcc:
        return b[p + 1];
      case 0xcd:
        return v.getUint16(p + 1);
      case 0xce:
        return v.getUint32(p + 1);
      case 0xcf:
        return v.getUint32(p + 1) * 4294967296 + v.getUint32(p + 5);
      case 0xd0:
        return v.getInt8(p + 1);
      case 0xd1:
        return v.getInt16(p + 1);
      case 0xd2:
        return v.getInt32(p + 1);
      default:
        return v.getInt32(p + 1) * 4294967296 + v.getUint32(p + 5);
    }
  }

  /** Skips any one msgpack value; sets fail on a type or length it cannot walk. */
  skip(): void {
    const b = this.b;
    const c = b[this.pos];
    if (this.pos >= b.length) return void (this.fail = true);
    if (c <= 0x7f || c >= 0xe0 || c === 0xc0 || c === 0xc2 || c === 0xc3) return void this.pos++;
    if (NUMBER_SIZE[c] !== 0) return void (this.pos += 1 + NUMBER_SIZE[c]);
    let n = this.header('str');
    if (n >= 0) return void (this.pos += n);
    if ((n = this.header('array')) >= 0) {
      for (let i = 0; i < n && !this.fail; i++) this.skip();
      return;
    }
    if ((n = this.header('map')) >= 0) {
      for (let i = 0; i < 2 * n && !this.fail; i++) this.skip();
      return;
    }
    this.fail = true; // bin, ext and timestamps do not belong in an envelope
  }

  /** Whether the str at pos equals the ASCII `word`; advances past it when it does. */
  isWord(word: string): boolean {
    const save = this.pos;
    const n = this.header('str');
    if (n === word.length) {
      let same = true;
      for (let i = 0; i < n; i++) if (this.b[this.pos + i] !== word.charCodeAt(i)) same = false;
      if (same) return ((this.pos += n), true);
    }
    this.pos = save;
    return false;
  }
}

/** Payload bytes after the type byte of each msgpack number type; 0 for non-numbers. */
const NUMBER_SIZE = new Uint8Array(256);
for (const [type, size] of [
  [0xca, 4],
  [0xcb, 8],
  [0xcc, 1],
  [0xcd, 2],
  [0xce, 4],
  [0xcf, 8],
  [0xd0, 1],
  [0xd1, 2],
  [0xd2, 4],
  [0xd3, 8],
]) {
  NUMBER_SIZE[type] = size;
}
/** Length-field size of the non-fix map, array and str headers. */
const WIDE_HEADER: Record<'map' | 'array' | 'str', Record<number, number>> = {
  map: { 0xde: 2, 0xdf: 4 },
  array: { 0xdc: 2, 0xdd: 4 },
  str: { 0xd9: 1, 0xda: 2, 0xdb: 4 },
};

/**
 * Reads a msgpack `ticks` envelope of schema version 1. Returns the number of tuples walked, or -1
 * when the message is anything else (the caller then uses the generic decoder).
 */
export function readTickBatch(bytes: Uint8Array, ids: InstrumentBytes, visit: TickVisitor): number {
  const c = new Cursor(bytes);
  const keys = c.header('map');
  if (keys < 0) return -1;
  let version = NaN;
  let isTicks = false;
  let body = -1;
  // The envelope fields the generic decoder requires: a record without them (or with a wrong
  // type) goes to it, so it is refused with the same reason however it arrives.
  let src = false;
  let ts = NaN;
  let seq = NaN;
  let srcStart = -1;
  let srcEnd = -1;
  for (let k = 0; k < keys && !c.fail; k++) {
    if (c.isWord('v')) version = c.number();
    else if (c.isWord('type')) {
      // Anything but a batch goes to the generic decoder at once, before its body is walked.
      if (!c.isWord('ticks')) return -1;
      isTicks = true;
    } else if (c.isWord('src')) {
      const n = c.header('str');
      if (n < 0 || c.pos + n > bytes.length) return -1;
      srcStart = c.pos;
      c.pos += n;
      srcEnd = c.pos;
      src = true;
    } else if (c.isWord('ts')) {
      ts = c.number();
      if (!Number.isFinite(ts)) return -1;
    } else if (c.isWord('seq')) {
      seq = c.number();
      if (Number.isNaN(seq)) return -1;
    } else if (c.isWord('body')) {
      body = c.pos;
      c.skip();
    } else {
      c.skip(); // key
      c.skip(); // value
    }
  }
  if (c.fail || version !== 1 || !isTicks || !src || Number.isNaN(ts) || Number.isNaN(seq) || body < 0) return -1;
  if (c.pos !== bytes.length) return -1;
  visit.envelope?.(bytes, srcStart, srcEnd, seq, ts);
  c.pos = body;
  const n = c.header('array');
  if (n < 0) return -1;
  for (let k = 0; k < n; k++) {
    const start = c.pos;
    const reason = readTuple(c, ids, visit);
    if (c.fail) return k === 0 ? -1 : k; // a batch cut short: what was visited stays visited
    if (reason !== null) visit.bad(k, start, c.pos, new RisklineError(reason[0], `ticks[${k}]: ${reason[1]}`));
  }
  return n;
}

type Reason = [code: 'INVALID_TICK' | 'UNKNOWN_INSTRUMENT', message: string] | null;

function readTuple(c: Cursor, ids: InstrumentBytes, visit: TickVisitor): Reason {
  const start = c.pos;
  const len = c.header('array');
  if (len !== 5) {
    c.pos = start;
    c.skip();
    return ['INVALID_TICK', 'tick: expected an array [instrument, ts, bid, ask, last]'];
  }
  const idLen = c.header('str');
  if (idLen <= 0) {
    c.pos = start;
    c.skip();
    return ['INVALID_TICK', 'instrument: expected a non-empty string'];
  }
  const idStart = c.pos;
  c.pos += idLen;
  const ts = c.number();
  const bid = Number.isNaN(ts) ? NaN : c.number();
  const ask = Number.isNaN(bid) ? NaN : c.number();
  const last = Number.isNaN(ask) ? NaN : c.number();
  if (Number.isNaN(last)) {
    const field = Number.isNaN(ts) ? 'ts' : Number.isNaN(bid) ? 'bid' : Number.isNaN(ask) ? 'ask' : 'last';
    c.pos = start;
    c.skip();
    return ['INVALID_TICK', `${field}: expected a number`];
  }
  const bad = tickNumbersError(ts, bid, ask, last);
  if (bad !== null) return ['INVALID_TICK', `${bad[0]}: expected ${bad[1]}, received ${bad[2]}`];
  const i = ids.lookup(c.b, idStart, idStart + idLen);
  if (i < 0) {
    return [
      'UNKNOWN_INSTRUMENT',
      `unknown instrument ${JSON.stringify(lenient.decode(c.b.subarray(idStart, idStart + idLen)))}`,
    ];
  }
  visit.tick(i, ts, bid, ask, last);
  return null;
}
