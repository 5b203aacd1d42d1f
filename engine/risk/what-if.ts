// "What if I trade qty of instrument i?": each set's VaR and ES of the portfolio before and after,
// the trade's P&L per unit in every scenario added to the portfolio's — its return row times its
// value (full revaluation for options), plus the FX legs of a trade outside the base currency.
// O(scenarios) per set. The pre-trade check's one measure (`pretradeWhatIf`) bounds where the tail
// lies instead of selecting over every scenario (bounded-tail.ts); its figures are the same.

import type { Book } from '../book.js';
import { KIND_FUTURE, KIND_OPTION } from '../instruments.js';
import { allocateTail, type RiskBackend } from './backend.js';
import { tradeTails, type RowTrade } from './bounded-tail.js';
import { ScenarioSet, type OptionTable } from './scenario-set.js';
import type { Measure } from './simulation.js';

/** One matrix's rows, weighted, that a trade adds to the portfolio's P&L vector. */
interface TradeRows {
  matrix: Float64Array;
  rows: Int32Array;
  weights: Float64Array;
}

/** What trading qty of instrument i in portfolio `port` adds, per scenario of `set`. */
function tradeRows(
  book: Book,
  set: ScenarioSet,
  options: OptionTable,
  port: number,
  i: number,
  qty: number,
): TradeRows[] {
  const t = book.t;
  const base = book.base[port];
  const rate = t.fx(t.currency[i], base);
  const option = t.kind[i] === KIND_OPTION;
  const unitValue = t.multiplier[i] * book.mark[i];
  const fx = t.currency[i] !== base ? qty * (t.kind[i] === KIND_FUTURE ? 0 : unitValue) * rate : 0;
  const rows: number[] = [];
  const weights: number[] = [];
  const add = (row: number, w: number): void => void (rows.push(row), weights.push(w));
  if (!option) add(i, qty * unitValue * rate);
  if (fx !== 0 && t.currency[i] !== t.usd) add(ScenarioSet.currencyRow(t, t.currency[i]), fx);
  if (fx !== 0 && base !== t.usd) add(ScenarioSet.currencyRow(t, base), -fx);
  const out: TradeRows[] = [{ matrix: set.rows, rows: Int32Array.from(rows), weights: Float64Array.from(weights) }];
  if (option)
    out.push({ matrix: set.reval, rows: Int32Array.of(options.rowOf[i]), weights: Float64Array.of(qty * rate) });
  return out;
}

function addTrade(backend: RiskBackend, scenarios: number, trade: TradeRows[], pnl: Float64Array): void {
  for (const r of trade) backend.accumulate({ scenarios, reset: false, ...r }, pnl);
}

/** `pnl[k]`: the portfolio's P&L in set k (a copy: it is modified); sets without a `pnl[k]` are skipped. */
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
  const confidence = Float64Array.from(levels);
  const tail = allocateTail(levels.length);
  const before: Measure[] = [];
  const after: Measure[] = [];
  sets.forEach((set, k) => {
    const s = set.scenarios;
    const p = pnl[k];
    if (p === undefined) return;
    const { method, horizonDays } = set.provenance;
    const read = (into: Measure[]): void => {
      backend.tail({ scenarios: s, pnl: p, weights: null, confidence }, tail);
      levels.forEach((a, c) => into.push({ method, horizonDays, confidence: a, var: tail.var[c], es: tail.es[c] }));
    };
    read(before);
    addTrade(backend, s, tradeRows(book, set, options, port, i, qty), p);
    read(after);
  });
  return { before, after };
}

/**
 * The pre-trade measure: VaR and ES at `confidence` of one set before and after the trade (pnl is
 * the portfolio's P&L, left as it is; `delta` a scratch of the set's length). `hint` is the P&L at
 * the VaR rank last seen for this portfolio and set (null: none); `level` in the answer is the one
 * to pass next time.
 */
export function pretradeWhatIf(
  backend: RiskBackend,
  book: Book,
  set: ScenarioSet,
  options: OptionTable,
  pnl: Float64Array,
  delta: Float64Array,
  port: number,
  i: number,
  qty: number,
  confidence: number,
  hint: number | null,
): { before: Measure; after: Measure; level: number } {
  const S = set.scenarios;
  const { method, horizonDays } = set.provenance;
  // Reading a few times the tail's ranks stays cheaper than a full selection.
  const most = Math.max(1024, 8 * Math.ceil(S * (1 - confidence)));
  const full = (v: Float64Array) => {
    const out = allocateTail(1);
    backend.tail({ scenarios: S, pnl: v, weights: null, confidence: Float64Array.of(confidence) }, out);
    return { var: out.var[0], es: out.es[0], level: -out.var[0] };
  };
  const move = tradeMove(backend, S, tradeRows(book, set, options, port, i, qty), delta);
  // The market moves the level between checks: read around the last one, with room either way.
  let r = hint === null ? null : tradeTails(pnl, S, confidence, hint + Math.abs(hint) * 0.02 + 1e-9, most, move);
  if (r === null) {
    const b = full(pnl);
    r = tradeTails(pnl, S, confidence, b.level, most, move);
    if (r === null) {
      // Too many scenarios near the tail after the trade: select over all of them.
      const { matrix: m, offset: o, weight: w } = move;
      for (let s = 0; s < S; s++) delta[s] = pnl[s] + w * m[o + s];
      r = { before: b, after: full(delta.subarray(0, S)) };
    }
  }
  const measure = (x: { var: number; es: number }): Measure => ({
    method,
    horizonDays,
    confidence,
    var: x.var,
    es: x.es,
  });
  return { before: measure(r.before), after: measure(r.after), level: r.before.level };
}

/** The trade's P&L per scenario as one weighted row: a row of the set, or `delta` summed from several. */
function tradeMove(backend: RiskBackend, scenarios: number, trade: TradeRows[], delta: Float64Array): RowTrade {
  // A linear trade in the book's currency is one row, read in place.
  if (trade.length === 1 && trade[0].rows.length === 1)
    return { matrix: trade[0].matrix, offset: trade[0].rows[0] * scenarios, weight: trade[0].weights[0] };
  delta.fill(0, 0, scenarios);
  addTrade(backend, scenarios, trade, delta);
  return { matrix: delta, offset: 0, weight: 1 };
}
