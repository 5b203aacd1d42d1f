// Reads and checks one kernel's job object: every number and typed array by field name, so a bad
// argument is a TypeError that names the kernel and the field. Typed arrays are read in place (no
// copy) and kept referenced until the job ends.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace riskline {

template <typename T>
struct ArrayKind;
template <>
struct ArrayKind<double> {
  static constexpr napi_typedarray_type type = napi_float64_array;
  static constexpr const char* name = "Float64Array";
};
template <>
struct ArrayKind<int32_t> {
  static constexpr napi_typedarray_type type = napi_int32_array;
  static constexpr const char* name = "Int32Array";
};
template <>
struct ArrayKind<uint8_t> {
  static constexpr napi_typedarray_type type = napi_uint8_array;
  static constexpr const char* name = "Uint8Array";
};

class Args {
 public:
  Args(Napi::Env env, const char* kernel) : env_(env), kernel_(kernel) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw Napi::TypeError::New(env_, kernel_ + ": " + field + " " + what);
  }

  Napi::Object object(const Napi::Value& v, const std::string& field) const {
    if (!v.IsObject()) fail(field, "must be an object");
    return v.As<Napi::Object>();
  }

  double number(const Napi::Value& v, const std::string& field) const {
    if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue())) fail(field, "must be a finite number");
    return v.As<Napi::Number>().DoubleValue();
  }

  double number(const Napi::Object& o, const char* field) const { return number(o.Get(field), field); }

  int64_t integer(const Napi::Value& v, const std::string& field, int64_t lo, int64_t hi) const {
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
    if (!(d == std::floor(d) && d >= static_cast<double>(lo) && d <= static_cast<double>(hi)))
      fail(field, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int64_t>(d);
  }

  int64_t integer(const Napi::Object& o, const char* field, int64_t lo, int64_t hi) const {
    return integer(o.Get(field), field, lo, hi);
  }

  /** A typed array of exactly `length` elements (length < 0: any), or null when `nullable`. */
  template <typename T>
  T* array(const Napi::Value& v, const std::string& field, int64_t length, bool nullable = false) {
    if (nullable && (v.IsNull() || v.IsUndefined())) return nullptr;
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != ArrayKind<T>::type)
      fail(field, std::string("must be a ") + ArrayKind<T>::name + (nullable ? " or null" : ""));
    auto a = v.As<Napi::TypedArrayOf<T>>();
    if (length >= 0 && static_cast<int64_t>(a.ElementLength()) != length)
      fail(field, "must have length " + std::to_string(length) + ", got " + std::to_string(a.ElementLength()));
    keep_.push_back(Napi::Persistent(v));
    return a.Data();
  }

  template <typename T>
  T* array(const Napi::Object& o, const char* field, int64_t length, bool nullable = false) {
    return array<T>(o.Get(field), field, length, nullable);
  }

  /** Element count of a typed array already checked by array(). */
  static int64_t lengthOf(const Napi::Value& v) { return static_cast<int64_t>(v.As<Napi::TypedArray>().ElementLength()); }

  std::vector<Napi::Reference<Napi::Value>> release() { return std::move(keep_); }

 private:
  Napi::Env env_;
  std::string kernel_;
  std::vector<Napi::Reference<Napi::Value>> keep_;
};

}  // namespace riskline
