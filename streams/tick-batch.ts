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

import { Cursor, type InstrumentBytes } from '../codecs/msgpack-cursor.js';
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

const lenient = new TextDecoder('utf-8');

/**
 * Reads a msgpack `ticks` envelope of schema version 1. Returns the number of tuples walked, or -1
 * when the message is anything else (the caller then uses the generic decoder).
 */
export function readTickBatch(bytes: Uint8Array, ids: InstrumentBytes, visit: TickVisitor): number {
  const c = new Cursor(bytes);
  const keys = c.map();
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
      const n = c.strLength();
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
  const n = c.array();
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
  const len = c.array();
  if (len !== 5) {
    c.pos = start;
    c.skip();
    return ['INVALID_TICK', 'tick: expected an array [instrument, ts, bid, ask, last]'];
  }
  const idLen = c.strLength();
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
