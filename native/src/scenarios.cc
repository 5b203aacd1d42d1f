// Monte Carlo factor scenarios and instrument returns (docs/risk.md "Monte Carlo"). Every draw is
// addressed by its Philox counter, so the split over threads never changes a result.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "parallel.h"
#include "philox.h"

namespace riskline {

namespace {

/** Scenarios per tile: the out rows and factor columns of one tile stay in L2 while a row is written. */
constexpr int64_t TILE = 4096;

double tScaleOf(Key key, uint64_t chiStream, int64_t s, int64_t dof) {
  if (dof == 0) return 1.0;
  const int64_t pairs = (dof + 1) / 2;
  double w = 0.0;
  for (int64_t j = 0; j < dof; j += 2) {
    double even, odd;
    normalPair(key, chiStream, static_cast<uint64_t>(s * pairs + j / 2), even, odd);
    w += even * even;
    if (j + 1 < dof) w += odd * odd;
  }
  return std::sqrt(static_cast<double>(dof - 2) / w);
}

}  // namespace

void factorScenarios(const FactorScenarioJob& job, int threads) {
  const Key key = keyOf(job.seed);
  const int64_t k = job.factors;
  const int64_t pairs = (k + 1) / 2;
  const uint64_t factorStream = static_cast<uint64_t>(job.set * STREAMS_PER_SET + STREAM_FACTOR);
  const uint64_t chiStream = static_cast<uint64_t>(job.set * STREAMS_PER_SET + STREAM_CHI);
  parallelFor(job.scenarios, threads, [&](int64_t s0, int64_t s1) {
    std::vector<double> z(static_cast<size_t>(pairs * 2));
    for (int64_t s = s0; s < s1; s++) {
      for (int64_t p = 0; p < pairs; p++)
        normalPair(key, factorStream, static_cast<uint64_t>(s * pairs + p), z[2 * p], z[2 * p + 1]);
      const double t = tScaleOf(key, chiStream, s, job.dof);
      job.tScale[s] = t;
      double* f = job.factorReturns + s * k;
      for (int64_t r = 0; r < k; r++) {
        const double* c = job.cholesky + r * k;
        double acc = 0.0;
        for (int64_t j = 0; j <= r; j++) acc += c[j] * z[j];
        f[r] = t * acc;
      }
    }
  });
}

namespace {

/** Factor returns of the factors some loading uses, transposed to factor-major (one contiguous row each). */
std::vector<double> usedColumns(const InstrumentReturnJob& job, std::vector<int32_t>& slot, int threads) {
  const int64_t nnz = job.loadStart[job.instruments];
  slot.assign(static_cast<size_t>(job.factors), -1);
  int32_t used = 0;
  for (int64_t e = 0; e < nnz; e++)
    if (slot[job.loadFactor[e]] < 0) slot[job.loadFactor[e]] = used++;
  std::vector<double> cols(static_cast<size_t>(used) * static_cast<size_t>(job.scenarios));
  const int64_t s = job.scenarios, k = job.factors;
  parallelFor(s, threads, [&](int64_t a, int64_t b) {
    for (int64_t f = 0; f < k; f++) {
      if (slot[f] < 0) continue;
      double* dst = cols.data() + slot[f] * s;
      for (int64_t i = a; i < b; i++) dst[i] = job.factorReturns[i * k + f];
    }
  });
  return cols;
}

}  // namespace

void instrumentReturns(const InstrumentReturnJob& job, int threads) {
  std::vector<int32_t> slot;
  const std::vector<double> cols = usedColumns(job, slot, threads);
  const Key key = keyOf(job.seed);
  const uint64_t idioStream = static_cast<uint64_t>(job.set * STREAMS_PER_SET + STREAM_IDIO);
  const int64_t s = job.scenarios;
  const int64_t tiles = (s + TILE - 1) / TILE;
  const int64_t pairs = (s + 1) / 2;
  parallelFor(job.instruments * tiles, threads, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; u++) {
      const int64_t i = u / tiles, a = (u % tiles) * TILE, b = std::min(s, a + TILE);
      double* o = job.out + i * s;
      const int32_t e0 = job.loadStart[i], e1 = job.loadStart[i + 1];
      if (e0 == e1) std::fill(o + a, o + b, 0.0);
      for (int32_t e = e0; e < e1; e++) {
        const double l = job.loadValue[e];
        const double* f = cols.data() + slot[job.loadFactor[e]] * s;
        if (e == e0)
          for (int64_t x = a; x < b; x++) o[x] = l * f[x];
        else
          for (int64_t x = a; x < b; x++) o[x] += l * f[x];
      }
      const double sigma = job.idioSigma[i];
      if (sigma == 0.0) continue;
      for (int64_t x = a; x < b; x += 2) {
        double even, odd;
        normalPair(key, idioStream, static_cast<uint64_t>(i * pairs + x / 2), even, odd);
        o[x] += sigma * even * (job.tScale ? job.tScale[x] : 1.0);
        if (x + 1 < b) o[x + 1] += sigma * odd * (job.tScale ? job.tScale[x + 1] : 1.0);
      }
    }
  });
}

}  // namespace riskline
