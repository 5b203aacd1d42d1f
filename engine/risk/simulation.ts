// Streaming historical and Monte Carlo VaR/ES (docs/risk.md). Per portfolio and scenario set the
// engine keeps the P&L vector in each currency the portfolio holds, so a tick or a fill moves it in
// O(scenarios) for the positions it touches and an FX tick moves nothing (rates apply at read).
// VaR and ES are re-read by selection when the portfolio's risk is published.

import type { Book } from '../book.js';
import { grow } from '../typed-arrays.js';
import type { RiskComponent, RiskMeasure } from '../model.js';
import {
  allocateTail,
  type AccumulateJob,
  type ComponentResult,
  type RiskBackend,
  type TailResult,
} from './backend.js';
import { nonLinearity } from './non-linearity.js';
import { pretradeWhatIf, whatIf } from './what-if.js';
import { oneRow, positionGroups, type PositionWeights } from './position-rows.js';
import { addGroups, linearGroups, optionGroups, snapshotWeights, weightsOf } from './vector-fill.js';
import { BufferPool } from './buffer-pool.js';
import { firstK } from './top.js';
import { VectorMoves } from './vector-moves.js';
import {
  gridLevel,
  gridTime,
  OptionTable,
  ScenarioSet,
  type RepriceGrid,
  type SetInputs,
  type SetProvenance,
  type SimulationMethod,
} from './scenario-set.js';

export interface SimulationSettings {
  methods: SimulationMethod[];
  horizons: number[];
  confidence: number[];
  monteCarlo: { scenarios: number; seed: number; dof: number };
  reprice: { moveThreshold: number; everyMs: number };
  riskFreeRate: number;
  topComponents: number;
}

/** What a set is built from, besides the book: the caller's covariance and historical window. */
export interface SimulationInputs {
  covariance: Float64Array;
  covarianceSource: string;
  window: SetInputs['window'] | null;
  /** The valuation day (days since 1970-01-01 of event time): the Monte Carlo set's number. */
  day: number;
}

/** Sets built off the loop together with every portfolio's vectors and the weights they were built from. */
export interface PreparedSets {
  sets: ScenarioSet[];
  vectors: PortfolioVectors[][];
  weights: { wLin: Float64Array; wOpt: Float64Array; wFx: Float64Array };
}

/** VaR and ES of one simulation set (or its √time-scaled horizon). */
export type Measure = RiskMeasure & { method: SimulationMethod };

/** What one set needs per portfolio: the P&L vector of each currency's positions (currencies × S). */
export class PortfolioVectors {
  readonly local: Float64Array;
  constructor(currencies: number, scenarios: number) {
    this.local = new Float64Array(currencies * scenarios);
  }
}

const SQRT_TIME = 'sqrt-time' as const;

export class SimulationRisk {
  readonly options: OptionTable;
  private sets: ScenarioSet[] = [];
  private vectors: PortfolioVectors[][] = [];
  /** Weights applied to the vectors per position (local currency): linear row, option row, FX translation. */
  wLin: Float64Array = new Float64Array(0);
  wOpt: Float64Array = new Float64Array(0);
  wFx: Float64Array = new Float64Array(0);
  private readonly nc: number;
  /** A portfolio's gathered vector moves, applied per set when its risk is read. */
  private readonly moves: VectorMoves;
  private readonly combine: AccumulateJob;
  private pnl = new Float64Array(0);
  private readonly tail: TailResult;
  private readonly confidence: Float64Array;
  private readonly grid: RepriceGrid;
  /** While a build or re-pricing runs off the loop, positions touched meanwhile wait here. */
  private deferring = false;
  /** Option rows to re-price at the next read (their underlying crossed a grid step), and a flag per row. */
  private readonly staleRows: number[] = [];
  private readonly stale: Uint8Array;
  /** Positions changed since their portfolio's risk was last read, per portfolio, and a flag per position. */
  private readonly dirty: number[][];
  private dirtyFlag: Uint8Array = new Uint8Array(0);
  private readonly weightScratch = new Float64Array(3);
  /** The pre-trade what-if's scratch for a trade's P&L, and the VaR-rank level last seen per set and portfolio. */
  private pretradeScratch = new Float64Array(0);
  private readonly pretradeLevels = new WeakMap<ScenarioSet, Map<number, number>>();
  /** Buffers of replaced sets, reused by the next build. */
  private readonly pool = new BufferPool();

