// The engine: events in, frames out, deterministically. Inputs are ticks and executions (each
// with its event time); outputs are channel frames handed to `sink`. Publication is driven by
// event time, not a timer: when an input's time crosses a portfolio's next conflation boundary,
// that portfolio's state as of the inputs before it is published first. The same inputs therefore
// give the same frames. Publication units (a few hundred positions of one portfolio) publish at
// staggered phases of the interval, so building frames is spread out instead of stalling a tick;
// each row is still published at most once per interval. Snapshots, risk and limits go with a
// portfolio's first unit.

import { Book, PortfolioSet } from './book.js';
import { exportPortfolio, importPortfolio, type PortfolioState } from './checkpoint.js';
import type { EncodedFrame, FramePrefix } from './frames.js';
import { InstrumentTable, type FactorDef } from './instruments.js';
import { AlertRules } from './alert-rules.js';
import { PortfolioAnalytics, type AnalyticsSettings } from './analytics/analytics.js';
import type { LimitDef } from './limits.js';
import type { Alert, Execution, Instrument, PortfolioDef } from './model.js';
import { FramePublisher } from './publisher.js';
import type { RiskBackend } from './risk/backend.js';
import { InputHold } from './input-hold.js';
import { LiveRisk, type LiveRiskSettings, type WhatIfMeasure } from './risk/live-risk.js';
import { RisklineError } from '../errors/catalogue.js';
import { ParametricRisk } from './risk/parametric.js';
import type { HistorySource } from './risk/risk-model.js';
import { withStoredDays, type StoredCloses } from './risk/stored-days.js';
import type { StressScenarioInput } from './risk/stress.js';

export interface EngineOptions {
  instruments: Instrument[];
  portfolios: PortfolioDef[];
  market: { factors: FactorDef[]; correlations: number[][] };
  limits: LimitDef[];
  markSource: 'mid' | 'last';
  conflationMs: number;
  snapshotEveryMs: number;
  /**
   * Exposure limits of the portfolios revalued since the last check are checked at boundaries this
   * far apart in event time (absent: only at each publication and each fill).
   */
  limitCheckMs?: number;
  /**
   * A held instrument whose last tick is this much older than the newest input is stale, alerted at
   * the limit checks (absent: not watched; engine/stale-data.ts).
   */
  staleAfterMs?: number;
  risk: { confidence: number[]; horizonDays: number; intervalMs: number; riskFreeRate: number };
  backend: RiskBackend;
  /**
   * Historical and Monte Carlo VaR/ES, components and backtests (absent: delta-normal alone). The
   * history (null: none, so no historical method and the configured covariance) is read by the caller.
   */
  simulation?: {
    settings: LiveRiskSettings;
    history: HistorySource | null;
    scenarios: StressScenarioInput[];
    /** Closing marks of days the store holds after the history (risk.history.fromStore; engine/risk/stored-days.ts). */
    stored?: StoredCloses | null;
  };
  /** Returns, attribution and fees per portfolio on each risk frame (absent: none; engine/analytics/). */
  analytics?: AnalyticsSettings;
  /** Execution ids remembered per portfolio for idempotence. */
  dedupeWindow?: number;
  /**
   * Event time (epoch ms) the book is valued at before the first input: options' time to expiry,
   * and every frame's asOf, run from here until inputs move the clock (never backwards).
   */
  valuationTime: number;
  /**
   * 'all' (default): this engine publishes every portfolio. 'assigned': none until `own` hands it
   * one (an engine in a group publishes exactly the portfolios of the partitions it holds).
   */
  publishes?: 'all' | 'assigned';
}

/**
 * How far a new owner's first snapshot moves a channel's seq past the last frame it found. A
 * former owner cut off from the cluster may still land frames it made before (up to this many per
 * channel): they stay below the snapshot, so a reader that drops older seqs drops them, and none
 * can share a seq with the new owner's frames.
 */
