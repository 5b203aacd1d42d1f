// Row accumulation over a range of scenarios: the one kernel behind accumulate() (all scenarios) and
// the asynchronous accumulate (addon.cc) that splits them over threads. Per scenario: out (reset to
// 0) plus w_j · row_j added in j order, four rows per pass then one at a time, so any split into
// ranges and tiles gives the same bits.
#pragma once
#include <algorithm>
#include <cstdint>

#include "kernels.h"

namespace riskline {

/** accumulate() restricted to scenarios [a, b) of rows `stride` long; tiles keep `out` in L1 across rows. */
inline void accumulateRange(const Group& g, int64_t stride, int64_t a, int64_t b, bool reset, double* out) {
  constexpr int64_t TILE = 2048;
  for (int64_t t0 = a; t0 < b; t0 += TILE) {
    const int64_t t1 = std::min(b, t0 + TILE);
    if (reset) std::fill(out + t0, out + t1, 0.0);
    int64_t j = 0;
    for (; j + 4 <= g.count; j += 4) {
      const double *r0 = g.matrix + int64_t{g.rows[j]} * stride, *r1 = g.matrix + int64_t{g.rows[j + 1]} * stride;
      const double *r2 = g.matrix + int64_t{g.rows[j + 2]} * stride, *r3 = g.matrix + int64_t{g.rows[j + 3]} * stride;
      const double w0 = g.weights[j], w1 = g.weights[j + 1], w2 = g.weights[j + 2], w3 = g.weights[j + 3];
      for (int64_t s = t0; s < t1; s++) {
        double t = out[s];
        t += w0 * r0[s];
        t += w1 * r1[s];
        t += w2 * r2[s];
        t += w3 * r3[s];
        out[s] = t;
      }
    }
    for (; j < g.count; j++) {
      const double* r = g.matrix + int64_t{g.rows[j]} * stride;
      const double w = g.weights[j];
      for (int64_t s = t0; s < t1; s++) out[s] += w * r[s];
    }
  }
}

}  // namespace riskline