  constructor(
    private readonly book: Book,
    private readonly backend: RiskBackend,
    private readonly settings: SimulationSettings,
  ) {
    const t = book.t;
    this.nc = t.currencies.length;
    this.options = new OptionTable(t, settings.monteCarlo.scenarios, settings.riskFreeRate);
    this.stale = new Uint8Array(this.options.job.count);
    this.confidence = Float64Array.from(settings.confidence);
    this.grid = { move: settings.reprice.moveThreshold, everyMs: settings.reprice.everyMs };
    this.dirty = book.portfolioIds.map(() => []);
    this.tail = allocateTail(settings.confidence.length);
    this.moves = new VectorMoves(this.nc, backend);
    this.combine = {
      scenarios: 0,
      matrix: new Float64Array(0),
      rows: Int32Array.from({ length: this.nc }, (_, c) => c),
      weights: new Float64Array(this.nc),
      reset: true,
    };
  }

  /** True once sets are installed: until then risk frames carry the parametric figures alone. */
  get ready(): boolean {
    return this.sets.length > 0;
  }

  /** The sets the settings ask for, built off the event loop with the book's marks as they are now. */
  async build(inputs: SimulationInputs): Promise<PreparedSets> {
    const s = this.settings;
    const book = this.book;
    // Inputs wait while this runs; a position restored meanwhile is applied at install.
    this.deferring = true;
    const weights = snapshotWeights(book, book.pQty.length);
    const marks = Float64Array.from(book.mark);
    const base = {
      covariance: inputs.covariance,
      covarianceSource: inputs.covarianceSource,
      marks,
      now: book.now,
      rate: s.riskFreeRate,
      grid: this.grid,
    };
    const sets: ScenarioSet[] = [];
    if (s.methods.includes('historical') && inputs.window) {
      sets.push(
        await ScenarioSet.build(
          book.t,
          this.options,
          this.backend,
          { ...base, method: 'historical', horizonDays: 1, window: inputs.window },
          this.pool,
        ),
      );
    }
    if (s.methods.includes('monteCarlo')) {
      for (const h of s.horizons) {
        sets.push(
          await ScenarioSet.build(
            book.t,
            this.options,
            this.backend,
            { ...base, method: 'monteCarlo', horizonDays: h, monteCarlo: { ...s.monteCarlo, set: inputs.day } },
            this.pool,
          ),
        );
      }
    }
    return { sets, vectors: await this.fill(sets, weights), weights };
  }

  /** Every portfolio's vectors of `sets` from the weights given, by the backend off the loop. */
  private async fill(sets: ScenarioSet[], weights: PositionWeights): Promise<PortfolioVectors[][]> {
    const book = this.book;
    const np = book.portfolioIds.length;
    const lin = linearGroups(book, weights);
    const opt = optionGroups(book, weights, this.options.rowOf);
    const vectors: PortfolioVectors[][] = [];
    for (const set of sets) {
      const v = Array.from({ length: np }, () => new PortfolioVectors(this.nc, set.scenarios));
      await addGroups(this.backend, set.rows, set.scenarios, lin, (port) => v[port].local);
      await addGroups(this.backend, set.reval, set.scenarios, opt, (port) => v[port].local);
      vectors.push(v);
    }
    return vectors;
  }

  /** The full recomputation: every vector of the installed sets rebuilt from the positions as they stand. */
  async recompute(): Promise<void> {
    this.deferring = true;
    const weights = snapshotWeights(this.book, this.book.pQty.length);
    this.install({ sets: this.sets, vectors: await this.fill(this.sets, weights), weights });
  }

  /**
   * Swaps in sets built with their vectors; positions that changed since the build began (a
   * takeover's restore) move by the difference, so the vectors equal the positions as they stand.
   */
  install(prepared: PreparedSets): void {
    const book = this.book;
    const { sets, vectors, weights } = prepared;
    // Replaced sets are read by nothing once these are in (inputs waited for the build): the next day reuses them.
    for (const old of this.sets) if (!sets.includes(old)) old.release();
    this.sets = sets;
    this.vectors = vectors;
    this.wLin = weights.wLin;
    this.wOpt = weights.wOpt;
    this.wFx = weights.wFx;
    const maxS = Math.max(0, ...sets.map((x) => x.scenarios));
    if (this.pnl.length < maxS) this.pnl = new Float64Array(maxS);
    this.deferring = false;
    for (const list of this.dirty) list.length = 0;
    this.dirtyFlag = new Uint8Array(book.pQty.length);
    for (let p = 0; p < book.positions; p++) this.touchPosition(p);
  }

