// N-API glue of the cuda risk backend. Heavy kernels run as AsyncWorkers: the job's typed arrays
// are read by pointer on the main thread, the libuv worker stages them to the device, enqueues the
// kernels on the stream, waits for it and copies the result into the caller's array, and the
// Promise settles on the main thread. Without a driver or device the addon still loads and
// available() says why, so the loader falls back with that reason.
#include <napi.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "args.h"
#include "device.h"
#include "kernels.h"

namespace riskline {

namespace {

/** A Promise-returning job; `keep` holds the job and output objects alive until it settles. */
class Job : public Napi::AsyncWorker {
 public:
  Job(Napi::Env env, const Napi::CallbackInfo& info)
      : Napi::AsyncWorker(env, "riskline:cuda"), deferred_(Napi::Promise::Deferred::New(env)) {
    Napi::Array keep = Napi::Array::New(env, 2);
    keep.Set(0u, info[0]);
    keep.Set(1u, info[1]);
    keep_ = Napi::Persistent(keep.As<Napi::Object>());
  }
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  virtual void run(Gpu& gpu) = 0;
  void Execute() override {
    try {
      Gpu& gpu = Gpu::get();
      std::lock_guard<std::mutex> hold(gpu.lock);
      run(gpu);
    } catch (const std::exception& e) {
      SetError(std::string("cuda backend: ") + e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference keep_;
};

Napi::Object objectArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsObject()) fail(info.Env(), std::string(what) + " must be an object");
  return info[i].As<Napi::Object>();
}

/** The output argument: a Float64Array of at least `need` elements. */
View<double> outArray(const Napi::CallbackInfo& info, size_t need) {
  if (info.Length() < 2 || !info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    fail(info.Env(), "out must be a Float64Array");
  auto a = info[1].As<Napi::Float64Array>();
  if (a.ElementLength() < need)
    fail(info.Env(), "out has " + std::to_string(a.ElementLength()) + " elements, the job needs " +
                         std::to_string(need));
  return {a.Data(), a.ElementLength()};
}

void requireDevice(Napi::Env env) {
  if (!probe().ok) fail(env, probe().reason);
}

/** Starts the worker and hands JavaScript its Promise. */
template <typename J>
Napi::Value start(const Napi::CallbackInfo& info) {
  requireDevice(info.Env());
  auto* job = new J(info);  // owned by libuv's queue once queued; deleted after OnOK/OnError
  job->Queue();
  return job->promise();
}

class FactorScenarioJob : public Job {
 public:
  explicit FactorScenarioJob(const Napi::CallbackInfo& info) : Job(info.Env(), info) {
    const Napi::Object job = objectArg(info, 0, "job");
    const Napi::Object out = objectArg(info, 1, "out");
    a_.seed = integer(job, "seed", -kSafe, kSafe);
    a_.set = integer(job, "set", 0, 1e15);
    a_.scenarios = static_cast<int>(integer(job, "scenarios", 0, kMaxCount));
    a_.factors = static_cast<int>(integer(job, "factors", 1, 65535));
    a_.dof = static_cast<int>(integer(job, "dof", 0, 1e6));
    if (a_.dof == 1 || a_.dof == 2) fail(info.Env(), "dof must be 0 (normal) or an integer >= 3");
    const size_t s = a_.scenarios, k = a_.factors;
    chol_ = array<double>(job, "cholesky", k * k);
    f_ = array<double>(out, "factorReturns", s * k);
    t_ = array<double>(out, "tScale", s);
  }

 protected:
  void run(Gpu& gpu) override {
    const size_t s = a_.scenarios, k = a_.factors;
    a_.cholesky = gpu.slotAs<double>(kCholesky, k * k);
    a_.factorReturns = gpu.slotAs<double>(kFactorReturns, s * k);
    a_.tScale = gpu.slotAs<double>(kTScale, s);
    gpu.upload(const_cast<double*>(a_.cholesky), chol_.data, k * k * sizeof(double));
    check(launchFactorScenarios(a_, gpu.stream), "factorScenarios launch");
    gpu.download(f_.data, a_.factorReturns, s * k * sizeof(double));
    gpu.download(t_.data, a_.tScale, s * sizeof(double));
  }

 private:
  FactorScenarioArgs a_{};
  View<double> chol_, f_, t_;
};

class InstrumentReturnJob : public Job {
 public:
  explicit InstrumentReturnJob(const Napi::CallbackInfo& info) : Job(info.Env(), info) {
    const Napi::Object job = objectArg(info, 0, "job");
    a_.seed = integer(job, "seed", -kSafe, kSafe);
    a_.set = integer(job, "set", 0, 1e15);
    a_.instruments = static_cast<int>(integer(job, "instruments", 0, kMaxCount));
    a_.scenarios = static_cast<int>(integer(job, "scenarios", 0, kMaxCount));
    a_.factors = static_cast<int>(integer(job, "factors", 0, kMaxCount));
    const size_t n = a_.instruments, s = a_.scenarios, k = a_.factors;
    f_ = array<double>(job, "factorReturns", s * k);
    t_ = array<double>(job, "tScale", s, true);
    start_ = array<int32_t>(job, "loadStart", n + 1);
    const size_t nnz = n > 0 ? static_cast<size_t>(start_.data[n]) : 0;
    factor_ = array<int32_t>(job, "loadFactor", nnz);
    value_ = array<double>(job, "loadValue", nnz);
    sigma_ = array<double>(job, "idioSigma", n);
    for (size_t i = 0; i < n; i++)  // the GPU reads what the indexes say: they must be in range
      if (start_.data[i] < 0 || start_.data[i] > start_.data[i + 1]) fail(Env(), "loadStart must ascend from 0");
    for (size_t e = 0; e < nnz; e++)
      if (factor_.data[e] < 0 || static_cast<size_t>(factor_.data[e]) >= k)
        fail(Env(), "loadFactor[" + std::to_string(e) + "] is not a factor index");
    out_ = outArray(info, n * s);
    nnz_ = nnz;
  }

 protected:
  void run(Gpu& gpu) override {
    const size_t n = a_.instruments, s = a_.scenarios, k = a_.factors;
    double* f = gpu.slotAs<double>(kFactorReturns, s * k);
    gpu.upload(f, f_.data, s * k * sizeof(double));
    a_.factorReturns = f;
    a_.tScale = nullptr;
    if (t_.data) {
      double* t = gpu.slotAs<double>(kTScale, s);
      gpu.upload(t, t_.data, s * sizeof(double));
      a_.tScale = t;
    }
    int32_t* start = gpu.slotAs<int32_t>(kLoadStart, n + 1);
    int32_t* factor = gpu.slotAs<int32_t>(kLoadFactor, nnz_);
    double* value = gpu.slotAs<double>(kLoadValue, nnz_);
    double* sigma = gpu.slotAs<double>(kIdioSigma, n);
    gpu.upload(start, start_.data, (n + 1) * sizeof(int32_t));
    gpu.upload(factor, factor_.data, nnz_ * sizeof(int32_t));
    gpu.upload(value, value_.data, nnz_ * sizeof(double));
    gpu.upload(sigma, sigma_.data, n * sizeof(double));
    a_.loadStart = start;
    a_.loadFactor = factor;
    a_.loadValue = value;
    a_.idioSigma = sigma;
    a_.out = gpu.slotAs<double>(kOut, n * s);
    check(launchInstrumentReturns(a_, gpu.stream), "instrumentReturns launch");
    gpu.download(out_.data, a_.out, n * s * sizeof(double));
  }

 private:
  InstrumentReturnArgs a_{};
  View<double> f_, t_, value_, sigma_, out_;
  View<int32_t> start_, factor_;
  size_t nnz_ = 0;
};

class RevalueJob : public Job {
 public:
  explicit RevalueJob(const Napi::CallbackInfo& info) : Job(info.Env(), info) {
    const Napi::Object job = objectArg(info, 0, "job");
    a_.count = static_cast<int>(integer(job, "count", 0, kMaxCount));
    a_.scenarios = static_cast<int>(integer(job, "scenarios", 1, kMaxCount));
    a_.horizonYears = number(job, "horizonYears");
    const size_t c = a_.count, s = a_.scenarios;
    returns_ = array<double>(job, "returns", 0);
    rows_ = returns_.length / s;
    row_ = array<int32_t>(job, "row", c);
    model_ = array<uint8_t>(job, "model", c);
    isCall_ = array<uint8_t>(job, "isCall", c);
    const char* names[kParamCount] = {"spot", "strike",    "tau",      "vol",        "rate",
                                      "dividend", "duration", "convexity", "multiplier"};
    for (int p = 0; p < kParamCount; p++) params_[p] = array<double>(job, names[p], c);
    volShift_ = array<double>(job, "volShift", s, true);
    for (size_t j = 0; j < c; j++) {
      if (row_.data[j] < 0 || static_cast<size_t>(row_.data[j]) >= rows_)
        fail(Env(), "row[" + std::to_string(j) + "] is not a row of returns");
      if (model_.data[j] > 2) fail(Env(), "model[" + std::to_string(j) + "] is not MODEL_BSM, MODEL_BLACK76 or MODEL_BOND");
    }
    out_ = outArray(info, c * s);
  }

 protected:
  void run(Gpu& gpu) override {
    const size_t c = a_.count, s = a_.scenarios;
    double* returns = gpu.slotAs<double>(kReturns, rows_ * s);
    gpu.upload(returns, returns_.data, rows_ * s * sizeof(double));
    a_.returns = returns;
    a_.row = upload(gpu, kRow, row_);
    a_.model = upload(gpu, kModel, model_);
    a_.isCall = upload(gpu, kIsCall, isCall_);
    double* params = gpu.slotAs<double>(kParams, kParamCount * c);
    const double** fields[kParamCount] = {&a_.spot, &a_.strike,   &a_.tau,       &a_.vol,       &a_.rate,
                                          &a_.dividend, &a_.duration, &a_.convexity, &a_.multiplier};
    for (int p = 0; p < kParamCount; p++) {
      gpu.upload(params + p * c, params_[p].data, c * sizeof(double));
      *fields[p] = params + p * c;
    }
    a_.volShift = volShift_.data ? upload(gpu, kVolShift, volShift_) : nullptr;
    a_.today = gpu.slotAs<double>(kToday, c);
    a_.out = gpu.slotAs<double>(kOut, c * s);
    check(launchRevalue(a_, gpu.stream), "revalue launch");
    gpu.download(out_.data, a_.out, c * s * sizeof(double));
  }

 private:
  static constexpr int kParamCount = 9;
  template <typename T>
  static const T* upload(Gpu& gpu, Slot slot, const View<T>& v) {
    T* d = gpu.slotAs<T>(slot, v.length);
    gpu.upload(d, v.data, v.bytes());
    return d;
  }
  RevalueArgs a_{};
  size_t rows_ = 0;
  View<double> returns_, params_[kParamCount], volShift_, out_;
  View<int32_t> row_;
  View<uint8_t> model_, isCall_;
};

/** Below this many multiply-adds the bus costs more than the sum: accumulate on the host, same order. */
constexpr size_t kHostAccumulateBelow = size_t{1} << 16;

void accumulateOnHost(const AccumulateArgs& a, const int32_t* rows, const double* matrix) {
  const size_t s = a.scenarios;
  for (int j = 0; j < a.rows; j++) {
    const double w = a.weights[j];
    if (w == 0.0) continue;
    const double* m = matrix + static_cast<size_t>(rows[j]) * s;
    for (size_t i = 0; i < s; i++) a.out[i] += w * m[i];
  }
}

/** stage[j] = matrix[rows[j]] for n rows of s doubles, over up to 8 threads (one core cannot feed the bus). */
void gatherRows(double* stage, const double* matrix, const int32_t* rows, size_t n, size_t s) {
  const auto copy = [=](size_t a, size_t b) {
    for (size_t j = a; j < b; j++) std::memcpy(stage + j * s, matrix + static_cast<size_t>(rows[j]) * s, s * sizeof(double));
  };
  const size_t parts = std::min<size_t>({std::max(1u, std::thread::hardware_concurrency()), 8, n});
  if (parts <= 1 || n * s < (size_t{1} << 19)) return copy(0, n);
  std::vector<std::thread> team;
  const size_t step = (n + parts - 1) / parts;
  for (size_t p = 1; p < parts && p * step < n; p++) team.emplace_back(copy, p * step, std::min(n, (p + 1) * step));
  copy(0, std::min(n, step));
  for (auto& t : team) t.join();
}

/** Rows gathered into pinned staging a chunk at a time; chunk k's copy overlaps the host gathering chunk k + 1. */
void accumulateOnDevice(Gpu& gpu, const AccumulateArgs& a, const int32_t* rows, const double* matrix) {
  const size_t s = a.scenarios, rowBytes = s * sizeof(double);
  double* pnl = gpu.slotAs<double>(kPnl, s);
  gpu.upload(pnl, a.out, rowBytes);
  double* weights = gpu.slotAs<double>(kWeights, a.rows);
  gpu.upload(weights, a.weights, a.rows * sizeof(double));
  gpu.staging(0, rowBytes);
  const size_t perChunk = gpu.stagingBytes() / rowBytes;
  for (size_t first = 0, k = 0; first < static_cast<size_t>(a.rows); first += perChunk, k++) {
    const int b = static_cast<int>(k & 1);
    const size_t n = std::min(perChunk, static_cast<size_t>(a.rows) - first);
    auto* stage = static_cast<double*>(gpu.staging(b, 0));
    gatherRows(stage, matrix, rows + first, n, s);
    double* dev = gpu.slotAs<double>(b ? kMatrix1 : kMatrix0, n * s);
    check(cudaMemcpyAsync(dev, stage, n * rowBytes, cudaMemcpyHostToDevice, gpu.stream), "cudaMemcpyAsync H2D");
    check(launchAccumulate({static_cast<int>(n), a.scenarios, dev, weights + first, pnl}, gpu.stream),
          "accumulate launch");
    gpu.release(b);
  }
  gpu.download(a.out, pnl, rowBytes);
}

/** An AccumulateJob read and checked on the main thread (the same for accumulate and accumulateAsync). */
struct AccumulateInput {
  View<double> matrix, weights, out;
  View<int32_t> rows;
  size_t s;
  bool reset;
  AccumulateArgs args() const {
    return {static_cast<int>(rows.length), static_cast<int>(s), nullptr, weights.data, out.data};
  }
};

AccumulateInput readAccumulate(const Napi::CallbackInfo& info) {
  const Napi::Object job = objectArg(info, 0, "job");
  AccumulateInput in{};
  in.s = static_cast<size_t>(integer(job, "scenarios", 0, kMaxCount));
  in.matrix = array<double>(job, "matrix", 0);
  in.rows = array<int32_t>(job, "rows", 0);
  in.weights = array<double>(job, "weights", in.rows.length);
  in.reset = job.Get("reset").ToBoolean();
  in.out = outArray(info, in.s);
  const size_t available = in.s > 0 ? in.matrix.length / in.s : 0;
  for (size_t j = 0; j < in.rows.length; j++)
    if (in.rows.data[j] < 0 || static_cast<size_t>(in.rows.data[j]) >= available)
      fail(info.Env(), "rows[" + std::to_string(j) + "] is not a row of matrix");
  return in;
}

/** accumulateAsync: the same sums on a libuv worker, waiting for the GPU rather than summing on the host. */
class AccumulateJob : public Job {
 public:
  explicit AccumulateJob(const Napi::CallbackInfo& info) : Job(info.Env(), info), in_(readAccumulate(info)) {}

 protected:
  void run(Gpu& gpu) override {
    if (in_.reset) std::fill(in_.out.data, in_.out.data + in_.s, 0.0);
    const AccumulateArgs a = in_.args();
    if (in_.rows.length * in_.s < kHostAccumulateBelow) return accumulateOnHost(a, in_.rows.data, in_.matrix.data);
    accumulateOnDevice(gpu, a, in_.rows.data, in_.matrix.data);
  }

 private:
  AccumulateInput in_;
};

/** Sync, as the contract's per-tick kernel; when a heavy job holds the GPU it sums on the host instead of waiting. */
Napi::Value Accumulate(const Napi::CallbackInfo& info) {
  const AccumulateInput in = readAccumulate(info);
  const size_t s = in.s;
  const View<int32_t> rows = in.rows;
  const View<double> matrix = in.matrix;
  if (in.reset) std::fill(in.out.data, in.out.data + s, 0.0);
  const AccumulateArgs a = in.args();
  if (rows.length * s < kHostAccumulateBelow || !probe().ok) {
    accumulateOnHost(a, rows.data, matrix.data);
    return info.Env().Undefined();
  }
  Gpu& gpu = Gpu::get();
  std::unique_lock<std::mutex> hold(gpu.lock, std::try_to_lock);
  if (!hold.owns_lock()) {
    accumulateOnHost(a, rows.data, matrix.data);
    return info.Env().Undefined();
  }
  try {
    accumulateOnDevice(gpu, a, rows.data, matrix.data);
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("cuda backend: ") + e.what());
  }
  return info.Env().Undefined();
}

Napi::Value Available(const Napi::CallbackInfo& info) {
  const Probe& p = probe();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("ok", p.ok);
  if (!p.ok) o.Set("reason", p.reason);
  o.Set("runtimeVersion", p.runtimeVersion);
  o.Set("driverVersion", p.driverVersion);
  o.Set("devices", p.devices);
  if (p.ok) {
    o.Set("name", p.name);
    o.Set("computeCapability", std::to_string(p.major) + "." + std::to_string(p.minor));
    o.Set("multiprocessors", p.multiprocessors);
    o.Set("memoryBytes", static_cast<double>(p.memory));
  }
  return o;
}

/** The module: available() always; the kernels refuse with available().reason when there is no device. */
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("available", Napi::Function::New(env, Available, "available"));
  exports.Set("factorScenarios", Napi::Function::New(env, start<FactorScenarioJob>, "factorScenarios"));
  exports.Set("instrumentReturns", Napi::Function::New(env, start<InstrumentReturnJob>, "instrumentReturns"));
  exports.Set("revalue", Napi::Function::New(env, start<RevalueJob>, "revalue"));
  exports.Set("accumulate", Napi::Function::New(env, Accumulate, "accumulate"));
  exports.Set("accumulateAsync", Napi::Function::New(env, start<AccumulateJob>, "accumulateAsync"));
  return exports;
}

}  // namespace

}  // namespace riskline

static Napi::Object InitRisklineCuda(Napi::Env env, Napi::Object exports) { return riskline::Init(env, exports); }

NODE_API_MODULE(riskline_cuda, InitRisklineCuda)
