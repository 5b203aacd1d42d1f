// The C++ FIX codec (native/src/fix_codec.cc, exported by the riskline_cpu addon) behind the same
// contracts as the TypeScript one: `nativeParseMessage` is `parseMessage` (same statuses, error
// tags and fields), `parseBatch` is FixFramer + parseMessage over many messages in one call, and
// `encode` is `encodeFields`. When the addon is not built (or was built before the codec was
// added) `fixNative` is null, `fixNativeUnavailable` says why, and callers keep the TypeScript
// codec, which stays the reference.
//
// The batch is the fast path: one call frames and parses every whole message in a read, so the
// cost of crossing into C++ (~100 ns) is paid once per read rather than once per message.

import { loadAddon } from '../../../native/addon.js';
import { chooseOpenblasCore } from '../../../native/cpu.js';
import { FieldList } from './fields.js';
import type { ParseResult, ParseStatus } from './parser.js';

/** What riskline_cpu exports for the codec (native/src/fix_binding.cc). */
export interface FixAddon {
  fixParse(
    buf: Uint8Array,
    start: number,
    end: number,
    tags: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
    out: Int32Array,
  ): void;
  fixParseBatch(
    buf: Uint8Array,
    start: number,
    end: number,
    maxMessageBytes: number,
    tags: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
    records: Int32Array,
    out: Int32Array,
  ): void;
  fixEncode(
    beginString: Uint8Array,
    values: Uint8Array,
    tags: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
    first: number,
    count: number,
    out: Uint8Array,
    outStart: number,
  ): number;
  fixEncodeBatch(
    beginString: Uint8Array,
    values: Uint8Array,
    tags: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
    messages: Int32Array,
    n: number,
    out: Uint8Array,
    outStart: number,
    lengths: Int32Array,
  ): number;
  fixChecksum(buf: Uint8Array, start: number, end: number): number;
}

/** fix_codec.h kTooManyFields: the field arrays are too short; never returned by the wrappers here. */
const TOO_MANY_FIELDS = 7;

/** Int32s per batch record (fix_codec.h RecordField). */
export const RECORD_INTS = 6;
const REC_STATUS = 0;
const REC_OFFSET = 1;
const REC_LENGTH = 2;
const REC_FIRST = 3;
const REC_COUNT = 4;
const REC_DETAIL = 5;

/** FixFramer's onGarbled reasons by fix_codec.h FrameError (a batch record's status is minus one of these). */
export const FRAME_ERROR_TEXT: Record<number, (detail: number, maxMessageBytes: number) => string> = {
  1: () => 'BeginString too long',
  2: () => 'second field is not BodyLength (9)',
  3: () => 'BodyLength is not a number',
  4: () => 'BodyLength too long',
  5: () => 'BodyLength is empty',
  6: (total, max) => `message of ${total} bytes over the ${max} limit`,
  7: () => 'no CheckSum (10) where BodyLength says the message ends',
  8: () => 'bytes before BeginString',
};

/**
 * One batch's output: a record per message and per run of skipped bytes, in stream order, and the
 * messages' fields packed one message after another (views over the caller's buffer, as a
 * FieldList's). Valid until the next parseBatch with it; grows itself when a message needs more.
 */
export class FixBatch {
  tags: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  readonly records: Int32Array;
  /** [consumed, records, fieldsUsed, needFields] of the last call. */
  readonly out = new Int32Array(4);
  /** Records in this batch. */
  count = 0;
  /** The first byte not framed yet: an incomplete message starts there (or it is the end). */
  consumed = 0;
  buf: Buffer = Buffer.alloc(0);
  maxMessageBytes = 0;

  constructor(records = 1024, fields = 32 * 1024) {
    this.records = new Int32Array(records * RECORD_INTS);
    this.tags = new Int32Array(fields);
    this.starts = new Int32Array(fields);
    this.ends = new Int32Array(fields);
  }

  /** A message's ParseStatus (>= 0), or minus a FrameError for skipped bytes (see `garbled`). */
  status(i: number): number {
    return this.records[i * RECORD_INTS + REC_STATUS];
  }

  isMessage(i: number): boolean {
    return this.status(i) >= 0;
  }

  offset(i: number): number {
    return this.records[i * RECORD_INTS + REC_OFFSET];
  }

  length(i: number): number {
    return this.records[i * RECORD_INTS + REC_LENGTH];
  }

  /** The message's fields are [firstField, firstField + fieldCount) of tags/starts/ends. */
  firstField(i: number): number {
    return this.records[i * RECORD_INTS + REC_FIRST];
  }

  fieldCount(i: number): number {
    return this.records[i * RECORD_INTS + REC_COUNT];
  }

  /** The tag at fault of an EmptyValue message, else 0. */
  errorTag(i: number): number {
    return this.status(i) >= 0 ? this.records[i * RECORD_INTS + REC_DETAIL] : 0;
  }

  /** For skipped bytes: FixFramer's reason, word for word. */
  garbled(i: number): string {
    const s = this.status(i);
    return s < 0 ? FRAME_ERROR_TEXT[-s](this.records[i * RECORD_INTS + REC_DETAIL], this.maxMessageBytes) : '';
  }

