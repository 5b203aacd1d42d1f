// The FIX codec of fix_codec.h. Where the order of checks decides the status, each function makes
// them in its TypeScript twin's order (parser.ts, framer.ts), because the session layer acts on the
// status: garbled input is ignored, a bad field is rejected, and the two must not swap. The field
// splitter alone is shaped differently, for speed (SSE2 where the target has it): it finds every
// SOH first and then reads the fields, which gives parser.ts's fields and verdict because a field
// always ends at the first SOH after its start and splits at its first `=`.
#include "fix_codec.h"

#include <cstring>

// RISKLINE_FIX_SCALAR builds the plain loops alone, as on targets without SSE2 (tested by the fuzz test).
#if defined(__SSE2__) && defined(__x86_64__) && !defined(RISKLINE_FIX_SCALAR)
#include <emmintrin.h>
#define RISKLINE_FIX_SSE2 1
#endif

namespace riskline {
namespace fix {
namespace {

constexpr uint8_t SOH = 0x01;
constexpr uint8_t EQ = '=';
constexpr char BEGIN[] = "8=FIX";
constexpr size_t BEGIN_LENGTH = sizeof BEGIN - 1;

/**
 * FieldList.intAt: an optional '-' and 1 to 15 digits, else false (the TS NaN). Fifteen digits fit
 * an int64 and a double alike, so both sides read the same number, -0 equal to 0 included.
 */
bool intAt(const uint8_t* b, int32_t start, int32_t end, int64_t* value) {
  const bool negative = start < end && b[start] == '-';
  if (negative) start++;
  if (start == end || end - start > 15) return false;
  int64_t n = 0;
  for (int32_t p = start; p < end; p++) {
    const unsigned d = static_cast<unsigned>(b[p]) - '0';
    if (d > 9) return false;
    n = n * 10 + d;
  }
  *value = negative ? -n : n;
  return true;
}

/** A tag's digits as the TS parser keeps them: ten digits at most, then stored in an Int32Array. */
int32_t asInt32(uint64_t tag) { return static_cast<int32_t>(static_cast<uint32_t>(tag)); }

/**
 * parser.ts's loop for one field at b[p, end), byte by byte: false when it is not tag=value SOH
 * (GarbledSyntax). A tag is bad (0) when a byte is not a digit or it runs past ten digits. Sets the
 * tag, where its `=` is and where the value's SOH is.
 */
bool readFieldSlow(const uint8_t* b, size_t p, size_t end, int32_t* tag, size_t* eq, size_t* soh) {
  uint64_t value = 0;
  size_t digits = 0;
  bool bad = false;
  for (; p < end && b[p] != EQ && b[p] != SOH; p++, digits++) {
    const unsigned d = static_cast<unsigned>(b[p]) - '0';
    if (d > 9 || digits > 9)
      bad = true;
    else
      value = value * 10 + d;
  }
  if (p == end || b[p] == SOH || digits == 0) return false;
  *tag = bad ? 0 : asInt32(value);
  *eq = p;
  const void* at = std::memchr(b + p + 1, SOH, end - p - 1);
  if (at == nullptr) return false;
  *soh = static_cast<size_t>(static_cast<const uint8_t*>(at) - b);
  return true;
}

/**
 * parser.ts splitFields one field after the other (each field's start waits on the previous one's
 * SOH). Used when the arrays cannot hold every SOH's position, to count the fields exactly.
 */
int32_t splitSequential(const uint8_t* b, size_t start, size_t end, const Fields& out, size_t* count) {
  size_t n = 0;
  for (size_t p = start; p < end; n++) {
    int32_t tag = 0;
    size_t eq = 0, soh = 0;
    if (!readFieldSlow(b, p, end, &tag, &eq, &soh)) {
      *count = n;
      return kGarbledSyntax;
    }
    if (n < out.capacity) {
      out.tags[n] = tag;
      out.starts[n] = static_cast<int32_t>(eq + 1);
      out.ends[n] = static_cast<int32_t>(soh);
    }
    p = soh + 1;
  }
  *count = n;
  return kOk;
}

/** The positions of every SOH in b[start, end), the first `capacity` into out; returns how many there are. */
size_t findSohs(const uint8_t* b, size_t start, size_t end, int32_t* out, size_t capacity) {
  size_t n = 0;
  size_t p = start;
#ifdef RISKLINE_FIX_SSE2
  const __m128i sohs = _mm_set1_epi8(static_cast<char>(SOH));
  for (; end - p >= 16; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + p));
    unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, sohs)));
    for (; m != 0; m &= m - 1, n++)
      if (n < capacity) out[n] = static_cast<int32_t>(p + static_cast<size_t>(__builtin_ctz(m)));
  }
