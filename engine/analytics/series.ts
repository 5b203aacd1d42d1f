// One return series (intraday or daily) over its rolling window, with the benchmark's returns over
// the same periods, and its statistics, computed when a return is added (once per interval or day,
// never per tick).
import type { ReturnStats } from './model.js';
import { Ring } from './ring.js';
import { beta, maxDrawdown, sharpe, sortino, volatility } from './stats.js';

export interface SeriesRates {
  /** Annual risk-free rate (Sharpe) and target return (Sortino). */
  riskFreeRate: number;
  sortinoTarget: number;
}

export class ReturnSeries {
  returns: Ring;
  /** The benchmark's returns over the same periods (null: no benchmark configured). */
  bench: Ring | null;
  stats: ReturnStats;

  constructor(
    readonly window: number,
    readonly periodsPerYear: number,
    benchmark: boolean,
    private readonly rates: SeriesRates,
  ) {
    this.returns = new Ring(window);
    this.bench = benchmark ? new Ring(window) : null;
    this.stats = this.summarise();
  }

  /** Adds one period's return and the benchmark's over the same period. */
  push(r: number, benchReturn: number): void {
    this.returns.push(r);
    this.bench?.push(benchReturn);
    this.stats = this.summarise();
  }

  /** Adds `n` periods in which nothing moved (no input at all): returns of zero, the benchmark's too. */
  pushQuiet(n: number): void {
    if (n <= 0) return;
    for (let k = Math.min(n, this.window); k > 0; k--) {
      this.returns.push(0);
      this.bench?.push(0);
    }
    this.stats = this.summarise();
  }

  /** Replaces the window with a checkpoint's (oldest first). */
  load(returns: readonly number[], bench: readonly number[]): void {
    this.returns = Ring.of(this.window, returns);
    if (this.bench) this.bench = Ring.of(this.window, bench);
    this.stats = this.summarise();
  }

  private summarise(): ReturnStats {
    const n = this.periodsPerYear;
    const r = this.returns.read(new Float64Array(this.window));
    const b = this.bench ? this.bench.read(new Float64Array(this.window)) : null;
    return {
      observations: r.length,
      window: this.window,
      periodsPerYear: n,
      lastReturn: r.length > 0 ? r[r.length - 1] : null,
      volatility: volatility(r, n),
      sharpe: sharpe(r, this.rates.riskFreeRate, n),
      sortino: sortino(r, this.rates.sortinoTarget, n),
      maxDrawdown: maxDrawdown(r),
      beta: b && b.length === r.length ? beta(r, b) : null,
    };
  }
}
