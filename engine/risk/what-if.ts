// "What if I trade qty of instrument i?": each set's VaR and ES of the portfolio before and after,
// the trade's P&L per unit in every scenario added to the portfolio's — its return row times its
// value (full revaluation for options), plus the FX legs of a trade outside the base currency.
// O(scenarios) per set.

import type { Book } from '../book.js';
import { KIND_FUTURE, KIND_OPTION } from '../instruments.js';
import { allocateTail, type RiskBackend } from './backend.js';
import { ScenarioSet, type OptionTable } from './scenario-set.js';
import type { Measure } from './simulation.js';

/** `pnl[k]`: the portfolio's P&L in set k (a copy: it is modified). */
export function whatIf(
  backend: RiskBackend,
  book: Book,
  sets: ScenarioSet[],
  options: OptionTable,
  pnl: Float64Array[],
  port: number,
  i: number,
  qty: number,
  levels: number[],
): { before: Measure[]; after: Measure[] } {
  const t = book.t;
  const base = book.base[port];
  const rate = t.fx(t.currency[i], base);
  const confidence = Float64Array.from(levels);
  const tail = allocateTail(levels.length);
  const before: Measure[] = [];
  const after: Measure[] = [];
  const option = t.kind[i] === KIND_OPTION;
  const unitValue = t.multiplier[i] * book.mark[i];
  const fx = t.currency[i] !== base ? qty * (t.kind[i] === KIND_FUTURE ? 0 : unitValue) * rate : 0;
  sets.forEach((set, k) => {
    const s = set.scenarios;
    const p = pnl[k];
    const { method, horizonDays } = set.provenance;
    const read = (into: Measure[]): void => {
      backend.tail({ scenarios: s, pnl: p, weights: null, confidence }, tail);
      levels.forEach((a, c) => into.push({ method, horizonDays, confidence: a, var: tail.var[c], es: tail.es[c] }));
    };
    read(before);
    const rows: number[] = [];
    const weights: number[] = [];
    const add = (row: number, w: number): void => void (rows.push(row), weights.push(w));
    if (!option) add(i, qty * unitValue * rate);
    if (fx !== 0 && t.currency[i] !== t.usd) add(ScenarioSet.currencyRow(t, t.currency[i]), fx);
    if (fx !== 0 && base !== t.usd) add(ScenarioSet.currencyRow(t, base), -fx);
    const job = { scenarios: s, rows: Int32Array.from(rows), weights: Float64Array.from(weights), reset: false };
    backend.accumulate({ ...job, matrix: set.rows }, p);
    if (option) {
      const o = Int32Array.of(options.rowOf[i]);
      backend.accumulate({ ...job, matrix: set.reval, rows: o, weights: Float64Array.of(qty * rate) }, p);
    }
    read(after);
  });
  return { before, after };
}