#endif
  for (; p < end; p++)
    if (b[p] == SOH) {
      if (n < capacity) out[n] = static_cast<int32_t>(p);
      n++;
    }
  return n;
}

/** The tag of digits b[from, from + k) as parser.ts stores it: 0 unless 1 to 10 digits. */
int32_t tagOf(const uint8_t* b, size_t from, size_t k) {
  if (k > 10) return 0;
  uint64_t value = 0;
  for (size_t p = from; p < from + k; p++) {
    const unsigned d = static_cast<unsigned>(b[p]) - '0';
    if (d > 9) return 0;
    value = value * 10 + d;
  }
  return asInt32(value);
}

#ifdef RISKLINE_FIX_SSE2
/** Up to eight ASCII digits at b (k of them, 1 <= k <= 8; eight bytes readable) as a number. */
uint64_t eightDigits(const uint8_t* b, size_t k) {
  uint64_t v;
  std::memcpy(&v, b, 8);
  // Little-endian: the first digit is the low byte. Borrows only run upwards, into the bytes past
  // the digits, which the shift drops; the zero bytes it brings in are leading zeros.
  v -= 0x3030303030303030ull;
  v <<= 8 * (8 - k);
  v = v * 10 + (v >> 8);
  return (((v & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
          (((v >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
         32;
}
#endif

/**
 * The field b[from, soh) (soh: its SOH): false unless it holds `=` after at least one byte; else its
 * tag as parseMessage stores it and the position of the first `=`. With 16 bytes readable it takes
 * one load and no loop whose exit depends on the tag's length.
 */
bool readTag(const uint8_t* b, size_t from, size_t soh, size_t end, int32_t* tag, size_t* eq) {
#ifdef RISKLINE_FIX_SSE2
  if (end - from >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + from));
    const size_t length = soh - from;
    const unsigned inField = length < 16 ? (1u << length) - 1 : 0xffffu;
    const __m128i equals = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(EQ));
    const unsigned eqs = static_cast<unsigned>(_mm_movemask_epi8(equals)) & inField;
    if (eqs != 0) {
      const unsigned k = static_cast<unsigned>(__builtin_ctz(eqs));
      if (k == 0) return false;
      // Signed compares: bytes >= 0x80 are negative, so below '0': not digits, as they should be.
      const __m128i outside =
          _mm_or_si128(_mm_cmplt_epi8(chunk, _mm_set1_epi8('0')), _mm_cmpgt_epi8(chunk, _mm_set1_epi8('9')));
      const bool digits = (static_cast<unsigned>(_mm_movemask_epi8(outside)) & ((1u << k) - 1)) == 0;
      *tag = !digits || k > 10 ? 0 : k <= 8 ? static_cast<int32_t>(eightDigits(b + from, k)) : tagOf(b, from, k);
      *eq = from + k;
      return true;
    }
    if (length < 16) return false;  // no `=` in the field
  }
#else
  (void)end;  // only the 16-byte load needs to know how far it may read
#endif
  const void* at = std::memchr(b + from, EQ, soh - from);
  if (at == nullptr || at == b + from) return false;
  *eq = static_cast<size_t>(static_cast<const uint8_t*>(at) - b);
  *tag = tagOf(b, from, *eq - from);
  return true;
}

/**
 * parser.ts splitFields: tag=value SOH fields, a tag that is not all digits recorded as 0. A field
 * is the bytes up to a SOH and splits at its first `=`, so every SOH is found first (one pass, in
 * `ends`) and the fields are then read independently of each other, which lets the CPU overlap
 * them. *count is the fields split; past the arrays' capacity they are counted, not stored.
 */
int32_t splitFields(const uint8_t* b, size_t start, size_t end, const Fields& out, size_t* count) {
  const size_t sohs = findSohs(b, start, end, out.ends, out.capacity);
  if (sohs > out.capacity) return splitSequential(b, start, end, out, count);
  size_t from = start;
  for (size_t i = 0; i < sohs; i++) {
    size_t eq = 0;
    if (!readTag(b, from, static_cast<size_t>(out.ends[i]), end, &out.tags[i], &eq)) {
      *count = i;
      return kGarbledSyntax;
    }
    out.starts[i] = static_cast<int32_t>(eq + 1);
    from = static_cast<size_t>(out.ends[i]) + 1;
  }
  *count = sohs;
  // Bytes after the last SOH are a field with no SOH.
  return from == end ? kOk : kGarbledSyntax;
}

/** parser.ts checkFraming: 8, 9, 35 first; BodyLength right; CheckSum last and right. */
int32_t checkFraming(const uint8_t* b, size_t start, const Fields& f, size_t n) {
  if (n < 4 || f.tags[0] != 8 || f.tags[1] != 9 || f.tags[2] != 35) return kGarbledHeader;
  const size_t last = n - 1;
  // "10=" starts three bytes before its value. From the field layout, checksumField >= bodyStart + 3.
  const int64_t checksumField = int64_t{f.starts[last]} - 3;
  const int64_t bodyStart = int64_t{f.ends[1]} + 1;
  int64_t bodyLength = 0;
  if (!intAt(b, f.starts[1], f.ends[1], &bodyLength) || bodyLength != checksumField - bodyStart)
    return kGarbledBodyLength;
  if (f.tags[last] != 10 || f.ends[last] - f.starts[last] != 3) return kGarbledCheckSum;
  int64_t sum = 0;
  if (!intAt(b, f.starts[last], f.ends[last], &sum) ||
      sum != checksum(b, start, static_cast<size_t>(checksumField)))
    return kGarbledCheckSum;
  return kOk;
}

bool beginAt(const uint8_t* b, size_t p, size_t end) {
  return end - p >= BEGIN_LENGTH && std::memcmp(b + p, BEGIN, BEGIN_LENGTH) == 0;
}

int64_t garbled(int32_t why, int32_t* reason) {
  *reason = why;
  return -1;
}

/** Decimal digits of n (a loop measured faster here than ten compares summed without branches). */
size_t decimalDigits(uint64_t n) {
  size_t d = 1;
  for (; n >= 10; n /= 10) d++;
  return d;
}

/** The byte sum of buf[start, end). */
uint64_t byteSum(const uint8_t* buf, size_t start, size_t end) {
  uint64_t sum = 0;
  size_t i = start;
#ifdef RISKLINE_FIX_SSE2
  // psadbw sums 16 bytes into two 64-bit lanes in one instruction.
  const __m128i zero = _mm_setzero_si128();
  __m128i acc = zero;
  for (; end - i >= 16; i += 16)
    acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + i)), zero));
  const __m128i high = _mm_unpackhi_epi64(acc, acc);
  sum = static_cast<uint64_t>(_mm_cvtsi128_si64(acc)) + static_cast<uint64_t>(_mm_cvtsi128_si64(high));
