// VaR and ES before and after a trade, read from only the scenarios that can hold the tail, for the
// pre-trade what-if (docs/risk.md "Quantiles, VaR and ES"). With m the VaR rank (which also covers
// every rank ES reads):
// - before: the scenarios at or under a bound; exact when at least m of them are (the m worst of
//   the vector are then the m worst of those);
// - after: those same scenarios moved by the trade are at least m values, so the m-th smallest of
//   them bounds the tail after the trade, and the scenarios at or under that bound, moved, hold it.
// Two passes over the scenarios and selections over a few hundred values, instead of two selections
// over all of them. When the bound leaves fewer than m scenarios under it, or more than `most`,
// the caller selects in full.

import { tailSize, varRank } from './tail.js';

export interface TailFigures {
  var: number;
  es: number;
  /** The P&L at the VaR rank: the bound a later read may start from. */
  level: number;
}

/** A trade's P&L: `weight` × matrix[offset + s] in scenario s. */
export interface RowTrade {
  matrix: Float64Array;
  offset: number;
  weight: number;
}

/** Reused between calls (the engine is synchronous). */
let before = new Float64Array(1024);
let moved = new Float64Array(1024);
let after = new Float64Array(1024);

/**
 * The figures at `confidence` before and after `trade`, reading the scenarios of pnl[0, S) at or
 * under `bound`; null when fewer than the VaR rank or more than `most` of them are.
 */
export function tradeTails(
  pnl: Float64Array,
  S: number,
  confidence: number,
  bound: number,
  most: number,
  trade: RowTrade,
): { before: TailFigures; after: TailFigures } | null {
  const n = tailSize(S, confidence);
  const m = Math.min(varRank(n), S);
  if (before.length < most)
    [before, moved, after] = [new Float64Array(most), new Float64Array(most), new Float64Array(most)];
  const { matrix, offset, weight } = trade;
  let c = 0;
  for (let s = 0; s < S; s++) {
    const v = pnl[s];
    if (v <= bound) {
      if (c === most) return null;
      before[c] = v;
      moved[c++] = v + weight * matrix[offset + s];
    }
  }
  if (c < m) return null;
  const b = figures(before, c, n, m);
  select(moved, 0, c - 1, m - 1);
  const limit = moved[m - 1];
  let k = 0;
  for (let s = 0; s < S; s++) {
    const v = pnl[s] + weight * matrix[offset + s];
    if (v <= limit) {
      if (k === most) return null;
      after[k++] = v;
    }
  }
  return { before: b, after: figures(after, k, n, m) };
}

/** VaR, ES and the VaR-rank level from values[0, c), which hold the m worst (values is reordered). */
function figures(values: Float64Array, c: number, n: number, m: number): TailFigures {
  select(values, 0, c - 1, m - 1);
  // values[0, m) are the m worst, values[m − 1] the m-th; ES reads ranks 1 … ⌊n⌋ and, with a
  // fraction, rank ⌊n⌋ + 1 = m at weight n − ⌊n⌋.
  const level = values[m - 1];
  if (n < 1) {
    let worst = values[0];
    for (let j = 1; j < m; j++) worst = Math.min(worst, values[j]);
    return { var: -level, es: -worst, level };
  }
  let sum = 0;
  for (let j = 0; j < m; j++) sum += values[j];
  const fl = Math.floor(n);
  const frac = n - fl;
  if (frac > 0) sum -= (1 - frac) * level;
  return { var: -level, es: -sum / n, level };
}

/** Quickselect: values[k] becomes the k-th smallest of values[lo, hi], smaller ones before it. */
function select(values: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i++] = values[j];
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