export const TAKEOVER_SEQ_GAP = 1000;

/** What the channels of a portfolio last carried, wherever they were published: a new owner continues after it. */
export interface Published {
  seqs: readonly [channel: string, seq: number][];
  asOf: number;
}

/** The answer to "what if I trade qty of instrument in portfolio?" (Engine.whatIf). */
export interface WhatIf {
  portfolio: string;
  instrument: string;
  qty: number;
  inputSeq: number;
  asOf: number;
  measures: WhatIfMeasure[];
}

/** The live inputs of a pre-trade check (engine/pretrade.ts PretradeState), with where they were read. */
export interface PretradeView {
  portfolio: string;
  instrument: string;
  inputSeq: number;
  asOf: number;
  mark: number;
  unitValue: number;
  /** US dollars per unit of the portfolio's base currency now (firm-wide limits are in dollars). */
  usdPerBase: number;
  position: number;
  gross: number;
  varBefore: number | null;
  varAfter: number | null;
  /** Which measure the VaR figures are ("monteCarlo 99 % 1d"), null when none. */
  varMethod: string | null;
}

export interface EngineStats {
  ticks: number;
  executions: number;
  duplicateExecutions: number;
  /** Ticks older than their instrument's newest mark: counted as inputs, not applied. */
  staleTicks: number;
  frames: number;
  /** Inputs applied so far (ticks, executions, duplicates): what a risk snapshot reflects. */
  readonly inputSeq: number;
}

export class Engine {
  readonly book: Book;
  readonly instruments: InstrumentTable;
  private readonly publisher: FramePublisher;
  private readonly risk: ParametricRisk;
  /** Simulation methods, when configured; inputs wait in `hold` while a day's scenario sets are built. */
  readonly live: LiveRisk | null;
  private readonly hold: InputHold;
  /** Limits, backtest zones and stale market data (engine/alert-rules.ts). */
  private readonly rules: AlertRules;
  private readonly analytics: PortfolioAnalytics | null;
  private readonly conflationMs: number;
  private readonly snapshotEveryMs: number;
  private readonly riskIntervalMs: number;
  /** Per publication unit: next publication time. Units appear as portfolios gain positions. */
  private readonly publishAt: number[] = [];
  /** Per portfolio: next snapshot and risk times. */
  private readonly snapshotAt: Float64Array;
  private readonly riskAt: Float64Array;
  /** Earliest of publishAt. */
  private nextPublishAt = -Infinity;
  /** Next exposure-limit check of the portfolios revalued since the last (Infinity: none scheduled). */
  private nextLimitCheckAt = -Infinity;
  private readonly limitCheckMs: number;
  /** Earliest of nextPublishAt and nextLimitCheckAt: the one comparison made per input. */
  private nextDueAt = -Infinity;
  private readonly frames: EncodedFrame[] = [];
  private readonly alerts: Alert[] = [];
  /** Portfolios with VaR or ES limits filled since the last limit check. */
  private readonly riskLimitDue: PortfolioSet;
  /** Per portfolio: 1 when this engine publishes it (it owns the portfolio's partition). */
  private readonly owned: Uint8Array;
  /** Each portfolio as configured, before any input: the base a takeover without checkpoint starts from. */
  private readonly opening: PortfolioState[];
  /** Per portfolio: added to stats.inputSeq so a taken-over portfolio's inputSeq continues its checkpoint's. */
  private readonly inputSeqShift: Float64Array;
  readonly stats: EngineStats = {
    ticks: 0,
    executions: 0,
    duplicateExecutions: 0,
    staleTicks: 0,
    frames: 0,
    // Every input counted once: derived, so it cannot drift from the counters it sums.
    get inputSeq() {
      return this.ticks + this.staleTicks + this.executions + this.duplicateExecutions;
    },
  };

