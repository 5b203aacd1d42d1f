// Node binding of the risk kernels (node-addon-api). Heavy kernels run on a libuv worker that
// splits the work over `threads` std::threads and resolve a Promise; per-tick kernels are sync.
// The FIX codec's functions (fix_binding.cc) are registered here too: one addon to load.
#include <napi.h>

#include <functional>
#include <stdexcept>
#include <utility>

#include "accumulate.h"
#include "args.h"
#include "kernels.h"
#include "parallel.h"

namespace riskline {

/** The FIX codec's functions (fix_binding.cc). */
void registerFixCodec(Napi::Env env, Napi::Object exports);

namespace {

constexpr int64_t MAX_SCENARIOS = 2147483647;  // scenario indices cross as Int32
constexpr int64_t MAX_COUNT = int64_t{1} << 40;
constexpr int64_t MAX_SAFE = 9007199254740991;

/** Runs one kernel off the event loop; holds the job's typed arrays until it settles. */
class KernelWorker : public Napi::AsyncWorker {
 public:
  KernelWorker(Napi::Env env, std::function<void()> run, std::vector<Napi::Reference<Napi::Value>> keep)
      : Napi::AsyncWorker(env, "riskline.kernel"),
        deferred_(Napi::Promise::Deferred::New(env)),
        run_(std::move(run)),
        keep_(std::move(keep)) {}
  void Execute() override {
    try {
      run_();
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }
  Napi::Promise promise() const { return deferred_.Promise(); }

 private:
  Napi::Promise::Deferred deferred_;
  std::function<void()> run_;
  std::vector<Napi::Reference<Napi::Value>> keep_;
};

Napi::Value queue(Napi::Env env, Args& args, std::function<void()> run) {
  auto* w = new KernelWorker(env, std::move(run), args.release());
  const Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

int threadsArg(const Napi::CallbackInfo& info, Args& args, size_t at) {
  return static_cast<int>(args.integer(info[at], "threads", 1, 1024));
}

Napi::Value FactorScenarios(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "factorScenarios");
  const Napi::Object job = a.object(info[0], "job"), out = a.object(info[1], "out");
  FactorScenarioJob j{};
  j.seed = a.integer(job, "seed", -MAX_SAFE, MAX_SAFE);
  j.set = a.integer(job, "set", 0, MAX_SAFE / STREAMS_PER_SET);
  j.scenarios = a.integer(job, "scenarios", 1, MAX_SCENARIOS);
  j.factors = a.integer(job, "factors", 1, 100000);
  j.dof = a.integer(job, "dof", 0, 1000000);
  if (j.dof == 1 || j.dof == 2) a.fail("dof", "must be 0 (normal) or an integer >= 3");
  j.cholesky = a.array<double>(job, "cholesky", j.factors * j.factors);
  j.factorReturns = a.array<double>(out, "factorReturns", j.scenarios * j.factors);
  j.tScale = a.array<double>(out, "tScale", j.scenarios);
  const int threads = threadsArg(info, a, 2);
  return queue(info.Env(), a, [j, threads] { factorScenarios(j, threads); });
}

/** CSR loadings: monotone starts within the entry arrays, factor indices within [0, factors). */
void checkLoadings(Args& a, const InstrumentReturnJob& j, int64_t entries) {
  for (int64_t i = 0; i < j.instruments; i++)
    if (j.loadStart[i] < 0 || j.loadStart[i] > j.loadStart[i + 1])
      a.fail("loadStart", "must be non-negative and non-decreasing (at " + std::to_string(i) + ")");
  if (j.loadStart[j.instruments] > entries) a.fail("loadStart", "ends past loadFactor's length");
  for (int64_t e = j.loadStart[0]; e < j.loadStart[j.instruments]; e++)
    if (j.loadFactor[e] < 0 || j.loadFactor[e] >= j.factors)
      a.fail("loadFactor", "[" + std::to_string(e) + "] must be in [0, factors)");
}

Napi::Value InstrumentReturns(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "instrumentReturns");
  const Napi::Object job = a.object(info[0], "job");
  InstrumentReturnJob j{};
  j.seed = a.integer(job, "seed", -MAX_SAFE, MAX_SAFE);
  j.set = a.integer(job, "set", 0, MAX_SAFE / STREAMS_PER_SET);
  j.instruments = a.integer(job, "instruments", 0, MAX_COUNT);
  j.scenarios = a.integer(job, "scenarios", 1, MAX_SCENARIOS);
  j.factors = a.integer(job, "factors", 1, 100000);
  j.factorReturns = a.array<double>(job, "factorReturns", j.scenarios * j.factors);
  j.tScale = a.array<double>(job, "tScale", j.scenarios, true);
  j.loadStart = a.array<int32_t>(job, "loadStart", j.instruments + 1);
  j.loadFactor = a.array<int32_t>(job, "loadFactor", -1);
  const int64_t entries = Args::lengthOf(job.Get("loadFactor"));
  j.loadValue = a.array<double>(job, "loadValue", entries);
  j.idioSigma = a.array<double>(job, "idioSigma", j.instruments);
  j.out = a.array<double>(info[1], "out", j.instruments * j.scenarios);
  checkLoadings(a, j, entries);
  const int threads = threadsArg(info, a, 2);
  return queue(info.Env(), a, [j, threads] { instrumentReturns(j, threads); });
}

/** A RevaluationJob and its output, checked as revalue and revalueNow read them. */
RevaluationJob readRevaluation(Args& a, const Napi::CallbackInfo& info) {
  const Napi::Object job = a.object(info[0], "job");
  RevaluationJob j{};
  j.count = a.integer(job, "count", 0, MAX_COUNT);
  j.scenarios = a.integer(job, "scenarios", 1, MAX_SCENARIOS);
  j.returns = a.array<double>(job, "returns", -1);
  const int64_t rows = Args::lengthOf(job.Get("returns")) / j.scenarios;
  if (rows * j.scenarios != Args::lengthOf(job.Get("returns"))) a.fail("returns", "length must be rows × scenarios");
  j.row = a.array<int32_t>(job, "row", j.count);
  j.model = a.array<uint8_t>(job, "model", j.count);
  j.isCall = a.array<uint8_t>(job, "isCall", j.count);
  const char* names[] = {"spot", "strike", "tau", "vol", "rate", "dividend", "duration", "convexity", "multiplier"};
  const double** fields[] = {&j.spot, &j.strike, &j.tau, &j.vol, &j.rate, &j.dividend, &j.duration, &j.convexity,
                             &j.multiplier};
  for (size_t f = 0; f < 9; f++) *fields[f] = a.array<double>(job, names[f], j.count);
  j.volShift = a.array<double>(job, "volShift", j.scenarios, true);
  j.horizonYears = a.number(job, "horizonYears");
  if (j.horizonYears < 0) a.fail("horizonYears", "must be >= 0");
  j.out = a.array<double>(info[1], "out", j.count * j.scenarios);
  for (int64_t i = 0; i < j.count; i++) {
    if (j.row[i] < 0 || j.row[i] >= rows) a.fail("row", "[" + std::to_string(i) + "] must be in [0, " + std::to_string(rows) + ")");
    if (j.model[i] > MODEL_BOND) a.fail("model", "[" + std::to_string(i) + "] must be MODEL_BSM, MODEL_BLACK76 or MODEL_BOND");
  }
  return j;
}

Napi::Value Revalue(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "revalue");
  const RevaluationJob j = readRevaluation(a, info);
  const int threads = threadsArg(info, a, 2);
  return queue(info.Env(), a, [j, threads] { revalue(j, threads); });
}

/** One PositionGroup whose rows lie inside its matrix of `scenarios` columns. */
Group readGroup(Args& a, const Napi::Value& v, const std::string& name, int64_t scenarios) {
  const Napi::Object o = a.object(v, name);
  Group g{};
  g.matrix = a.array<double>(o.Get("matrix"), name + ".matrix", -1);
  const int64_t rows = Args::lengthOf(o.Get("matrix")) / scenarios;
  if (rows * scenarios != Args::lengthOf(o.Get("matrix"))) a.fail(name + ".matrix", "length must be rows × scenarios");
  g.rows = a.array<int32_t>(o.Get("rows"), name + ".rows", -1);
  g.count = Args::lengthOf(o.Get("rows"));
  g.weights = a.array<double>(o.Get("weights"), name + ".weights", g.count);
  for (int64_t j = 0; j < g.count; j++)
    if (g.rows[j] < 0 || g.rows[j] >= rows) a.fail(name + ".rows", "[" + std::to_string(j) + "] must be in [0, " + std::to_string(rows) + ")");
  return g;
}

/** Kernel domain errors (NaN P&L, a confidence outside (0, 1)) as RangeErrors naming the kernel. */
template <typename F>
void guarded(Napi::Env env, const char* kernel, F&& f) {
  try {
    f();
  } catch (const std::domain_error& e) {
    throw Napi::RangeError::New(env, std::string(kernel) + ": " + e.what());
  }
}

/** An AccumulateJob's group, reset flag and output, checked as accumulate and accumulateAsync read them. */
struct AccumulateCall {
  Group g;
  int64_t s;
  bool reset;
  double* out;
};

AccumulateCall readAccumulate(Args& a, const Napi::CallbackInfo& info) {
  const Napi::Object job = a.object(info[0], "job");
  const int64_t s = a.integer(job, "scenarios", 1, MAX_SCENARIOS);
  const Group g = readGroup(a, job, "job", s);
  const Napi::Value reset = job.Get("reset");
  if (!reset.IsBoolean()) a.fail("reset", "must be a boolean");
  return {g, s, reset.As<Napi::Boolean>().Value(), a.array<double>(info[1], "out", s)};
}

Napi::Value Accumulate(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "accumulate");
  const AccumulateCall c = readAccumulate(a, info);
  accumulate(c.g, c.s, c.reset, c.out);
  return info.Env().Undefined();
}

