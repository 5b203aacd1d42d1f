// SOH framing over a TCP byte stream: bytes arrive in any split (a message across reads, several
// in one read); whole messages come out, in order, as views into one reused buffer.
//
// A message is `8=<BeginString> SOH 9=<BodyLength> SOH <body> 10=<nnn> SOH`, its end known from
// BodyLength. Bytes that cannot start a message, a BodyLength that is not digits or over the limit,
// or a message whose bytes at the computed end are not `SOH 10=nnn SOH`, are garbled: they are reported
// and skipped up to the next `8=FIX`, and framing resumes there (the session ignores garbled input).
// Memory is bounded by the largest message allowed plus one read.

import { SOH } from './parser.js';

const BEGIN = Buffer.from('8=FIX', 'latin1');
/** `8=FIXT.1.1` is the longest BeginString; its field and `9=` fit well within this. */
const MAX_PREFIX = 32;
/** `10=nnn` SOH. */
const TRAILER_BYTES = 7;

export type MessageHandler = (buf: Buffer, start: number, end: number) => void;
export type GarbledHandler = (reason: string, skipped: number) => void;

export class FixFramer {
  private buf: Buffer;
  private head = 0;
  private tail = 0;

  constructor(
    private readonly maxMessageBytes = 64 * 1024,
    initialBytes = 16 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes held that do not make a whole message yet. */
  get pending(): number {
    return this.tail - this.head;
  }

  /** Takes one read; calls `onMessage` for each whole message and `onGarbled` for each skipped run. */
  push(chunk: Uint8Array, onMessage: MessageHandler, onGarbled: GarbledHandler): void {
    this.append(chunk);
    for (;;) {
      const n = this.next(onGarbled);
      if (n <= 0) break;
      const start = this.head;
      this.head += n;
      onMessage(this.buf, start, start + n);
    }
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** Drops whatever is held (the connection is gone). */
  clear(): void {
    this.head = this.tail = 0;
  }

  private append(chunk: Uint8Array): void {
    if (this.tail + chunk.length > this.buf.length) {
      // Move what is held to the front, and grow only if it still does not fit.
      const held = this.tail - this.head;
      const need = held + chunk.length;
      const target = need > this.buf.length ? Buffer.allocUnsafe(Math.max(need, this.buf.length * 2)) : this.buf;
      this.buf.copy(target, 0, this.head, this.tail);
      this.buf = target;
      this.head = 0;
      this.tail = held;
    }
    this.buf.set(chunk, this.tail);
    this.tail += chunk.length;
  }

  /** The length of the whole message at head, 0 if more bytes are needed, after skipping garbage. */
  private next(onGarbled: GarbledHandler): number {
    for (;;) {
      const held = this.tail - this.head;
      if (held === 0) return 0;
      const found = this.beginAt(this.head) ? this.head : this.findBegin();
      if (found !== this.head) {
        // Keep a tail that could be the start of `8=FIX` split across reads.
        const skipTo = found >= 0 ? found : Math.max(this.head, this.tail - (BEGIN.length - 1));
        if (skipTo > this.head) {
          onGarbled('bytes before BeginString', skipTo - this.head);
          this.head = skipTo;
        }
        if (found < 0) return 0;
      }
      const n = this.measure();
      if (n >= 0) return n;
      // -1: garbled at head; skip its `8` and look for the next message.
      onGarbled(this.why, 1);
      this.head += 1;
    }
  }

  private why = '';

  private beginAt(p: number): boolean {
    if (this.tail - p < BEGIN.length) return false;
    for (let k = 0; k < BEGIN.length; k++) if (this.buf[p + k] !== BEGIN[k]) return false;
    return true;
  }

  /** The next `8=FIX` among the bytes held (not the stale ones past them), or -1. */
  private findBegin(): number {
    const at = this.buf.subarray(this.head, this.tail).indexOf(BEGIN);
    return at < 0 ? -1 : this.head + at;
  }

  /** Length of the message at head; 0 when incomplete; -1 (with `why`) when it cannot be one. */
  private measure(): number {
    const b = this.buf;
    const end = this.tail;
    const limit = Math.min(end, this.head + MAX_PREFIX);
    const soh1 = b.indexOf(SOH, this.head);
    if (soh1 < 0 || soh1 >= limit) return end - this.head < MAX_PREFIX ? 0 : this.garbled('BeginString too long');
    const p = soh1 + 1;
    if (end - p < 3) return 0;
    if (b[p] !== 0x39 || b[p + 1] !== 0x3d) return this.garbled('second field is not BodyLength (9)');
    let len = 0;
    let q = p + 2;
    for (; q < end && b[q] !== SOH; q++) {
      const d = b[q] - 0x30;
      if (d < 0 || d > 9 || q - p > 10) return this.garbled('BodyLength is not a number');
      len = len * 10 + d;
    }
    if (q === end) return q - this.head < MAX_PREFIX ? 0 : this.garbled('BodyLength too long');
    if (q === p + 2) return this.garbled('BodyLength is empty');
    const total = q + 1 + len + TRAILER_BYTES - this.head;
    if (total > this.maxMessageBytes)
      return this.garbled(`message of ${total} bytes over the ${this.maxMessageBytes} limit`);
    if (end - this.head < total) return 0;
    const t = this.head + total - TRAILER_BYTES;
    // The body ends in SOH, so the trailer's field starts a field (and the parser agrees on its place).
    if (b[t - 1] !== SOH || b[t] !== 0x31 || b[t + 1] !== 0x30 || b[t + 2] !== 0x3d || b[t + 6] !== SOH)
      return this.garbled('no CheckSum (10) where BodyLength says the message ends');
    return total;
  }

  private garbled(why: string): number {
    this.why = why;
    return -1;
  }
}
