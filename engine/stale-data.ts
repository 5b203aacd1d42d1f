// Stale market data: an instrument a portfolio holds whose newest tick is older than `afterMs` of
// event time (the engine's newest input, never the wall clock) is stale; each portfolio holding it
// gets one alert when it goes stale and one clearance when it ticks again (or is no longer held).
//
// Work is in proportion to what changes, not to the instruments: each held instrument sits once in
// a heap under the moment it would turn stale (its last tick + afterMs). A check pops only the
// deadlines passed; one that ticked since is pushed again under its new deadline, so a liquid
// instrument costs one heap step per afterMs, and ticks themselves cost nothing here. Stale
// instruments, normally none, are looked at on every check for a new tick.
//
// Ids name the episode by the last tick before it, `stale-data:<portfolio>:<instrument>:<last tick
// ms>:raise|clear`: every engine reading the same ticks names it alike, with no counter to carry. An
// instrument is watched from its first tick (or a checkpoint's mark): an opening price is not data
// that stopped. The alerts raised and not yet cleared are in the checkpoint (`stale`), so a new
// owner neither raises them again nor misses their clearance.

import { PortfolioSet, type Book } from './book.js';
import type { Alert } from './model.js';

/** The rule's name in alerts' `limit`. */
export const STALE_RULE = 'stale-data';

/** A portfolio's stale instruments alerted and not cleared: [instrument, its last tick's event time]. */
export type StaleState = [instrument: string, lastTick: number][];

export class StaleData {
  private readonly heap = new DeadlineHeap();
  /** Per instrument: 1 while it is in the heap. */
  private readonly watched: Uint8Array;
  /** Per instrument: the last tick's time when found stale; NaN while fresh. */
  private readonly staleAt: Float64Array;
  /** Instruments stale now. */
  private readonly stale: number[] = [];
  /** Per portfolio: instruments alerted as stale and not cleared → their last tick's time. */
  private readonly raised: Map<number, number>[];
  /** Portfolios whose holdings changed (a fill, a restore) since the last check. */
  private readonly recheck: PortfolioSet;

  constructor(
    private readonly book: Book,
    private readonly afterMs: number,
  ) {
    const n = book.t.count;
    const np = book.portfolioIds.length;
    this.watched = new Uint8Array(n);
    this.staleAt = new Float64Array(n).fill(NaN);
    this.raised = Array.from({ length: np }, () => new Map());
    this.recheck = new PortfolioSet(np);
    for (let port = 0; port < np; port++) this.watchPortfolio(port);
  }

  /** A fill in portfolio `port` of instrument `i`: watch it, and look at the portfolio at the next check. */
  onFill(port: number, i: number): void {
    this.watch(i);
    this.recheck.add(port);
  }

  /** Finds what went stale or ticked again by event time `now`; `emit` gets each alert of an owned portfolio. */
  check(now: number, owned: Uint8Array, emit: (port: number, a: Alert) => void): void {
    const mark = this.book.markTs;
    for (let k = this.stale.length - 1; k >= 0; k--) {
      const i = this.stale[k];
      if (mark[i] <= this.staleAt[i]) continue;
      this.stale.splice(k, 1);
      for (let port = 0; port < this.raised.length; port++)
        if (owned[port] && this.raised[port].has(i)) emit(port, this.clear(port, i, now));
      this.staleAt[i] = NaN;
      this.watch(i);
    }
    while (this.heap.size > 0 && this.heap.top() <= now) {
      const i = this.heap.pop();
      this.watched[i] = 0;
      if (!this.heldByAny(i)) continue;
      if (mark[i] === 0 || mark[i] + this.afterMs > now) {
        this.watch(i);
        continue;
      }
      this.staleAt[i] = mark[i];
      this.stale.push(i);
      for (const p of this.book.byInstrument[i]) {
        const port = this.book.pPort[p];
        if (this.book.pInst[p] === i && this.book.pQty[p] !== 0 && owned[port]) this.raise(port, i, now, emit);
      }
    }
    this.recheck.drain((port) => owned[port] && this.recheckPortfolio(port, now, emit));
  }

  /** The portfolio's stale instruments alerted and not cleared, for its checkpoint. */
  export(port: number): StaleState {
    const ids = this.book.t.ids;
    return [...this.raised[port]].map(([i, ts]) => [ids[i], ts]);
  }

