// libFuzzer target for the C++ FIX codec (native/src/fix_codec.h), built with AddressSanitizer and
// UndefinedBehaviorSanitizer by test/unit/native/fix-fuzz.test.ts. Each input is taken both as one
// framed message (parseMessage) and as a TCP stream (parseBatch), and every output is checked
// against invariants recomputed here from the bytes, not from the codec's own helpers:
// - offsets stay inside the input, fields are in order, each value sits between `=` and SOH;
// - statuses are in range, and a small field array gives the same answer after growing as a big one;
// - a message reported Ok starts 8, 9, 35, ends with a three-digit CheckSum equal to the byte sum
//   (summed here), and has the BodyLength it claims; it encodes back to a message that parses to
//   the same fields;
// - batch records tile the stream from its start to `consumed`, each message record is what
//   parseMessage says about those bytes alone, and each skip is one of the framer's reasons;
// - the input's SOH-separated pieces, encoded as a message's values, parse back to exactly those
//   values with a right BodyLength and CheckSum (the oracle that a valid message is not refused).
// A violation aborts, which libFuzzer (or the fallback driver, fix_fuzz_driver.cc) reports.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fix_codec.h"

using namespace riskline::fix;

#define CHECK(cond)                                                                         \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "fix_fuzz: invariant failed at line %d: %s\n", __LINE__, #cond); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)

