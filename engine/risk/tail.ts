// Tail statistics of a scenario P&L vector, exactly as docs/risk.md "Quantiles, VaR and ES" and
// "Components": lower empirical quantile, Acerbi–Tasche ES, Euler allocation. Scenarios are ranked
// by (pnl, index), so ties go to the lower index; ranks are found by quickselect on a scratch copy
// of the indices (O(S)), and the P&L vector itself is never reordered.

import type { AccumulateJob, ComponentJob, ComponentResult, TailJob, TailResult } from './backend.js';

/** Scratch scenario indices, grown on demand and reused (the kernels are synchronous). */
let order = new Int32Array(0);
let summed = new Float64Array(0);

/** n = S(1 − α) rounded to 9 decimals, the tail's size in scenarios. */
export function tailSize(scenarios: number, confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return Math.round(scenarios * (1 - confidence) * 1e9) / 1e9;
}

/** m = max(1, ⌈n⌉), the rank of the VaR scenario. */
export function varRank(n: number): number {
  return Math.max(1, Math.ceil(n));
}

function indices(S: number): Int32Array {
  if (order.length < S) order = new Int32Array(S);
  for (let s = 0; s < S; s++) order[s] = s;
  return order;
}

/** True when scenario a ranks before scenario b: lower P&L, or equal P&L and lower index. */
function before(pnl: Float64Array, a: number, b: number): boolean {
  const x = pnl[a];
  const y = pnl[b];
  return x < y || (x === y && a < b);
}

function swap(idx: Int32Array, i: number, j: number): void {
  const t = idx[i];
  idx[i] = idx[j];
  idx[j] = t;
}

/**
 * Quickselect (median-of-three, Lomuto): rearranges idx[lo..hi] so that idx[k] is the scenario of
 * rank k (0-based, within the range), those before it rank lower and those after higher.
 */
export function select(pnl: Float64Array, idx: Int32Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    if (before(pnl, idx[mid], idx[lo])) swap(idx, mid, lo);
    if (before(pnl, idx[hi], idx[lo])) swap(idx, hi, lo);
    if (before(pnl, idx[hi], idx[mid])) swap(idx, hi, mid);
    if (hi - lo < 3) return; // three or fewer entries: sorted by the median-of-three itself
    // The median pivots at hi − 1; idx[lo] ≤ pivot ≤ idx[hi] already (keys are distinct).
    swap(idx, mid, hi - 1);
    const pivot = idx[hi - 1];
    let store = lo + 1;
    for (let i = lo + 1; i < hi - 1; i++) if (before(pnl, idx[i], pivot)) swap(idx, i, store++);
    swap(idx, store, hi - 1);
    if (store === k) return;
    if (k < store) hi = store - 1;
    else lo = store + 1;
  }
}

/** Tail figures of one confidence level, with idx as scratch: [var, es, varScenario]. */
function tailOne(pnl: Float64Array, S: number, idx: Int32Array, confidence: number, out: TailResult, c: number): void {
  const n = tailSize(S, confidence);
  const m = varRank(n);
  const fl = Math.floor(n);
  select(pnl, idx, 0, S - 1, m - 1);
  const varScenario = idx[m - 1];
  out.var[c] = -pnl[varScenario];
  out.varScenario[c] = varScenario;
  if (n < 1) {
    out.es[c] = -pnl[idx[0]];
    return;
  }
  // Ranks 1..m sit at idx[0..m-1]; when n is whole (m = ⌊n⌋) rank ⌊n⌋+1 is not needed (weight 0).
  let sum = 0;
  for (let j = 0; j < fl; j++) sum += pnl[idx[j]];
  const frac = n - fl;
  if (frac > 0) sum += frac * pnl[idx[fl]];
  out.es[c] = -sum / n;
}

/** VaR, ES and the VaR scenario at every confidence level of the job. */
export function tail(job: TailJob, out: TailResult): void {
  if (job.weights !== null) throw new RangeError('weighted scenarios are not supported yet (weights must be null)');
  const S = job.scenarios;
  if (!(S >= 1) || job.pnl.length < S)
    throw new RangeError(`tail needs 1 ≤ scenarios ≤ pnl.length, got ${S} of ${job.pnl.length}`);
  const idx = indices(S);
  for (let c = 0; c < job.confidence.length; c++) tailOne(job.pnl, S, idx, job.confidence[c], out, c);
}

