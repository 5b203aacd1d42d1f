// How much of a portfolio's VaR the options' non-linearity beyond second order moves: full
// revaluation VaR minus delta-gamma VaR of the same scenarios. The delta-gamma P&L of the options
// on one underlying u is a_u·R_u + b_u·R_u² (a_u = Σ w·m·Δ·S, b_u = ½ Σ w·m·Γ·S²), so the whole
// swap is three weighted row sums on the backend: minus the options' full rows, plus R_u and R_u².

import { black76Greeks, bsmGreeks, newGreeks } from '../blackscholes.js';
import type { Book } from '../book.js';
import { MODEL_BLACK76, type RiskBackend, type TailResult } from './backend.js';
import type { OptionTable, ScenarioSet } from './scenario-set.js';

const greeks = newGreeks();
/** Squared underlying rows per set (rows × scenarios) and each underlying's row in it. */
const squares = new WeakMap<ScenarioSet, { matrix: Float64Array; rowOf: Map<number, number> }>();

function squaresOf(set: ScenarioSet, options: OptionTable): { matrix: Float64Array; rowOf: Map<number, number> } {
  let sq = squares.get(set);
  if (sq) return sq;
  const s = set.scenarios;
  const under = [...new Set(options.job.row)];
  const matrix = new Float64Array(under.length * s);
  under.forEach((u, k) => {
    for (let j = 0; j < s; j++) {
      const r = set.rows[u * s + j];
      matrix[k * s + j] = r * r;
    }
  });
  sq = { matrix, rowOf: new Map(under.map((u, k) => [u, k])) };
  squares.set(set, sq);
  return sq;
}

/** Full minus delta-gamma VaR per confidence of `pnl` (the portfolio's full-revaluation P&L, modified in place). */
export function nonLinearity(
  backend: RiskBackend,
  book: Book,
  set: ScenarioSet,
  options: OptionTable,
  port: number,
  wOpt: Float64Array,
  pnl: Float64Array,
  confidence: Float64Array,
  tail: TailResult,
): number[] {
  const s = set.scenarios;
  backend.tail({ scenarios: s, pnl, weights: null, confidence }, tail);
  const full = Array.from(tail.var);
  const job = options.job;
  const rows: number[] = [];
  const weights: number[] = [];
  const ab = new Map<number, [number, number]>();
  const baseUsd = book.t.usdPer[book.base[port]];
  for (const p of book.portfolioPositions[port]) {
    const w = wOpt[p];
    if (w === 0) continue;
    const i = book.pInst[p];
    const o = options.rowOf[i];
    const f = (w * book.t.usdPer[book.t.currency[i]]) / baseUsd;
    rows.push(o);
    weights.push(-f);
    const S = job.spot[o];
    if (job.model[o] === MODEL_BLACK76)
      black76Greeks(S, job.strike[o], job.tau[o], job.vol[o], job.rate[o], job.isCall[o] === 1, greeks);
    else bsmGreeks(S, job.strike[o], job.tau[o], job.vol[o], job.rate[o], job.dividend[o], job.isCall[o] === 1, greeks);
    const m = job.multiplier[o] * f;
    const u = job.row[o];
    const cur = ab.get(u) ?? [0, 0];
    cur[0] += m * greeks.delta * S;
    cur[1] += 0.5 * m * greeks.gamma * S * S;
    ab.set(u, cur);
  }
  if (rows.length === 0) return full.map(() => 0);
  const sq = squaresOf(set, options);
  const under = [...ab.keys()];
  const add = (matrix: Float64Array, r: number[], w: number[]): void =>
    backend.accumulate(
      { scenarios: s, matrix, rows: Int32Array.from(r), weights: Float64Array.from(w), reset: false },
      pnl,
    );
  add(set.reval, rows, weights);
  add(
    set.rows,
    under,
    under.map((u) => ab.get(u)![0]),
  );
  add(
    sq.matrix,
    under.map((u) => sq.rowOf.get(u)!),
    under.map((u) => ab.get(u)![1]),
  );
  backend.tail({ scenarios: s, pnl, weights: null, confidence }, tail);
  return full.map((v, c) => v - tail.var[c]);
}
