// A backtest the book has before it has lived a day: today's portfolio's factor exposures run over
// the last days of the history, each day's P&L (x · F_d) against the VaR each method would have
// forecast from the days before it — delta-normal on the EWMA covariance up to the day before,
// historical simulation over the window before it. Idiosyncratic risk is left out of both sides
// (the history holds factor returns only), so the test is of the factor model itself.

import { EwmaCovariance } from './ewma.js';
import type { DailyReturns } from './history.js';
import { normalQuantile } from './normal.js';
import { valueAtRisk } from './tail.js';

export interface BacktestSeries {
  var: number[];
  pnl: number[];
}

export interface HistoryBacktestOptions {
  window: number;
  observations: number;
  lambda: number;
  confidence: number;
}

/** The parametric and historical series over the last days of `history`, or null when it is too short. */
export function historyBacktest(
  history: DailyReturns,
  x: Float64Array,
  o: HistoryBacktestOptions,
): { parametric: BacktestSeries; historical: BacktestSeries } | null {
  const k = history.factors.length;
  const n = history.epochDays.length;
  const days = Math.min(o.observations, n - o.window);
  if (days < 1) return null;
  const f = history.factorReturns;
  const pnl = new Float64Array(n);
  for (let d = 0; d < n; d++) {
    let v = 0;
    for (let j = 0; j < k; j++) v += x[j] * f[d * k + j];
    pnl[d] = v;
  }
  const z = normalQuantile(o.confidence);
  const ewma = new EwmaCovariance(k, o.lambda);
  const parametric: BacktestSeries = { var: [], pnl: [] };
  const historical: BacktestSeries = { var: [], pnl: [] };
  for (let d = 0; d < n; d++) {
    if (d >= n - days) {
      parametric.var.push(z * Math.sqrt(Math.max(quadratic(ewma.covariance, x, k), 0)));
      parametric.pnl.push(pnl[d]);
      historical.var.push(valueAtRisk(pnl.subarray(d - o.window, d), o.confidence));
      historical.pnl.push(pnl[d]);
    }
    ewma.update(f.subarray(d * k, (d + 1) * k));
  }
  return { parametric, historical };
}

function quadratic(cov: Float64Array, x: Float64Array, k: number): number {
  let v = 0;
  for (let i = 0; i < k; i++) {
    if (x[i] === 0) continue;
    let row = 0;
    for (let j = 0; j < k; j++) row += cov[i * k + j] * x[j];
    v += x[i] * row;
  }
  return v;
}