namespace {

/** Field arrays of a given capacity, owned by the harness. */
struct Arrays {
  std::vector<int32_t> tags, starts, ends;
  explicit Arrays(size_t n) : tags(n), starts(n), ends(n) {}
  Fields fields() { return {tags.data(), starts.data(), ends.data(), tags.size()}; }
};

/** A signed decimal read the plain way (the value is known to be 1 to 15 bytes). */
bool decimal(const uint8_t* b, int32_t start, int32_t end, int64_t* out) {
  bool negative = false;
  if (start < end && b[start] == '-') negative = true, start++;
  if (start == end) return false;
  int64_t n = 0;
  for (int32_t p = start; p < end; p++) {
    if (b[p] < '0' || b[p] > '9') return false;
    n = n * 10 + (b[p] - '0');
  }
  *out = negative ? -n : n;
  return true;
}

void checkFieldLayout(const uint8_t* data, size_t start, size_t end, const Arrays& a, int32_t count) {
  int32_t previousEnd = static_cast<int32_t>(start) - 1;
  for (int32_t i = 0; i < count; i++) {
    CHECK(a.starts[i] > previousEnd + 1 && a.starts[i] <= a.ends[i] && static_cast<size_t>(a.ends[i]) < end);
    CHECK(data[a.starts[i] - 1] == '=' && data[a.ends[i]] == 0x01);
    CHECK(std::memchr(data + a.starts[i], 0x01, a.ends[i] - a.starts[i]) == nullptr);
    previousEnd = a.ends[i];
  }
}

/** What an Ok message must be, recomputed from the bytes. */
void checkOk(const uint8_t* data, size_t start, size_t end, const Arrays& a, int32_t count) {
  CHECK(count >= 4 && a.tags[0] == 8 && a.tags[1] == 9 && a.tags[2] == 35);
  const int32_t last = count - 1;
  CHECK(a.tags[last] == 10 && a.ends[last] - a.starts[last] == 3 && static_cast<size_t>(a.ends[last]) == end - 1);
  const int32_t trailer = a.starts[last] - 3;
  CHECK(std::memcmp(data + trailer, "10=", 3) == 0);
  uint32_t sum = 0;
  for (int32_t p = static_cast<int32_t>(start); p < trailer; p++) sum += data[p];
  int64_t claimed = -1, length = -1;
  CHECK(decimal(data, a.starts[last], a.ends[last], &claimed) && claimed == (sum % 256));
  CHECK(decimal(data, a.starts[1], a.ends[1], &length) && length == trailer - (a.ends[1] + 1));
  for (int32_t i = 0; i < count; i++) CHECK(a.tags[i] > 0 && a.starts[i] < a.ends[i]);
}

/** An Ok message's body, encoded again with its own BeginString, parses to the same fields. */
void checkEncodeRoundTrip(const uint8_t* data, const Arrays& a, int32_t count) {
  const size_t fields = static_cast<size_t>(count - 3);
  const size_t end = static_cast<size_t>(a.ends[count - 1]) + 1;
  const BodyFields body{data, end, a.tags.data() + 2, a.starts.data() + 2, a.ends.data() + 2, fields};
  std::vector<uint8_t> out(a.ends[count - 1] + 64);
  const int64_t n = encodeMessage(data + a.starts[0], a.ends[0] - a.starts[0], body, out.data(), out.size());
  CHECK(n > 0);
  Arrays b(static_cast<size_t>(count));
  const ParseResult r = parseMessage(out.data(), 0, static_cast<size_t>(n), b.fields());
  CHECK(r.status == kOk && r.count == count);
  for (int32_t i = 0; i < count; i++) {
    CHECK(b.tags[i] == a.tags[i]);
    if (i == 1 || i == count - 1) continue;  // BodyLength and CheckSum may have had leading zeros
    CHECK(b.ends[i] - b.starts[i] == a.ends[i] - a.starts[i]);
    CHECK(std::memcmp(out.data() + b.starts[i], data + a.starts[i], a.ends[i] - a.starts[i]) == 0);
  }
}

/**
 * The input's SOH-separated pieces as the values of a message (MsgType first, then tags 1, 2, ...),
 * encoded: it must parse to exactly those values, Ok unless a value is empty.
 */
void checkEncodeAnything(const uint8_t* data, size_t size) {
  Arrays body(size + 1);
  size_t n = 0;
  for (size_t p = 0, from = 0; p <= size; p++) {
    if (p < size && data[p] != 0x01) continue;
    body.tags[n] = n == 0 ? 35 : static_cast<int32_t>(n);
    body.starts[n] = static_cast<int32_t>(from);
    body.ends[n] = static_cast<int32_t>(p);
    n++;
    from = p + 1;
  }
  const BodyFields fields{data, size, body.tags.data(), body.starts.data(), body.ends.data(), n};
  std::vector<uint8_t> out(size + 16 * n + 64);
  CHECK(encodeMessage(data, 0, fields, out.data(), 8) == kEncodeNoRoom);
  const int64_t length = encodeMessage(reinterpret_cast<const uint8_t*>("FIX.4.4"), 7, fields, out.data(), out.size());
  CHECK(length > 0);
  Arrays parsed(n + 3);
  const ParseResult r = parseMessage(out.data(), 0, static_cast<size_t>(length), parsed.fields());
  CHECK(r.count == static_cast<int32_t>(n + 3));
  int32_t empty = 0;
  for (size_t i = 0; i < n && empty == 0; i++)
    if (body.starts[i] == body.ends[i]) empty = body.tags[i];
  CHECK(empty == 0 ? r.status == kOk : r.status == kEmptyValue && r.errorTag == empty);
  if (r.status == kOk) checkOk(out.data(), 0, static_cast<size_t>(length), parsed, r.count);
  for (size_t i = 0; i < n; i++) {
    const int32_t len = body.ends[i] - body.starts[i];
    CHECK(parsed.tags[i + 2] == body.tags[i] && parsed.ends[i + 2] - parsed.starts[i + 2] == len);
    CHECK(len == 0 || std::memcmp(out.data() + parsed.starts[i + 2], data + body.starts[i], len) == 0);
  }
}

/** parseMessage on data[start, end): a small array then a big one, which must agree. */
ParseResult checkParse(const uint8_t* data, size_t start, size_t end, Arrays& big) {
  Arrays small(4);
  const ParseResult s = parseMessage(data, start, end, small.fields());
  const ParseResult r = parseMessage(data, start, end, big.fields());
  CHECK(r.status >= kOk && r.status <= kBadTag && r.count >= 0 && static_cast<size_t>(r.count) <= big.tags.size());
  if (s.status == kTooManyFields) {
    CHECK(s.count == r.count && s.count > 4);
  } else {
    CHECK(s.status == r.status && s.count == r.count && s.errorTag == r.errorTag);
    for (int32_t i = 0; i < r.count; i++)
      CHECK(small.tags[i] == big.tags[i] && small.starts[i] == big.starts[i] && small.ends[i] == big.ends[i]);
  }
  checkFieldLayout(data, start, end, big, r.count);
  if (r.status == kEmptyValue) {
    int32_t i = 0;
    while (i < r.count && big.starts[i] != big.ends[i]) i++;
    CHECK(i < r.count && r.errorTag == big.tags[i]);
  } else {
    CHECK(r.errorTag == 0);
  }
  if (r.status == kOk) {
    checkOk(data, start, end, big, r.count);
    checkEncodeRoundTrip(data, big, r.count);
  }
  return r;
}

bool beginsMessage(const uint8_t* data, size_t p, size_t size) {
  return size - p >= 5 && std::memcmp(data + p, "8=FIX", 5) == 0;
}

/** One batch record, checked against the bytes it covers. */
void checkRecord(const uint8_t* data, size_t size, size_t maxBytes, const int32_t* rec, const Arrays& f) {
  const size_t offset = static_cast<size_t>(rec[kRecOffset]), length = static_cast<size_t>(rec[kRecLength]);
  CHECK(rec[kRecLength] >= 1 && offset + length <= size);
  if (rec[kRecStatus] < 0) {
    CHECK(rec[kRecStatus] >= -kBytesBeforeBeginString && rec[kRecFieldCount] == 0);
    if (rec[kRecStatus] == -kBytesBeforeBeginString) {
      for (size_t p = offset; p < offset + length; p++) CHECK(!beginsMessage(data, p, size));
    } else {
      CHECK(length == 1 && beginsMessage(data, offset, size));
    }
    return;
  }
  CHECK(beginsMessage(data, offset, size) && length <= maxBytes && length >= 7);
  CHECK(std::memcmp(data + offset + length - 7, "10=", 3) == 0 && data[offset + length - 1] == 0x01);
  Arrays alone(f.tags.size());
  const ParseResult r = checkParse(data, offset, offset + length, alone);
  CHECK(r.status == rec[kRecStatus] && r.count == rec[kRecFieldCount] && r.errorTag == rec[kRecDetail]);
  for (int32_t i = 0; i < r.count; i++) {
    const int32_t j = rec[kRecFirstField] + i;
    CHECK(f.tags[j] == alone.tags[i] && f.starts[j] == alone.starts[i] && f.ends[j] == alone.ends[i]);
  }
}

/** parseBatch over the whole input with tiny arrays: records tile [0, consumed), then nothing more. */
void checkBatch(const uint8_t* data, size_t size) {
  const size_t maxBytes = size > 0 ? 16 + size_t{data[0]} * 4 : 64;
  Arrays small(8), big(size / 2 + 8);
  std::vector<int32_t> records(3 * kRecordInts);
  size_t head = 0;
  for (int rounds = 0;; rounds++) {
    CHECK(rounds <= static_cast<int>(size) + 2);
    BatchResult r = parseBatch(data, head, size, maxBytes, small.fields(), records.data(), 3);
    Arrays* used = &small;
    if (r.records == 0 && r.needFields > 0) {
      CHECK(static_cast<size_t>(r.needFields) > small.tags.size());
      r = parseBatch(data, head, size, maxBytes, big.fields(), records.data(), 3);
      used = &big;
      CHECK(r.records > 0);
    }
    if (r.records == 0) {
      CHECK(r.consumed == head);
      break;
    }
    size_t at = head;
    for (int32_t k = 0; k < r.records; k++) {
      const int32_t* rec = records.data() + k * kRecordInts;
      CHECK(static_cast<size_t>(rec[kRecOffset]) == at);
      checkRecord(data, size, maxBytes, rec, *used);
      at += static_cast<size_t>(rec[kRecLength]);
    }
    CHECK(r.consumed == at && at <= size);
    head = at;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;
  // libFuzzer hands a pointer that may be null for an empty input; the codec reads nothing then.
  static const uint8_t none[1] = {0};
  if (size == 0) data = none;
  Arrays big(size / 2 + 8);
  checkParse(data, 0, size, big);
  checkBatch(data, size);
  checkEncodeAnything(data, size);
  CHECK(checksum(data, 0, size) < 256);
  return 0;
}
