// Dense GEMM for the benchmark's same-shape peer: OpenBLAS when the build found it, otherwise a
// plain blocked loop (the build's fallback), and a line saying which one runs.
#include <algorithm>
#include <string>

#include "kernels.h"
#include "parallel.h"

#ifdef RISKLINE_OPENBLAS
#include <cblas.h>
#endif

namespace riskline {

void gemm(int64_t m, int64_t n, int64_t k, const double* a, const double* b, double* c, int threads) {
#ifdef RISKLINE_OPENBLAS
  openblas_set_num_threads(threads);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
              1.0, a, static_cast<int>(k), b, static_cast<int>(n), 0.0, c, static_cast<int>(n));
#else
  parallelFor(m, threads, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; i++) {
      double* ci = c + i * n;
      std::fill(ci, ci + n, 0.0);
      for (int64_t p = 0; p < k; p++) {
        const double aip = a[i * k + p];
        const double* bp = b + p * n;
        for (int64_t j = 0; j < n; j++) ci[j] += aip * bp[j];
      }
    }
  });
#endif
}

std::string blasInfo() {
#ifdef RISKLINE_OPENBLAS
  std::string config = openblas_get_config();
  // OPENBLAS_VERSION is " OpenBLAS 0.3.21 " in Debian's headers: trim the spaces.
  std::string version = OPENBLAS_VERSION;
  version.erase(0, version.find_first_not_of(' '));
  version.erase(version.find_last_not_of(' ') + 1);
  // The config names the build's base target; the core picked at run time is what runs.
  return version + ", " + openblas_get_corename() + " kernels (" + config + ")";
#else
  return "no BLAS (plain C++ loops)";
#endif
}

}  // namespace riskline