  /** Message `i` as a FieldList (its fields copied: three ints each), for code written against one. */
  load(i: number, out: FieldList): ParseResult {
    const first = this.firstField(i);
    const n = this.fieldCount(i);
    out.reset(this.buf, this.offset(i), this.offset(i) + this.length(i));
    reserve(out, n);
    out.tags.set(this.tags.subarray(first, first + n));
    out.starts.set(this.starts.subarray(first, first + n));
    out.ends.set(this.ends.subarray(first, first + n));
    out.count = n;
    return { status: this.status(i) as ParseStatus, errorTag: this.errorTag(i) };
  }

  /** Room for at least `n` fields (a message with more fields than the batch held). */
  reserve(n: number): void {
    if (this.tags.length >= n) return;
    const size = Math.max(n, this.tags.length * 2);
    this.tags = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
  }
}

export interface FixNativeCodec {
  /** parseMessage's contract exactly; the result object is reused by the next call. */
  parseMessage(buf: Buffer, start: number, end: number, out: FieldList): ParseResult;
  /**
   * Frames and parses the bytes held in buf[start, end) as FixFramer.push and parseMessage would;
   * returns the records in `batch` (0: nothing whole yet). Call again from `batch.consumed` while it
   * returns records: it stops early when the batch's records are full.
   */
  parseBatch(buf: Buffer, start: number, end: number, batch: FixBatch, maxMessageBytes?: number): number;
  /** encodeFields's contract exactly (encode.ts), in C++. */
  encode(
    beginString: Uint8Array,
    values: Uint8Array,
    tags: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
    first: number,
    count: number,
    out: Uint8Array,
    outStart: number,
  ): number;
  /**
   * Messages `messages[2k]` (first field), `messages[2k + 1]` (field count), k < n, written back to
   * back from out[outStart], each one's length in lengths[k]; returns how many were written (it
   * stops at one that does not fit or is refused, whose length is then ENCODE_NO_ROOM or
   * ENCODE_BAD_FIELD).
   */
  encodeBatch(
    beginString: Uint8Array,
    values: Uint8Array,
    tags: Int32Array,
    starts: Int32Array,
    ends: Int32Array,
    messages: Int32Array,
    n: number,
    out: Uint8Array,
    outStart: number,
    lengths: Int32Array,
  ): number;
  checksum(buf: Uint8Array, start: number, end: number): number;
  /** Where the addon was loaded from. */
  path: string;
}

/** Room for at least `n` fields in a FieldList (the C++ parser cannot grow its arrays; a copy keeps the fields). */
function reserve(f: FieldList, n: number): void {
  if (f.tags.length >= n) return;
  const size = Math.max(n, f.tags.length * 2);
  const grow = (a: Int32Array) => {
    const b = new Int32Array(size);
    b.set(a);
    return b;
  };
  f.tags = grow(f.tags);
  f.starts = grow(f.starts);
  f.ends = grow(f.ends);
}

/** The framer's default limit (FixFramer's maxMessageBytes). */
const MAX_MESSAGE_BYTES = 64 * 1024;

function codec(addon: FixAddon, path: string): FixNativeCodec {
  const out = new Int32Array(3);
  const result: ParseResult = { status: 0, errorTag: 0 };
  const parseMessage = (buf: Buffer, start: number, end: number, f: FieldList): ParseResult => {
    f.reset(buf, start, end);
    addon.fixParse(buf, start, end, f.tags, f.starts, f.ends, out);
    if (out[0] === TOO_MANY_FIELDS) {
      reserve(f, out[1]);
      addon.fixParse(buf, start, end, f.tags, f.starts, f.ends, out);
    }
    f.count = out[1];
    result.status = out[0] as ParseStatus;
    result.errorTag = out[2];
    return result;
  };
  const parseBatch = (buf: Buffer, start: number, end: number, b: FixBatch, max = MAX_MESSAGE_BYTES): number => {
    b.buf = buf;
    b.maxMessageBytes = max;
    for (;;) {
      addon.fixParseBatch(buf, start, end, max, b.tags, b.starts, b.ends, b.records, b.out);
      // A first message with more fields than the whole arrays hold: grow them and frame it again.
      if (b.out[1] === 0 && b.out[3] > b.tags.length) {
        b.reserve(b.out[3]);
        continue;
      }
      b.consumed = b.out[0];
      b.count = b.out[1];
      return b.count;
    }
  };
  return {
    parseMessage,
    parseBatch,
    // N-API functions take no `this`: passed as they are, no wrapper on the encode path.
    encode: addon.fixEncode,
    encodeBatch: addon.fixEncodeBatch,
    checksum: addon.fixChecksum,
    path,
  };
}

function load(): FixNativeCodec | string {
  // OpenBLAS, linked into the same addon, reads its core type once when the addon loads.
  chooseOpenblasCore();
  const loaded = loadAddon<Partial<FixAddon>>('riskline_cpu');
  if ('reason' in loaded) return loaded.reason;
  const a = loaded.addon;
  if (typeof a.fixParse !== 'function' || typeof a.fixParseBatch !== 'function' || typeof a.fixEncode !== 'function')
    return 'the riskline_cpu addon was built without the FIX codec (rebuild it: tools/native/build.sh)';
  return codec(a as FixAddon, loaded.path);
}

const loaded = load();

/** The C++ codec, or null when the addon cannot run here (see fixNativeUnavailable). */
export const fixNative: FixNativeCodec | null = typeof loaded === 'string' ? null : loaded;
/** Why fixNative is null, or null when it loaded. */
export const fixNativeUnavailable: string | null = typeof loaded === 'string' ? loaded : null;
/** parseMessage in C++, or null without the addon. */
export const nativeParseMessage = fixNative?.parseMessage ?? null;
