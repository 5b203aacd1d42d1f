// Moves of one portfolio's P&L vectors, gathered when its risk is read and applied per set as one
// multi-row accumulate per currency slice and matrix. One pass over a slice then sums every changed
// row (the kernel tiles the slice in L1), where one call per position and row re-read and re-wrote
// the whole slice each time; FX translation moves of a currency are summed into one weight first.

import type { InstrumentTable } from '../instruments.js';
import type { AccumulateJob, RiskBackend } from './backend.js';
import { ScenarioSet } from './scenario-set.js';

/** Rows and weights of one matrix, growing as needed; `n` entries are live. */
class RowList {
  rows = new Int32Array(16);
  weights = new Float64Array(16);
  n = 0;

  push(row: number, w: number): void {
    if (this.n === this.rows.length) {
      const rows = new Int32Array(this.n * 2);
      const weights = new Float64Array(this.n * 2);
      rows.set(this.rows);
      weights.set(this.weights);
      this.rows = rows;
      this.weights = weights;
    }
    this.rows[this.n] = row;
    this.weights[this.n++] = w;
  }
}

export class VectorMoves {
  /** Per currency slice: rows of the set's linear matrix (instruments and currencies) and of its option matrix. */
  private readonly lin: RowList[];
  private readonly opt: RowList[];
  /** Per currency slice: the summed change of the FX-translated value held in it. */
  private readonly fx: Float64Array;
  private readonly job: AccumulateJob = {
    scenarios: 0,
    matrix: new Float64Array(0),
    rows: new Int32Array(0),
    weights: new Float64Array(0),
    reset: false,
  };
  private empty = true;

  constructor(
    private readonly currencies: number,
    private readonly backend: RiskBackend,
  ) {
    this.lin = Array.from({ length: currencies }, () => new RowList());
    this.opt = Array.from({ length: currencies }, () => new RowList());
    this.fx = new Float64Array(currencies);
  }

  /** Instrument (or currency) row `row` of the linear matrix moves slice c by w. */
  linear(c: number, row: number, w: number): void {
    this.lin[c].push(row, w);
    this.empty = false;
  }

  /** Option row `row` of the option matrix moves slice c by w. */
  option(c: number, row: number, w: number): void {
    this.opt[c].push(row, w);
    this.empty = false;
  }

  /** Value held in currency c changed by w, translated to USD then to the portfolio's base. */
  translation(c: number, w: number): void {
    this.fx[c] += w;
    this.empty = false;
  }

  /**
   * Adds the gathered moves to `local(k)` (currencies × S of set k) for every set, then forgets them.
   * A translation moves its slice by its currency's USD row less the base's (neither for USD, which
   * has no row; the base's own rate applies at read), as the per-position moves did.
   */
  applyTo(sets: readonly ScenarioSet[], local: (k: number) => Float64Array, t: InstrumentTable, base: number): void {
    if (this.empty) return;
    for (let c = 0; c < this.currencies; c++) {
      const d = this.fx[c];
      if (d === 0) continue;
      if (c !== t.usd) this.lin[c].push(ScenarioSet.currencyRow(t, c), d);
      if (base !== t.usd) this.lin[c].push(ScenarioSet.currencyRow(t, base), -d);
      this.fx[c] = 0;
    }
    for (let c = 0; c < this.currencies; c++) {
      const lin = this.lin[c];
      const opt = this.opt[c];
      if (lin.n === 0 && opt.n === 0) continue;
      for (let k = 0; k < sets.length; k++) {
        const set = sets[k];
        const s = set.scenarios;
        const slice = local(k).subarray(c * s, (c + 1) * s);
        this.add(s, set.rows, lin, slice);
        this.add(s, set.reval, opt, slice);
      }
      lin.n = opt.n = 0;
    }
    this.empty = true;
  }

  private add(scenarios: number, matrix: Float64Array, list: RowList, out: Float64Array): void {
    if (list.n === 0) return;
    const job = this.job;
    job.scenarios = scenarios;
    job.matrix = matrix;
    job.rows = list.rows.subarray(0, list.n);
    job.weights = list.weights.subarray(0, list.n);
    this.backend.accumulate(job, out);
  }
}