  constructor(
    options: EngineOptions,
    /** Receives each publication's frames; the array is the caller's to keep. */
    private readonly sink: (frames: EncodedFrame[]) => void,
    /** Written before each frame in the same buffer (see EncodedFrame.wrapped). */
    framePrefix?: FramePrefix,
  ) {
    this.instruments = new InstrumentTable(options.instruments, options.market.factors);
    this.book = new Book(this.instruments, options.portfolios, {
      markSource: options.markSource,
      riskFreeRate: options.risk.riskFreeRate,
      dedupeWindow: options.dedupeWindow,
      valuationTime: options.valuationTime,
    });
    this.publisher = new FramePublisher(this.book, framePrefix);
    this.risk = new ParametricRisk(this.book, options.backend, {
      factors: options.market.factors,
      correlations: options.market.correlations,
      confidence: options.risk.confidence,
      horizonDays: options.risk.horizonDays,
    });
    this.rules = new AlertRules(this.book, options.limits, options.staleAfterMs);
    this.analytics = options.analytics ? new PortfolioAnalytics(this.book, options.analytics) : null;
    this.hold = new InputHold(this.instruments.count);
    const sim = options.simulation;
    this.live = sim
      ? new LiveRisk(
          this.book,
          options.backend,
          sim.settings,
          options.market,
          sim.history && sim.stored ? withStoredDays(sim.history, this.book.t, sim.stored) : sim.history,
          sim.scenarios,
          (port, x) => void this.risk.exposures(port, x),
        )
      : null;

    this.conflationMs = options.conflationMs;
    this.snapshotEveryMs = options.snapshotEveryMs;
    this.limitCheckMs = options.limitCheckMs ?? Infinity;
    this.riskIntervalMs = options.risk.intervalMs;
    const np = this.book.portfolioIds.length;
    this.snapshotAt = new Float64Array(np).fill(-Infinity);
    this.riskAt = new Float64Array(np).fill(-Infinity);
    this.riskLimitDue = new PortfolioSet(np);
    this.owned = new Uint8Array(np).fill(options.publishes === 'assigned' ? 0 : 1);
    this.inputSeqShift = new Float64Array(np);
    // No breach is known before any input: the first check raises whatever stands.
    this.opening = this.book.portfolioIds.map((_, port) => exportPortfolio(this.book, port, [], []));
    // The valuation day's scenario sets: inputs wait for them like for any day's.
    if (this.live) this.startDue('roll', options.valuationTime);
  }

  /** Dense index of a portfolio id, or -1 when unknown. */
  portfolioIndex(id: string): number {
    return this.book.portfolio(id);
  }

  /**
   * Stops publishing a portfolio (its partition moved to another engine). Its state is kept but
   * stale: taking it back starts with `restore`.
   */
  release(port: number): void {
    this.owned[port] = 0;
  }

  /**
   * Rebuilds a portfolio from a checkpoint (null: from its opening state, no input applied) without
   * publishing it: the executions after the checkpoint follow, then `own` starts publication.
   */
  restore(port: number, state: PortfolioState | null): void {
    this.owned[port] = 0;
    // No execution applied yet: still as configured, nothing to rebuild, and frames stay exactly
    // those of a plain run.
    if (state === null && this.book.executed[port].size === 0) return;
    const s = state ?? this.opening[port];
    importPortfolio(this.book, port, s);
    if (this.live) for (const p of this.book.portfolioPositions[port]) this.live.simulation.touchPosition(p);
    this.rules.import(port, s);
    this.analytics?.restore(port, s.analytics ?? null);
    if (s.inputSeq !== undefined)
      this.inputSeqShift[port] = Math.max(this.inputSeqShift[port], s.inputSeq - this.stats.inputSeq);
    this.publisher.setSeqs(s.seqs);
  }

