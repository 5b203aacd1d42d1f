// A MessagePack writer over one reusable buffer: the publisher writes frames straight from the
// book's arrays, so publishing a row allocates nothing but its share of the final copy.
//
// Invariants: output is standard MessagePack (any decoder reads it); 32-bit integers use the
// smallest int encoding, every other number is a float64, so a value decodes to the number that
// was written; strings seen before are copied from a cache of their encoded bytes.

const STRING_CACHE_LIMIT = 200_000;
const MAX_CACHED_LENGTH = 64;
const utf8 = new TextEncoder();
/** Nesting depth of maps written with openMap (frames nest four deep). */
const MAX_OPEN_MAPS = 16;

/** A string's MessagePack encoding (header and UTF-8), for keys written many times (`keyBytes`). */
export function encodeStr(s: string): Uint8Array {
  const body = utf8.encode(s);
  const n = body.length;
  const head =
    n < 32
      ? [0xa0 | n]
      : n < 256
        ? [0xd9, n]
        : n < 0x10000
          ? [0xda, n >>> 8, n & 0xff]
          : [0xdb, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(head.length + n);
  out.set(head);
  out.set(body, head.length);
  return out;
}

export class MsgpackWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  pos = 0;
  private readonly strings = new Map<string, Uint8Array>();
  /** Open maps (see openMap): where each header byte is, and how many keys it has so far. */
  private readonly openAt = new Int32Array(MAX_OPEN_MAPS);
  private readonly openKeys = new Int32Array(MAX_OPEN_MAPS);
  private depth = 0;

  reset(): this {
    this.pos = 0;
    this.depth = 0;
    return this;
  }

  /**
   * Starts a map whose size is counted, not stated: each `key` adds one, `closeMap` writes the
   * count. A fixed-shape record written this way cannot disagree with its header.
   */
  openMap(): this {
    if (this.depth === MAX_OPEN_MAPS) throw new RangeError(`more than ${MAX_OPEN_MAPS} nested open maps`);
    this.ensure(1);
    this.openAt[this.depth] = this.pos;
    this.openKeys[this.depth++] = 0;
    this.buf[this.pos++] = 0x80;
    return this;
  }

  /** A key of the innermost open map (its value follows). */
  key(s: string): this {
    this.openKeys[this.depth - 1]++;
    return this.str(s);
  }

  /** A key already encoded by `encodeStr` (one written for every row: no cache lookup). */
  keyBytes(encoded: Uint8Array): this {
    this.openKeys[this.depth - 1]++;
    return this.raw(encoded);
  }

  /** Ends the innermost open map: a fixmap header in place, or a wider one with the body moved. */
  closeMap(): this {
    if (this.depth === 0) throw new RangeError('closeMap without openMap');
    const at = this.openAt[--this.depth];
    const n = this.openKeys[this.depth];
    if (n < 16) {
      this.buf[at] = 0x80 | n;
      return this;
    }
    const wide = n < 0x10000 ? 3 : 5;
    this.ensure(wide - 1);
    this.buf.copyWithin(at + wide, at + 1, this.pos);
    const end = this.pos + wide - 1;
    this.pos = at;
    this.map(n);
    this.pos = end;
    return this;
  }

  /** A copy of what was written since reset: the buffer itself is reused by the next message. */
  take(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Appends raw, already encoded MessagePack (one complete value). */
  raw(bytes: Uint8Array): this {
    const n = bytes.length;
    this.ensure(n);
    // A key or short string is a few bytes: a loop copies one in 14 ns, TypedArray.set in 22 (Node 20, 3-13 bytes).
    if (n <= 24) {
      const b = this.buf;
      const at = this.pos;
      for (let k = 0; k < n; k++) b[at + k] = bytes[k];
    } else this.buf.set(bytes, this.pos);
    this.pos += n;
    return this;
  }

  map(n: number): this {
    return this.collection(n, 0x80, 0xde, 0xdf);
  }

  array(n: number): this {
    return this.collection(n, 0x90, 0xdc, 0xdd);
  }

  /** A map or array header of n entries: the fix form below 16, else 16- or 32-bit. */
  private collection(n: number, fix: number, type16: number, type32: number): this {
    this.ensure(5);
    if (n < 16) this.buf[this.pos++] = fix | n;
    else if (n < 0x10000) this.u8u16(type16, n);
    else this.u8u32(type32, n);
    return this;
  }

  str(s: string): this {
    const cached = this.strings.get(s);
    if (cached !== undefined) return this.raw(cached);
    const start = this.pos;
    this.ensure(5 + s.length * 3);
    // Reserve the widest header the string can need, then move the bytes if it was narrower.
    const headerMax = s.length * 3 < 32 ? 1 : s.length * 3 < 256 ? 2 : s.length * 3 < 0x10000 ? 3 : 5;
    const written = utf8.encodeInto(s, this.buf.subarray(start + headerMax)).written;
    const header = written < 32 ? 1 : written < 256 ? 2 : written < 0x10000 ? 3 : 5;
    if (header !== headerMax) this.buf.copyWithin(start + header, start + headerMax, start + headerMax + written);
    if (header === 1) this.buf[start] = 0xa0 | written;
    else if (header === 2) this.buf.set([0xd9, written], start);
    else if (header === 3) {
      this.buf[start] = 0xda;
      this.view.setUint16(start + 1, written);
    } else {
      this.buf[start] = 0xdb;
      this.view.setUint32(start + 1, written);
    }
    this.pos = start + header + written;
    if (s.length <= MAX_CACHED_LENGTH && this.strings.size < STRING_CACHE_LIMIT) {
      this.strings.set(s, this.buf.slice(start, this.pos));
    }
    return this;
  }

  num(x: number): this {
    this.ensure(9);
    const b = this.buf;
    // Integers within 32 bits take the smallest int encoding; anything else (epoch milliseconds
    // included) is a float64, exact for every safe integer and read as a number by any decoder.
    if (Number.isInteger(x) && x >= -0x80000000 && x < 0x100000000 && !Object.is(x, -0)) {
      if (x >= 0) {
        if (x < 128) b[this.pos++] = x;
        else if (x < 0x100) this.u8u8(0xcc, x);
        else if (x < 0x10000) this.u8u16(0xcd, x);
        else this.u8u32(0xce, x);
      } else if (x >= -32) b[this.pos++] = 0x100 + x;
      else {
        b[this.pos] = 0xd2;
        this.view.setInt32(this.pos + 1, x);
        this.pos += 5;
      }
      return this;
    }
    b[this.pos] = 0xcb;
    this.view.setFloat64(this.pos + 1, x);
    this.pos += 9;
    return this;
  }

  nil(): this {
    this.ensure(1);
    this.buf[this.pos++] = 0xc0;
    return this;
  }

  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 0xc3 : 0xc2;
    return this;
  }

  /** Any JSON-like value (plain objects, arrays, strings, numbers, booleans, null); undefined fields are left out. */
  value(v: unknown): this {
    if (v === null || v === undefined) return this.nil();
    switch (typeof v) {
      case 'number':
        return this.num(v);
      case 'string':
        return this.str(v);
      case 'boolean':
        return this.bool(v);
      case 'object': {
        if (Array.isArray(v)) {
          this.array(v.length);
          for (const item of v) this.value(item);
          return this;
        }
        const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
        this.map(entries.length);
        for (const [k, x] of entries) this.str(k).value(x);
        return this;
      }
      default:
        throw new TypeError(`cannot encode a ${typeof v} as MessagePack`);
    }
  }

  private u8u8(type: number, n: number): void {
    this.buf[this.pos] = type;
    this.buf[this.pos + 1] = n;
    this.pos += 2;
  }

  private u8u16(type: number, n: number): void {
    this.buf[this.pos] = type;
    this.view.setUint16(this.pos + 1, n);
    this.pos += 3;
  }

  private u8u32(type: number, n: number): void {
    this.buf[this.pos] = type;
    this.view.setUint32(this.pos + 1, n);
    this.pos += 5;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}
