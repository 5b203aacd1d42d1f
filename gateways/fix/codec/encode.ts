// Encodes a FIX message from fields already laid out as a parsed message's (tags and value ranges
// over a byte buffer): the TypeScript form of the native codec's encode (native/src/fix_codec.cc
// encodeMessage, reached through gateways/fix/codec/native.ts), and its fallback where the addon
// is not built. Both return the same and write the same bytes. FixWriter (writer.ts) is the way to
// write a message from JavaScript values.

import { checksum, SOH } from './parser.js';

/** encodeFields: `out` is too small for the message (nothing useful was written). */
export const ENCODE_NO_ROOM = -1;
/**
 * encodeFields: no fields, the first is not MsgType (35) or a tag is not positive (checked before
 * the room), or a value holds SOH (found while copying, once the message fits).
 */
export const ENCODE_BAD_FIELD = -2;

const decimalDigits = (n: number): number => {
  let d = 1;
  for (; n >= 10; n = Math.floor(n / 10)) d++;
  return d;
};

function writeDigits(out: Uint8Array, at: number, n: number, width: number): number {
  for (let i = at + width - 1; i >= at; i--) {
    out[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + width;
}

/**
 * A whole message from body fields already laid out as a parsed message's are (tags, and value
 * ranges [starts[i], ends[i]) over `values`), fields [first, first + count), MsgType first:
 * `8=<beginString> SOH 9=<BodyLength> SOH <body> 10=<nnn> SOH` written at out[outStart]. Returns the
 * bytes written, ENCODE_NO_ROOM or ENCODE_BAD_FIELD (after which the room the message would take
 * holds nothing useful; bytes past it are never touched). The native codec's encode returns the
 * same and writes the same bytes (gateways/fix/codec/native.ts); this is its fallback.
 */
export function encodeFields(
  beginString: Uint8Array,
  values: Uint8Array,
  tags: Int32Array,
  starts: Int32Array,
  ends: Int32Array,
  first: number,
  count: number,
  out: Uint8Array,
  outStart: number,
): number {
  if (first < 0 || count < 0 || first + count > Math.min(tags.length, starts.length, ends.length))
    throw new RangeError('encodeFields: fields [first, first + count) are not all in the arrays');
  for (let i = first; i < first + count; i++)
    if (starts[i] < 0 || starts[i] > ends[i] || ends[i] > values.length)
      throw new RangeError(`encodeFields: field ${i} is not a range within values`);
  if (count === 0 || tags[first] !== 35) return ENCODE_BAD_FIELD;
  let bodyLength = 0;
  for (let i = first; i < first + count; i++) {
    if (tags[i] <= 0) return ENCODE_BAD_FIELD;
    bodyLength += decimalDigits(tags[i]) + 1 + (ends[i] - starts[i]) + 1;
  }
  const lengthDigits = decimalDigits(bodyLength);
  const total = 2 + beginString.length + 1 + 2 + lengthDigits + 1 + bodyLength + 7;
  if (total > out.length - outStart) return ENCODE_NO_ROOM;
  let p = outStart;
  out[p++] = 0x38;
  out[p++] = 0x3d;
  out.set(beginString, p);
  p += beginString.length;
  out[p++] = SOH;
  out[p++] = 0x39;
  out[p++] = 0x3d;
  p = writeDigits(out, p, bodyLength, lengthDigits);
  out[p++] = SOH;
  for (let i = first; i < first + count; i++) {
    p = writeDigits(out, p, tags[i], decimalDigits(tags[i]));
    out[p++] = 0x3d;
    for (let q = starts[i]; q < ends[i]; q++) {
      if (values[q] === SOH) return ENCODE_BAD_FIELD;
      out[p++] = values[q];
    }
    out[p++] = SOH;
  }
  const sum = checksum(out, outStart, p);
  out[p++] = 0x31;
  out[p++] = 0x30;
  out[p++] = 0x3d;
  p = writeDigits(out, p, sum, 3);
  out[p++] = SOH;
  return p - outStart;
}
