// Full revaluation per unit of instrument (docs/risk.md "Full revaluation"): BSM with dividend
// yield, Black-76, and bonds by modified duration and convexity. Option rows run vectorised over
// scenarios: everything that does not depend on the scenario is computed once per row, and the
// per-scenario log and Φ are vcdf.h's branch-free forms, compiled for AVX-512, AVX2 and the
// x86-64-v2 baseline and chosen at run time. Every form gives the same bits (IEEE-only arithmetic).
#include "revalue.h"

#include <algorithm>
#include <cmath>

#include "parallel.h"
#include "vcdf.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define RISKLINE_X86_SIMD 1
#endif

namespace riskline {

namespace {

constexpr int64_t TILE = 4096;

/** Φ through libm's erfc: the scalar kernel's, for today's value and odd inputs. */
inline double normCdf(double x) { return 0.5 * std::erfc(-x * M_SQRT1_2); }

}  // namespace

double optionValue(bool black76, bool call, double s, double k, double tau, double vol, double r, double q) {
  if (tau <= 0.0) return call ? std::max(s - k, 0.0) : std::max(k - s, 0.0);
  if (black76) q = r;
  const double dq = std::exp(-q * tau), dr = std::exp(-r * tau);
  const double sd = vol * std::sqrt(tau);
  if (!(sd > 0.0)) return call ? std::max(s * dq - k * dr, 0.0) : std::max(k * dr - s * dq, 0.0);
  const double d1 = (std::log(s / k) + (r - q + 0.5 * vol * vol) * tau) / sd;
  const double d2 = d1 - sd;
  return call ? s * dq * normCdf(d1) - k * dr * normCdf(d2) : k * dr * normCdf(-d2) - s * dq * normCdf(-d1);
}

namespace {

/** One option row's scenario-independent terms, in the order optionValue computes them. */
struct OptionRow {
  double spot, invK, sign, dq, kdr, vol, tau1, sqrtTau1, rq, sd, invSd, drift, m, today;
};

constexpr int64_t CHUNK = 256;  // scenarios per pass: the three passes' arrays stay in L1

/**
 * optionValue(s1, τ', σ') − today per scenario, as optionValue computes it but for ln(S'·(1/K)) and, without a vol
 * shift, d1·(1/σ√τ') (an ulp each, no division): sign·(s1·e^{−qτ'}·Φ(sign·d1) − K e^{−rτ'}·Φ(sign·d2)) is the
 * call's expression for sign 1 and exactly the put's for −1 (negation is exact). Three passes per chunk
 * (d1 and d2, then every Φ in one plain loop, then the values): the Φ loop alone keeps its constants in registers.
 */
template <bool SHIFT>
RISKLINE_VINLINE void optionSpan(const OptionRow& row, const double* __restrict ret, const double* __restrict shift,
                                 int64_t n, double* __restrict o) {
  const OptionRow p = row;  // locals, so stores to o cannot alias them
  alignas(64) double s1[CHUNK], sd[CHUNK], d[2 * CHUNK];
  for (int64_t c0 = 0; c0 < n; c0 += CHUNK) {
    const int64_t m = std::min(CHUNK, n - c0);
    for (int64_t i = 0; i < m; i++) {
      const double R = ret[c0 + i];
      const double s = p.spot * (1.0 + vmath::select(R < -0.99, -0.99, R));  // std::max(R, −0.99), NaN kept
      const double lm = vmath::log(s * p.invK);  // ln(S'/K) within an ulp of ln of the quotient
      double sdi = p.sd, d1 = (lm + p.drift) * p.invSd;
      if (SHIFT) {
        const double v = p.vol + shift[c0 + i];
        const double v1 = vmath::select(v < 0.0001, 0.0001, v);
        sdi = v1 * p.sqrtTau1;
        d1 = (lm + (p.rq + 0.5 * v1 * v1) * p.tau1) / sdi;
      }
      s1[i] = s, sd[i] = sdi;
      d[i] = p.sign * d1;
      d[CHUNK + i] = p.sign * (d1 - sdi);
    }
    for (int64_t i = 0; i < m; i++) d[i] = vmath::normCdf(d[i]);
    for (int64_t i = CHUNK; i < CHUNK + m; i++) d[i] = vmath::normCdf(d[i]);
    for (int64_t i = 0; i < m; i++) {
      const double v = p.sign * (s1[i] * p.dq * d[i] - p.kdr * d[CHUNK + i]);
      const double f = p.sign * (s1[i] * p.dq - p.kdr);
      const double forward = vmath::select(f < 0.0, 0.0, f);  // !(σ√τ' > 0): a NaN shift, as optionValue
      o[c0 + i] = p.m * (vmath::select(sd[i] > 0.0, v, forward) - p.today);
    }
  }
}

using SpanFn = void (*)(const OptionRow&, const double*, const double*, int64_t, double*);

void spanPlain(const OptionRow& p, const double* ret, const double* shift, int64_t n, double* o) {
  shift ? optionSpan<true>(p, ret, shift, n, o) : optionSpan<false>(p, ret, shift, n, o);
}

#ifdef RISKLINE_X86_SIMD
__attribute__((target("avx2"))) void spanAvx2(const OptionRow& p, const double* ret, const double* shift, int64_t n,
                                              double* o) {
  shift ? optionSpan<true>(p, ret, shift, n, o) : optionSpan<false>(p, ret, shift, n, o);
}

__attribute__((target("avx512f"))) void spanAvx512(const OptionRow& p, const double* ret, const double* shift,
                                                   int64_t n, double* o) {
  shift ? optionSpan<true>(p, ret, shift, n, o) : optionSpan<false>(p, ret, shift, n, o);
}
#endif

/** The span of a form, or null where this CPU or build lacks it. */
SpanFn spanOf(RevalueForm form) {
#ifdef RISKLINE_X86_SIMD
  __builtin_cpu_init();
  if (form == RevalueForm::Avx512) return __builtin_cpu_supports("avx512f") ? spanAvx512 : nullptr;
  if (form == RevalueForm::Avx2) return __builtin_cpu_supports("avx2") ? spanAvx2 : nullptr;
#else
  if (form != RevalueForm::Plain) return nullptr;
#endif
  return spanPlain;
}

/**
 * Inputs the vector span takes as they are (1/K finite, S'/K a positive normal for every floored return); anything
 * else (a zero strike, a NaN rate) runs the scalar kernel.
 */
bool vectorInputs(double spot, double k, double tau1, double vol, double r, double q) {
  const double ratio = spot / k;
  return spot > 0 && k > 1e-300 && ratio > 1e-300 && ratio < 1e300 && tau1 > 0 && std::isfinite(tau1) &&
         std::isfinite(vol) && std::isfinite(r) && std::isfinite(q) && std::isfinite(spot) && std::isfinite(k);
}

void bondSpan(const RevaluationJob& job, int64_t j, const double* ret, int64_t n, double* o) {
  const double m = job.multiplier[j], p = job.spot[j], d = job.duration[j], c = job.convexity[j];
  for (int64_t s = 0; s < n; s++) {
    const double r = ret[s];
    const double dy = d != 0.0 ? -r / d : 0.0;
    o[s] = m * p * (r + 0.5 * c * dy * dy);
  }
}

void revalueRow(const RevaluationJob& job, SpanFn span, int64_t j, int64_t a, int64_t b) {
  const int64_t n = job.scenarios;
  const double* ret = job.returns + static_cast<int64_t>(job.row[j]) * n + a;
  double* o = job.out + j * n + a;
  if (job.model[j] == MODEL_BOND) return bondSpan(job, j, ret, b - a, o);
  const bool b76 = job.model[j] == MODEL_BLACK76, call = job.isCall[j] != 0;
  const double spot = job.spot[j], k = job.strike[j], tau = job.tau[j], vol = job.vol[j];
  const double r = job.rate[j], q = b76 ? r : job.dividend[j], m = job.multiplier[j];
  const double today = optionValue(b76, call, spot, k, tau, vol, r, q);
  const double tau1 = std::max(tau - job.horizonYears, 0.0);
  const double* shift = job.volShift ? job.volShift + a : nullptr;
  if (!vectorInputs(spot, k, tau1, vol, r, q)) {
    for (int64_t s = 0; s < b - a; s++) {
      const double s1 = spot * (1.0 + std::max(ret[s], -0.99));
      const double v1 = std::max(vol + (shift ? shift[s] : 0.0), 0.0001);
      o[s] = m * (optionValue(b76, call, s1, k, tau1, v1, r, q) - today);
    }
    return;
  }
  OptionRow p{};
  p.spot = spot, p.invK = 1.0 / k, p.sign = call ? 1.0 : -1.0, p.m = m, p.today = today, p.vol = vol;
  p.dq = std::exp(-q * tau1), p.kdr = k * std::exp(-r * tau1);
  p.tau1 = tau1, p.sqrtTau1 = std::sqrt(tau1), p.rq = r - q;
  const double v1 = std::max(vol + 0.0, 0.0001);
  p.sd = v1 * p.sqrtTau1, p.invSd = 1.0 / p.sd;
  p.drift = (p.rq + 0.5 * v1 * v1) * tau1;
  span(p, ret, shift, b - a, o);
}

void revalueWith(SpanFn span, const RevaluationJob& job, int threads) {
  const int64_t tiles = (job.scenarios + TILE - 1) / TILE;
  parallelFor(job.count * tiles, threads, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; u++) {
      const int64_t j = u / tiles, a = (u % tiles) * TILE;
      revalueRow(job, span, j, a, std::min(job.scenarios, a + TILE));
    }
  });
}

}  // namespace

bool revalueIn(RevalueForm form, const RevaluationJob& job, int threads) {
  const SpanFn span = spanOf(form);
  if (span) revalueWith(span, job, threads);
  return span != nullptr;
}

void revalue(const RevaluationJob& job, int threads) {
  for (RevalueForm f : {RevalueForm::Avx512, RevalueForm::Avx2})
    if (revalueIn(f, job, threads)) return;
  revalueIn(RevalueForm::Plain, job, threads);
}

}  // namespace riskline
