// Live backtests: each day's 1-day VaR per method (the last one published before the day closed)
// against the day's hypothetical P&L — the positions held at the previous close revalued at this
// close, so trading during the day does not count as a model failure (the Basel "hypothetical"
// P&L). Kupiec, Christoffersen and the traffic light over the last `observations` days.

import type { Book } from '../book.js';
import type { BacktestSummary, RiskMeasure, RiskMethod } from '../model.js';
import { backtest } from './backtest.js';
import type { BacktestSeries } from './history-backtest.js';
import type { SimulationRisk } from './simulation.js';

const METHODS: RiskMethod[] = ['parametric', 'historical', 'monteCarlo'];

interface Series {
  var: number[];
  pnl: number[];
  /** How many of the observations still held came from the history backtest of the book. */
  fromHistory: number;
}

export class DayBacktest {
  /** Per portfolio and method: the latest VaR published (NaN until the first); it stands until replaced. */
  private readonly standing: Float64Array[];
  private readonly series: Map<RiskMethod, Series>[];
  /** Quantities at the previous close, per position. */
  private closeQty = new Float64Array(0);

  constructor(
    private readonly book: Book,
    private readonly settings: { confidence: number; observations: number },
  ) {
    const np = book.portfolioIds.length;
    this.standing = Array.from({ length: np }, () => new Float64Array(METHODS.length).fill(NaN));
    this.series = Array.from({ length: np }, () => new Map());
  }

  /** A new day's sets are in: positions as they stand are the day's opening book. */
  opened(_sim: SimulationRisk): void {
    this.closeQty = Float64Array.from(this.book.pQty.subarray(0, this.book.positions));
  }

  /** Keeps each method's 1-day VaR at the backtest confidence as the day's standing forecast. */
  record(port: number, measures: RiskMeasure[]): void {
    for (const m of measures) {
      if (m.horizonDays !== 1 || Math.abs(m.confidence - this.settings.confidence) > 1e-12) continue;
      this.standing[port][METHODS.indexOf(m.method)] = m.var;
    }
  }

  /** The day closed at the marks now: one observation per portfolio and method that had a forecast. */
  closed(previousClose: Float64Array): void {
    const book = this.book;
    const pnl = new Float64Array(book.portfolioIds.length);
    for (let p = 0; p < this.closeQty.length; p++) {
      const q = this.closeQty[p];
      if (q === 0) continue;
      const i = book.pInst[p];
      pnl[book.pPort[p]] += q * book.t.multiplier[i] * (book.mark[i] - previousClose[i]) * book.fxOf(p);
    }
    for (let port = 0; port < pnl.length; port++) {
      METHODS.forEach((method, k) => {
        const v = this.standing[port][k];
        if (Number.isNaN(v)) return;
        let s = this.series[port].get(method);
        if (!s) this.series[port].set(method, (s = { var: [], pnl: [], fromHistory: 0 }));
        s.var.push(v);
        s.pnl.push(pnl[port]);
        if (s.var.length > this.settings.observations) {
          s.var.shift();
          s.pnl.shift();
          if (s.fromHistory > 0) s.fromHistory--;
        }
      });
    }
  }

  /** Starts a method's series with the history backtest of the book as it stood at the first install. */
  seed(port: number, method: RiskMethod, series: BacktestSeries): void {
    const n = series.var.length;
    this.series[port].set(method, { var: [...series.var], pnl: [...series.pnl], fromHistory: n });
  }

  results(port: number): BacktestSummary[] {
    const out: BacktestSummary[] = [];
    for (const [method, s] of this.series[port]) {
      const r = backtest(s.var, s.pnl, this.settings.confidence);
      out.push({
        method,
        confidence: this.settings.confidence,
        observations: r.observations,
        fromHistory: s.fromHistory,
        exceptions: r.exceptions,
        kupiec: { lr: r.kupiec.lr, pValue: r.kupiec.pValue },
        christoffersen: { lr: r.independence.lr, pValue: r.independence.pValue },
        conditionalCoverage: { lr: r.conditional.lr, pValue: r.conditional.pValue },
        zone: r.trafficLight.zone,
      });
    }
    return out;
  }
}
