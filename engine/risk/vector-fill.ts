// Whole P&L vectors built off the event loop: a portfolio's positions gathered into one weighted
// row list per (portfolio, currency) and summed by the backend's asynchronous accumulate. Used when
// a day's sets are installed and when a period's re-pricing moves every option holder at once.

import type { Book } from '../book.js';
import { KIND_OPTION } from '../instruments.js';
import type { RiskBackend } from './backend.js';
import type { PositionWeights } from './position-rows.js';
import { ScenarioSet } from './scenario-set.js';

/** Positions of one portfolio held in one currency, as rows of a matrix and their weights. */
export interface SlotGroup {
  port: number;
  currency: number;
  rows: Int32Array;
  weights: Float64Array;
}

/** A position's weights as the book stands (local currency): linear row, option row, FX translation. */
export function weightsOf(book: Book, p: number, out: Float64Array): Float64Array {
  const t = book.t;
  const i = book.pInst[p];
  const option = t.kind[i] === KIND_OPTION;
  out[0] = option ? 0 : book.pExp[p];
  out[1] = option ? book.pQty[p] : 0;
  out[2] = t.currency[i] !== book.base[book.pPort[p]] ? book.pMv[p] : 0;
  return out;
}

/** Every position's weights now, in arrays of `size` (≥ book.positions). */
export function snapshotWeights(book: Book, size: number): PositionWeights {
  const w = { wLin: new Float64Array(size), wOpt: new Float64Array(size), wFx: new Float64Array(size) };
  const one = new Float64Array(3);
  for (let p = 0; p < book.positions; p++) {
    weightsOf(book, p, one);
    w.wLin[p] = one[0];
    w.wOpt[p] = one[1];
    w.wFx[p] = one[2];
  }
  return w;
}

/** Linear rows and FX legs (matrix: the set's rows), grouped by portfolio and currency. */
export function linearGroups(book: Book, w: PositionWeights): SlotGroup[] {
  const t = book.t;
  return group(book, (p, add) => {
    const i = book.pInst[p];
    const c = t.currency[i];
    const base = book.base[book.pPort[p]];
    if (w.wLin[p] !== 0) add(i, w.wLin[p]);
    if (w.wFx[p] !== 0) {
      if (c !== t.usd) add(ScenarioSet.currencyRow(t, c), w.wFx[p]);
      if (base !== t.usd) add(ScenarioSet.currencyRow(t, base), -w.wFx[p]);
    }
  });
}

/** Option rows (matrix: the set's revaluations), grouped by portfolio and currency; `only` limits to some options. */
export function optionGroups(book: Book, w: PositionWeights, rowOf: Int32Array): SlotGroup[] {
  return group(book, (p, add) => {
    if (w.wOpt[p] !== 0) add(rowOf[book.pInst[p]], w.wOpt[p]);
  });
}

function group(book: Book, visit: (p: number, add: (row: number, weight: number) => void) => void): SlotGroup[] {
  const nc = book.t.currencies.length;
  const slots = new Map<number, { rows: number[]; weights: number[] }>();
  for (let p = 0; p < book.positions; p++) {
    const key = book.pPort[p] * nc + book.t.currency[book.pInst[p]];
    visit(p, (row, weight) => {
      let s = slots.get(key);
      if (!s) slots.set(key, (s = { rows: [], weights: [] }));
      s.rows.push(row);
      s.weights.push(weight);
    });
  }
  return [...slots].map(([key, s]) => ({
    port: Math.floor(key / nc),
    currency: key % nc,
    rows: Int32Array.from(s.rows),
    weights: Float64Array.from(s.weights),
  }));
}

/** Adds sign × each group's weighted rows of `matrix` into its portfolio's currency slot, off the loop. */
export async function addGroups(
  backend: RiskBackend,
  matrix: Float64Array,
  scenarios: number,
  groups: SlotGroup[],
  local: (port: number) => Float64Array,
  sign = 1,
): Promise<void> {
  for (const g of groups) {
    const weights = sign === 1 ? g.weights : g.weights.map((x) => -x);
    const out = local(g.port).subarray(g.currency * scenarios, (g.currency + 1) * scenarios);
    await backend.accumulateAsync({ scenarios, matrix, rows: g.rows, weights, reset: false }, out);
  }
}
