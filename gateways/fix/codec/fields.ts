// A parsed FIX message as a view over the caller's buffer: the fields in wire order as parallel
// typed arrays (tag, value start, value end). Nothing is copied or decoded until a value is asked
// for, so parsing allocates nothing per message; the view is valid until the buffer is reused.

/** Fields a message may carry before the list grows (a growth is rare and amortised). */
const INITIAL_CAPACITY = 256;

export class FieldList {
  tags = new Int32Array(INITIAL_CAPACITY);
  starts = new Int32Array(INITIAL_CAPACITY);
  ends = new Int32Array(INITIAL_CAPACITY);
  count = 0;
  buf: Buffer = Buffer.alloc(0);
  /** The whole message's bytes in `buf`: [start, end). */
  start = 0;
  end = 0;

  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.count = 0;
  }

  push(tag: number, start: number, end: number): void {
    if (this.count === this.tags.length) this.grow();
    this.tags[this.count] = tag;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  /** Index of the first field with `tag` at or after `from`, or -1. */
  indexOf(tag: number, from = 0): number {
    for (let i = from; i < this.count; i++) if (this.tags[i] === tag) return i;
    return -1;
  }

  has(tag: number): boolean {
    return this.indexOf(tag) >= 0;
  }

  /** The value of field `i` as text (FIX is ASCII on the wire; latin1 keeps every byte). */
  valueAt(i: number): string {
    return this.buf.toString('latin1', this.starts[i], this.ends[i]);
  }

  /** The first value of `tag`, or undefined. */
  get(tag: number): string | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.valueAt(i);
  }

  /** The first value of `tag` as a non-negative integer read from its digits, NaN if absent or not one. */
  int(tag: number): number {
    const i = this.indexOf(tag);
    return i < 0 ? NaN : this.intAt(i);
  }

  intAt(i: number): number {
    const b = this.buf;
    const end = this.ends[i];
    let start = this.starts[i];
    const negative = b[start] === 0x2d;
    if (negative) start++;
    if (start === end || end - start > 15) return NaN;
    let n = 0;
    for (let p = start; p < end; p++) {
      const d = b[p] - 0x30;
      if (d < 0 || d > 9) return NaN;
      n = n * 10 + d;
    }
    return negative ? -n : n;
  }

  /** A copy that outlives the buffer (for messages kept past the read: the application's, a queue). */
  copy(): FieldList {
    const out = new FieldList();
    const from = this.start;
    out.reset(Buffer.from(this.buf.subarray(from, this.end)), 0, this.end - from);
    for (let i = 0; i < this.count; i++) out.push(this.tags[i], this.starts[i] - from, this.ends[i] - from);
    return out;
  }

  /** The message's bytes (a view: copy it to keep it). */
  bytes(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  /** The fields as [tag, value] pairs, in order (for logs, tests and the application layer). */
  entries(): [number, string][] {
    const out: [number, string][] = [];
    for (let i = 0; i < this.count; i++) out.push([this.tags[i], this.valueAt(i)]);
    return out;
  }

  private grow(): void {
    const n = this.tags.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.tags = grow(this.tags);
    this.starts = grow(this.starts);
    this.ends = grow(this.ends);
  }
}

/** A message as `8=FIX.4.4|9=..|...` with SOH shown as `|`, for logs and error messages. */
export const printable = (bytes: Buffer): string => bytes.toString('latin1').split('\x01').join('|');
