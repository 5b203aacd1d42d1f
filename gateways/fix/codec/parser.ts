// Parses one framed FIX message (tag=value fields separated by SOH) into a FieldList over the
// caller's buffer, checking what the session layer must know before it trusts a byte of it.
//
// Invariants (FIX 4.4 session protocol, "garbled" messages):
// - the first three fields are BeginString (8), BodyLength (9) and MsgType (35), in that order;
// - BodyLength counts the bytes after its own SOH up to and including the SOH before CheckSum;
// - the last field is CheckSum (10): three digits, the byte sum of everything before it mod 256.
// A message failing any of these is garbled: the session ignores it (no Reject, no seq use).
// A message that passes them but has a field with no value, or a tag that is not a positive
// integer, is well-framed and answered with a session Reject (SessionRejectReason 4 or 0).

import { FieldList } from './fields.js';

export const SOH = 0x01;
const EQ = 0x3d;

export const ParseStatus = {
  Ok: 0,
  /** The first three fields are not 8, 9, 35. */
  GarbledHeader: 1,
  /** BodyLength does not match the bytes of the body. */
  GarbledBodyLength: 2,
  /** The last field is not CheckSum, or its value is wrong. */
  GarbledCheckSum: 3,
  /** A field without `=` or SOH where one must be. */
  GarbledSyntax: 4,
  /** A tag with an empty value: Reject, SessionRejectReason 4 (RefTagID = errorTag). */
  EmptyValue: 5,
  /** A tag that is not a positive integer: Reject, SessionRejectReason 0. */
  BadTag: 6,
} as const;
export type ParseStatus = (typeof ParseStatus)[keyof typeof ParseStatus];

export const isGarbled = (s: ParseStatus): boolean => s >= 1 && s <= 4;

export const PARSE_STATUS_TEXT: Record<ParseStatus, string> = {
  0: 'ok',
  1: 'the first three fields are not BeginString (8), BodyLength (9), MsgType (35)',
  2: 'BodyLength (9) does not match the body',
  3: 'CheckSum (10) missing or wrong',
  4: 'a field is not tag=value followed by SOH',
  5: 'a tag has no value',
  6: 'a tag is not a positive integer',
};

/** The byte sum of buf[start, end) mod 256: FIX's CheckSum. */
export function checksum(buf: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += buf[i];
  return sum & 0xff;
}

export interface ParseResult {
  status: ParseStatus;
  /** The tag at fault (EmptyValue), or 0. */
  errorTag: number;
}

const result: ParseResult = { status: ParseStatus.Ok, errorTag: 0 };

/**
 * Fills `out` with the fields of the message in buf[start, end) and checks its framing. The
 * returned object is reused by the next call (read it before parsing again).
 */
export function parseMessage(buf: Buffer, start: number, end: number, out: FieldList): ParseResult {
  out.reset(buf, start, end);
  result.errorTag = 0;
  result.status = splitFields(buf, start, end, out);
  if (result.status !== ParseStatus.Ok) return result;
  result.status = checkFraming(buf, start, out);
  if (result.status !== ParseStatus.Ok) return result;
  for (let i = 0; i < out.count; i++) {
    if (out.tags[i] <= 0) return fail(ParseStatus.BadTag, 0);
    if (out.starts[i] === out.ends[i]) return fail(ParseStatus.EmptyValue, out.tags[i]);
  }
  return result;
}

function fail(status: ParseStatus, tag: number): ParseResult {
  result.status = status;
  result.errorTag = tag;
  return result;
}

/** Splits tag=value SOH fields; a tag that is not all digits is recorded as 0 (BadTag later). */
function splitFields(buf: Buffer, start: number, end: number, out: FieldList): ParseStatus {
  let p = start;
  while (p < end) {
    let tag = 0;
    let digits = 0;
    let bad = false;
    while (p < end && buf[p] !== EQ) {
      const d = buf[p] - 0x30;
      if (buf[p] === SOH) return ParseStatus.GarbledSyntax;
      if (d < 0 || d > 9 || digits > 9) bad = true;
      else tag = tag * 10 + d;
      digits++;
      p++;
    }
    if (p === end || digits === 0) return ParseStatus.GarbledSyntax;
    const valueStart = ++p;
    while (p < end && buf[p] !== SOH) p++;
    if (p === end) return ParseStatus.GarbledSyntax;
    out.push(bad ? 0 : tag, valueStart, p);
    p++;
  }
  return ParseStatus.Ok;
}

/** 8, 9, 35 first; BodyLength right; CheckSum last and right. */
function checkFraming(buf: Buffer, start: number, out: FieldList): ParseStatus {
  const n = out.count;
  if (n < 4 || out.tags[0] !== 8 || out.tags[1] !== 9 || out.tags[2] !== 35) return ParseStatus.GarbledHeader;
  const last = n - 1;
  // "10=" starts three bytes before its value.
  const checksumField = out.starts[last] - 3;
  const bodyStart = out.ends[1] + 1;
  if (out.intAt(1) !== checksumField - bodyStart) return ParseStatus.GarbledBodyLength;
  if (out.tags[last] !== 10 || out.ends[last] - out.starts[last] !== 3) return ParseStatus.GarbledCheckSum;
  if (out.intAt(last) !== checksum(buf, start, checksumField)) return ParseStatus.GarbledCheckSum;
  return ParseStatus.Ok;
}
