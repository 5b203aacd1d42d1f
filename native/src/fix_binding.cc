// Node binding of the FIX codec (fix_codec.h), in plain N-API rather than node-addon-api: a parse
// is a few hundred nanoseconds, so the call itself must not allocate (node-addon-api's
// CallbackInfo allocates past six arguments) or build wrapper objects. Every offset and length is
// checked against the arrays before the codec, which trusts them, reads a byte.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "fix_codec.h"

namespace riskline {
namespace {

using fix::Fields;

constexpr size_t MAX_ARGS = 12;
constexpr double MAX_OFFSET = 2147483647.0;  // offsets travel as int32

/** One call's arguments; the first failed check throws a TypeError and the call returns undefined. */
class Call {
 public:
  Call(napi_env env, napi_callback_info info, const char* name) : env_(env), name_(name) {
    napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr);
  }

  bool ok() const { return ok_; }

  template <typename T>
  T* array(size_t i, napi_typedarray_type want, size_t* length) {
    napi_typedarray_type type;
    void* data = nullptr;
    napi_value buffer;
    size_t offset = 0;
    *length = 0;
    if (!ok_) return nullptr;
    if (i >= argc_ || napi_get_typedarray_info(env_, argv_[i], &type, length, &data, &buffer, &offset) != napi_ok ||
        type != want) {
      fail(i, want == napi_uint8_array ? "must be a Uint8Array" : "must be an Int32Array");
      return nullptr;
    }
    return static_cast<T*>(data);
  }

  uint8_t* bytes(size_t i, size_t* length) { return array<uint8_t>(i, napi_uint8_array, length); }
  int32_t* ints(size_t i, size_t* length) { return array<int32_t>(i, napi_int32_array, length); }

  /** An integer in [lo, hi]. */
  size_t integer(size_t i, double lo, double hi) {
    double d = NAN;
    if (ok_ && (i >= argc_ || napi_get_value_double(env_, argv_[i], &d) != napi_ok || d != std::floor(d) || d < lo ||
                d > hi))
      fail(i, "must be an integer in [" + std::to_string(static_cast<int64_t>(lo)) + ", " +
                  std::to_string(static_cast<int64_t>(hi)) + "]");
    return ok_ ? static_cast<size_t>(d) : 0;
  }

  void fail(size_t i, const std::string& what) {
    if (!ok_) return;
    ok_ = false;
    napi_throw_type_error(env_, nullptr, (std::string(name_) + ": argument " + std::to_string(i) + " " + what).c_str());
  }

  napi_value undefined() const {
    napi_value v;
    napi_get_undefined(env_, &v);
    return v;
  }

  napi_value number(double d) const {
    napi_value v;
    napi_create_double(env_, d, &v);
    return v;
  }

