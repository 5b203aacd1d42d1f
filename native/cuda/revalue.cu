// Full revaluation (docs/risk.md "Full revaluation") and the P&L accumulation of weighted rows.
// Double precision throughout, Φ from CUDA's normcdf (erfc-based), no fast math: revaluations
// must agree with the TypeScript reference within 1e-9.
#include "kernels.h"

namespace riskline {

namespace {

// Model codes of engine/risk/backend.ts; MODEL_BSM (0) is every other option.
constexpr uint8_t kBlack76 = 1;
constexpr uint8_t kBond = 2;

/** BSM with dividend yield q (Black-76 passes q = r); intrinsic at expiry, forward intrinsic at zero vol. */
__device__ double optionValue(double s, double k, double tau, double sigma, double r, double q, bool call) {
  if (tau <= 0.0) return call ? fmax(s - k, 0.0) : fmax(k - s, 0.0);
  const double sd = sigma * sqrt(tau);
  const double fs = s * exp(-q * tau);
  const double fk = k * exp(-r * tau);
  if (sd == 0.0) return call ? fmax(fs - fk, 0.0) : fmax(fk - fs, 0.0);
  const double d1 = (log(s / k) + (r - q + sigma * sigma / 2.0) * tau) / sd;
  const double d2 = d1 - sd;
  return call ? fs * normcdf(d1) - fk * normcdf(d2) : fk * normcdf(-d2) - fs * normcdf(-d1);
}

__device__ inline double dividendOf(const RevalueArgs& a, int64_t j) {
  return a.model[j] == kBlack76 ? a.rate[j] : a.dividend[j];
}

/** V_j(today), once per instrument, so the scenario kernel prices one option per thread. */
__global__ void todayKernel(RevalueArgs a) {
  const int64_t j = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (j >= a.count || a.model[j] == kBond) return;
  a.today[j] = optionValue(a.spot[j], a.strike[j], a.tau[j], a.vol[j], a.rate[j], dividendOf(a, j), a.isCall[j] != 0);
}

/** One thread per (instrument, scenario); a block row of threads shares an instrument, so reads coalesce. */
__global__ void revalueKernel(RevalueArgs a) {
  const int64_t s = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (s >= a.scenarios) return;
  for (int64_t j = blockIdx.y; j < a.count; j += gridDim.y) {
    const double ret = a.returns[static_cast<int64_t>(a.row[j]) * a.scenarios + s];
    const double m = a.multiplier[j];
    double v;
    if (a.model[j] == kBond) {
      const double d = a.duration[j];
      const double dy = d != 0.0 ? -ret / d : 0.0;
      v = m * a.spot[j] * (ret + 0.5 * a.convexity[j] * dy * dy);
    } else {
      const double spot = a.spot[j] * (1.0 + fmax(ret, -0.99));
      const double tau = fmax(a.tau[j] - a.horizonYears, 0.0);
      const double sigma = fmax(a.vol[j] + (a.volShift ? a.volShift[s] : 0.0), 0.0001);
      const double now =
          optionValue(spot, a.strike[j], tau, sigma, a.rate[j], dividendOf(a, j), a.isCall[j] != 0);
      v = m * (now - a.today[j]);
    }
    a.out[j * a.scenarios + s] = v;
  }
}

/** One thread per scenario, rows added in job order: out[s] += Σ_j w_j · m[j][s]. */
__global__ void accumulateKernel(AccumulateArgs a) {
  const int64_t s = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (s >= a.scenarios) return;
  double acc = a.out[s];
  for (int64_t j = 0; j < a.rows; j++) {
    const double w = a.weights[j];
    if (w != 0.0) acc += w * a.matrix[j * a.scenarios + s];  // skipped as the reference skips it
  }
  a.out[s] = acc;
}

unsigned gridRows(int64_t n) { return static_cast<unsigned>(n < 65535 ? n : 65535); }

}  // namespace

cudaError_t launchRevalue(const RevalueArgs& a, cudaStream_t stream) {
  if (a.count <= 0 || a.scenarios <= 0) return cudaSuccess;
  const int threads = 256;
  todayKernel<<<static_cast<unsigned>((a.count + threads - 1) / threads), threads, 0, stream>>>(a);
  const dim3 grid(static_cast<unsigned>((a.scenarios + threads - 1) / threads), gridRows(a.count));
  revalueKernel<<<grid, threads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t launchAccumulate(const AccumulateArgs& a, cudaStream_t stream) {
  if (a.rows <= 0 || a.scenarios <= 0) return cudaSuccess;
  const int threads = 256;
  accumulateKernel<<<static_cast<unsigned>((a.scenarios + threads - 1) / threads), threads, 0, stream>>>(a);
  return cudaGetLastError();
}

}  // namespace riskline