  /**
   * Starts publishing a portfolio, with a full snapshot at the next publication. Its channels
   * continue past what was last published (by any engine; TAKEOVER_SEQ_GAP further), and event
   * time moves up to that publication's, so no client sees seq or asOf step back across a change
   * of owner.
   */
  own(port: number, published: Published | null = null): void {
    if (published !== null) {
      this.publisher.setSeqs(this.takeoverSeqs(port, published));
      if (published.asOf > this.book.now) this.book.now = published.asOf;
    }
    this.owned[port] = 1;
    this.riskAt[port] = -Infinity;
    this.resnapshot(port);
  }

  /**
   * The portfolio's next publication is a full snapshot, at the next seq: a frame of it never reached
   * the bus, so its readers need a base again (the frames after the lost one are withdrawn by the caller).
   */
  resnapshot(port: number): void {
    this.snapshotAt[port] = -Infinity;
    for (const u of this.book.portfolioUnits[port]) if (u < this.publishAt.length) this.publishAt[u] = -Infinity;
    this.nextPublishAt = -Infinity;
    this.nextDueAt = -Infinity;
  }

  /**
   * The seq each channel of the portfolio continues from once `own(port, published)` runs:
   * TAKEOVER_SEQ_GAP past what was published, never below its own.
   */
  takeoverSeqs(port: number, published: Published | null): [string, number][] {
    const seqs = this.publisher.seqsOf(port);
    if (published === null) return seqs;
    const found = new Map(published.seqs);
    return seqs.map(([channel, seq]) => {
      const last = found.get(channel);
      return [channel, last === undefined ? seq : Math.max(seq, last + TAKEOVER_SEQ_GAP)];
    });
  }

  /**
   * The portfolio's rebuildable state as of the inputs applied so far; `seqs`, when given, stand for
   * its channels' (a takeover's claim names the seqs it will continue from).
   */
  checkpoint(port: number, seqs: [string, number][] = this.publisher.seqsOf(port)): PortfolioState {
    return {
      ...exportPortfolio(this.book, port, seqs, []),
      ...this.rules.export(port),
      ...(this.analytics ? { analytics: this.analytics.export(port) } : {}),
      inputSeq: this.inputSeqOf(port),
    };
  }

  /**
   * Applies one tick to instrument index `i` (see `instrumentIndex`); prices must be validated.
   * Returns false for a stale tick, older than the instrument's newest mark: a newer price is
   * never overwritten by an older one (the caller reports it). A tick older than the engine's
   * clock but newest for its instrument applies; the clock itself never moves backwards.
   */
  tick(i: number, ts: number, bid: number, ask: number, last: number): boolean {
    if (ts < this.book.markTs[i] || (this.hold.holding && !this.hold.admitsTick(i, ts))) {
      this.stats.staleTicks++;
      return false;
    }
    if (this.holds(ts)) {
      this.hold.tick(i, ts, bid, ask, last);
      return true;
    }
    if (ts >= this.nextDueAt) this.due(ts);
    this.stats.ticks++;
    this.book.tick(i, ts, bid, ask, last);
    this.live?.simulation.touchInstrument(i);
    return true;
  }

  /**
   * Incremental VaR/ES of buying (qty > 0) or selling `qty` of an instrument in a portfolio, by every
   * simulation method, as of the inputs applied so far; nothing changes. UNAVAILABLE before the
   * first scenario sets are in (or without simulation methods configured).
   */
  whatIf(portfolio: string, instrument: string, qty: number): WhatIf {
    const port = this.book.portfolio(portfolio);
    if (port < 0) throw new RisklineError('UNKNOWN_PORTFOLIO', `unknown portfolio ${JSON.stringify(portfolio)}`);
    const i = this.book.instrumentOf(instrument);
    if (!Number.isFinite(qty) || qty === 0)
      throw new RisklineError('BAD_REQUEST', `qty: expected a finite non-zero number, received ${String(qty)}`);
    const measures = this.live?.whatIf(port, i, qty) ?? null;
    if (measures === null)
      throw new RisklineError(
        'UNAVAILABLE',
        'what-if: the scenario sets are not built yet (or no simulation method is configured)',
      );
    return { portfolio, instrument, qty, inputSeq: this.inputSeqOf(port), asOf: this.book.now, measures };
  }

