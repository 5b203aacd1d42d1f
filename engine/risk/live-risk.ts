// Live risk beyond the delta-normal figure: the scenario sets (historical, Monte Carlo), their
// streaming P&L vectors, components, the day roll (realised day into the model, backtest
// observations, a new scenario set) and what every risk frame says produced it. The engine calls
// it; it holds no I/O and no clock: days are event-time days.

import type { Book } from '../book.js';
import type { RiskComponent, RiskMeasure, RiskProvenance, RiskSnapshot, StressResult } from '../model.js';
import type { RiskBackend } from './backend.js';
import { DayBacktest } from './day-backtest.js';
import { historyBacktest } from './history-backtest.js';
import { firstK } from './top.js';
import { realisedFactorReturns } from './realised.js';
import { MS_PER_DAY, RiskModel, type HistorySource } from './risk-model.js';
import { SimulationRisk, type Measure, type PreparedSets, type SimulationSettings } from './simulation.js';
import { compileScenario, stressBook, type CompiledScenario, type StressScenarioInput } from './stress.js';

/** Positions listed per stress scenario, largest loss first. */
const STRESS_WORST = 5;

export interface LiveRiskSettings extends SimulationSettings {
  ewmaLambda: number;
  window: number;
  backtest: { confidence: number; observations: number };
}

export interface WhatIfMeasure {
  method: 'historical' | 'monteCarlo';
  horizonDays: number;
  confidence: number;
  before: { var: number; es: number };
  after: { var: number; es: number };
  incremental: { var: number; es: number };
}

export class LiveRisk {
  readonly model: RiskModel;
  readonly simulation: SimulationRisk;
  readonly backtest: DayBacktest;
  /** The event-time day the installed sets were built for. */
  private day = -Infinity;
  /** Closing marks of the day before `day`, for the realised factor returns at the next roll. */
  private closes: Float64Array;
  private readonly stress: CompiledScenario[];
  private seeded = false;

  constructor(
    private readonly book: Book,
    private readonly backend: RiskBackend,
    private readonly settings: LiveRiskSettings,
    market: { factors: { id: string; vol: number }[]; correlations: number[][] },
    history: HistorySource | null,
    scenarios: StressScenarioInput[],
    /** A portfolio's factor exposures in base currency (the delta-normal model's), written into `x`. */
    private readonly exposuresOf: (port: number, x: Float64Array) => void,
  ) {
    this.stress = scenarios.map((sc) => compileScenario(sc, book.t));
    this.model = new RiskModel(market.factors, market.correlations, settings, history);
    this.simulation = new SimulationRisk(book, backend, settings);
    this.backtest = new DayBacktest(book, settings.backtest);
    this.closes = Float64Array.from(book.mark);
  }

  /** Event-time day of `ts`. */
  static dayOf(ts: number): number {
    return Math.floor(ts / MS_PER_DAY);
  }

  /** True when event time `ts` is on a later day than the installed sets (or none is installed). */
  rollDue(ts: number): boolean {
    return LiveRisk.dayOf(ts) > this.day;
  }

  /**
   * Closes the day(s) before `ts`: the realised day goes into the model and the backtests, and the
   * sets of the new day are built (async). Until the returned sets are installed the caller holds
   * its inputs, so what is published does not depend on how long the build took.
   */
  roll(ts: number): Promise<PreparedSets> {
    const day = LiveRisk.dayOf(ts);
    if (this.day !== -Infinity) this.closeDay();
    this.day = day;
    return this.simulation.build({
      covariance: this.model.covariance(),
      covarianceSource: this.model.covarianceSource(),
      window: this.model.historicalWindow(),
      day,
    });
  }

  /** What event time `ts` asks for before its input applies: a new day's sets, the period's option re-pricing, or nothing. */
  due(ts: number): 'roll' | 'reprice' | null {
    if (this.rollDue(ts)) return 'roll';
    return this.simulation.repriceDue(ts) ? 'reprice' : null;
  }

  install(prepared: PreparedSets): void {
    this.simulation.install(prepared);
    this.backtest.opened(this.simulation);
    if (!this.seeded) this.seedBacktests();
  }

  /** The first day: each portfolio's backtests start from the history backtest of its book (history-backtest.ts). */
  private seedBacktests(): void {
    this.seeded = true;
    const h = this.model.history;
    if (!h) return;
    const x = new Float64Array(this.model.factors);
    for (let port = 0; port < this.book.portfolioIds.length; port++) {
      this.exposuresOf(port, x);
      const r = historyBacktest(h, x, {
        window: this.settings.window,
        observations: this.settings.backtest.observations,
        lambda: this.settings.ewmaLambda,
        confidence: this.settings.backtest.confidence,
      });
      if (!r) return;
      this.backtest.seed(port, 'parametric', r.parametric);
      if (this.settings.methods.includes('historical')) this.backtest.seed(port, 'historical', r.historical);
    }
  }

