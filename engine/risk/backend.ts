// The risk backend contract. Backends are pure kernels over caller-owned typed arrays, so the
// TypeScript reference (`ts`), the native C++ (`cpu`), CUDA (`cuda`) and gpu.js (`gpujs`) backends
// are interchangeable and comparable. docs/risk.md defines every number these kernels produce
// (random streams, quantile convention, Euler allocation); a backend that differs is wrong.
//
// Layouts: matrices are row-major. Scenario matrices are scenario-major for factors (S × K) and
// instrument-major for returns and revaluations (rows × S), so the per-tick update of one row is
// one contiguous pass. Heavy kernels return a Promise and run off the event loop on the native
// backends (the `ts` reference runs them synchronously and resolves); per-tick kernels are sync.

import type { RowTrade } from './bounded-tail.js';

export interface ParametricJob {
  /** Number of portfolios in the job and number of risk factors. */
  portfolios: number;
  factors: number;
  /** Factor covariance of one-day returns, row-major factors × factors. */
  covariance: Float64Array;
  /** Factor exposures in base currency, row-major portfolios × factors. */
  exposures: Float64Array;
  /** Idiosyncratic one-day variance of each portfolio's P&L (already summed over positions). */
  idioVariance: Float64Array;
  /** Confidence levels, e.g. [0.95, 0.99]. */
  confidence: Float64Array;
  horizonDays: number;
}

export interface ParametricResult {
  /** One-horizon P&L standard deviation per portfolio. */
  sigma: Float64Array;
  /** VaR and ES as positive losses, row-major portfolios × confidence levels. */
  var: Float64Array;
  es: Float64Array;
}

/** Monte Carlo factor scenarios (docs/risk.md "Monte Carlo"): F_s = C · z_s · t_s. */
export interface FactorScenarioJob {
  /** Philox key (safe integer) and the scenario set's number: streams are derived from `set`. */
  seed: number;
  set: number;
  scenarios: number;
  factors: number;
  /** Lower Cholesky factor C of the horizon covariance, factors × factors. */
  cholesky: Float64Array;
  /** Student-t degrees of freedom (an integer ≥ 3), or 0 for normal shocks. */
  dof: number;
}

export interface FactorScenarios {
  /** Simple factor returns over the horizon, scenarios × factors. */
  factorReturns: Float64Array;
  /** Per-scenario Student-t scale √((ν−2)/W_s) (all 1 for normal shocks), length scenarios. */
  tScale: Float64Array;
}

/** Instrument returns under each scenario: R[i][s] = Σ_k L_ik F_sk + σ_i · ε_is · t_s. */
export interface InstrumentReturnJob {
  seed: number;
  set: number;
  instruments: number;
  scenarios: number;
  factors: number;
  /** Scenarios × factors (from `factorScenarios` or a historical window). */
  factorReturns: Float64Array;
  /** Per-scenario scale of the idiosyncratic draw (FactorScenarios.tScale), or null for 1. */
  tScale: Float64Array | null;
  /** Factor loadings in CSR form: instrument i has entries [loadStart[i], loadStart[i+1]). */
  loadStart: Int32Array;
  loadFactor: Int32Array;
  loadValue: Float64Array;
  /** Idiosyncratic standard deviation of each instrument's return over the horizon; 0 draws nothing. */
  idioSigma: Float64Array;
}

export const MODEL_BSM = 0;
export const MODEL_BLACK76 = 1;
export const MODEL_BOND = 2;

/**
 * Full revaluation, per unit of instrument (multiplier included), in the instrument's currency:
 * out[j][s] = V_j(scenario s) − V_j(today). Options: BSM with dividend yield / Black-76 on the
 * underlying's row, time to expiry reduced by the horizon; bonds: duration and convexity on their
 * own row (docs/risk.md "Full revaluation").
 */
export interface RevaluationJob {
  count: number;
  scenarios: number;
  /** Instrument returns, rows × scenarios (InstrumentReturnJob's output). */
  returns: Float64Array;
  /** Row of `returns` that drives each revalued instrument (the option's underlying, the bond itself). */
  row: Int32Array;
  /** MODEL_BSM, MODEL_BLACK76 or MODEL_BOND. */
  model: Uint8Array;
  isCall: Uint8Array;
  /** Options: underlying spot (or futures price); bonds: clean price per unit quoted. */
  spot: Float64Array;
  strike: Float64Array;
  /** Years to expiry today. */
  tau: Float64Array;
  vol: Float64Array;
  rate: Float64Array;
  /** Continuous dividend yield (BSM); ignored by Black-76 and bonds. */
  dividend: Float64Array;
  /** Bonds: modified duration and convexity. */
  duration: Float64Array;
  convexity: Float64Array;
  /** Contract multiplier (options 100; bonds quoted per 100 of face: 0.01). */
  multiplier: Float64Array;
  /** Absolute shift of implied vol in every scenario (stress), or null. */
  volShift: Float64Array | null;
  /** Horizon in years, taken off every option's time to expiry. */
  horizonYears: number;
}

