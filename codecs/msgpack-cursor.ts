// A byte cursor over one MessagePack message and a table of strings by their UTF-8 bytes: the
// pieces the hand-written bus readers (streams/tick-batch.ts, codecs/frame-record.ts) walk records
// with. Nothing here allocates per value read except the strings a table has not seen.
//
// Invariants: the cursor never reads past its buffer (a value cut short sets `fail`, or a reader
// returns -1 / NaN with the cursor unmoved); integers of every width read as JavaScript numbers
// (64-bit ones rounded, as the envelope's decoder reads them, int64AsType 'number').

import { grow } from '../engine/typed-arrays.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** FNV-1a over bytes[start, end): the tables' hash. */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h;
}

/**
 * Values by the UTF-8 bytes of a string: an open-addressing table, so a lookup of bytes seen before
 * allocates nothing. `resolve` makes the value of a string the first time its bytes come
 * (`invalid` when they are not UTF-8). Past `capacity` entries the table starts again empty, so
 * records of ever-new strings cannot grow it without bound.
 *
 * The keys' bytes sit in one arena, and each slot holds its entry's hash beside its index, so a
 * lookup of 10k instrument ids touches a few cache lines, not an object per key.
 */
export class BytesTable<T> {
  private arena = new Uint8Array(1 << 14);
  private used = 0;
  /** Per entry: where its bytes start in the arena, and how many. */
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  private values: T[] = [];
  /** Per slot: entry index + 1 (0: empty) and the entry's hash. */
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(1024);

  constructor(
    private readonly resolve: (s: string) => T,
    private readonly invalid: T,
    private readonly capacity = 1 << 20,
  ) {}

  /** The value of the string whose UTF-8 bytes are bytes[start, end). */
  lookup(bytes: Uint8Array, start: number, end: number): T {
    const h = fnv1a(bytes, start, end);
    const mask = this.slots.length - 1;
    const n = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = this.slots[s] - 1;
      if (k < 0) return this.insert(s, h, bytes, start, end);
      if (this.hashes[s] !== h || this.lengths[k] !== n) continue;
      const a = this.arena;
      let i = 0;
      for (let at = this.starts[k]; i < n && a[at + i] === bytes[start + i];) i++;
      if (i === n) return this.values[k];
    }
  }

  private insert(slot: number, h: number, bytes: Uint8Array, start: number, end: number): T {
    let value = this.invalid;
    try {
      value = this.resolve(utf8.decode(bytes.subarray(start, end)));
    } catch {
      // Not UTF-8: the invalid value, remembered like any other so it is not decoded again.
    }
    const k = this.values.length;
    if (k >= this.capacity) {
      this.clear();
      return value;
    }
    const n = end - start;
    if (this.used + n > this.arena.length)
      this.arena = grow(this.arena, Math.max(this.used + n, 2 * this.arena.length));
    this.arena.set(bytes.subarray(start, end), this.used);
    if (k === this.starts.length) {
      this.starts = grow(this.starts, 2 * k);
      this.lengths = grow(this.lengths, 2 * k);
    }
    this.starts[k] = this.used;
    this.lengths[k] = n;
    this.used += n;
    this.values.push(value);
    this.slots[slot] = k + 1;
    this.hashes[slot] = h;
    if ((k + 1) * 2 > this.slots.length) this.rehash();
    return value;
  }

  private clear(): void {
    this.used = 0;
    this.values = [];
    this.slots.fill(0);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const hashes = new Int32Array(slots.length);
    const mask = slots.length - 1;
    for (let s = 0; s < this.slots.length; s++) {
      if (this.slots[s] === 0) continue;
      let t = this.hashes[s] & mask;
      while (slots[t] !== 0) t = (t + 1) & mask;
      slots[t] = this.slots[s];
      hashes[t] = this.hashes[s];
    }
    this.slots = slots;
    this.hashes = hashes;
  }
}

/** Instrument ids by their UTF-8 bytes → dense index (-1: unknown, or not UTF-8). */
export class InstrumentBytes extends BytesTable<number> {
  constructor(resolve: (id: string) => number) {
    super(resolve, -1);
  }
}

