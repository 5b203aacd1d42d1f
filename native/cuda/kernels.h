// Host-side launchers of the CUDA kernels (docs/risk.md). Every pointer is device memory; each
// call only enqueues work on `stream` and returns its launch error (cudaSuccess when enqueued).
#pragma once
#include <cstdint>
#include <cuda_runtime_api.h>

namespace riskline {

struct FactorScenarioArgs {
  int64_t seed, set;
  int scenarios, factors, dof;
  const double* cholesky;  // factors × factors, lower triangle read
  double* factorReturns;   // scenarios × factors
  double* tScale;          // scenarios
};

struct InstrumentReturnArgs {
  int64_t seed, set;
  int instruments, scenarios, factors;
  const double* factorReturns;  // scenarios × factors
  const double* tScale;         // scenarios, or null for 1
  const int32_t* loadStart;     // instruments + 1
  const int32_t* loadFactor;
  const double* loadValue;
  const double* idioSigma;  // instruments
  double* out;              // instruments × scenarios
};

struct RevalueArgs {
  int count, scenarios;
  const double* returns;  // rows × scenarios
  const int32_t* row;
  const uint8_t* model;
  const uint8_t* isCall;
  const double *spot, *strike, *tau, *vol, *rate, *dividend, *duration, *convexity, *multiplier;
  const double* volShift;  // scenarios, or null
  double horizonYears;
  double* today;  // count: scratch for V_j(today)
  double* out;    // count × scenarios
};

struct AccumulateArgs {
  int rows, scenarios;
  const double* matrix;   // rows × scenarios, already gathered in job order
  const double* weights;  // rows
  double* out;            // scenarios, added to
};

cudaError_t launchFactorScenarios(const FactorScenarioArgs& a, cudaStream_t stream);
cudaError_t launchInstrumentReturns(const InstrumentReturnArgs& a, cudaStream_t stream);
cudaError_t launchRevalue(const RevalueArgs& a, cudaStream_t stream);
cudaError_t launchAccumulate(const AccumulateArgs& a, cudaStream_t stream);

}  // namespace riskline