/** Σ over idx[from..to) of position P&L weight · matrix[row][s], for every position, into sums. */
function positionSums(
  job: ComponentJob,
  idx: Int32Array,
  from: number,
  to: number,
  scale: number,
  sums: Float64Array,
): void {
  const S = job.scenarios;
  let p = 0;
  for (const g of job.groups) {
    for (let e = 0; e < g.rows.length; e++, p++) {
      const o = g.rows[e] * S;
      let acc = 0;
      for (let j = from; j < to; j++) acc += g.matrix[o + idx[j]];
      sums[p] += scale * g.weights[e] * acc;
    }
  }
}

/** Euler allocation of VaR and ES to every position of the job's groups (positions × levels). */
export function components(job: ComponentJob, out: ComponentResult): void {
  const S = job.scenarios;
  const pnl = job.pnl;
  if (!(S >= 1) || pnl.length < S)
    throw new RangeError(`components needs 1 ≤ scenarios ≤ pnl.length, got ${S} of ${pnl.length}`);
  let positions = 0;
  for (const g of job.groups) positions += g.rows.length;
  const levels = job.confidence.length;
  if (summed.length < positions) summed = new Float64Array(positions);
  const sums = summed.subarray(0, positions);
  const idx = indices(S);
  const w = Math.floor(S / 2000);
  for (let c = 0; c < levels; c++) {
    const n = tailSize(S, job.confidence[c]);
    const m = varRank(n);
    const fl = Math.floor(n);
    // ES: ranks 1..⌊n⌋ at weight 1/n and rank ⌊n⌋+1 at (n − ⌊n⌋)/n (n < 1: rank 1 alone).
    sums.fill(0);
    if (n < 1) {
      select(pnl, idx, 0, S - 1, 0);
      positionSums(job, idx, 0, 1, -1, sums);
    } else {
      select(pnl, idx, 0, S - 1, Math.min(fl, S - 1));
      positionSums(job, idx, 0, fl, -1 / n, sums);
      if (n > fl) positionSums(job, idx, fl, fl + 1, -(n - fl) / n, sums);
    }
    for (let p = 0; p < positions; p++) out.componentEs[p * levels + c] = sums[p];
    // VaR: ranks m − w … m + w, clipped to 1 … S, scaled so the components sum to VaR.
    const lo = Math.max(m - w, 1) - 1;
    const hi = Math.min(m + w, S) - 1;
    select(pnl, idx, 0, S - 1, m - 1);
    const value = -pnl[idx[m - 1]];
    select(pnl, idx, 0, S - 1, hi);
    select(pnl, idx, 0, hi, lo);
    let mean = 0;
    for (let j = lo; j <= hi; j++) mean += pnl[idx[j]];
    sums.fill(0);
    positionSums(job, idx, lo, hi + 1, 1, sums);
    for (let p = 0; p < positions; p++) out.componentVar[p * levels + c] = mean === 0 ? 0 : (value * sums[p]) / mean;
  }
}

/** out[s] (+)= Σ_j w_j · m[rows_j][s], positions in order. */
export function accumulate(job: AccumulateJob, out: Float64Array): void {
  const S = job.scenarios;
  if (out.length < S) throw new RangeError(`accumulate output has ${out.length} entries, needs ${S}`);
  if (job.reset) out.fill(0, 0, S);
  for (let j = 0; j < job.rows.length; j++) {
    const w = job.weights[j];
    if (w === 0) continue;
    const o = job.rows[j] * S;
    for (let s = 0; s < S; s++) out[s] += w * job.matrix[o + s];
  }
}

const one = { var: new Float64Array(1), es: new Float64Array(1), varScenario: new Int32Array(1) };
const level = new Float64Array(1);

/** VaR of one P&L vector at one confidence (docs/risk.md: −pnl_(m)). */
export function valueAtRisk(pnl: Float64Array, confidence: number, scenarios = pnl.length): number {
  level[0] = confidence;
  tail({ scenarios, pnl, weights: null, confidence: level }, one);
  return one.var[0];
}

let trial = new Float64Array(0);

/**
 * Incremental VaR of buying `qty` units whose P&L per unit is `row` (length ≥ S):
 * VaR(pnl + qty · row) − VaR(pnl).
 */
export function incrementalVar(pnl: Float64Array, row: Float64Array, qty: number, confidence: number): number {
  const S = pnl.length;
  if (row.length < S) throw new RangeError(`trade row has ${row.length} scenarios, the portfolio ${S}`);
  if (trial.length < S) trial = new Float64Array(S);
  const after = trial.subarray(0, S);
  for (let s = 0; s < S; s++) after[s] = pnl[s] + qty * row[s];
  return valueAtRisk(after, confidence) - valueAtRisk(pnl, confidence);
}