#endif
  for (; i < end; i++) sum += buf[i];
  return sum;
}

/**
 * The encoder's cursor. It keeps the byte sum of what it writes (CheckSum) as it goes: summing the
 * finished message instead loads bytes that many small stores have just written, which x86 cannot
 * forward from its store buffer (measured: an encode about a quarter slower).
 */
struct Writer {
  uint8_t* at;
  uint64_t sum = 0;

  void bytes(const uint8_t* from, size_t length) {
    if (length > 0) std::memcpy(at, from, length);
    sum += byteSum(from, 0, length);
    at += length;
  }

  void text(const char* s) { bytes(reinterpret_cast<const uint8_t*>(s), std::strlen(s)); }

  void byte(uint8_t c) {
    *at++ = c;
    sum += c;
  }

  /** n in decimal, `width` digits (zero-padded; wider numbers must not be passed). */
  void digits(uint64_t n, size_t width) {
    for (size_t i = width; i-- > 0; n /= 10) {
      at[i] = static_cast<uint8_t>('0' + n % 10);
      sum += at[i];
    }
    at += width;
  }

  /**
   * A tag of `width` digits. Up to four (nearly every tag) as one 4-byte store, its leading zeros
   * shifted out; the caller guarantees four bytes of the message there, the extra ones written over
   * next by `=` and the value.
   */
  void tag(uint32_t tag, size_t width) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (width <= 4) {
      uint32_t v = ('0' + tag / 1000 % 10) | ('0' + tag / 100 % 10) << 8 | ('0' + tag / 10 % 10) << 16 |
                   ('0' + tag % 10) << 24;
      v >>= 8 * (4 - width);
      std::memcpy(at, &v, 4);
      sum += (v * 0x01010101u) >> 24;  // the byte sum: four digits sum to at most 228
      at += width;
      return;
    }
#endif
    digits(tag, width);
  }

  /**
   * Copies values[start, start + length), false (nothing copied) when it holds SOH. A value of 16
   * bytes or less moves as one 16-byte load and store where both sides have 16 bytes: `room` is what
   * is left of the message, so the bytes stored past the value are the message's own, written over
   * next.
   */
  bool value(const uint8_t* values, size_t valuesLength, size_t start, size_t length, size_t room) {
#ifdef RISKLINE_FIX_SSE2
    if (length <= 16 && valuesLength - start >= 16 && room >= 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(values + start));
      const __m128i sohs = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(SOH));
      if ((static_cast<unsigned>(_mm_movemask_epi8(sohs)) & ((1u << length) - 1)) != 0) return false;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(at), chunk);
      const __m128i index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
      const __m128i inValue = _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(length)), index);
      const __m128i lanes = _mm_sad_epu8(_mm_and_si128(chunk, inValue), _mm_setzero_si128());
      sum += static_cast<uint64_t>(_mm_cvtsi128_si64(lanes)) +
             static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(lanes, lanes)));
      at += length;
      return true;
    }
