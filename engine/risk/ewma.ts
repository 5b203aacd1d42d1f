// RiskMetrics EWMA covariance of daily factor returns (J.P. Morgan/Reuters, "RiskMetrics —
// Technical Document", 4th ed., 1996, §5.2): zero mean, Σ_t = λ Σ_{t−1} + (1 − λ) r_t r_tᵀ.
// Seeding: over the first n0 = min(seedDays, N) days Σ is the zero-mean sample covariance
// (1/n) Σ r rᵀ of the days so far (zero mean, as the recursion assumes); from day n0 + 1 on the
// recursion runs. So Σ_N = λ^{N−n0} Σ_seed + (1 − λ) Σ_{t=n0+1..N} λ^{N−t} r_t r_tᵀ.
// O(K²) per day, no allocation per update.

export const DEFAULT_LAMBDA = 0.94;
export const DEFAULT_SEED_DAYS = 25;

export class EwmaCovariance {
  readonly factors: number;
  readonly lambda: number;
  readonly seedDays: number;
  /** Daily covariance, factors × factors, row-major (symmetric); zeros before the first day. */
  readonly covariance: Float64Array;
  private n = 0;

  constructor(factors: number, lambda = DEFAULT_LAMBDA, seedDays = DEFAULT_SEED_DAYS) {
    if (!Number.isInteger(factors) || factors < 1) throw new RangeError(`factors must be ≥ 1, got ${factors}`);
    if (!(lambda > 0 && lambda < 1)) throw new RangeError(`lambda must be in (0, 1), got ${lambda}`);
    if (!Number.isInteger(seedDays) || seedDays < 1) throw new RangeError(`seed days must be ≥ 1, got ${seedDays}`);
    this.factors = factors;
    this.lambda = lambda;
    this.seedDays = seedDays;
    this.covariance = new Float64Array(factors * factors);
  }

  /** Days taken in so far. */
  get days(): number {
    return this.n;
  }

  /** Whether the seeding days are complete (the recursion is running). */
  get seeded(): boolean {
    return this.n >= this.seedDays;
  }

  /** Takes in one day's factor returns (length K, finite). */
  update(r: ArrayLike<number>): void {
    const k = this.factors;
    if (r.length !== k) throw new RangeError(`expected ${k} factor returns, got ${r.length}`);
    for (let i = 0; i < k; i++) {
      if (!Number.isFinite(r[i])) throw new RangeError(`factor ${i}: return must be finite, got ${r[i]}`);
    }
    this.n++;
    // Seeding: running mean of r rᵀ; afterwards the EWMA step. Both are Σ ← a Σ + b r rᵀ.
    const b = this.n <= this.seedDays ? 1 / this.n : 1 - this.lambda;
    const a = 1 - b;
    const c = this.covariance;
    for (let i = 0; i < k; i++) {
      const ri = b * r[i];
      for (let j = i; j < k; j++) {
        const v = a * c[i * k + j] + ri * r[j];
        c[i * k + j] = v;
        c[j * k + i] = v;
      }
    }
  }

  /** Takes in `days` rows of a days × K row-major matrix, oldest first. */
  updateAll(returns: Float64Array, days = returns.length / this.factors): void {
    const k = this.factors;
    for (let d = 0; d < days; d++) this.update(returns.subarray(d * k, (d + 1) * k));
  }

  /** Daily volatility of factor i (√Σ_ii). */
  vol(i: number): number {
    return Math.sqrt(this.covariance[i * this.factors + i]);
  }
}