  /** The realised day: factor returns fitted from the marks' moves, and each portfolio's backtest observation. */
  private closeDay(): void {
    const t = this.book.t;
    const f = realisedFactorReturns(t, this.closes, this.book.mark, new Float64Array(t.factors.length));
    this.model.append(this.day, f);
    this.backtest.closed(this.closes);
    this.closes = Float64Array.from(this.book.mark);
  }

  /** The frame's simulation parts, added to the delta-normal snapshot. */
  enrich(port: number, snap: RiskSnapshot): RiskSnapshot {
    const sim = this.simulation;
    if (!sim.ready) return { ...snap, provenance: this.provenance(snap.inputSeq, undefined) };
    const measures: RiskMeasure[] = [...this.parametricMeasures(snap), ...sim.measures(port).map((m) => ({ ...m }))];
    this.backtest.record(port, measures);
    const levels = this.settings.confidence;
    const k = sim.setIndex('monteCarlo', 1) >= 0 ? sim.setIndex('monteCarlo', 1) : 0;
    const c = levels.length - 1;
    const components: RiskComponent[] = sim.components(k, port, c, this.settings.topComponents);
    const basis = sim.provenance()[k];
    return {
      ...snap,
      measures,
      components,
      nonLinearity: this.nonLinearity(port, k),
      stress: this.stressResults(port),
      backtest: this.backtest.results(port),
      provenance: this.provenance(snap.inputSeq, {
        method: basis.method,
        horizonDays: basis.horizonDays,
        confidence: levels[c],
      }),
    };
  }

  /**
   * The incremental VaR and ES of a hypothetical trade by every simulation set: before, after and
   * the difference, as of the inputs applied so far. Null until the first sets are in.
   */
  whatIf(port: number, i: number, qty: number): WhatIfMeasure[] | null {
    if (!this.simulation.ready) return null;
    const { before, after } = this.simulation.whatIf(port, i, qty);
    return before.map((b, k) => ({
      method: b.method,
      horizonDays: b.horizonDays,
      confidence: b.confidence,
      before: { var: b.var, es: b.es },
      after: { var: after[k].var, es: after[k].es },
      incremental: { var: after[k].var - b.var, es: after[k].es - b.es },
    }));
  }

  /** The one measure a pre-trade check judges (the first 1-day set at 99 %), before and after; null until the sets are in. */
  pretradeWhatIf(port: number, i: number, qty: number): { before: Measure; after: Measure } | null {
    return this.simulation.ready ? this.simulation.pretradeWhatIf(port, i, qty) : null;
  }

  /** Full minus delta-gamma VaR of the components' set, keyed by confidence label ("99"). */
  private nonLinearity(port: number, k: number): Record<string, number> {
    const out: Record<string, number> = {};
    const diff = this.simulation.nonLinearity(k, port);
    this.settings.confidence.forEach((a, c) => (out[String(Math.round(a * 1000) / 10)] = diff[c]));
    return out;
  }

  /** Every stress scenario by full revaluation of the portfolio as it stands (docs/stress-scenarios.md). */
  stressResults(port: number): StressResult[] {
    const book = this.book;
    const positions = book.portfolioPositions[port];
    return this.stress.map((sc) => {
      const r = stressBook(book, port, sc, this.settings.riskFreeRate);
      const pnl = r.pnl;
      const worst = firstK(
        positions.length,
        STRESS_WORST,
        (a, b) => pnl[a] < pnl[b] || (pnl[a] === pnl[b] && a < b),
        (j) => pnl[j] !== 0,
      );
      return {
        scenario: sc.id,
        name: sc.name,
        pnl: r.total,
        worst: worst.map((j) => ({ instrument: book.t.ids[book.pInst[positions[j]]], pnl: pnl[j] })),
      };
    });
  }

  /** Delta-normal at every configured horizon (√time from the snapshot's own horizon). */
  private parametricMeasures(snap: RiskSnapshot): RiskMeasure[] {
    const out: RiskMeasure[] = [];
    for (const h of this.settings.horizons) {
      const f = Math.sqrt(h / snap.horizonDays);
      snap.confidence.forEach((confidence) => {
        const label = String(Math.round(confidence * 1000) / 10);
        out.push({
          method: 'parametric',
          horizonDays: h,
          confidence,
          var: snap.var[label] * f,
          es: snap.es[label] * f,
        });
      });
    }
    return out;
  }

  private provenance(inputSeq: number, components: RiskProvenance['components']): RiskProvenance {
    const h = this.model.history;
    const w = this.model.historicalWindow();
    return {
      backend: this.backend.name,
      backendDetail: this.backend.detail,
      threads: this.backend.threads,
      inputSeq,
      parametric: { covariance: this.model.covarianceSource(), lambda: h ? this.settings.ewmaLambda : undefined },
      history:
        h && w
          ? {
              file: h.file,
              source: h.source ?? 'unstated',
              synthetic: h.synthetic,
              from: w.from,
              to: w.to,
              days: w.days,
              ...(h.stored === undefined ? {} : { stored: { ...h.stored } }),
            }
          : undefined,
      sets: this.simulation.provenance().map((p) => ({ ...p })),
      components,
    };
  }
}
