// A portfolio's positions as weighted rows of a scenario set (in base currency), for the kernels
// that need each position's P&L per scenario — Euler components — and one option row computed on
// this thread by a reference kernel (a re-pricing, or the delta-gamma row beside full revaluation).

import type { Book } from '../book.js';
import type { PositionGroup, RevaluationJob } from './backend.js';
import { ScenarioSet, type OptionTable } from './scenario-set.js';

/** The weights a position's P&L is made of, per position index (local currency). */
export interface PositionWeights {
  wLin: Float64Array;
  wOpt: Float64Array;
  wFx: Float64Array;
}

/** A group whose entries also name the position (index into the list given) each belongs to. */
export interface OwnedGroup extends PositionGroup {
  owner: Int32Array;
}

/** The positions as weighted rows in base currency: linear, option, and the two FX translation legs. */
export function positionGroups(
  book: Book,
  set: ScenarioSet,
  port: number,
  positions: number[],
  w: PositionWeights,
  optionRowOf: Int32Array,
): OwnedGroup[] {
  const t = book.t;
  const base = book.base[port];
  const lin = { matrix: set.rows, rows: [] as number[], weights: [] as number[], owner: [] as number[] };
  const opt = { matrix: set.reval, rows: [] as number[], weights: [] as number[], owner: [] as number[] };
  const add = (g: typeof lin, row: number, weight: number, owner: number): void => {
    g.rows.push(row);
    g.weights.push(weight);
    g.owner.push(owner);
  };
  positions.forEach((p, j) => {
    const i = book.pInst[p];
    const rate = book.fxOf(p);
    if (w.wLin[p] !== 0) add(lin, i, w.wLin[p] * rate, j);
    if (w.wOpt[p] !== 0) add(opt, optionRowOf[i], w.wOpt[p] * rate, j);
    const c = t.currency[i];
    if (w.wFx[p] !== 0) {
      const fx = w.wFx[p] * rate;
      if (c !== t.usd) add(lin, ScenarioSet.currencyRow(t, c), fx, j);
      if (base !== t.usd) add(lin, ScenarioSet.currencyRow(t, base), -fx, j);
    }
  });
  const parts = [lin, opt];
  return parts.map((g) => ({
    matrix: g.matrix,
    rows: Int32Array.from(g.rows),
    weights: Float64Array.from(g.weights),
    owner: Int32Array.from(g.owner),
  }));
}

/** One option row by a reference kernel on this thread (O(scenarios): a tick's worth of work). */
export function oneRow(
  options: OptionTable,
  set: ScenarioSet,
  o: number,
  kernel: (job: RevaluationJob, out: Float64Array) => void,
): Float64Array {
  const full = set.revalJob(options);
  const one = {
    ...full,
    count: 1,
    row: full.row.subarray(o, o + 1),
    model: full.model.subarray(o, o + 1),
    isCall: full.isCall.subarray(o, o + 1),
    spot: full.spot.subarray(o, o + 1),
    strike: full.strike.subarray(o, o + 1),
    tau: full.tau.subarray(o, o + 1),
    vol: full.vol.subarray(o, o + 1),
    rate: full.rate.subarray(o, o + 1),
    dividend: full.dividend.subarray(o, o + 1),
    duration: full.duration.subarray(o, o + 1),
    convexity: full.convexity.subarray(o, o + 1),
    multiplier: full.multiplier.subarray(o, o + 1),
  };
  const out = scratchRow(set.scenarios);
  kernel(one, out);
  return out;
}

let scratch = new Float64Array(0);
function scratchRow(s: number): Float64Array {
  if (scratch.length < s) scratch = new Float64Array(s);
  return scratch.subarray(0, s);
}
