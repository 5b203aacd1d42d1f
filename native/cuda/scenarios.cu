// Monte Carlo kernels (docs/risk.md "Monte Carlo"): correlated factor shocks with an optional
// Student-t mixing scale, then instrument returns from CSR loadings plus idiosyncratic draws.
// Sums run in the reference's order (ascending index) and nvcc is told not to fuse multiply-adds,
// so results differ from the TypeScript reference only by libm's last bits.
#include "kernels.h"
#include "philox.cuh"

namespace riskline {

namespace {

constexpr int kFactorKind = 0;
constexpr int kChiKind = 1;
constexpr int kIdioKind = 2;

__host__ __device__ inline Words2 streamOf(int64_t set, int kind) { return split64(set * 4 + kind); }

/** W_s = Σ_{j<ν} y_{s,j}² from the CHI stream; t_s = √((ν − 2) / W_s), 1 for normal shocks. */
__device__ double studentScale(int64_t s, int dof, Words2 chi, Words2 key) {
  if (dof <= 0) return 1.0;
  const int64_t perScenario = (dof + 1) / 2;
  double w = 0.0;
  for (int j = 0; j < dof; j += 2) {
    const double2 y = normalPair(s * perScenario + j / 2, chi, key);
    w += y.x * y.x;
    if (j + 1 < dof) w += y.y * y.y;
  }
  return sqrt((dof - 2.0) / w);
}

/** One thread per scenario: its row first holds z_s, then F_s = t_s · C z_s, filled from the last factor down. */
__global__ void factorScenarioKernel(FactorScenarioArgs a) {
  const int64_t s = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (s >= a.scenarios) return;
  const Words2 key = split64(a.seed);
  const int k = a.factors;
  const int64_t perScenario = (k + 1) / 2;
  double* row = a.factorReturns + s * k;
  const Words2 factor = streamOf(a.set, kFactorKind);
  for (int j = 0; j < k; j += 2) {
    const double2 z = normalPair(s * perScenario + j / 2, factor, key);
    row[j] = z.x;
    if (j + 1 < k) row[j + 1] = z.y;
  }
  const double t = studentScale(s, a.dof, streamOf(a.set, kChiKind), key);
  // Descending k: F_k reads z_0..z_k, and z_k is not needed by any lower factor once F_k is written.
  for (int f = k - 1; f >= 0; f--) {
    const double* c = a.cholesky + static_cast<int64_t>(f) * k;
    double acc = 0.0;
    for (int j = 0; j <= f; j++) acc += c[j] * row[j];
    row[f] = t * acc;
  }
  a.tScale[s] = t;
}

__device__ inline double factorPart(const InstrumentReturnArgs& a, int64_t i, int64_t s) {
  const double* f = a.factorReturns + s * a.factors;
  double acc = 0.0;
  for (int32_t e = a.loadStart[i]; e < a.loadStart[i + 1]; e++) acc += a.loadValue[e] * f[a.loadFactor[e]];
  return acc;
}

/** One thread per (instrument, scenario pair): one IDIO block gives ε for scenarios 2p and 2p + 1. */
__global__ void instrumentReturnKernel(InstrumentReturnArgs a) {
  const int64_t pairs = (a.scenarios + 1) / 2;
  const int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= pairs) return;
  const Words2 key = split64(a.seed);
  const Words2 idio = streamOf(a.set, kIdioKind);
  for (int64_t i = blockIdx.y; i < a.instruments; i += gridDim.y) {
    const int64_t s0 = 2 * p;
    const bool both = s0 + 1 < a.scenarios;
    double r0 = factorPart(a, i, s0);
    double r1 = both ? factorPart(a, i, s0 + 1) : 0.0;
    const double sigma = a.idioSigma[i];
    if (sigma != 0.0) {
      const double2 e = normalPair(i * pairs + p, idio, key);
      const double t0 = a.tScale ? a.tScale[s0] : 1.0;
      r0 += sigma * e.x * t0;
      if (both) r1 += sigma * e.y * (a.tScale ? a.tScale[s0 + 1] : 1.0);
    }
    double* out = a.out + i * a.scenarios;
    out[s0] = r0;
    if (both) out[s0 + 1] = r1;
  }
}

}  // namespace

cudaError_t launchFactorScenarios(const FactorScenarioArgs& a, cudaStream_t stream) {
  if (a.scenarios <= 0) return cudaSuccess;
  const int threads = 128;
  const unsigned blocks = static_cast<unsigned>((a.scenarios + threads - 1) / threads);
  factorScenarioKernel<<<blocks, threads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t launchInstrumentReturns(const InstrumentReturnArgs& a, cudaStream_t stream) {
  if (a.scenarios <= 0 || a.instruments <= 0) return cudaSuccess;
  const int threads = 256;
  const int64_t pairs = (a.scenarios + 1) / 2;
  const dim3 grid(static_cast<unsigned>((pairs + threads - 1) / threads),
                  static_cast<unsigned>(a.instruments < 65535 ? a.instruments : 65535));
  instrumentReturnKernel<<<grid, threads, 0, stream>>>(a);
  return cudaGetLastError();
}

}  // namespace riskline
