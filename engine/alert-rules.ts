// The engine's alert rules in one place: the configured limits (exposure totals, NAV, drawdown from
// the day's high-water mark, concentration, VaR and ES; engine/limits.ts), backtest zones
// (engine/backtest-zones.ts) and stale market data (engine/stale-data.ts). The engine says when
// to look (a fill, a limit check, a risk run); this module says what is alerted, and carries each
// rule's state in and out of a portfolio's checkpoint. Pure: event time only.

import type { Book } from './book.js';
import { BacktestZones } from './backtest-zones.js';
import type { PortfolioState } from './checkpoint.js';
import { largestShare } from './concentration.js';
import { LimitMonitor, type ConcentrationDimension, type LimitDef } from './limits.js';
import type { Alert, BacktestSummary } from './model.js';
import { StaleData } from './stale-data.js';

const DAY_MS = 86_400_000;

/** What a risk run gives the rules: VaR and ES by confidence label ("99"), and the backtests when simulated. */
export interface RiskFigures {
  var: Record<string, number>;
  es: Record<string, number>;
  backtest?: BacktestSummary[];
}

export class AlertRules {
  private readonly limits: LimitMonitor;
  private readonly zones: BacktestZones;
  private readonly stale: StaleData | null;
  /** Per portfolio: the dimensions its concentration limits are on. */
  private readonly concentration: ConcentrationDimension[][];
  /** Per portfolio: the day's NAV high-water mark (drawdown limits) and its UTC day (NaN: none yet). */
  private readonly navHigh: Float64Array;
  private readonly navDay: Float64Array;
  private readonly cell = new Float64Array(2);

  constructor(
    private readonly book: Book,
    limits: LimitDef[],
    /** Event time after which a held instrument's last tick is stale (absent: not watched). */
    staleAfterMs?: number,
  ) {
    const ports = book.portfolioIds;
    this.limits = new LimitMonitor(limits, ports);
    this.zones = new BacktestZones(ports);
    this.stale = staleAfterMs === undefined ? null : new StaleData(book, staleAfterMs);
    this.concentration = ports.map((_, port) => this.limits.concentrationDims(port));
    this.navHigh = new Float64Array(ports.length);
    this.navDay = new Float64Array(ports.length).fill(NaN);
  }

  /** Whether any limit of the portfolio is on a book metric (checked at every fill). */
  watchesExposure(port: number): boolean {
    return this.limits.watchesExposure(port);
  }

  /** Whether any limit of the portfolio is on VaR or ES. */
  watchesRisk(port: number): boolean {
    return this.limits.watchesRisk(port);
  }

  /** Checks the portfolio's limits on book metrics as the book stands, pushing an alert per change. */
  exposure(port: number, out: Alert[]): void {
    const b = this.book;
    b.bucketValue(b.portfolioBuckets[port][0], this.cell);
    const long = this.cell[0];
    const short = this.cell[1];
    const nav = b.nav(port);
    const metrics: Record<string, number> = {
      gross: long - short,
      net: long + short,
      long,
      short: -short,
      nav,
      drawdown: this.drawdown(port, nav),
    };
    let notes: Record<string, string> | undefined;
    for (const dim of this.concentration[port]) {
      const { share, key } = largestShare(b, port, dim);
      metrics[`concentration:${dim}`] = share;
      (notes ??= {})[`concentration:${dim}`] = key === '' ? `by ${dim}` : `in ${key}`;
    }
    this.limits.check(port, metrics, b.now, out, notes);
  }

  /** Checks the portfolio's VaR and ES limits, and its backtests' zones when the run has them. */
  risk(port: number, snap: RiskFigures, out: Alert[]): void {
    const metrics: Record<string, number> = {};
    for (const [label, v] of Object.entries(snap.var)) metrics[`var${label}`] = v;
    for (const [label, v] of Object.entries(snap.es)) metrics[`es${label}`] = v;
    this.limits.check(port, metrics, this.book.now, out);
    if (snap.backtest !== undefined) this.zones.check(port, snap.backtest, this.book.now, out);
  }

  /** A fill of instrument `i` in the portfolio: a new holding is watched for stale data. */
  onFill(port: number, i: number): void {
    this.stale?.onFill(port, i);
  }

  /** Stale market data as of the newest input: `emit` gets each alert of a portfolio this engine publishes. */
  staleDue(owned: Uint8Array, emit: (port: number, a: Alert) => void): void {
    this.stale?.check(this.book.now, owned, emit);
  }

  /** The rules' state for the portfolio's checkpoint. */
  export(port: number): Required<Pick<PortfolioState, 'limits'>> & Pick<PortfolioState, 'navHigh' | 'stale'> {
    const stale = this.stale?.export(port) ?? [];
    return {
      limits: [...this.limits.export(port), ...this.zones.export(port)],
      ...(Number.isNaN(this.navDay[port]) ? {} : { navHigh: [this.navDay[port], this.navHigh[port]] }),
      ...(stale.length === 0 ? {} : { stale }),
    };
  }

  /**
   * Takes the rules' state from a checkpoint (its positions restored first). An older checkpoint
   * lacks some: no breach known (the next check raises what stands), the day's mark starts again.
   */
  import(port: number, s: PortfolioState): void {
    this.limits.import(port, s.limits ?? []);
    this.zones.import(port, s.limits ?? []);
    this.stale?.import(port, s.stale ?? []);
    this.navDay[port] = s.navHigh?.[0] ?? NaN;
    this.navHigh[port] = s.navHigh?.[1] ?? 0;
  }

  /**
   * The fall of NAV from the day's high-water mark (UTC days of event time), a fraction of the mark;
   * the mark moves up with every check and starts the day at the day's first NAV. 0 while the mark
   * is not positive (no proportion to speak of).
   */
  private drawdown(port: number, nav: number): number {
    const day = Math.floor(this.book.now / DAY_MS);
    if (this.navDay[port] !== day) {
      this.navDay[port] = day;
      this.navHigh[port] = nav;
    } else if (nav > this.navHigh[port]) this.navHigh[port] = nav;
    const high = this.navHigh[port];
    return high > 0 ? (high - nav) / high : 0;
  }
}