/** Byte cursor over one message; `fail` marks input the reader does not take (→ its fallback). */
export class Cursor {
  pos = 0;
  fail = false;
  protected readonly view: DataView;
  constructor(readonly b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  /** Entries of the map whose header is at pos, moving past it; -1 (pos unmoved) if it is not a map. */
  map(): number {
    return this.collection(0x80, 0xde);
  }

  /** Entries of the array whose header is at pos, moving past it; -1 (pos unmoved) if it is not one. */
  array(): number {
    return this.collection(0x90, 0xdc);
  }

  /** A map or array header: the fix form at `fix`..fix+15, the 16- and 32-bit forms at `wide`, wide+1. */
  private collection(fix: number, wide: number): number {
    const x = this.b[this.pos];
    if (x >= fix && x <= fix + 0x0f) return (this.pos++, x & 0x0f);
    return this.sized(x, wide, wide + 1);
  }

  /** Bytes of the string whose header is at pos, moving past the header; -1 (pos unmoved) if it is not one. */
  strLength(): number {
    const x = this.b[this.pos];
    if (x >= 0xa0 && x <= 0xbf) return (this.pos++, x & 0x1f);
    if (x === 0xd9 && this.pos + 2 <= this.b.length) return ((this.pos += 2), this.b[this.pos - 1]);
    return this.sized(x, 0xda, 0xdb);
  }

  /** The 16-bit (`t16`) or 32-bit (`t32`) length after type byte x at pos, moving past it; -1 if neither or cut short. */
  private sized(x: number, t16: number, t32: number): number {
    if (x === t16 && this.pos + 3 <= this.b.length) return ((this.pos += 3), this.view.getUint16(this.pos - 2));
    if (x === t32 && this.pos + 5 <= this.b.length) return ((this.pos += 5), this.view.getUint32(this.pos - 4));
    return -1;
  }

  /** A number (any msgpack int or float) at pos, or NaN (cursor unmoved) if it is not one. */
  number(): number {
    const b = this.b;
    const p = this.pos;
    if (p >= b.length) return NaN;
    const x = b[p];
    if (x <= 0x7f) return ((this.pos = p + 1), x);
    if (x >= 0xe0) return ((this.pos = p + 1), x - 0x100);
    const need = NUMBER_SIZE[x];
    if (need === 0 || p + 1 + need > b.length) return NaN;
    this.pos = p + 1 + need;
    return sizedNumber(this.view, x, p);
  }

  /** Skips any one msgpack value; sets fail on a type or length it cannot walk. */
  skip(): void {
    const b = this.b;
    const x = b[this.pos];
    if (this.pos >= b.length) return void (this.fail = true);
    if (x <= 0x7f || x >= 0xe0 || x === 0xc0 || x === 0xc2 || x === 0xc3) return void this.pos++;
    if (NUMBER_SIZE[x] !== 0) return void (this.pos += 1 + NUMBER_SIZE[x]);
    let n = this.strLength();
    if (n >= 0) return void (this.pos += n);
    if ((n = this.array()) >= 0) {
      for (let i = 0; i < n && !this.fail; i++) this.skip();
      return;
    }
    if ((n = this.map()) >= 0) {
      for (let i = 0; i < 2 * n && !this.fail; i++) this.skip();
      return;
    }
    this.fail = true; // bin, ext and timestamps do not belong in an envelope
  }

  /** Whether the str at pos equals the ASCII `word`; advances past it when it does. */
  isWord(word: string): boolean {
    const save = this.pos;
    const n = this.strLength();
    if (n === word.length && this.pos + n <= this.b.length) {
      let i = 0;
      while (i < n && this.b[this.pos + i] === word.charCodeAt(i)) i++;
      if (i === n) return ((this.pos += n), true);
    }
    this.pos = save;
    return false;
  }
}

/** Payload bytes after the type byte of each msgpack number type; 0 for non-numbers. */
export const NUMBER_SIZE = new Uint8Array(256);
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
/** The number whose type byte `x` (NUMBER_SIZE[x] > 0) is at `p`, read through `v`. */
export function sizedNumber(v: DataView, x: number, p: number): number {
  switch (x) {
    case 0xcb:
      return v.getFloat64(p + 1);
    case 0xca:
      return v.getFloat32(p + 1);
    case 0xcc:
      return v.getUint8(p + 1);
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