  provenance(): SetProvenance[] {
    return this.sets.map((s) => s.provenance);
  }

  /**
   * After a tick on instrument i: its positions, and options on it marked for re-pricing when i
   * crossed a grid step (done at the next read: a row is priced at its grid point and period, so
   * re-pricing once at the read gives the row that re-pricing at every crossing would).
   */
  touchInstrument(i: number): void {
    if (this.sets.length === 0) return;
    const book = this.book;
    const list = book.byInstrument[i];
    // The underlying's grid level, once per tick (options on it are re-priced when theirs differs).
    let level = NaN;
    for (let k = 0; k < list.length; k++) {
      const p = list[k];
      const inst = book.pInst[p];
      if (inst !== i) {
        if (Number.isNaN(level)) level = gridLevel(book.mark[i], this.grid);
        const o = this.options.rowOf[inst];
        if (o >= 0 && level !== this.sets[0].pricedLevel[o] && this.stale[o] === 0) {
          this.stale[o] = 1;
          this.staleRows.push(o);
        }
      }
      this.touchPosition(p);
    }
  }

  /** Re-prices the option rows whose underlying is on another grid step than they were priced at. */
  private repriceStale(): void {
    const rows = this.staleRows;
    const book = this.book;
    for (let k = 0; k < rows.length; k++) {
      const o = rows[k];
      this.stale[o] = 0;
      const level = gridLevel(book.mark[book.t.underlying[this.options.instrument[o]]], this.grid);
      if (level !== this.sets[0].pricedLevel[o]) this.reprice(o);
    }
    rows.length = 0;
  }

  /**
   * Position p changed (a tick, a fill, a restore): its weights are applied to the vectors when its
   * portfolio's risk is next read, so a position costs O(scenarios) per read, not per tick.
   */
  touchPosition(p: number): void {
    if (this.sets.length === 0) return;
    if (p >= this.dirtyFlag.length)
      this.dirtyFlag = grow(this.dirtyFlag, Math.max(this.book.pQty.length, 2 * this.dirtyFlag.length));
    if (this.dirtyFlag[p] === 1) return;
    this.dirtyFlag[p] = 1;
    this.dirty[this.book.pPort[p]].push(p);
  }

  /** Applies every portfolio's changed positions now (what a read does for its own portfolio). */
  applyTouched(): void {
    for (let port = 0; port < this.dirty.length; port++) this.settle(port);
  }

  /** Applies the portfolio's changed positions (not while a build or re-pricing is in flight: they wait). */
  private settle(port: number): void {
    if (this.deferring) return;
    if (this.staleRows.length > 0) this.repriceStale();
    const list = this.dirty[port];
    if (list.length === 0) return;
    for (let k = 0; k < list.length; k++) {
      this.dirtyFlag[list[k]] = 0;
      this.gather(list[k]);
    }
    list.length = 0;
    const vectors = this.vectors;
    this.moves.applyTo(this.sets, (k) => vectors[k][port].local, this.book.t, this.book.base[port]);
  }

  /** Gathers the change in position p's weights since they were last applied into `moves`. */
  private gather(p: number): void {
    const book = this.book;
    if (p >= this.wLin.length) this.growWeights(book.pQty.length);
    const i = book.pInst[p];
    const w = weightsOf(book, p, this.weightScratch);
    const c = book.t.currency[i];
    const dLin = w[0] - this.wLin[p];
    const dOpt = w[1] - this.wOpt[p];
    const dFx = w[2] - this.wFx[p];
    if (dLin !== 0) this.moves.linear(c, i, dLin);
    if (dOpt !== 0) this.moves.option(c, this.options.rowOf[i], dOpt);
    if (dFx !== 0) this.moves.translation(c, dFx);
    this.wLin[p] = w[0];
    this.wOpt[p] = w[1];
    this.wFx[p] = w[2];
  }

  /** True when event time `ts` is in a later grid period than the option rows were priced in. */
  repriceDue(ts: number): boolean {
    return this.sets.length > 0 && this.options.job.count > 0 && gridTime(ts, this.grid) > this.sets[0].pricedAt[0];
  }