#else
    (void)valuesLength;
    (void)room;
#endif
    if (length > 0 && std::memchr(values + start, SOH, length) != nullptr) return false;
    bytes(values + start, length);
    return true;
  }
};

}  // namespace

uint32_t checksum(const uint8_t* buf, size_t start, size_t end) {
  return static_cast<uint32_t>(byteSum(buf, start, end) & 0xff);
}

ParseResult parseMessage(const uint8_t* buf, size_t start, size_t end, const Fields& out) {
  size_t n = 0;
  int32_t status = splitFields(buf, start, end, out, &n);
  const int32_t count = static_cast<int32_t>(n);
  // Before any other verdict: the caller grows and gets parser.ts's verdict on every field.
  if (n > out.capacity) return {kTooManyFields, count, 0};
  if (status == kOk) status = checkFraming(buf, start, out, n);
  if (status != kOk) return {status, count, 0};
  for (size_t i = 0; i < n; i++) {
    if (out.tags[i] <= 0) return {kBadTag, count, 0};
    if (out.starts[i] == out.ends[i]) return {kEmptyValue, count, out.tags[i]};
  }
  return {kOk, count, 0};
}

int64_t measure(const uint8_t* b, size_t start, size_t end, size_t maxMessageBytes, int32_t* reason,
                int64_t* detail) {
  const size_t limit = end - start < kMaxPrefix ? end : start + kMaxPrefix;
  const void* found = std::memchr(b + start, SOH, limit - start);
  if (found == nullptr) return end - start < kMaxPrefix ? 0 : garbled(kBeginStringTooLong, reason);
  const size_t p = static_cast<size_t>(static_cast<const uint8_t*>(found) - b) + 1;
  if (end - p < 3) return 0;
  if (b[p] != '9' || b[p + 1] != EQ) return garbled(kNotBodyLength, reason);
  // Nine digits at most: the length and the total below stay far inside int64 and int32.
  uint64_t length = 0;
  size_t q = p + 2;
  for (; q < end && b[q] != SOH; q++) {
    const unsigned d = static_cast<unsigned>(b[q]) - '0';
    if (d > 9 || q - p > 10) return garbled(kBodyLengthNotNumber, reason);
    length = length * 10 + d;
  }
  if (q == end) return q - start < kMaxPrefix ? 0 : garbled(kBodyLengthTooLong, reason);
  if (q == p + 2) return garbled(kBodyLengthEmpty, reason);
  const uint64_t total = q + 1 + length + kTrailerBytes - start;
  if (total > maxMessageBytes) {
    *detail = static_cast<int64_t>(total);
    return garbled(kOverLimit, reason);
  }
  if (end - start < total) return 0;
  const size_t t = start + total - kTrailerBytes;
  // framer.ts: the body ends in SOH, so the trailer's field starts a field.
  if (b[t - 1] != SOH || b[t] != '1' || b[t + 1] != '0' || b[t + 2] != EQ || b[t + 6] != SOH)
    return garbled(kNoCheckSum, reason);
  return static_cast<int64_t>(total);
}

int64_t findBegin(const uint8_t* b, size_t start, size_t end) {
  for (size_t p = start; end - p >= BEGIN_LENGTH;) {
    const void* eight = std::memchr(b + p, '8', end - p - (BEGIN_LENGTH - 1));
    if (eight == nullptr) return -1;
    p = static_cast<size_t>(static_cast<const uint8_t*>(eight) - b);
    if (std::memcmp(b + p, BEGIN, BEGIN_LENGTH) == 0) return static_cast<int64_t>(p);
    p++;
  }
  return -1;
}

namespace {

/** The batch's output cursor: records appended in stream order, fields packed behind each other. */
struct Batch {
  int32_t* records;
  size_t capacity;
  size_t count = 0;
  size_t fieldsUsed = 0;

  bool full() const { return count == capacity; }

