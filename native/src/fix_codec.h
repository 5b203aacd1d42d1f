// FIX 4.4 tag=value codec over caller-owned buffers, no Node in it: the same rules, statuses and
// field views as the TypeScript codec (gateways/fix/codec: parser.ts, framer.ts, encode.ts), so
// either one can run and the session above cannot tell which. Nothing here allocates: every
// function reads the caller's bytes and writes into the caller's arrays.
//
// Invariants, shared with parser.ts and framer.ts:
// - a message is `8=<BeginString> SOH 9=<BodyLength> SOH 35=<MsgType> SOH ... 10=<nnn> SOH`;
// - BodyLength counts the bytes after its own SOH up to and including the SOH before `10=`;
// - CheckSum is three digits, the byte sum of everything before `10=` mod 256;
// - a field is a tag (digits), `=`, a value (any bytes but SOH, possibly `=`) and SOH. A tag that is
//   not all digits, or longer than 10 digits, is recorded as 0; a 10-digit tag wraps to int32 as a
//   JavaScript Int32Array stores it (the TS parser's FieldList), so both report the same tags;
// - offsets are absolute positions in the caller's buffer, which must be shorter than 2^31 bytes
//   (they travel as int32, the layout of FieldList's Int32Arrays).
// A message failing the framing rules is garbled (the session ignores it); one that passes them
// but holds an empty value or a bad tag is well framed and answered with a session Reject.
#pragma once
#include <cstddef>
#include <cstdint>

namespace riskline {
namespace fix {

/** parser.ts ParseStatus, plus TooManyFields, which only the fixed-capacity C++ API can return. */
enum ParseStatus : int32_t {
  kOk = 0,
  kGarbledHeader = 1,      // the first three fields are not 8, 9, 35
  kGarbledBodyLength = 2,  // BodyLength does not match the body
  kGarbledCheckSum = 3,    // the last field is not a three-byte CheckSum, or its value is wrong
  kGarbledSyntax = 4,      // a field without `=`, or no SOH where one must be
  kEmptyValue = 5,         // a tag with no value (errorTag says which)
  kBadTag = 6,             // a tag that is not a positive integer
  // The message has more fields than the arrays hold. `count` is how many the arrays need: grow
  // them to at least that and parse again, and the result is exactly what parser.ts gives.
  kTooManyFields = 7,
};

/** Caller-owned field arrays (FieldList's tags/starts/ends) and how many entries each holds. */
struct Fields {
  int32_t* tags;
  int32_t* starts;
  int32_t* ends;
  size_t capacity;
};

struct ParseResult {
  int32_t status;
  /** Fields written (on kTooManyFields: fields needed); on a garbled status, those split before it. */
  int32_t count;
  /** The tag at fault for kEmptyValue, else 0. */
  int32_t errorTag;
};

/** The byte sum of buf[start, end) mod 256: FIX's CheckSum. */
uint32_t checksum(const uint8_t* buf, size_t start, size_t end);

/** parser.ts parseMessage: the fields of the framed message buf[start, end) and its status. */
ParseResult parseMessage(const uint8_t* buf, size_t start, size_t end, const Fields& out);

/** Why framing skipped bytes: framer.ts's onGarbled reasons, numbered. */
enum FrameError : int32_t {
  kBeginStringTooLong = 1,
  kNotBodyLength = 2,
  kBodyLengthNotNumber = 3,
  kBodyLengthTooLong = 4,
  kBodyLengthEmpty = 5,
  kOverLimit = 6,  // the message would be longer than maxMessageBytes
  kNoCheckSum = 7,
  kBytesBeforeBeginString = 8,
};

/** `8=FIXT.1.1` is the longest BeginString; its field and `9=` fit well within this. */
constexpr size_t kMaxPrefix = 32;
/** `10=nnn` SOH. */
constexpr size_t kTrailerBytes = 7;

/**
 * FixFramer.measure: the length of the message starting at buf[start] within buf[start, end), 0
 * when more bytes are needed, or -1 with *reason set when no message can start there (*detail is
 * the would-be length for kOverLimit). The caller has checked that `8=FIX` is at start.
 */
int64_t measure(const uint8_t* buf, size_t start, size_t end, size_t maxMessageBytes, int32_t* reason,
                int64_t* detail);

/** The position of the first `8=FIX` in buf[start, end), or -1: where framing resumes. */
int64_t findBegin(const uint8_t* buf, size_t start, size_t end);

/** One framing step's output, per record of a batch (six int32 each, in this order). */
enum RecordField : size_t {
  kRecStatus = 0,  // ParseStatus (>= 0) of a message, or -FrameError for bytes skipped
  kRecOffset = 1,  // where the message or the skipped bytes begin
  kRecLength = 2,
  kRecFirstField = 3,  // the message's fields are [first, first + count) of the batch's arrays
  kRecFieldCount = 4,
  kRecDetail = 5,  // errorTag of a message; the would-be length of a kOverLimit skip
  kRecordInts = 6,
};

struct BatchResult {
  /** Where the next batch starts: the first byte not yet framed (an incomplete message's start). */
  size_t consumed;
  int32_t records;
  int32_t fieldsUsed;
  /** Set when a message's fields did not fit in what was left of the arrays: the count it needs. */
  int32_t needFields;
};

/**
 * FixFramer.push over the bytes held in buf[start, end) with parseMessage on each whole message:
 * one record per message and per run of skipped bytes, in stream order, so the records tile
 * [start, consumed) exactly. Stops at an incomplete message or when `records` (recordCapacity
 * records of kRecordInts) or the field arrays are full; the caller then calls again from
 * `consumed`. A message whose fields do not fit in what is left of the arrays stops the batch
 * before it with `needFields` set to its field count; if the batch has no record then, the arrays
 * are too small for that message: grow them to needFields and call again.
 */
BatchResult parseBatch(const uint8_t* buf, size_t start, size_t end, size_t maxMessageBytes, const Fields& fields,
                       int32_t* records, size_t recordCapacity);

constexpr int64_t kEncodeNoRoom = -1;
constexpr int64_t kEncodeBadField = -2;

/** A message's body fields as views over `values`: the same layout as a parsed message's. */
struct BodyFields {
  const uint8_t* values;
  size_t valuesLength;  // every [starts[i], ends[i]) lies within it
  const int32_t* tags;
  const int32_t* starts;
  const int32_t* ends;
  size_t count;
};

/**
 * Writes `8=<beginString> SOH 9=<BodyLength> SOH <body> 10=<nnn> SOH` into out[0, capacity), the
 * body being the fields in order, MsgType (35) first. Returns the bytes written, or kEncodeBadField
 * when there are no fields, the first is not 35 or a tag is <= 0, else kEncodeNoRoom when it does
 * not fit, else kEncodeBadField when a value holds SOH (found while copying): the messages
 * FixWriter refuses or parseMessage would call garbled. After an error, out[0, capacity) holds
 * nothing useful; bytes past a message written are never touched.
 */
int64_t encodeMessage(const uint8_t* beginString, size_t beginLength, const BodyFields& body, uint8_t* out,
                      size_t capacity);

}  // namespace fix
}  // namespace riskline
