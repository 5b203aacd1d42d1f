// Monte Carlo factor scenarios and instrument returns (docs/risk.md "Monte Carlo"). Every draw is
// addressed by its Philox counter, so the split over threads never changes a result.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "parallel.h"
#include "normals.h"
#include "philox.h"

namespace riskline {

namespace {

/** Scenarios per tile of instrumentReturns: the tile's sums, draws and factor columns stay in L1 (even, so a tile starts on a pair). */
constexpr int64_t RETURN_TILE = 1024;
/** Scenarios whose factor and chi-square draws are made in one go (a few tens of kB of normals). */
constexpr int64_t CHUNK = 256;

using BatchFn = void (*)(Key, uint64_t, uint64_t, double*, double*);

/** One batch on any x86-64 (or other) machine: scalar Philox, Box–Muller vectorised for the build's ISA. */
void batchPlain(Key key, uint64_t stream, uint64_t first, double* even, double* odd) {
  normals::Words c;
  normals::counters(stream, first, c);
  normals::philoxPlain(key, c);
  normals::boxMuller(c, even, odd);
}

#ifdef RISKLINE_X86_SIMD
static_assert(BATCH % 8 == 0, "philoxAvx2 and philoxAvx512 work in vectors of 8 lanes");

__attribute__((target("avx2"))) void batchAvx2(Key key, uint64_t stream, uint64_t first, double* even, double* odd) {
  normals::Words c;
  normals::counters(stream, first, c);
  normals::philoxAvx2(key, c);
  normals::boxMuller(c, even, odd);
}

__attribute__((target("avx512f"))) void batchAvx512(Key key, uint64_t stream, uint64_t first, double* even,
                                                    double* odd) {
  normals::Words c;
  normals::counters(stream, first, c);
  normals::philoxAvx512(key, c);
  normals::boxMuller(c, even, odd);
}
#endif

/** The batch of a form, or null where this CPU or build lacks it. */
BatchFn batchOf(DrawForm form) {
#ifdef RISKLINE_X86_SIMD
  __builtin_cpu_init();
  if (form == DrawForm::Avx512) return __builtin_cpu_supports("avx512f") ? batchAvx512 : nullptr;
  if (form == DrawForm::Avx2) return __builtin_cpu_supports("avx2") ? batchAvx2 : nullptr;
#else
  if (form != DrawForm::Plain) return nullptr;
#endif
  return batchPlain;
}

/** The widest form this CPU runs; every form gives the same bits (integer Philox, IEEE-only Box–Muller). */
BatchFn widest() {
  for (DrawForm f : {DrawForm::Avx512, DrawForm::Avx2})
    if (BatchFn b = batchOf(f)) return b;
  return batchPlain;
}

void drawBlocks(BatchFn batch, Key key, uint64_t stream, uint64_t first, int64_t count, double* z) {
  alignas(64) double even[BATCH], odd[BATCH];
  for (int64_t q = 0; q < count; q += BATCH) {
    batch(key, stream, first + static_cast<uint64_t>(q), even, odd);
    const int64_t n = std::min(BATCH, count - q);
    for (int64_t j = 0; j < n; j++) {
      z[2 * (q + j)] = even[j];
      z[2 * (q + j) + 1] = odd[j];
    }
  }
}

}  // namespace

void normalBlocks(Key key, uint64_t stream, uint64_t first, int64_t count, double* z) {
  static const BatchFn batch = widest();  // chosen once, on first use (thread-safe)
  drawBlocks(batch, key, stream, first, count, z);
}

bool normalBlocksIn(DrawForm form, Key key, uint64_t stream, uint64_t first, int64_t count, double* z) {
  const BatchFn batch = batchOf(form);
  if (batch) drawBlocks(batch, key, stream, first, count, z);
  return batch != nullptr;
}

namespace {

/** t_s = √((ν − 2)/W_s) of scenarios s0 … s0 + n − 1 into t, from the CHI stream (y: scratch). */
void tScales(Key key, uint64_t chiStream, int64_t s0, int64_t n, int64_t dof, std::vector<double>& y, double* t) {
  if (dof == 0) {
    std::fill(t, t + n, 1.0);
    return;
  }
  const int64_t pairs = (dof + 1) / 2;
  y.resize(static_cast<size_t>(n * pairs * 2));
  normalBlocks(key, chiStream, static_cast<uint64_t>(s0 * pairs), n * pairs, y.data());
  for (int64_t s = 0; s < n; s++) {
    const double* ys = y.data() + s * pairs * 2;
    double w = 0.0;
    for (int64_t j = 0; j < dof; j++) w += ys[j] * ys[j];
    t[s] = std::sqrt(static_cast<double>(dof - 2) / w);
  }
}

}  // namespace

void factorScenarios(const FactorScenarioJob& job, int threads) {
  const Key key = keyOf(job.seed);
  const int64_t k = job.factors;
  const int64_t pairs = (k + 1) / 2;
  const uint64_t factorStream = static_cast<uint64_t>(job.set * STREAMS_PER_SET + STREAM_FACTOR);
  const uint64_t chiStream = static_cast<uint64_t>(job.set * STREAMS_PER_SET + STREAM_CHI);
  const int64_t chunks = (job.scenarios + CHUNK - 1) / CHUNK;
  parallelFor(chunks, threads, [&](int64_t c0, int64_t c1) {
    std::vector<double> z(static_cast<size_t>(CHUNK * pairs * 2)), y;
    for (int64_t c = c0; c < c1; c++) {
      const int64_t a = c * CHUNK, n = std::min(job.scenarios, a + CHUNK) - a;
      normalBlocks(key, factorStream, static_cast<uint64_t>(a * pairs), n * pairs, z.data());
      tScales(key, chiStream, a, n, job.dof, y, job.tScale + a);
      for (int64_t s = 0; s < n; s++) {
        const double* zs = z.data() + s * pairs * 2;
        const double t = job.tScale[a + s];
        double* f = job.factorReturns + (a + s) * k;
        for (int64_t r = 0; r < k; r++) {
          const double* cr = job.cholesky + r * k;
          double acc = 0.0;
          for (int64_t j = 0; j <= r; j++) acc += cr[j] * zs[j];
          f[r] = t * acc;
        }
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

/** dst[0 … n) = src[0 … n) with non-temporal stores: a returns matrix is far larger than the caches and is
 * not read back soon, so streaming it skips the read-for-ownership of every line written. */
void streamOut(double* dst, const double* src, int64_t n) {
  int64_t x = 0;
#ifdef RISKLINE_X86_SIMD
  for (; x < n && (reinterpret_cast<uintptr_t>(dst + x) & 15u) != 0; x++) dst[x] = src[x];
  for (; x + 2 <= n; x += 2) _mm_stream_pd(dst + x, _mm_loadu_pd(src + x));
#endif
  for (; x < n; x++) dst[x] = src[x];
}

void instrumentReturns(const InstrumentReturnJob& job, int threads) {
  std::vector<int32_t> slot;
  const std::vector<double> cols = usedColumns(job, slot, threads);
  const Key key = keyOf(job.seed);
  const uint64_t idioStream = static_cast<uint64_t>(job.set * STREAMS_PER_SET + STREAM_IDIO);
  const int64_t s = job.scenarios;
  const int64_t tiles = (s + RETURN_TILE - 1) / RETURN_TILE;
  const int64_t pairs = (s + 1) / 2;
  parallelFor(job.instruments * tiles, threads, [&](int64_t u0, int64_t u1) {
    // One tile of one instrument is summed in L1 (loadings in order, then σ·ε·t: the reference's
    // order of additions) and streamed out once.
    alignas(64) double acc[RETURN_TILE], eps[RETURN_TILE + 1];
    for (int64_t u = u0; u < u1; u++) {
      // Tile-major: the factor columns of one tile (factors × 8 kB) stay in L2 across all instruments.
      const int64_t i = u % job.instruments, a = (u / job.instruments) * RETURN_TILE;
      const int64_t n = std::min(s, a + RETURN_TILE) - a;
      const int32_t e0 = job.loadStart[i], e1 = job.loadStart[i + 1];
      std::fill(acc, acc + n, 0.0);
      for (int32_t e = e0; e < e1; e++) {
        const double l = job.loadValue[e];
        const double* f = cols.data() + slot[job.loadFactor[e]] * s + a;
        for (int64_t x = 0; x < n; x++) acc[x] += l * f[x];
      }
      const double sigma = job.idioSigma[i];
      if (sigma != 0.0) {
        normalBlocks(key, idioStream, static_cast<uint64_t>(i * pairs + a / 2), (n + 1) / 2, eps);
        if (job.tScale)
          for (int64_t x = 0; x < n; x++) acc[x] += sigma * eps[x] * job.tScale[a + x];
        else
          for (int64_t x = 0; x < n; x++) acc[x] += sigma * eps[x];
      }
      streamOut(job.out + i * s + a, acc, n);
    }
#ifdef RISKLINE_X86_SIMD
    _mm_sfence();  // the streamed lines are visible before this thread's work is reported done
#endif
  });
}

}  // namespace riskline