export interface TailJob {
  scenarios: number;
  /** Portfolio P&L per scenario (gains positive). */
  pnl: Float64Array;
  /** Scenario weights summing to 1, or null for equal weights. Reserved: backends reject non-null today. */
  weights: null;
  confidence: Float64Array;
}

export interface TailResult {
  /** VaR and ES as positive losses, one per confidence level. */
  var: Float64Array;
  es: Float64Array;
  /** The scenario whose P&L is the VaR (the m-th worst), one per confidence level. */
  varScenario: Int32Array;
}

/** Positions whose P&L is `weight × matrix[row]` (one group of positions sharing a matrix). */
export interface PositionGroup {
  matrix: Float64Array;
  rows: Int32Array;
  weights: Float64Array;
}

/** Rows of a scenario matrix weighted into one P&L vector: out[s] (+)= Σ_j w_j · m[rows_j][s]. */
export interface AccumulateJob extends PositionGroup {
  scenarios: number;
  /** When false, adds to what `out` holds. */
  reset: boolean;
}

/**
 * Euler allocation of VaR and ES to positions (docs/risk.md "Components"). Positions are the
 * groups' entries in order; only the tail scenarios of `pnl` are read from the matrices.
 */
export interface ComponentJob {
  scenarios: number;
  /** The portfolio P&L vector the tail was taken of (the sum of every group's positions). */
  pnl: Float64Array;
  groups: PositionGroup[];
  confidence: Float64Array;
}

export interface ComponentResult {
  /** positions × confidence levels; each column sums to the portfolio's VaR / ES. */
  componentVar: Float64Array;
  componentEs: Float64Array;
}

export interface RiskBackend {
  readonly name: 'ts' | 'cpu' | 'cuda' | 'gpujs';
  /** Worker threads the heavy kernels use (1 for `ts`). */
  readonly threads: number;
  /** What runs underneath, for the start-up log and provenance ("OpenBLAS 0.3.21, AVX2", "gpu.js cpu mode"). */
  readonly detail: string;
  /** Delta-normal VaR and ES. Writes into `out`, whose arrays are sized for the job. */
  parametric(job: ParametricJob, out: ParametricResult): void;
  factorScenarios(job: FactorScenarioJob, out: FactorScenarios): Promise<void>;
  instrumentReturns(job: InstrumentReturnJob, out: Float64Array): Promise<void>;
  revalue(job: RevaluationJob, out: Float64Array): Promise<void>;
  /** The same kernel on the calling thread, for a few rows (options re-priced as an underlying crosses a step). */
  revalueNow(job: RevaluationJob, out: Float64Array): void;
  /** Per tick: O(rows × scenarios), on the calling thread. */
  accumulate(job: AccumulateJob, out: Float64Array): void;
  /** The same off the event loop, for rebuilding whole vectors (a day's install, a period's re-pricing). */
  accumulateAsync(job: AccumulateJob, out: Float64Array): Promise<void>;
  /** O(scenarios) by selection; does not reorder `pnl`. */
  tail(job: TailJob, out: TailResult): void;
  components(job: ComponentJob, out: ComponentResult): void;
  /**
   * The pre-trade what-if's tail reads before and after a one-row trade (bounded-tail.ts, whose
   * TypeScript is used where a backend has none): [var, es, level] before, then after, into out;
   * false when the bound does not hold the tail (the caller selects in full).
   */
  tradeTails?(
    pnl: Float64Array,
    scenarios: number,
    confidence: number,
    bound: number,
    most: number,
    trade: RowTrade,
    out: Float64Array,
  ): boolean;
}

export function allocateResult(portfolios: number, levels: number): ParametricResult {
  return {
    sigma: new Float64Array(portfolios),
    var: new Float64Array(portfolios * levels),
    es: new Float64Array(portfolios * levels),
  };
}

export function allocateTail(levels: number): TailResult {
  return { var: new Float64Array(levels), es: new Float64Array(levels), varScenario: new Int32Array(levels) };
}

/** Stream ids under one scenario set (docs/risk.md "Random streams"). */
export const STREAM_FACTOR = 0;
export const STREAM_CHI = 1;
export const STREAM_IDIO = 2;
export const STREAMS_PER_SET = 4;
export function streamOf(set: number, kind: number): number {
  return set * STREAMS_PER_SET + kind;
}