/** The same sums off the event loop, scenarios split over threads in blocks of whole cache lines. */
Napi::Value AccumulateAsync(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "accumulateAsync");
  const AccumulateCall c = readAccumulate(a, info);
  const int threads = threadsArg(info, a, 2);
  constexpr int64_t BLOCK = 512;
  return queue(info.Env(), a, [c, threads] {
    parallelFor((c.s + BLOCK - 1) / BLOCK, threads, [&](int64_t u0, int64_t u1) {
      accumulateRange(c.g, c.s, u0 * BLOCK, std::min(c.s, u1 * BLOCK), c.reset, c.out);
    });
  });
}

/** The same kernel on the calling thread: a few rows (an option re-priced as its underlying crosses a step). */
Napi::Value RevalueNow(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "revalueNow");
  const RevaluationJob j = readRevaluation(a, info);
  guarded(info.Env(), "revalueNow", [&] { revalue(j, 1); });
  return info.Env().Undefined();
}

Napi::Value Tail(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "tail");
  const Napi::Object job = a.object(info[0], "job"), out = a.object(info[1], "out");
  const int64_t s = a.integer(job, "scenarios", 1, MAX_SCENARIOS);
  const double* pnl = a.array<double>(job, "pnl", s);
  if (!job.Get("weights").IsNull() && !job.Get("weights").IsUndefined()) a.fail("weights", "must be null (weighted scenarios are not supported yet)");
  const double* conf = a.array<double>(job, "confidence", -1);
  const int64_t levels = Args::lengthOf(job.Get("confidence"));
  double* var = a.array<double>(out, "var", levels);
  double* es = a.array<double>(out, "es", levels);
  int32_t* at = a.array<int32_t>(out, "varScenario", levels);
  guarded(info.Env(), "tail", [&] { tail(pnl, s, conf, levels, var, es, at); });
  return info.Env().Undefined();
}

