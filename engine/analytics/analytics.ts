// Per-portfolio performance analytics and fees, kept by the engine off its own book at event time
// (no clock, no I/O). Nothing runs per tick: at each sampling boundary (every intervalMs of event
// time, with the state as of the inputs before it) every portfolio is valued once from its
// positions, which gives the interval's return, its attribution and the next interval's starting
// holdings; at each UTC day roll the day's return goes into the daily series and fees accrue.
// Conventions: docs/architecture.md, "Analytics and fees".
import type { Book } from '../book.js';
import { grow } from '../typed-arrays.js';
import { KIND_FUTURE } from '../instruments.js';
import { ASSET_CLASSES } from '../model.js';
import { RisklineError } from '../../errors/catalogue.js';
import { dense, IntervalAttribution, named, openAttribution, unitValue, type AttributionState } from './attribution.js';
import { accrueDay, netNav, openFees, type FeeSchedule, type FeeState } from './fees.js';
import type { AnalyticsSnapshot } from './model.js';
import { ReturnSeries, type SeriesRates } from './series.js';
import { checkAnalyticsState, type AnalyticsState } from './state.js';
import { periodReturn } from './twr.js';

export interface AnalyticsSettings extends SeriesRates {
  /** Sampling interval of event time (divides a day, so a day roll is a sampling boundary). */
  intervalMs: number;
  /** Returns kept for the statistics: intraday intervals and days. */
  intradayWindow: number;
  dailyWindow: number;
  /** Days a year for annualising (intraday: × intervals a day). */
  daysPerYear: number;
  /** Instrument whose returns (in each portfolio's base currency) beta is measured against. */
  benchmark: string | null;
  fees: FeeSchedule;
}

interface Series {
  lastAt: number;
  nav: number;
  bench: number;
  benchDayOpen: number;
  intraday: ReturnSeries;
  daily: ReturnSeries;
  attribution: AttributionState;
  fees: FeeState;
}

const DAY_MS = 86_400_000;

export class PortfolioAnalytics {
  /** The next sampling boundary: the engine calls `due` with the first input at or past it. */
  nextAt: number;
  private readonly series: Series[];
  private readonly sectors: string[];
  private readonly sectorOf: Int32Array;
  private readonly bench: number;
  // The holdings at each position's last sample: quantity, a future's cost, unit value in base.
  private q0 = new Float64Array(0);
  private a0 = new Float64Array(0);
  private u0 = new Float64Array(0);
  /** Cash by [portfolio × currency] at the last sample, and its FX to the base currency then. */
  private readonly cash0: Float64Array;
  private readonly fx0: Float64Array;

  constructor(
    private readonly book: Book,
    private readonly s: AnalyticsSettings,
  ) {
    const t = book.t;
    this.sectors = [...new Set(t.defs.map((d) => d.sector))];
    this.sectorOf = Int32Array.from(t.defs, (d) => this.sectors.indexOf(d.sector));
    this.bench = s.benchmark === null ? -1 : book.instrumentOf(s.benchmark, 'analytics.benchmark: ');
    this.cash0 = new Float64Array(book.portfolioIds.length * book.nc);
    this.fx0 = new Float64Array(book.portfolioIds.length * book.nc);
    this.series = book.portfolioIds.map((_, port) => this.open(port));
    this.nextAt = (Math.floor(book.now / s.intervalMs) + 1) * s.intervalMs;
  }

  /** Samples every portfolio at the newest boundary at or before `ts` (the state as of the inputs before it). */
  due(ts: number): void {
    const at = Math.floor(ts / this.s.intervalMs) * this.s.intervalMs;
    for (let port = 0; port < this.series.length; port++) this.sampleTo(port, at);
    this.nextAt = at + this.s.intervalMs;
  }

  /** What the portfolio's risk frame carries as `analytics`. */
  snapshot(port: number): AnalyticsSnapshot {
    const s = this.series[port];
    const a = s.attribution;
    const navGross = this.book.nav(port);
    return {
      sampledAt: s.lastAt,
      intervalMs: this.s.intervalMs,
      benchmark: this.s.benchmark,
      dayToDate: a.growth - 1,
      intraday: s.intraday.stats,
      daily: s.daily.stats,
      attribution: {
        from: a.from,
        to: s.lastAt,
        total: a.growth - 1,
        byAssetClass: named(a.byAssetClass, ASSET_CLASSES),
        bySector: named(a.bySector, this.sectors),
        cash: a.cash,
        trading: a.trading,
        compounding: a.growth - 1 - a.sumReturns,
      },
      fees: { ...this.s.fees, ...s.fees, navGross, navNet: netNav(s.fees, navGross) },
    };
  }

