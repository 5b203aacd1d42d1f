// Return statistics over a window of periodic simple returns, oldest first. Conventions (the same
// as empyrical's, which test/unit/engine/analytics/ checks them against): sample standard deviation
// (n − 1); annualised by √N for volatility and ratios, N periods a year; rates per period are the
// annual rate / N; Sortino's downside deviation is the root mean square of min(r − target, 0) over
// every observation; maximum drawdown is measured on the wealth index from 1 before the first
// return, as a positive fraction of the peak. Each gives null where it is not defined.

function mean(r: Float64Array): number {
  let s = 0;
  for (let k = 0; k < r.length; k++) s += r[k];
  return s / r.length;
}

/** Sample standard deviation (a constant shift such as a per-period rate leaves it unchanged). */
function stdev(r: Float64Array): number {
  const m = mean(r);
  let ss = 0;
  for (let k = 0; k < r.length; k++) ss += (r[k] - m) ** 2;
  return Math.sqrt(ss / (r.length - 1));
}

/** Annualised volatility: sample standard deviation × √N. */
export function volatility(r: Float64Array, periodsPerYear: number): number | null {
  if (r.length < 2) return null;
  return stdev(r) * Math.sqrt(periodsPerYear);
}

/** Sharpe ratio: mean excess return over its sample standard deviation, × √N. */
export function sharpe(r: Float64Array, riskFreeAnnual: number, periodsPerYear: number): number | null {
  if (r.length < 2) return null;
  const rf = riskFreeAnnual / periodsPerYear;
  const sd = stdev(r);
  return sd > 0 ? ((mean(r) - rf) / sd) * Math.sqrt(periodsPerYear) : null;
}

/** Sortino ratio: annualised mean return over target ÷ annualised downside deviation below it. */
export function sortino(r: Float64Array, targetAnnual: number, periodsPerYear: number): number | null {
  if (r.length < 2) return null;
  const target = targetAnnual / periodsPerYear;
  let below = 0;
  for (let k = 0; k < r.length; k++) {
    const d = r[k] - target;
    if (d < 0) below += d * d;
  }
  const downside = Math.sqrt(below / r.length) * Math.sqrt(periodsPerYear);
  return downside > 0 ? ((mean(r) - target) * periodsPerYear) / downside : null;
}

/** Largest fall of the wealth index from a previous peak (the start counts as one), a fraction of the peak. */
export function maxDrawdown(r: Float64Array): number | null {
  if (r.length === 0) return null;
  let wealth = 1;
  let peak = 1;
  let worst = 0;
  for (let k = 0; k < r.length; k++) {
    wealth *= 1 + r[k];
    if (wealth > peak) peak = wealth;
    else if ((peak - wealth) / peak > worst) worst = (peak - wealth) / peak;
  }
  return worst;
}

/** Beta of r to the benchmark's returns b over the same periods: cov(r, b) / var(b). */
export function beta(r: Float64Array, b: Float64Array): number | null {
  const n = Math.min(r.length, b.length);
  if (n < 2) return null;
  let mb = 0;
  for (let k = 0; k < n; k++) mb += b[k];
  mb /= n;
  let cov = 0;
  let varb = 0;
  for (let k = 0; k < n; k++) {
    cov += (b[k] - mb) * r[k];
    varb += (b[k] - mb) ** 2;
  }
  return varb / n > 1e-30 ? cov / varb : null;
}

/** Compounded return of consecutive sub-period returns. */
export function linked(r: Float64Array): number {
  let w = 1;
  for (let k = 0; k < r.length; k++) w *= 1 + r[k];
  return w - 1;
}