// Positional typed arrays, not a job object: this is the pre-trade check's hot path.
Napi::Value TradeTails(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "tradeTails");
  const int64_t s = a.integer(info[1], "scenarios", 1, MAX_SCENARIOS);
  const double* pnl = a.array<double>(info[0], "pnl", s);
  const double alpha = a.number(info[2], "confidence");
  const double bound = a.number(info[3], "bound");
  const int64_t most = a.integer(info[4], "most", 1, MAX_SCENARIOS);
  const double* move = a.array<double>(info[5], "move", s);
  const double weight = a.number(info[6], "weight");
  double* out = a.array<double>(info[7], "out", 6);
  bool ok = false;
  guarded(info.Env(), "tradeTails", [&] { ok = tradeTails(pnl, s, alpha, bound, most, move, weight, out); });
  return Napi::Boolean::New(info.Env(), ok);
}

Napi::Value Components(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "components");
  const Napi::Object job = a.object(info[0], "job"), out = a.object(info[1], "out");
  const int64_t s = a.integer(job, "scenarios", 1, MAX_SCENARIOS);
  const double* pnl = a.array<double>(job, "pnl", s);
  const double* conf = a.array<double>(job, "confidence", -1);
  const int64_t levels = Args::lengthOf(job.Get("confidence"));
  if (!job.Get("groups").IsArray()) a.fail("groups", "must be an array");
  const Napi::Array list = job.Get("groups").As<Napi::Array>();
  std::vector<Group> groups;
  int64_t positions = 0;
  for (uint32_t g = 0; g < list.Length(); g++) {
    groups.push_back(readGroup(a, list.Get(g), "groups[" + std::to_string(g) + "]", s));
    positions += groups.back().count;
  }
  double* cv = a.array<double>(out, "componentVar", positions * levels);
  double* ce = a.array<double>(out, "componentEs", positions * levels);
  guarded(info.Env(), "components", [&] {
    components(pnl, s, groups.data(), static_cast<int64_t>(groups.size()), conf, levels, cv, ce);
  });
  return info.Env().Undefined();
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args a(info.Env(), "gemm");
  const int64_t m = a.integer(info[0], "m", 1, 2147483647), n = a.integer(info[1], "n", 1, 2147483647);
  const int64_t k = a.integer(info[2], "k", 1, 2147483647);
  const double* A = a.array<double>(info[3], "A", m * k);
  const double* B = a.array<double>(info[4], "B", k * n);
  double* C = a.array<double>(info[5], "C", m * n);
  const int threads = info.Length() > 6 && !info[6].IsUndefined() ? threadsArg(info, a, 6) : 1;
  gemm(m, n, k, A, B, C, threads);
  return info.Env().Undefined();
}

Napi::Value BlasInfo(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), blasInfo()); }

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), std::string("C++17, g++ ") + __VERSION__);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("factorScenarios", Napi::Function::New(env, FactorScenarios));
  exports.Set("instrumentReturns", Napi::Function::New(env, InstrumentReturns));
  exports.Set("revalue", Napi::Function::New(env, Revalue));
  exports.Set("revalueNow", Napi::Function::New(env, RevalueNow));
  exports.Set("accumulate", Napi::Function::New(env, Accumulate));
  exports.Set("accumulateAsync", Napi::Function::New(env, AccumulateAsync));
  exports.Set("tail", Napi::Function::New(env, Tail));
  exports.Set("components", Napi::Function::New(env, Components));
  exports.Set("tradeTails", Napi::Function::New(env, TradeTails));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("blasInfo", Napi::Function::New(env, BlasInfo));
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo));
  registerFixCodec(env, exports);
  return exports;
}

}  // namespace
}  // namespace riskline

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return riskline::Init(env, exports); }

NODE_API_MODULE(riskline_cpu, InitAddon)