  /** A new series from the book as it stands: no return yet, fees from here, the high-water mark at this NAV. */
  private open(port: number): Series {
    this.grow();
    const nav = this.revalue(port, null, 0);
    return this.newSeries(this.book.now, nav, this.benchLevel(port), openFees(nav, this.book.now));
  }

  private newSeries(at: number, nav: number, bench: number, fees: FeeState): Series {
    const withBench = this.bench >= 0;
    const perDay = DAY_MS / this.s.intervalMs;
    return {
      lastAt: at,
      nav,
      bench,
      benchDayOpen: bench,
      intraday: new ReturnSeries(this.s.intradayWindow, this.s.daysPerYear * perDay, withBench, this.s),
      daily: new ReturnSeries(this.s.dailyWindow, this.s.daysPerYear, withBench, this.s),
      attribution: openAttribution(at, ASSET_CLASSES.length, this.sectors.length),
      fees,
    };
  }

  /** The portfolio's series as a checkpoint carries them. */
  export(port: number): AnalyticsState {
    this.grow();
    const b = this.book;
    const t = b.t;
    const s = this.series[port];
    const a = s.attribution;
    const holdings: AnalyticsState['holdings'] = [];
    for (const p of b.portfolioPositions[port])
      if (this.q0[p] !== 0) holdings.push([t.ids[b.pInst[p]], this.q0[p], this.a0[p], this.u0[p]]);
    const cash: AnalyticsState['cash'] = [];
    for (let c = 0, o = port * b.nc; c < b.nc; c++)
      if (this.cash0[o + c] !== 0) cash.push([t.currencies[c], this.cash0[o + c], this.fx0[o + c]]);
    const orNull = (v: number) => (Number.isFinite(v) ? v : null);
    return {
      lastAt: s.lastAt,
      nav: s.nav,
      bench: orNull(s.bench),
      benchDayOpen: orNull(s.benchDayOpen),
      intraday: s.intraday.returns.toArray(),
      intradayBench: s.intraday.bench?.toArray() ?? [],
      daily: s.daily.returns.toArray(),
      dailyBench: s.daily.bench?.toArray() ?? [],
      attribution: {
        ...a,
        byAssetClass: Object.entries(named(a.byAssetClass, ASSET_CLASSES)),
        bySector: Object.entries(named(a.bySector, this.sectors)),
      },
      holdings,
      cash,
      fees: { ...s.fees },
    };
  }

  /** Continues a checkpoint's series (null: a new series from the book as it stands), after the book's restore. */
  restore(port: number, state: AnalyticsState | null): void {
    if (state === null) {
      this.series[port] = this.open(port);
      return;
    }
    const b = this.book;
    const where = `checkpoint of ${b.portfolioIds[port]}`;
    const st = checkAnalyticsState(state, where);
    for (const p of b.portfolioPositions[port]) this.q0[p] = this.a0[p] = this.u0[p] = 0;
    for (const [id, qty, cost, unit] of st.holdings) {
      const p = b.position(port, b.instrumentOf(id, `${where}: analytics: `));
      this.grow();
      [this.q0[p], this.a0[p], this.u0[p]] = [qty, cost, unit];
    }
    const o = port * b.nc;
    this.cash0.fill(0, o, o + b.nc);
    for (const [ccy, amount, fx] of st.cash) {
      if (!b.t.hasCurrency(ccy))
        throw new RisklineError('DECODE_FAILED', `${where}: analytics: unknown currency ${ccy}`);
      this.cash0[o + b.t.currencyId(ccy)] = amount;
      this.fx0[o + b.t.currencyId(ccy)] = fx;
    }
    const s = this.newSeries(st.lastAt, st.nav, st.bench ?? NaN, { ...st.fees });
    s.benchDayOpen = st.benchDayOpen ?? NaN;
    s.intraday.load(st.intraday, st.intradayBench);
    s.daily.load(st.daily, st.dailyBench);
    const a = st.attribution;
    s.attribution = {
      ...a,
      byAssetClass: dense(a.byAssetClass, ASSET_CLASSES),
      bySector: dense(a.bySector, this.sectors),
    };
    this.series[port] = s;
  }