 private:
  napi_env env_;
  const char* name_;
  size_t argc_ = MAX_ARGS;
  napi_value argv_[MAX_ARGS];
  bool ok_ = true;
};

/** The range [start, end) of a buffer of `length` bytes, checked. */
bool range(Call& c, size_t at, size_t length, size_t* start, size_t* end) {
  *start = c.integer(at, 0, MAX_OFFSET);
  *end = c.integer(at + 1, 0, MAX_OFFSET);
  if (c.ok() && (*start > *end || *end > length)) c.fail(at, "start and end must satisfy 0 <= start <= end <= length");
  return c.ok();
}

/** tags, starts, ends at i, i+1, i+2: capacity is the shortest. */
Fields fields(Call& c, size_t i) {
  size_t a = 0, b = 0, d = 0;
  int32_t* tags = c.ints(i, &a);
  int32_t* starts = c.ints(i + 1, &b);
  int32_t* ends = c.ints(i + 2, &d);
  return {tags, starts, ends, std::min(a, std::min(b, d))};
}

/** fixParse(buf, start, end, tags, starts, ends, out: Int32Array [status, count, errorTag]). */
napi_value Parse(napi_env env, napi_callback_info info) {
  Call c(env, info, "fixParse");
  size_t length = 0, start = 0, end = 0, outLength = 0;
  const uint8_t* buf = c.bytes(0, &length);
  range(c, 1, length, &start, &end);
  const Fields f = fields(c, 3);
  int32_t* out = c.ints(6, &outLength);
  if (c.ok() && outLength < 3) c.fail(6, "must hold 3 entries");
  if (!c.ok()) return nullptr;
  const fix::ParseResult r = fix::parseMessage(buf, start, end, f);
  out[0] = r.status;
  out[1] = r.count;
  out[2] = r.errorTag;
  return c.undefined();
}

/**
 * fixParseBatch(buf, start, end, maxMessageBytes, tags, starts, ends, records, out: Int32Array
 * [consumed, records, fieldsUsed, needFields]); records hold fix::kRecordInts int32 each.
 */
napi_value ParseBatch(napi_env env, napi_callback_info info) {
  Call c(env, info, "fixParseBatch");
  size_t length = 0, start = 0, end = 0, recordLength = 0, outLength = 0;
  const uint8_t* buf = c.bytes(0, &length);
  range(c, 1, length, &start, &end);
  const size_t maxMessageBytes = c.integer(3, 1, MAX_OFFSET);
  const Fields f = fields(c, 4);
  int32_t* records = c.ints(7, &recordLength);
  int32_t* out = c.ints(8, &outLength);
  if (c.ok() && outLength < 4) c.fail(8, "must hold 4 entries");
  if (!c.ok()) return nullptr;
  const size_t capacity = recordLength / fix::kRecordInts;
  const fix::BatchResult r = fix::parseBatch(buf, start, end, maxMessageBytes, f, records, capacity);
  out[0] = static_cast<int32_t>(r.consumed);
  out[1] = r.records;
  out[2] = r.fieldsUsed;
  out[3] = r.needFields;
  return c.undefined();
}

/** values, tags, starts, ends at arguments at .. at + 3, read once per call. */
struct BodyArrays {
  const uint8_t* values;
  size_t valuesLength;
  Fields f;
};

BodyArrays bodyArrays(Call& c, size_t at) {
  size_t valuesLength = 0;
  const uint8_t* values = c.bytes(at, &valuesLength);
  return {values, valuesLength, fields(c, at + 1)};
}

/** The body fields [first, first + count) of the arrays, every range checked (the codec trusts them). */
fix::BodyFields body(Call& c, const BodyArrays& a, size_t at, size_t first, size_t count) {
  const Fields& f = a.f;
  if (c.ok() && first + count > f.capacity) c.fail(at + 1, "hold fewer fields than first + count");
  for (size_t i = first; c.ok() && i < first + count; i++)
    if (f.starts[i] < 0 || f.starts[i] > f.ends[i] || static_cast<size_t>(f.ends[i]) > a.valuesLength)
      c.fail(at + 2, "[" + std::to_string(i) + "] is not a range within values");
  if (!c.ok()) return {nullptr, 0, nullptr, nullptr, nullptr, 0};
  return {a.values, a.valuesLength, f.tags + first, f.starts + first, f.ends + first, count};
}

/** fixEncode(beginString, values, tags, starts, ends, first, count, out, outStart): bytes, -1 no room, -2 refused. */
napi_value Encode(napi_env env, napi_callback_info info) {
  Call c(env, info, "fixEncode");
  size_t beginLength = 0, outLength = 0;
  const uint8_t* begin = c.bytes(0, &beginLength);
  const size_t first = c.integer(5, 0, MAX_OFFSET), count = c.integer(6, 0, MAX_OFFSET);
  const fix::BodyFields b = body(c, bodyArrays(c, 1), 1, first, count);
  uint8_t* out = c.bytes(7, &outLength);
  const size_t outStart = c.integer(8, 0, static_cast<double>(outLength));
  if (!c.ok()) return nullptr;
  return c.number(static_cast<double>(fix::encodeMessage(begin, beginLength, b, out + outStart, outLength - outStart)));
}

/**
 * fixEncodeBatch(beginString, values, tags, starts, ends, messages: Int32Array [first, count]…, n,
 * out, outStart, lengths: Int32Array) → messages written back to back from outStart; it stops at
 * the first that does not fit or is refused, whose lengths[] entry is then -1 or -2.
 */
napi_value EncodeBatch(napi_env env, napi_callback_info info) {
  Call c(env, info, "fixEncodeBatch");
  size_t beginLength = 0, messageLength = 0, outLength = 0, lengthsLength = 0;
  const uint8_t* begin = c.bytes(0, &beginLength);
  const BodyArrays arrays = bodyArrays(c, 1);
  const int32_t* messages = c.ints(5, &messageLength);
  const size_t n = c.integer(6, 0, static_cast<double>(messageLength / 2));
  uint8_t* out = c.bytes(7, &outLength);
  size_t at = c.integer(8, 0, static_cast<double>(outLength));
  int32_t* lengths = c.ints(9, &lengthsLength);
  if (c.ok() && lengthsLength < n) c.fail(9, "must hold n entries");
  size_t done = 0;
  for (; c.ok() && done < n; done++) {
    if (messages[2 * done] < 0 || messages[2 * done + 1] < 0) c.fail(5, "must hold non-negative [first, count] pairs");
    const size_t first = static_cast<size_t>(messages[2 * done]), count = static_cast<size_t>(messages[2 * done + 1]);
    const fix::BodyFields b = body(c, arrays, 1, first, count);
    if (!c.ok()) break;
    const int64_t written = fix::encodeMessage(begin, beginLength, b, out + at, outLength - at);
    lengths[done] = static_cast<int32_t>(written);
    if (written < 0) break;
    at += static_cast<size_t>(written);
  }
  if (!c.ok()) return nullptr;
  return c.number(static_cast<double>(done));
}

/** fixChecksum(buf, start, end) → the byte sum mod 256. */
napi_value Checksum(napi_env env, napi_callback_info info) {
  Call c(env, info, "fixChecksum");
  size_t length = 0, start = 0, end = 0;
  const uint8_t* buf = c.bytes(0, &length);
  if (!range(c, 1, length, &start, &end)) return nullptr;
  return c.number(fix::checksum(buf, start, end));
}

void define(Napi::Env env, Napi::Object exports, const char* name, napi_callback cb) {
  napi_value fn;
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn));
  exports.Set(name, Napi::Value(env, fn));
}

}  // namespace

/** Adds the codec's functions to the addon's exports (called from addon.cc's Init). */
void registerFixCodec(Napi::Env env, Napi::Object exports) {
  define(env, exports, "fixParse", Parse);
  define(env, exports, "fixParseBatch", ParseBatch);
  define(env, exports, "fixEncode", Encode);
  define(env, exports, "fixEncodeBatch", EncodeBatch);
  define(env, exports, "fixChecksum", Checksum);
}

}  // namespace riskline