  /**
   * Every option row re-priced at its grid point at event time `ts` (time decay, and moves too
   * small to cross a step) on the backend's threads; holders' vectors move by the difference, also
   * off the loop (inputs wait meanwhile; a restore is applied after).
   */
  async repriceAll(ts: number): Promise<void> {
    const book = this.book;
    const opts = this.options;
    opts.price(book.mark, ts, this.grid);
    const period = gridTime(ts, this.grid);
    this.deferring = true;
    const holders = optionGroups(book, this, opts.rowOf);
    for (let k = 0; k < this.sets.length; k++) {
      const set = this.sets[k];
      const fresh = set.spareReval();
      await this.backend.revalue(set.revalJob(opts), fresh);
      const local = (port: number): Float64Array => this.vectors[k][port].local;
      await addGroups(this.backend, fresh, set.scenarios, holders, local);
      await addGroups(this.backend, set.reval, set.scenarios, holders, local, -1);
      set.swapReval();
      for (let o = 0; o < opts.job.count; o++) set.pricedLevel[o] = gridLevel(opts.job.spot[o], this.grid);
      set.pricedAt.fill(period);
    }
    this.deferring = false;
  }

  /** Moves the vectors of every holder of option row o in set k from its current row to `fresh`. */
  private moveHolders(k: number, o: number, fresh: Float64Array): void {
    const book = this.book;
    const set = this.sets[k];
    const s = set.scenarios;
    const inst = this.options.instrument[o];
    const old = set.reval.subarray(o * s, (o + 1) * s);
    const off = book.t.currency[inst] * s;
    for (const p of book.byInstrument[inst]) {
      if (book.pInst[p] !== inst || this.wOpt[p] === 0) continue;
      const out = this.vectors[k][book.pPort[p]].local;
      const w = this.wOpt[p];
      for (let j = 0; j < s; j++) out[off + j] += w * (fresh[j] - old[j]);
    }
  }

  /** One option row re-priced at its grid point in every set (O(scenarios) per set, on this thread). */
  private reprice(o: number): void {
    const book = this.book;
    this.options.price(book.mark, book.now, this.grid, o);
    for (let k = 0; k < this.sets.length; k++) {
      const set = this.sets[k];
      const s = set.scenarios;
      const fresh = oneRow(this.options, set, o, this.backend.revalueNow);
      this.moveHolders(k, o, fresh);
      set.reval.subarray(o * s, (o + 1) * s).set(fresh);
      set.pricedLevel[o] = gridLevel(this.options.job.spot[o], this.grid);
    }
  }

  /** VaR and ES of a portfolio by every set (and √time-scaled horizons where a method has no set of its own). */
  measures(port: number): Measure[] {
    const out: Measure[] = [];
    const levels = this.settings.confidence;
    for (let k = 0; k < this.sets.length; k++) {
      const set = this.sets[k];
      const pnl = this.portfolioPnl(k, port);
      this.backend.tail({ scenarios: set.scenarios, pnl, weights: null, confidence: this.confidence }, this.tail);
      const { method, horizonDays } = set.provenance;
      levels.forEach((confidence, c) => {
        out.push({ method, horizonDays, confidence, var: this.tail.var[c], es: this.tail.es[c] });
      });
      if (method === 'historical') {
        for (const h of this.settings.horizons) {
          if (h === horizonDays) continue;
          const f = Math.sqrt(h / horizonDays);
          levels.forEach((confidence, c) => {
            out.push({
              method,
              horizonDays: h,
              confidence,
              var: this.tail.var[c] * f,
              es: this.tail.es[c] * f,
              scaling: SQRT_TIME,
            });
          });
        }
      }
    }
    return out;
  }

  /** The portfolio's P&L in its base currency in every scenario of set k (a view of a reused buffer). */
  portfolioPnl(k: number, port: number): Float64Array {
    this.settle(port);
    const book = this.book;
    const set = this.sets[k];
    const t = book.t;
    const baseUsd = t.usdPer[book.base[port]];
    const job = this.combine;
    for (let c = 0; c < this.nc; c++) job.weights[c] = t.usdPer[c] / baseUsd;
    job.scenarios = set.scenarios;
    job.matrix = this.vectors[k][port].local;
    const pnl = this.pnl.subarray(0, set.scenarios);
    this.backend.accumulate(job, pnl);
    return pnl;
  }

