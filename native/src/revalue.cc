// Full revaluation per unit of instrument (docs/risk.md "Full revaluation"): BSM with dividend
// yield, Black-76, and bonds by modified duration and convexity.
#include <algorithm>
#include <cmath>

#include "kernels.h"
#include "parallel.h"

namespace riskline {

namespace {

constexpr int64_t TILE = 4096;

/** Φ through erfc: absolute error near one ulp, far inside the 1e-14 the contract allows. */
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

void revalueRow(const RevaluationJob& job, int64_t j, int64_t a, int64_t b) {
  const int64_t n = job.scenarios;
  const double* ret = job.returns + static_cast<int64_t>(job.row[j]) * n;
  double* o = job.out + j * n;
  const double m = job.multiplier[j];
  if (job.model[j] == MODEL_BOND) {
    const double p = job.spot[j], d = job.duration[j], c = job.convexity[j];
    for (int64_t s = a; s < b; s++) {
      const double r = ret[s];
      const double dy = d != 0.0 ? -r / d : 0.0;
      o[s] = m * p * (r + 0.5 * c * dy * dy);
    }
    return;
  }
  const bool b76 = job.model[j] == MODEL_BLACK76, call = job.isCall[j] != 0;
  const double spot = job.spot[j], k = job.strike[j], tau = job.tau[j], vol = job.vol[j];
  const double r = job.rate[j], q = job.dividend[j];
  const double today = optionValue(b76, call, spot, k, tau, vol, r, q);
  const double tau1 = std::max(tau - job.horizonYears, 0.0);
  for (int64_t s = a; s < b; s++) {
    const double s1 = spot * (1.0 + std::max(ret[s], -0.99));
    const double v1 = std::max(vol + (job.volShift ? job.volShift[s] : 0.0), 0.0001);
    o[s] = m * (optionValue(b76, call, s1, k, tau1, v1, r, q) - today);
  }
}

}  // namespace

void revalue(const RevaluationJob& job, int threads) {
  const int64_t tiles = (job.scenarios + TILE - 1) / TILE;
  parallelFor(job.count * tiles, threads, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; u++) {
      const int64_t j = u / tiles, a = (u % tiles) * TILE;
      revalueRow(job, j, a, std::min(job.scenarios, a + TILE));
    }
  });
}

}  // namespace riskline
