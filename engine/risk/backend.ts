// The risk backend contract. Backends are pure kernels over caller-owned typed arrays, so the
// TypeScript reference, the native C++ and the CUDA backends are interchangeable and comparable.

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

export interface RiskBackend {
  readonly name: 'ts' | 'cpu' | 'cuda' | 'gpujs';
  /** Delta-normal VaR and ES. Writes into `out`, whose arrays are sized for the job. */
  parametric(job: ParametricJob, out: ParametricResult): void;
}

export function allocateResult(portfolios: number, levels: number): ParametricResult {
  return {
    sigma: new Float64Array(portfolios),
    var: new Float64Array(portfolios * levels),
    es: new Float64Array(portfolios * levels),
  };
}
