// PostgreSQL's binary COPY format (`COPY … FROM STDIN (FORMAT binary)`), written into one growing
// buffer the caller reuses: a header, then per row a 16-bit field count and each field as a 32-bit
// length and its bytes (-1: NULL), then a trailer of -1. Numbers go as their network-order bytes,
// so a tick row costs no number formatting and the server no parsing.
//
// Invariants: fields are written in the table's column order, with each column's binary type
// (text: UTF-8 bytes; float8: IEEE 754 double; int8/int4: two's complement; timestamptz:
// microseconds since 2000-01-01 UTC as int8). `take()` hands out the bytes written since the last
// take; the buffer is reused, so a chunk must be written out before the next row is added.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Milliseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
const PG_EPOCH_MS = 946_684_800_000;

export class CopyWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  constructor() {
    this.header();
  }

  private header(): void {
    this.room(SIGNATURE.length + 8);
    SIGNATURE.copy(this.buf, this.pos);
    this.pos += SIGNATURE.length;
    this.buf.writeInt32BE(0, this.pos); // flags: no OIDs
    this.buf.writeInt32BE(0, this.pos + 4); // header extension length
    this.pos += 8;
  }

  /** Bytes written so far (the header included, until the first take). */
  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  row(fields: number): this {
    this.room(2);
    this.buf.writeInt16BE(fields, this.pos);
    this.pos += 2;
    return this;
  }

  text(s: string): this {
    // A UTF-8 string is at most three bytes per UTF-16 unit.
    this.room(4 + s.length * 3);
    const n = this.buf.write(s, this.pos + 4, 'utf8');
    this.buf.writeInt32BE(n, this.pos);
    this.pos += 4 + n;
    return this;
  }

  /** A text field whose UTF-8 bytes the caller has already (an id encoded once). */
  bytes(b: Uint8Array): this {
    this.room(4 + b.length);
    this.buf.writeInt32BE(b.length, this.pos);
    this.buf.set(b, this.pos + 4);
    this.pos += 4 + b.length;
    return this;
  }

  float8(x: number): this {
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeDoubleBE(x, this.pos + 4);
    this.pos += 12;
    return this;
  }

  /** A safe integer as int8 (two 32-bit halves: no BigInt per row). */
  int8(n: number): this {
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.halves(n);
    return this;
  }

  private halves(n: number): void {
    const hi = Math.floor(n / 4294967296);
    this.buf.writeInt32BE(hi, this.pos + 4);
    this.buf.writeUInt32BE(n - hi * 4294967296, this.pos + 8);
    this.pos += 12;
  }

  int4(n: number): this {
    this.room(8);
    this.buf.writeInt32BE(4, this.pos);
    this.buf.writeInt32BE(n, this.pos + 4);
    this.pos += 8;
    return this;
  }

  /** Epoch milliseconds (fractions kept to the microsecond) as timestamptz. */
  timestampMs(ms: number): this {
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.halves(Math.round((ms - PG_EPOCH_MS) * 1000));
    return this;
  }

  null(): this {
    this.room(4);
    this.buf.writeInt32BE(-1, this.pos);
    this.pos += 4;
    return this;
  }

  /** Ends the stream: the trailer. */
  end(): this {
    this.room(2);
    this.buf.writeInt16BE(-1, this.pos);
    this.pos += 2;
    return this;
  }

  /** The bytes written since the last take (a copy: the buffer is written over next). */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  /** Starts a new stream (header) in the same buffer. */
  reset(): void {
    this.pos = 0;
    this.header();
  }
}