  /** Replaces the portfolio's alerted instruments with a checkpoint's (its positions are restored first). */
  import(port: number, state: StaleState): void {
    const raised = this.raised[port];
    raised.clear();
    for (const [id, ts] of state) {
      const i = this.book.t.index(id);
      if (i >= 0) raised.set(i, ts);
    }
    this.watchPortfolio(port);
    this.recheck.add(port);
  }

  /** Clears what the portfolio no longer holds or what ticked again; raises what it holds that is stale. */
  private recheckPortfolio(port: number, now: number, emit: (port: number, a: Alert) => void): void {
    const raised = this.raised[port];
    for (const [i, ts] of raised)
      if (this.book.markTs[i] > ts || this.book.held(port, i) === 0) emit(port, this.clear(port, i, now));
    for (const i of this.stale) if (this.book.held(port, i) !== 0) this.raise(port, i, now, emit);
  }

  private raise(port: number, i: number, now: number, emit: (port: number, a: Alert) => void): void {
    const last = this.staleAt[i];
    if (this.raised[port].get(i) === last) return;
    this.raised[port].set(i, last);
    const instrument = this.book.t.ids[i];
    emit(port, {
      ...this.head(port, i, last, 'raise'),
      state: 'breached',
      severity: 'warning',
      message: `${instrument}: no tick for ${age(now - last)} (last ${iso(last)}), stale after ${age(this.afterMs)} (${STALE_RULE})`,
      value: now - last,
      ts: now,
    });
  }

  private clear(port: number, i: number, now: number): Alert {
    const last = this.raised[port].get(i)!;
    this.raised[port].delete(i);
    const instrument = this.book.t.ids[i];
    const mark = this.book.markTs[i];
    const why = mark > last ? `ticking again after ${age(mark - last)}` : 'no longer held';
    return {
      ...this.head(port, i, last, 'clear'),
      state: 'cleared',
      severity: 'info',
      message: `${instrument}: ${why} (${STALE_RULE})`,
      value: (mark > last ? mark : now) - last,
      ts: now,
    };
  }

  private head(port: number, i: number, last: number, verb: 'raise' | 'clear') {
    const portfolio = this.book.portfolioIds[port];
    const id = `${STALE_RULE}:${portfolio}:${this.book.t.ids[i]}:${last}:${verb}`;
    return { id, portfolio, limit: STALE_RULE, threshold: this.afterMs };
  }

  private watchPortfolio(port: number): void {
    const b = this.book;
    for (const p of b.portfolioPositions[port]) if (b.pQty[p] !== 0) this.watch(b.pInst[p]);
  }

  /** Puts an instrument in the heap under its deadline (a stale one waits for its next tick instead). */
  private watch(i: number): void {
    if (this.watched[i] === 1 || !Number.isNaN(this.staleAt[i])) return;
    this.watched[i] = 1;
    const last = this.book.markTs[i];
    this.heap.push((last > 0 ? last : this.book.now) + this.afterMs, i);
  }

  private heldByAny(i: number): boolean {
    const b = this.book;
    for (const p of b.byInstrument[i]) if (b.pInst[p] === i && b.pQty[p] !== 0) return true;
    return false;
  }
}

/** A whole number of seconds, or minutes and seconds: how long an instrument has been quiet. */
function age(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A binary min-heap of (deadline, instrument). */
class DeadlineHeap {
  private readonly at: number[] = [];
  private readonly of: number[] = [];

  get size(): number {
    return this.at.length;
  }

  top(): number {
    return this.at[0];
  }

  push(deadline: number, i: number): void {
    const at = this.at;
    const of = this.of;
    let k = at.push(deadline) - 1;
    of.push(i);
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (at[up] <= deadline) break;
      at[k] = at[up];
      of[k] = of[up];
      k = up;
    }
    at[k] = deadline;
    of[k] = i;
  }

  /** Removes the earliest entry and returns its instrument. */
  pop(): number {
    const at = this.at;
    const of = this.of;
    const first = of[0];
    const deadline = at.pop()!;
    const i = of.pop()!;
    const n = at.length;
    if (n === 0) return first;
    let k = 0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= n) break;
      if (c + 1 < n && at[c + 1] < at[c]) c++;
      if (at[c] >= deadline) break;
      at[k] = at[c];
      of[k] = of[c];
      k = c;
    }
    at[k] = deadline;
    of[k] = i;
    return first;
  }
}
