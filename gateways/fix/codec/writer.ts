// Encodes FIX messages into a caller-owned buffer with no allocation per message: the body is
// written first, after a gap, and `8=... 9=<BodyLength>` is written backwards into the gap once the
// length is known; CheckSum is summed over the finished bytes. Tags and integers are written as
// ASCII digits directly, strings byte for byte (FIX is ASCII; a value holding SOH is refused).

import { checksum, SOH } from './parser.js';

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Room left before the body for `8=FIXT.1.1` SOH `9=` <up to 10 digits> SOH. */
const GAP = 32;

export class FixWriter {
  private buf: Buffer;
  private pos = GAP;
  private beginString: Buffer;
  /** The last UTCTimestamp's second, formatted (17 bytes), and which second it is. */
  private readonly secondBytes = Buffer.alloc(17);
  private second = NaN;

  constructor(beginString = 'FIX.4.4', bytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(bytes);
    this.beginString = Buffer.from(`8=${beginString}\x019=`, 'latin1');
  }

  /** Starts a message: MsgType (35) is the first body field. */
  begin(msgType: string): this {
    this.pos = GAP;
    return this.str(35, msgType);
  }

  str(tag: number, value: string): this {
    this.tag(tag);
    this.ensure(value.length + 1);
    // Byte by byte: for the short values FIX carries this beats Buffer#write's native call.
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === SOH || c > 0xff) throw new RangeError(`FIX tag ${tag}: value holds SOH or a non-Latin-1 character`);
      b[p++] = c;
    }
    b[p++] = SOH;
    this.pos = p;
    return this;
  }

  /** An integer field (MsgSeqNum, lengths, counts, quantities without decimals). */
  int(tag: number, n: number): this {
    this.tag(tag);
    this.digits(n);
    this.buf[this.pos++] = SOH;
    return this;
  }

  /** A price or quantity: shortest decimal that round-trips (no exponent: FIX floats are plain decimals). */
  num(tag: number, x: number): this {
    if (!Number.isFinite(x)) throw new RangeError(`FIX tag ${tag}: ${x} is not a finite number`);
    if (Number.isInteger(x) && Math.abs(x) < 1e15) return this.int(tag, x);
    let s = String(x);
    if (s.includes('e')) s = x.toFixed(Math.min(20, Math.max(0, -Math.floor(Math.log10(Math.abs(x))) + 15)));
    return this.str(tag, s);
  }

  /** UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss. */
  time(tag: number, epochMs: number): this {
    this.tag(tag);
    this.ensure(22);
    const second = Math.floor(epochMs / 1000);
    // Messages of one second share "YYYYMMDD-HH:MM:SS": formatted once, copied after.
    if (second !== this.second) {
      const d = new Date(second * 1000);
      const text = `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
      this.secondBytes.write(text, 0, 'latin1');
      this.second = second;
    }
    this.secondBytes.copy(this.buf, this.pos);
    this.pos += 17;
    this.buf[this.pos++] = 0x2e;
    this.pad(epochMs - second * 1000, 3);
    this.buf[this.pos++] = SOH;
    return this;
  }

  /** Bytes already encoded as `tag=value SOH ...` (a stored message's body, copied as it was). */
  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /**
   * Ends the message: BeginString and BodyLength in front, CheckSum behind. Returns a view of the
   * writer's buffer, valid until the next `begin` (copy it to keep it).
   */
  finish(): Buffer {
    const bodyLength = this.pos - GAP;
    const lengthDigits = String(bodyLength);
    let start = GAP - 1 - lengthDigits.length;
    this.buf[GAP - 1] = SOH;
    this.buf.write(lengthDigits, start, 'latin1');
    start -= this.beginString.length;
    this.beginString.copy(this.buf, start);
    const sum = checksum(this.buf, start, this.pos);
    this.ensure(7);
    this.buf[this.pos++] = 0x31;
    this.buf[this.pos++] = 0x30;
    this.buf[this.pos++] = 0x3d;
    this.pad(sum, 3);
    this.buf[this.pos++] = SOH;
    return this.buf.subarray(start, this.pos);
  }

  private tag(tag: number): void {
    this.ensure(24);
    this.digits(tag);
    this.buf[this.pos++] = 0x3d;
  }

  private digits(n: number): void {
    this.ensure(21);
    if (!Number.isSafeInteger(n)) throw new RangeError(`FIX: ${n} is not an integer`);
    if (n < 0) {
      this.buf[this.pos++] = 0x2d;
      n = -n;
    }
    if (n === 0) {
      this.buf[this.pos++] = 0x30;
      return;
    }
    let len = 0;
    for (let m = n; m > 0; m = Math.floor(m / 10)) len++;
    for (let i = this.pos + len - 1; i >= this.pos; i--) {
      this.buf[i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.pos += len;
  }

  private pad(n: number, width: number): void {
    for (let i = this.pos + width - 1; i >= this.pos; i--) {
      this.buf[i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.pos += width;
  }

  private ensure(n: number): void {
    if (this.pos + n + 8 <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n + 64));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}
