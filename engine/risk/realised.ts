// A day's realised factor returns, from the instruments' closing marks: the cross-sectional least-
// squares fit of the day's instrument returns on their factor loadings, r ≈ L·f (how fundamental
// factor models estimate factor returns). Options are left out: their returns are not linear in
// the factors. A tiny ridge keeps the system solvable when a factor has no instrument that day.

import { KIND_OPTION, type InstrumentTable } from '../instruments.js';

const RIDGE = 1e-10;

/** Fills `out` (K) with the fitted factor returns of the day that took `previous` marks to `close`. */
export function realisedFactorReturns(
  t: InstrumentTable,
  previous: Float64Array,
  close: Float64Array,
  out: Float64Array,
): Float64Array {
  const k = t.factors.length;
  const ata = new Float64Array(k * k);
  const atr = new Float64Array(k);
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] === KIND_OPTION || !(previous[i] > 0) || !(close[i] > 0)) continue;
    const r = close[i] / previous[i] - 1;
    for (let a = t.loadStart[i]; a < t.loadStart[i + 1]; a++) {
      const fa = t.loadFactor[a];
      const la = t.loadValue[a];
      atr[fa] += la * r;
      for (let b = t.loadStart[i]; b < t.loadStart[i + 1]; b++) ata[fa * k + t.loadFactor[b]] += la * t.loadValue[b];
    }
  }
  for (let j = 0; j < k; j++) ata[j * k + j] += RIDGE;
  return solveSymmetric(ata, atr, k, out);
}

/** Solves A·x = b for a symmetric positive definite A (k × k) by Cholesky; A and b are overwritten. */
function solveSymmetric(a: Float64Array, b: Float64Array, k: number, x: Float64Array): Float64Array {
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let m = 0; m < j; m++) d -= a[j * k + m] * a[j * k + m];
    const l = Math.sqrt(Math.max(d, 1e-300));
    a[j * k + j] = l;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= a[i * k + m] * a[j * k + m];
      a[i * k + j] = s / l;
    }
  }
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= a[i * k + m] * b[m];
    b[i] = s / a[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let m = i + 1; m < k; m++) s -= a[m * k + i] * x[m];
    x[i] = s / a[i * k + i];
  }
  return x;
}
