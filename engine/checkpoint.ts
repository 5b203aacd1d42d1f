// A portfolio's rebuildable state: what an engine that takes a portfolio over needs to continue
// exactly where the previous owner was, given the executions after the checkpoint. Marks travel
// with it (newest wins, by tick time) so a fresh engine does not value positions at opening
// prices until every instrument has ticked again. Derived values (market value, P&L, exposures)
// are not stored: they are recomputed from positions and marks.

import type { Book } from './book.js';
import type { LimitState } from './limits.js';
import type { AnalyticsState } from './analytics/state.js';
import type { StaleState } from './stale-data.js';
import { RisklineError } from '../errors/catalogue.js';

export interface PortfolioState {
  portfolio: string;
  /** Event time of the newest input reflected. */
  asOf: number;
  /** Cash by currency. */
  cash: [currency: string, amount: number][];
  /** Realised P&L in base currency. */
  realized: number;
  /** Non-flat and flat-with-history positions: [instrument, qty, avgCost, realised P&L in base]. */
  positions: [instrument: string, qty: number, avgCost: number, realized: number][];
  /** Marks of the instruments held (and their underlyings): [instrument, ts, bid, ask, last]. */
  marks: [instrument: string, ts: number, bid: number, ask: number, last: number][];
  /** Execution ids applied, oldest first (the dedupe window). */
  executions: string[];
  /** Last seq written on each of the portfolio's channels, so a new owner continues the sequence. */
  seqs: [channel: string, seq: number][];
  /**
   * Limits that have left ok at least once: [limit id, episodes so far, status, changes in the
   * episode] (engine/limits.ts), so a new owner neither raises a standing status again nor misses its
   * clearance, and numbers alerts on. Absent in older checkpoints: read as nothing known (a standing
   * breach is then raised once more).
   */
  limits?: LimitState[];
  /** The day's NAV high-water mark for drawdown limits: [UTC day number, NAV] (absent in older checkpoints). */
  navHigh?: [day: number, nav: number];
  /**
   * Stale instruments alerted and not cleared: [instrument, its last tick's event time]
   * (engine/stale-data.ts); absent when none.
   */
  stale?: StaleState;
  /** The portfolio's input sequence at the checkpoint (absent in older checkpoints), continued by a new owner. */
  inputSeq?: number;
  /** Returns, attribution and fee accounts (engine/analytics/), absent without analytics or in older checkpoints. */
  analytics?: AnalyticsState;
}

export function exportPortfolio(
  book: Book,
  port: number,
  seqs: [string, number][],
  limits: LimitState[],
): PortfolioState {
  const t = book.t;
  const nc = book.nc;
  const cash: [string, number][] = [];
  for (let c = 0; c < nc; c++) {
    const v = book.cash[port * nc + c];
    if (v !== 0) cash.push([t.currencies[c], v]);
  }
  const positions: PortfolioState['positions'] = [];
  const marked = new Set<number>();
  for (const p of book.portfolioPositions[port]) {
    const i = book.pInst[p];
    positions.push([t.ids[i], book.pQty[p], book.pAvg[p], book.pRpnl[p]]);
    marked.add(i);
    if (t.underlying[i] >= 0) marked.add(t.underlying[i]);
  }
  const marks: PortfolioState['marks'] = [];
  for (const i of marked)
    if (book.markTs[i] > 0) marks.push([t.ids[i], book.markTs[i], book.bid[i], book.ask[i], book.last[i]]);
  return {
    portfolio: book.portfolioIds[port],
    asOf: book.now,
    cash,
    realized: book.realized[port],
    positions,
    marks,
    executions: book.executed[port].list(),
    seqs,
    limits,
  };
}

/**
 * Replaces portfolio `port`'s state with `s`. Existing positions are flattened first through the
 * same revaluation path ticks use, so every aggregate stays the sum of its positions.
 */
export function importPortfolio(book: Book, port: number, s: PortfolioState): void {
  const t = book.t;
  const where = `checkpoint of ${book.portfolioIds[port]}`;
  const instrument = (id: string): number => book.instrumentOf(id, `${where}: `);
  for (const [id, ts, bid, ask, last] of s.marks) {
    const i = instrument(id);
    if (ts > book.markTs[i]) book.tick(i, ts, bid, ask, last);
  }
  for (const p of book.portfolioPositions[port]) {
    book.pQty[p] = 0;
    book.pAvg[p] = 0;
    book.pRpnl[p] = 0;
    book.revalue(p);
  }
  const nc = book.nc;
  book.cash.fill(0, port * nc, port * nc + nc);
  for (const [ccy, amount] of s.cash) {
    const c = t.hasCurrency(ccy) ? t.currencyId(ccy) : -1;
    if (c < 0) throw new RisklineError('DECODE_FAILED', `${where}: unknown currency ${JSON.stringify(ccy)}`);
    book.cash[port * nc + c] = amount;
  }
  book.realized[port] = s.realized;
  for (const [id, qty, avgCost, realized] of s.positions) {
    const p = book.position(port, instrument(id));
    book.pQty[p] = qty;
    book.pAvg[p] = avgCost;
    book.pRpnl[p] = realized;
    book.revalue(p);
  }
  book.executed[port].restore(s.executions);
  if (s.asOf > book.now) book.now = s.asOf;
  book.portDirty[port] = 1;
  book.riskDirty[port] = 1;
}