  /**
   * What a pre-trade check reads of the live book for an order of `qty` (signed) of an instrument:
   * its mark, the base-currency value of one unit, the position and gross exposure now, and the
   * VaR 99 % 1-day before and after the trade from the first 1-day scenario set alone (null while
   * the sets are building). Nothing changes.
   */
  pretradeView(portfolio: string, instrument: string, qty: number): PretradeView {
    const port = this.book.portfolio(portfolio);
    if (port < 0) throw new RisklineError('UNKNOWN_PORTFOLIO', `unknown portfolio ${JSON.stringify(portfolio)}`);
    const i = this.book.instrumentOf(instrument);
    const t = this.instruments;
    const mark = this.book.mark[i] > 0 ? this.book.mark[i] : NaN;
    const m = Number.isFinite(qty) && qty !== 0 ? (this.live?.pretradeWhatIf(port, i, qty) ?? null) : null;
    return {
      portfolio,
      instrument,
      inputSeq: this.inputSeqOf(port),
      asOf: this.book.now,
      mark,
      unitValue: mark * t.multiplier[i] * t.fx(t.currency[i], this.book.base[port]),
      usdPerBase: t.usdPer[this.book.base[port]],
      position: this.book.held(port, i),
      gross: this.book.grossExposure(port),
      varBefore: m?.before.var ?? null,
      varAfter: m?.after.var ?? null,
      varMethod: m === null ? null : `${m.before.method} ${m.before.confidence * 100} % ${m.before.horizonDays}d`,
    };
  }

  /** Dense index of an instrument id, or -1 when unknown (the caller reports it). */
  instrumentIndex(id: string): number {
    return this.instruments.index(id);
  }

  /** Applies an execution; returns false when its id was applied before (nothing changes). */
  execute(e: Execution): boolean {
    if (this.holds(e.ts)) {
      // Checked now so the caller learns of an unknown portfolio or instrument at once.
      this.book.instrumentOf(e.instrument, `execution ${e.id}: `);
      if (this.book.portfolio(e.portfolio) < 0) this.book.execute(e);
      this.hold.execution(e);
      return true;
    }
    if (e.ts >= this.nextDueAt) this.due(e.ts);
    const applied = this.book.execute(e);
    if (applied) {
      this.stats.executions++;
      const port = this.book.portfolio(e.portfolio);
      const i = this.instruments.index(e.instrument);
      this.live?.simulation.touchPosition(this.book.position(port, i));
      this.rules.onFill(port, i);
      this.alertOnFill(port);
    } else this.stats.duplicateExecutions++;
    return applied;
  }

  /**
   * A fill that moves a portfolio across an exposure limit is alerted at once, not at the next
   * publication: the book's sums are current after each input, so the check is a few sums.
   */
  private alertOnFill(port: number): void {
    if (this.alertExposure(port)) this.emit();
    // VaR and ES move with the fill too: a delta-normal run for the limits alone at the next limit
    // check (at most one per portfolio per check however many fills came).
    if (this.rules.watchesRisk(port)) this.riskLimitDue.add(port);
  }

  /** Checks a portfolio's exposure limits and queues its alerts; whether any was raised. */
  private alertExposure(port: number): boolean {
    if (!this.owned[port] || !this.rules.watchesExposure(port)) return false;
    this.rules.exposure(port, this.alerts);
    return this.queueAlerts(port);
  }

  /** Turns the alerts the limit checks raised into frames of the portfolio; whether there were any. */
  private queueAlerts(port: number): boolean {
    if (this.alerts.length === 0) return false;
    this.publisher.inputSeq = this.inputSeqOf(port);
    for (const a of this.alerts) this.frames.push(this.publisher.alert(port, a));
    this.alerts.length = 0;
    return true;
  }