  void add(int32_t status, size_t offset, size_t length, size_t fieldCount, int64_t detail) {
    int32_t* r = records + count * kRecordInts;
    r[kRecStatus] = status;
    r[kRecOffset] = static_cast<int32_t>(offset);
    r[kRecLength] = static_cast<int32_t>(length);
    r[kRecFirstField] = static_cast<int32_t>(fieldsUsed);
    r[kRecFieldCount] = static_cast<int32_t>(fieldCount);
    r[kRecDetail] = static_cast<int32_t>(detail);
    fieldsUsed += fieldCount;
    count++;
  }
};

/**
 * FixFramer.next: skips what cannot start a message (recording it) and returns the length of the
 * whole message at *head, 0 when there is none yet or the records are full.
 */
int64_t nextMessage(const uint8_t* b, size_t* head, size_t end, size_t maxMessageBytes, Batch& batch) {
  for (;;) {
    if (*head == end || batch.full()) return 0;
    if (!beginAt(b, *head, end)) {
      const int64_t found = findBegin(b, *head, end);
      // Keep a tail that could be the start of `8=FIX` split across reads.
      const size_t keep = BEGIN_LENGTH - 1;
      const size_t skipTo = found >= 0 ? static_cast<size_t>(found) : end - *head > keep ? end - keep : *head;
      if (skipTo > *head) {
        batch.add(-kBytesBeforeBeginString, *head, skipTo - *head, 0, 0);
        *head = skipTo;
      }
      if (found < 0 || batch.full()) return 0;
    }
    int32_t reason = 0;
    int64_t detail = 0;
    const int64_t n = measure(b, *head, end, maxMessageBytes, &reason, &detail);
    if (n >= 0) return n;
    // Garbled at head: skip its `8` and look for the next message.
    batch.add(-reason, *head, 1, 0, detail);
    *head += 1;
  }
}

}  // namespace

BatchResult parseBatch(const uint8_t* buf, size_t start, size_t end, size_t maxMessageBytes, const Fields& fields,
                       int32_t* records, size_t recordCapacity) {
  Batch batch{records, recordCapacity};
  size_t head = start;
  int32_t needFields = 0;
  for (;;) {
    const int64_t n = nextMessage(buf, &head, end, maxMessageBytes, batch);
    if (n <= 0) break;
    const size_t used = batch.fieldsUsed;
    const Fields rest{fields.tags + used, fields.starts + used, fields.ends + used, fields.capacity - used};
    const size_t length = static_cast<size_t>(n);
    const ParseResult r = parseMessage(buf, head, head + length, rest);
    if (r.status == kTooManyFields) {
      needFields = r.count;
      break;
    }
    batch.add(r.status, head, length, static_cast<size_t>(r.count), r.errorTag);
    head += length;
  }
  return {head, static_cast<int32_t>(batch.count), static_cast<int32_t>(batch.fieldsUsed), needFields};
}

int64_t encodeMessage(const uint8_t* beginString, size_t beginLength, const BodyFields& body, uint8_t* out,
                      size_t capacity) {
  if (body.count == 0 || body.tags[0] != 35) return kEncodeBadField;
  size_t bodyLength = 0;
  for (size_t i = 0; i < body.count; i++) {
    if (body.tags[i] <= 0) return kEncodeBadField;
    bodyLength += decimalDigits(static_cast<uint64_t>(body.tags[i])) + 1 + (body.ends[i] - body.starts[i]) + 1;
  }
  const size_t lengthDigits = decimalDigits(bodyLength);
  const size_t total = 2 + beginLength + 1 + 2 + lengthDigits + 1 + bodyLength + kTrailerBytes;
  if (total > capacity) return kEncodeNoRoom;
  const uint8_t* const messageEnd = out + total;
  Writer w{out};
  w.text("8=");
  w.bytes(beginString, beginLength);
  w.text("\x01" "9=");
  w.digits(bodyLength, lengthDigits);
  w.byte(SOH);
  for (size_t i = 0; i < body.count; i++) {
    const uint32_t tag = static_cast<uint32_t>(body.tags[i]);
    w.tag(tag, decimalDigits(tag));
    w.byte(EQ);
    const size_t start = static_cast<size_t>(body.starts[i]), length = static_cast<size_t>(body.ends[i]) - start;
    if (!w.value(body.values, body.valuesLength, start, length, static_cast<size_t>(messageEnd - w.at)))
      return kEncodeBadField;
    w.byte(SOH);
  }
  const uint64_t sum = w.sum & 0xff;
  w.text("10=");
  w.digits(sum, 3);
  w.byte(SOH);
  return static_cast<int64_t>(w.at - out);
}

}  // namespace fix
}  // namespace riskline
