// Reading a RiskBackend job object from JavaScript: typed arrays by pointer (no copies) with
// their lengths checked against the job's sizes, integers checked for range, one-line errors.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace riskline {

template <typename T>
struct View {
  T* data = nullptr;
  size_t length = 0;
  size_t bytes() const { return length * sizeof(T); }
};

template <typename T>
constexpr napi_typedarray_type typeOf();
template <>
constexpr napi_typedarray_type typeOf<double>() { return napi_float64_array; }
template <>
constexpr napi_typedarray_type typeOf<int32_t>() { return napi_int32_array; }
template <>
constexpr napi_typedarray_type typeOf<uint8_t>() { return napi_uint8_array; }

inline const char* typeName(napi_typedarray_type t) {
  return t == napi_float64_array ? "Float64Array" : t == napi_int32_array ? "Int32Array" : "Uint8Array";
}

[[noreturn]] inline void fail(Napi::Env env, const std::string& what) {
  throw Napi::TypeError::New(env, "cuda backend: " + what);
}

/** obj[name] as a T typed array of at least `need` elements; null/undefined allowed when `nullable`. */
template <typename T>
View<T> array(const Napi::Object& obj, const char* name, size_t need, bool nullable = false) {
  const Napi::Env env = obj.Env();
  const Napi::Value v = obj.Get(name);
  if (nullable && (v.IsNull() || v.IsUndefined())) return {};
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != typeOf<T>())
    fail(env, std::string(name) + " must be a " + typeName(typeOf<T>()));
  auto a = v.As<Napi::TypedArrayOf<T>>();
  if (a.ElementLength() < need)
    fail(env, std::string(name) + " has " + std::to_string(a.ElementLength()) + " elements, the job needs " +
                  std::to_string(need));
  return {a.Data(), a.ElementLength()};
}

/** obj[name] as an integer in [lo, hi]. */
inline int64_t integer(const Napi::Object& obj, const char* name, double lo, double hi) {
  const Napi::Value v = obj.Get(name);
  const double x = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
  if (!(x >= lo && x <= hi) || std::floor(x) != x)
    fail(obj.Env(), std::string(name) + " must be an integer in [" + std::to_string(static_cast<int64_t>(lo)) + ", " +
                        std::to_string(static_cast<int64_t>(hi)) + "]");
  return static_cast<int64_t>(x);
}

inline double number(const Napi::Object& obj, const char* name) {
  const Napi::Value v = obj.Get(name);
  if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue()))
    fail(obj.Env(), std::string(name) + " must be a finite number");
  return v.As<Napi::Number>().DoubleValue();
}

constexpr double kSafe = 9007199254740991.0;
constexpr double kMaxCount = 2147483647.0;

}  // namespace riskline