  /** Lets event time pass without input (a heartbeat): publishes what is due by then. */
  advanceTo(ts: number): void {
    if (this.holds(ts)) {
      this.hold.advance(ts);
      return;
    }
    if (ts >= this.nextDueAt) this.due(ts);
  }

  /**
   * Whether an input at event time `ts` must wait: a day's scenario sets are being built (this
   * input's day rolls them, or an earlier one did). Inputs wait in order and apply once the sets
   * are in, so frames never depend on how long a build took.
   */
  private holds(ts: number): boolean {
    if (this.hold.holding) return true;
    const due = this.live?.due(ts) ?? null;
    if (due === null) return false;
    if (ts >= this.nextDueAt) this.due(ts);
    this.startDue(due, ts);
    return true;
  }

  /** Starts a day's set build or the period's re-pricing; inputs wait until it is in. */
  private startDue(due: 'roll' | 'reprice', ts: number): void {
    const live = this.live!;
    if (due === 'roll') {
      this.holdFor(
        live.roll(ts).then((sets) => {
          live.install(sets);
          this.risk.setCovariance(live.model.covariance());
          this.book.riskDirty.fill(1);
        }),
      );
    } else {
      this.holdFor(live.simulation.repriceAll(ts).then(() => void this.book.riskDirty.fill(1)));
    }
  }

  /** Inputs wait until `work` is done, then apply in order. */
  private holdFor(work: Promise<void>): void {
    this.hold.begin(work, (input) => {
      if (input.kind === 0) this.tick(input.i, input.ts, input.bid, input.ask, input.last);
      else if (input.kind === 1) this.execute(input.execution!);
      else this.advanceTo(input.ts);
    });
  }

  /**
   * Resolves once no input is waiting for a scenario build (at once when none is): a replay's
   * end, a verification or a stop waits for it before flushing. A failed build rejects here.
   */
  get holding(): boolean {
    return this.hold.holding;
  }

  settled(): Promise<void> {
    return this.hold.settled();
  }

  /** Publishes every portfolio's changes and risk now (end of a replay). */
  flush(): void {
    const book = this.book;
    for (let port = 0; port < book.portfolioIds.length; port++)
      if (this.owned[port]) this.publishPortfolio(port, book.now, true);
    for (let u = 0; u < book.unitPort.length; u++) {
      const port = book.unitPort[u];
      if (this.owned[port] && book.portfolioUnits[port][0] !== u) this.publishUnit(u);
    }
    this.emit();
  }

  /** The input sequence a portfolio's frames carry now (continued from a checkpoint on takeover). */
  inputSeqOf(port: number): number {
    return this.stats.inputSeq + this.inputSeqShift[port];
  }

  /** An update of one non-first publication unit, stamped with its portfolio's input sequence. */
  private publishUnit(u: number): void {
    this.publisher.inputSeq = this.inputSeqOf(this.book.unitPort[u]);
    this.publisher.update(u, this.frames);
  }

  /** Publishes full snapshots of every portfolio now (a client or a new topic reader needs a base). */
  publishSnapshots(): void {
    this.snapshotAt.fill(-Infinity);
    this.flush();
  }

  /** What is due before an input at `ts`: the limit check, then the publications (state as of the inputs before it). */
  private due(ts: number): void {
    if (ts >= this.nextLimitCheckAt) this.checkLimitsDue(ts);
    if (this.analytics && ts >= this.analytics.nextAt) this.analytics.due(ts);
    if (ts >= this.nextPublishAt) this.publishBefore(ts);
    this.nextDueAt = Math.min(this.nextPublishAt, this.nextLimitCheckAt, this.analytics?.nextAt ?? Infinity);
  }