  /**
   * Samples every boundary up to `at`. Inputs since the last sample all came before the first of
   * them (else an earlier input would have sampled), so that interval holds every change; the
   * boundaries after it saw no input: quiet intervals and days, returns of zero.
   */
  private sampleTo(port: number, at: number): void {
    const I = this.s.intervalMs;
    const s = this.series[port];
    const first = (Math.floor(s.lastAt / I) + 1) * I;
    if (first > at) return;
    // A new sample is news for the risk frame that carries it, even if nothing else moved.
    this.book.riskDirty[port] = 1;
    this.observe(port, first);
    if (first % DAY_MS === 0) this.closeDay(port, first);
    for (let b = first; b < at;) {
      const dayEnd = (Math.floor(b / DAY_MS) + 1) * DAY_MS;
      const to = Math.min(at, dayEnd);
      s.intraday.pushQuiet((to - b) / I);
      s.attribution.intervals += (to - b) / I;
      if (to === dayEnd) this.closeDay(port, dayEnd);
      b = to;
    }
    s.lastAt = at;
  }

  /** The interval since the last sample: its return, attribution and the benchmark's return. */
  private observe(port: number, at: number): void {
    this.grow();
    const s = this.series[port];
    const attr = s.nav > 0 ? new IntervalAttribution(s.attribution) : null;
    const nav = this.revalue(port, attr, s.nav);
    const bench = this.benchLevel(port);
    // The book has no external flows (cash in or out): every cash move is a trade or a fee.
    const r = periodReturn(s.nav, nav, 0);
    if (attr && r !== null) {
      attr.close(r);
      s.intraday.push(r, bench / s.bench - 1);
    }
    s.nav = nav;
    s.bench = bench;
    s.lastAt = at;
  }

  /** The day that ends at `close`: its linked return into the daily series, and the day's fees. */
  private closeDay(port: number, close: number): void {
    const s = this.series[port];
    if (s.attribution.intervals > 0) s.daily.push(s.attribution.growth - 1, s.bench / s.benchDayOpen - 1);
    s.fees = accrueDay(s.fees, s.nav, close, this.s.fees);
    s.benchDayOpen = s.bench;
    s.attribution = openAttribution(close, ASSET_CLASSES.length, this.sectors.length);
  }

  /**
   * NAV from the positions and cash at the live marks and rates; with `attr`, each holding's and the
   * cash's contribution since the last sample (its P&L over the NAV then, `nav0`). The holdings
   * become the next interval's start.
   */
  private revalue(port: number, attr: IntervalAttribution | null, nav0: number): number {
    const b = this.book;
    const t = b.t;
    const base = b.base[port];
    let nav = 0;
    for (const p of b.portfolioPositions[port]) {
      const i = b.pInst[p];
      const fx = t.fx(t.currency[i], base);
      const m = t.multiplier[i];
      if (attr && this.q0[p] !== 0)
        attr.holding(
          t.kind[i],
          this.sectorOf[i],
          (this.q0[p] * (unitValue(b.mark[i], this.a0[p], m, fx) - this.u0[p])) / nav0,
        );
      const cost = t.kind[i] === KIND_FUTURE ? b.pAvg[p] : 0;
      this.q0[p] = b.pQty[p];
      this.a0[p] = cost;
      this.u0[p] = unitValue(b.mark[i], cost, m, fx);
      nav += this.q0[p] * this.u0[p];
    }
    for (let c = 0, o = port * b.nc; c < b.nc; c++) {
      const fx = t.fx(c, base);
      if (attr && this.cash0[o + c] !== 0) attr.cash((this.cash0[o + c] * (fx - this.fx0[o + c])) / nav0);
      this.cash0[o + c] = b.cash[o + c];
      this.fx0[o + c] = fx;
      nav += b.cash[o + c] * fx;
    }
    return nav;
  }

  /** The benchmark's mark in the portfolio's base currency (NaN without one). */
  private benchLevel(port: number): number {
    if (this.bench < 0) return NaN;
    const t = this.book.t;
    return this.book.mark[this.bench] * t.fx(t.currency[this.bench], this.book.base[port]);
  }

  /** The per-position arrays cover every position the book has made. */
  private grow(): void {
    const n = this.book.pQty.length;
    if (this.q0.length >= n) return;
    this.q0 = grow(this.q0, n);
    this.a0 = grow(this.a0, n);
    this.u0 = grow(this.u0, n);
  }
}
