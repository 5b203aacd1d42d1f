// The engine: events in, frames out, deterministically. Inputs are ticks and executions (each
// with its event time); outputs are channel frames handed to `sink`. Publication is driven by
// event time, not a timer: when an input's time crosses the next conflation boundary, the state as
// of the inputs before it is published first. The same inputs therefore give the same frames.

import { Book } from './book.js';
import { RisklineError } from './errors.js';
import type { Frame } from './frames.js';
import { InstrumentTable, type FactorDef } from './instruments.js';
import { LimitMonitor, type LimitDef, type LimitMetric } from './limits.js';
import type { Alert, Execution, Instrument, PortfolioDef } from './model.js';
import { FramePublisher } from './publisher.js';
import type { RiskBackend } from './risk/backend.js';
import { ParametricRisk } from './risk/parametric.js';

export interface EngineOptions {
  instruments: Instrument[];
  portfolios: PortfolioDef[];
  market: { factors: FactorDef[]; correlations: number[][] };
  limits: LimitDef[];
  markSource: 'mid' | 'last';
  conflationMs: number;
  snapshotEveryMs: number;
  risk: { confidence: number[]; horizonDays: number; intervalMs: number; riskFreeRate: number };
  backend: RiskBackend;
}

export interface EngineStats {
  ticks: number;
  executions: number;
  duplicateExecutions: number;
  frames: number;
  inputSeq: number;
}

export class Engine {
  readonly book: Book;
  readonly instruments: InstrumentTable;
  private readonly publisher: FramePublisher;
  private readonly risk: ParametricRisk;
  private readonly limits: LimitMonitor;
  private readonly conflationMs: number;
  private readonly snapshotEveryMs: number;
  private readonly riskIntervalMs: number;
  private nextPublishAt = -Infinity;
  private nextSnapshotAt = -Infinity;
  private nextRiskAt = -Infinity;
  private readonly frames: Frame[] = [];
  private readonly alerts: Alert[] = [];
  private readonly cell = new Float64Array(2);
  readonly stats: EngineStats = { ticks: 0, executions: 0, duplicateExecutions: 0, frames: 0, inputSeq: 0 };

  constructor(
    options: EngineOptions,
    private readonly sink: (frames: Frame[]) => void,
  ) {
    this.instruments = new InstrumentTable(options.instruments, options.market.factors);
    this.book = new Book(this.instruments, options.portfolios, {
      markSource: options.markSource,
      riskFreeRate: options.risk.riskFreeRate,
    });
    this.publisher = new FramePublisher(this.book);
    this.risk = new ParametricRisk(this.book, options.backend, {
      factors: options.market.factors,
      correlations: options.market.correlations,
      confidence: options.risk.confidence,
      horizonDays: options.risk.horizonDays,
    });
    this.limits = new LimitMonitor(options.limits, this.book.portfolioIds);
    this.conflationMs = options.conflationMs;
    this.snapshotEveryMs = options.snapshotEveryMs;
    this.riskIntervalMs = options.risk.intervalMs;
  }

  /** Applies one tick to instrument index `i` (see `instrumentIndex`); prices must be validated. */
  tick(i: number, ts: number, bid: number, ask: number, last: number): void {
    if (ts >= this.nextPublishAt) this.publishBefore(ts);
    this.stats.ticks++;
    this.stats.inputSeq++;
    this.book.tick(i, ts, bid, ask, last);
  }

  /** Dense index of an instrument id, or -1 when unknown (the caller reports it). */
  instrumentIndex(id: string): number {
    return this.instruments.index(id);
  }

  /** Applies an execution; returns false when its id was applied before (nothing changes). */
  execute(e: Execution): boolean {
    if (e.ts >= this.nextPublishAt) this.publishBefore(e.ts);
    if (this.book.portfolio(e.portfolio) < 0) {
      throw new RisklineError('UNKNOWN_PORTFOLIO', `execution ${e.id}: unknown portfolio ${JSON.stringify(e.portfolio)}`);
    }
    const applied = this.book.execute(e);
    this.stats.inputSeq++;
    if (applied) this.stats.executions++;
    else this.stats.duplicateExecutions++;
    return applied;
  }

  /** Lets event time pass without input (a heartbeat): publishes if a boundary was crossed. */
  advanceTo(ts: number): void {
    if (ts >= this.nextPublishAt) this.publishBefore(ts);
  }

  /** Publishes whatever changed now (end of a replay, or an idle flush recorded in the input log). */
  flush(): void {
    this.publish(this.book.now, true);
  }

  /** Publishes full snapshots of every portfolio now (a client or a new topic reader needs a base). */
  publishSnapshots(): void {
    this.nextSnapshotAt = -Infinity;
    this.publish(this.book.now, false);
  }

  private publishBefore(ts: number): void {
    this.publish(ts, false);
    this.nextPublishAt = (Math.floor(ts / this.conflationMs) + 1) * this.conflationMs;
  }

  private publish(ts: number, forced: boolean): void {
    const frames = this.frames;
    const book = this.book;
    // Before any input the opening book is as of the first event seen.
    if (book.now === 0) book.now = ts;
    book.expandFxMoves();
    for (let port = 0; port < book.portfolioIds.length; port++) if (book.portDirty[port]) this.checkExposureLimits(port);
    if (ts >= this.nextSnapshotAt) {
      this.publisher.snapshots(frames);
      this.nextSnapshotAt = (Math.floor(ts / this.snapshotEveryMs) + 1) * this.snapshotEveryMs;
    } else {
      this.publisher.updates(frames);
    }
    if (ts >= this.nextRiskAt || forced) {
      this.runRisk();
      if (ts >= this.nextRiskAt) this.nextRiskAt = (Math.floor(ts / this.riskIntervalMs) + 1) * this.riskIntervalMs;
    }
    for (const a of this.alerts) frames.push(this.publisher.alert(book.portfolio(a.portfolio), { ...a }));
    this.alerts.length = 0;
    if (frames.length > 0) {
      this.stats.frames += frames.length;
      const out = frames.splice(0, frames.length);
      this.sink(out);
    }
  }

  private checkExposureLimits(port: number): void {
    const b = this.book;
    b.bucketValue(b.portfolioBuckets[port][0], this.cell);
    const long = this.cell[0];
    const short = this.cell[1];
    this.limits.check(port, { gross: long - short, net: long + short, long, short: -short, nav: b.nav(port) }, b.now, this.alerts);
  }

  private runRisk(): void {
    const b = this.book;
    const ports: number[] = [];
    for (let port = 0; port < b.riskDirty.length; port++) if (b.riskDirty[port]) ports.push(port);
    if (ports.length === 0) return;
    const snaps = this.risk.run(ports, this.stats.inputSeq);
    snaps.forEach((snap, k) => {
      const port = ports[k];
      b.riskDirty[port] = 0;
      const metrics: Partial<Record<LimitMetric, number>> = {};
      for (const [label, v] of Object.entries(snap.var)) metrics[`var${label}` as LimitMetric] = v;
      for (const [label, v] of Object.entries(snap.es)) metrics[`es${label}` as LimitMetric] = v;
      this.limits.check(port, metrics, b.now, this.alerts);
      this.frames.push(this.publisher.risk(port, snap as unknown as Record<string, unknown>));
    });
  }
}