  /**
   * Checks the exposure limits of the portfolios revalued since the last check (a market move
   * crossing a limit is alerted within limitCheckMs, not at the next publication): work in
   * proportion to what moved, once per interval however many ticks moved it. Stale market data too.
   */
  private checkLimitsDue(ts: number): void {
    this.book.limitDirty.drain((port) => this.alertExposure(port));
    this.riskLimitDue.drain((port) => {
      if (!this.owned[port]) return;
      this.rules.risk(port, this.risk.run(port, this.inputSeqOf(port)), this.alerts);
      this.queueAlerts(port);
    });
    this.rules.staleDue(this.owned, (port, a) => {
      this.alerts.push(a);
      this.queueAlerts(port);
    });
    this.nextLimitCheckAt =
      this.limitCheckMs === Infinity ? Infinity : (Math.floor(ts / this.limitCheckMs) + 1) * this.limitCheckMs;
    this.emit();
  }

  /** First boundary of `interval` strictly after ts, shifted by the unit's phase (golden-ratio spread). */
  private next(ts: number, interval: number, unit: number): number {
    const phase = (unit * 0.6180339887498949) % 1;
    const offset = Math.floor(phase * interval);
    return (Math.floor((ts - offset) / interval) + 1) * interval + offset;
  }

  private publishBefore(ts: number): void {
    const book = this.book;
    const at = this.publishAt;
    while (at.length < book.unitPort.length) at.push(-Infinity);
    let earliest = Infinity;
    for (let u = 0; u < at.length; u++) {
      if (ts >= at[u]) {
        const port = book.unitPort[u];
        const first = book.portfolioUnits[port][0] === u;
        if (!this.owned[port]) {
          // Another engine publishes it; what changed here is dropped, a takeover restores anyway.
          book.clearUnit(u);
          if (first) book.clearPortfolio(port);
        } else if (first) this.publishPortfolio(port, ts, false);
        else this.publishUnit(u);
        at[u] = this.next(ts, this.conflationMs, u);
      }
      if (at[u] < earliest) earliest = at[u];
    }
    this.nextPublishAt = earliest;
    this.nextDueAt = Math.min(earliest, this.nextLimitCheckAt);
    this.emit();
  }

  /** A portfolio's first unit, with its snapshot, risk and limits when they are due. */
  private publishPortfolio(port: number, ts: number, forced: boolean): void {
    const book = this.book;
    const unit = book.portfolioUnits[port][0];
    this.publisher.inputSeq = this.inputSeqOf(port);
    book.expandFxMoves(port);
    if (book.portDirty[port]) this.rules.exposure(port, this.alerts);
    if (ts >= this.snapshotAt[port]) {
      this.publisher.snapshot(port, this.frames);
      this.snapshotAt[port] = this.next(ts, this.snapshotEveryMs, unit);
    } else {
      this.publisher.update(unit, this.frames);
    }
    if (ts >= this.riskAt[port] || forced) {
      if (book.riskDirty[port]) {
        // Every unit's changes go out first, so the positions and exposures frames the risk
        // frame names as its basis hold exactly the state it was computed on.
        for (const u of book.portfolioUnits[port]) if (u !== unit) this.publisher.update(u, this.frames);
        this.runRisk(port);
      }
      if (ts >= this.riskAt[port]) this.riskAt[port] = this.next(ts, this.riskIntervalMs, unit);
    }
    this.queueAlerts(port);
  }

  private emit(): void {
    if (this.frames.length === 0) return;
    this.stats.frames += this.frames.length;
    this.sink(this.frames.splice(0, this.frames.length));
  }

  private runRisk(port: number): void {
    const b = this.book;
    b.riskDirty[port] = 0;
    const parametric = this.risk.run(port, this.inputSeqOf(port));
    const snap = this.live ? this.live.enrich(port, parametric) : parametric;
    this.rules.risk(port, snap, this.alerts);
    const analytics = this.analytics ? { analytics: this.analytics.snapshot(port) } : {};
    this.frames.push(this.publisher.risk(port, { ...snap, basis: this.publisher.basisOf(port), ...analytics }));
  }
}
