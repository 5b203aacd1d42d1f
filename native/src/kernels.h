// The risk kernels of docs/risk.md over plain pointers, shared by the Node addon and the C++ test
// program. Callers validate lengths; kernels trust them. Layouts follow engine/risk/backend.ts.
#pragma once
#include <cstdint>
#include <string>

namespace riskline {

constexpr int MODEL_BSM = 0;
constexpr int MODEL_BLACK76 = 1;
constexpr int MODEL_BOND = 2;
constexpr int64_t STREAM_FACTOR = 0;
constexpr int64_t STREAM_CHI = 1;
constexpr int64_t STREAM_IDIO = 2;
constexpr int64_t STREAMS_PER_SET = 4;

struct FactorScenarioJob {
  int64_t seed, set, scenarios, factors, dof;
  const double* cholesky;  // factors × factors, lower
  double* factorReturns;   // scenarios × factors
  double* tScale;          // scenarios
};

struct InstrumentReturnJob {
  int64_t seed, set, instruments, scenarios, factors;
  const double* factorReturns;  // scenarios × factors
  const double* tScale;         // scenarios, or null for 1
  const int32_t* loadStart;     // instruments + 1
  const int32_t* loadFactor;
  const double* loadValue;
  const double* idioSigma;  // instruments
  double* out;              // instruments × scenarios
};

struct RevaluationJob {
  int64_t count, scenarios;
  const double* returns;  // rows × scenarios
  const int32_t* row;
  const uint8_t *model, *isCall;
  const double *spot, *strike, *tau, *vol, *rate, *dividend, *duration, *convexity, *multiplier;
  const double* volShift;  // scenarios, or null
  double horizonYears;
  double* out;  // count × scenarios
};

struct TailLevel {
  double n;     // S(1 − α) rounded to 9 decimals
  int64_t m;    // max(1, ⌈n⌉): the VaR rank (1-based)
  int64_t fl;   // ⌊n⌋
  double frac;  // n − ⌊n⌋
};

struct Group {
  const double* matrix;
  const int32_t* rows;
  const double* weights;
  int64_t count;
};

void factorScenarios(const FactorScenarioJob& job, int threads);
void instrumentReturns(const InstrumentReturnJob& job, int threads);
void revalue(const RevaluationJob& job, int threads);

/** The tail level of confidence α over S scenarios (docs/risk.md "Quantiles, VaR and ES"). */
TailLevel tailLevel(int64_t scenarios, double alpha);
/** VaR, ES (positive losses) and the VaR scenario per level; pnl is not reordered. */
void tail(const double* pnl, int64_t scenarios, const double* confidence, int64_t levels, double* var, double* es,
          int32_t* varScenario);
/** out[s] (+)= Σ_j w_j · matrix[rows_j][s], summed in j order (the same order as one axpy per row). */
void accumulate(const Group& group, int64_t scenarios, bool reset, double* out);

/**
 * The pre-trade what-if's tail reads (engine/risk/bounded-tail.ts, the same rules): VaR, ES and the
 * VaR-rank level of pnl and of pnl + weight × move, into out[0..5], read from the scenarios at or
 * under `bound`. False (nothing written) when fewer than the VaR rank or more than `most` are.
 */
bool tradeTails(const double* pnl, int64_t scenarios, double alpha, double bound, int64_t most, const double* move,
                double weight, double* out);
/** Euler components, positions × levels, positions in group order. */
void components(const double* pnl, int64_t scenarios, const Group* groups, int64_t groupCount,
                const double* confidence, int64_t levels, double* componentVar, double* componentEs);

/** One option or bond valued at (spot, τ, σ): BSM with dividend yield or Black-76 (docs/risk.md). */
double optionValue(bool black76, bool call, double s, double k, double tau, double vol, double r, double q);

/** C = A · B, row-major m × k times k × n; OpenBLAS dgemm when built with it. */
void gemm(int64_t m, int64_t n, int64_t k, const double* a, const double* b, double* c, int threads);
/** "OpenBLAS 0.3.21 (…config…)" or "no BLAS (plain C++ loops)". */
std::string blasInfo();

}  // namespace riskline