  /** "What if I trade `qty` of instrument i?" by every set (what-if.ts); the live vectors are not touched. */
  whatIf(port: number, i: number, qty: number): { before: Measure[]; after: Measure[] } {
    const pnl = this.sets.map((_, k) => Float64Array.from(this.portfolioPnl(k, port)));
    return whatIf(this.backend, this.book, this.sets, this.options, pnl, port, i, qty, this.settings.confidence);
  }

  /**
   * The pre-trade check's measure: VaR and ES 99 % of the first 1-day set (else the first set)
   * before and after trading `qty` of instrument i (what-if.ts `pretradeWhatIf`, the same figures as
   * `whatIf`'s); the live vectors are not touched.
   */
  pretradeWhatIf(port: number, i: number, qty: number): { before: Measure; after: Measure } {
    const k = Math.max(
      0,
      this.sets.findIndex((s) => s.provenance.horizonDays === 1),
    );
    const set = this.sets[k];
    if (this.pretradeScratch.length < set.scenarios) this.pretradeScratch = new Float64Array(set.scenarios);
    const delta = this.pretradeScratch.subarray(0, set.scenarios);
    const pnl = this.portfolioPnl(k, port);
    const key = port * this.sets.length + k;
    const hint = this.pretradeLevels.get(set)?.get(key) ?? null;
    const r = pretradeWhatIf(this.backend, this.book, set, this.options, pnl, delta, port, i, qty, 0.99, hint);
    let levels = this.pretradeLevels.get(set);
    if (levels === undefined) this.pretradeLevels.set(set, (levels = new Map()));
    levels.set(key, r.level);
    return r;
  }

  /**
   * Full revaluation minus delta-gamma VaR of set k, per confidence: how much the options' non-
   * linearity beyond second order moves the figure (0 for a book without options).
   */
  nonLinearity(k: number, port: number): number[] {
    const pnl = Float64Array.from(this.portfolioPnl(k, port));
    return nonLinearity(
      this.backend,
      this.book,
      this.sets[k],
      this.options,
      port,
      this.wOpt,
      pnl,
      this.confidence,
      this.tail,
    );
  }

  /** The index of the first set of a method and horizon, or -1. */
  setIndex(method: SimulationMethod, horizonDays: number): number {
    return this.sets.findIndex((s) => s.provenance.method === method && s.provenance.horizonDays === horizonDays);
  }

  /** Euler components of set k's VaR/ES at confidence index c, largest |component ES| first. */
  components(k: number, port: number, c: number, top: number): RiskComponent[] {
    this.settle(port);
    const book = this.book;
    const set = this.sets[k];
    const positions = book.portfolioPositions[port].filter((p) => book.pQty[p] !== 0);
    if (positions.length === 0) return [];
    const groups = positionGroups(this.book, set, port, positions, this, this.options.rowOf);
    const pnl = this.portfolioPnl(k, port);
    const levels = this.confidence.subarray(c, c + 1);
    const n = groups.reduce((a, g) => a + g.rows.length, 0);
    const out: ComponentResult = { componentVar: new Float64Array(n), componentEs: new Float64Array(n) };
    this.backend.components({ scenarios: set.scenarios, pnl, groups, confidence: levels }, out);
    const cv = new Float64Array(positions.length);
    const ce = new Float64Array(positions.length);
    let e = 0;
    for (const g of groups) {
      const owner = g.owner;
      for (let j = 0; j < g.rows.length; j++, e++) {
        cv[owner[j]] += out.componentVar[e];
        ce[owner[j]] += out.componentEs[e];
      }
    }
    const ids = book.t.ids;
    const idOf = (j: number) => ids[book.pInst[positions[j]]];
    // Largest |component ES| first; equal ones by instrument id.
    const first = firstK(positions.length, top, (a, b) => {
      const x = Math.abs(ce[a]);
      const y = Math.abs(ce[b]);
      return x > y || (x === y && idOf(a) < idOf(b));
    });
    return first.map((j) => {
      const p = positions[j];
      return {
        instrument: idOf(j),
        qty: book.pQty[p],
        componentVar: cv[j],
        componentEs: ce[j],
        marginalVar: cv[j] / book.pQty[p],
      };
    });
  }

  private growWeights(n: number): void {
    this.wLin = grow(this.wLin, n);
    this.wOpt = grow(this.wOpt, n);
    this.wFx = grow(this.wFx, n);
  }
}
