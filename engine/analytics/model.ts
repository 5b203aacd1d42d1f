// What a risk frame's `analytics` carries (docs/architecture.md, "Analytics and fees", states every
// convention). Plain data shapes; no behaviour lives here.
import type { FeeSchedule } from './fees.js';

/** Statistics of one return series over its rolling window; null where not defined yet. */
export interface ReturnStats {
  /** Returns in the window, and the window's length. */
  observations: number;
  window: number;
  /** Periods a year the annualised figures assume. */
  periodsPerYear: number;
  lastReturn: number | null;
  volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  /** Positive fraction of the peak of the window's wealth index. */
  maxDrawdown: number | null;
  /** To the benchmark's returns over the same periods (null without a benchmark). */
  beta: number | null;
}

/**
 * Contributions to the day's time-weighted return: per interval, weight at the interval's start ×
 * the instrument's return in the base currency, summed over the day's intervals by group. The lines
 * add up to `total` exactly: nothing is hidden in a plug.
 */
export interface Attribution {
  /** Start of the period (the UTC day's start, or the series' start) and its end (the last sample). */
  from: number;
  to: number;
  /** The period's time-weighted return. */
  total: number;
  byAssetClass: Record<string, number>;
  bySector: Record<string, number>;
  /** FX translation of the cash held at each interval's start. */
  cash: number;
  /** Σ per interval of (its return − its contributions): fills away from the marks, fees, positions opened inside it. */
  trading: number;
  /** The linked return minus the sum of the interval returns (compounding across intervals). */
  compounding: number;
}

export interface FeesSnapshot extends FeeSchedule {
  /** The book's NAV at publication, and net of every fee crystallised or accrued. */
  navGross: number;
  navNet: number;
  accruedManagement: number;
  accruedPerformance: number;
  crystallised: number;
  highWaterMark: number;
  hurdleNav: number;
  periodStart: number;
  /** Event time of the last daily accrual (the series' start before the first). */
  lastAccrual: number;
  /** The last accrual's management fee and change of the performance-fee accrual. */
  lastManagement: number;
  lastPerformance: number;
}

export interface AnalyticsSnapshot {
  /** The sampling boundary the returns and attribution are as of (event time). */
  sampledAt: number;
  intervalMs: number;
  benchmark: string | null;
  /** Time-weighted return from the UTC day's start (or the series' start) to `sampledAt`. */
  dayToDate: number;
  intraday: ReturnStats;
  daily: ReturnStats;
  attribution: Attribution;
  fees: FeesSnapshot;
}
