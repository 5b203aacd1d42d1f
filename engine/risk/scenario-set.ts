// One scenario set: the matrices historical simulation or Monte Carlo reads, built by the backend's
// heavy kernels off the event loop (docs/risk.md). Rows are instruments, then one row per currency
// (the USD value return of one unit of it), so a position's P&L is a weight times a row; options
// have full-revaluation rows of their own, re-priced one at a time when their underlying moves.

import type { BufferPool } from './buffer-pool.js';
import { cholesky } from '../../maths/linalg.js';
import { yearsToExpiry } from '../blackscholes.js';
import { KIND_FUTURE, KIND_OPTION, type InstrumentTable } from '../instruments.js';
import {
  MODEL_BLACK76,
  MODEL_BOND,
  MODEL_BSM,
  type FactorScenarioJob,
  type InstrumentReturnJob,
  type RevaluationJob,
  type RiskBackend,
} from './backend.js';

export const KIND_BOND = 5;
const TRADING_DAYS = 252;

export type SimulationMethod = 'historical' | 'monteCarlo';

/** Where a set's scenarios came from: every risk frame names it, so any number can be reproduced. */
export interface SetProvenance {
  method: SimulationMethod;
  horizonDays: number;
  scenarios: number;
  /** Monte Carlo: seed, scenario-set number (the valuation day) and shock distribution. */
  seed?: number;
  set?: number;
  distribution?: string;
  /** Historical: the window's first and last day. */
  from?: string;
  to?: string;
  covariance: string;
  backend: string;
  threads: number;
}

export interface SetInputs {
  method: SimulationMethod;
  horizonDays: number;
  /** Daily factor covariance (K × K), for Monte Carlo. */
  covariance: Float64Array;
  covarianceSource: string;
  /** Historical: the window's factor returns, days × K, oldest first, and its date range. */
  window?: { returns: Float64Array; days: number; from: string; to: string };
  monteCarlo?: { scenarios: number; seed: number; dof: number; set: number };
  /** Marks and valuation time the option rows are priced at. */
  marks: Float64Array;
  now: number;
  rate: number;
  grid: RepriceGrid;
}

/** The option-pricing inputs of every option in the table, built once per table. */
export class OptionTable {
  /** Instrument index of each option row, and each instrument's option row (or -1). */
  readonly instrument: Int32Array;
  readonly rowOf: Int32Array;
  readonly job: RevaluationJob;

  constructor(
    private readonly t: InstrumentTable,
    scenarios: number,
    rate: number,
  ) {
    const ids: number[] = [];
    for (let i = 0; i < t.count; i++) if (t.kind[i] === KIND_OPTION) ids.push(i);
    this.instrument = Int32Array.from(ids);
    this.rowOf = new Int32Array(t.count).fill(-1);
    ids.forEach((i, o) => (this.rowOf[i] = o));
    const n = ids.length;
    const f = (): Float64Array => new Float64Array(n);
    this.job = {
      count: n,
      scenarios,
      returns: new Float64Array(0),
      row: Int32Array.from(ids, (i) => t.underlying[i]),
      model: Uint8Array.from(ids, (i) => (t.kind[t.underlying[i]] === KIND_FUTURE ? MODEL_BLACK76 : MODEL_BSM)),
      isCall: Uint8Array.from(ids, (i) => t.isCall[i]),
      spot: f(),
      strike: Float64Array.from(ids, (i) => t.strike[i]),
      tau: f(),
      vol: Float64Array.from(ids, (i) => t.impliedVol[i]),
      rate: f().fill(rate),
      dividend: f(),
      duration: f(),
      convexity: f(),
      multiplier: Float64Array.from(ids, (i) => t.multiplier[i]),
      volShift: null,
      horizonYears: 0,
    };
  }

  /**
   * Sets spots and times to expiry on the repricing grid (all options, or just row `o`): the
   * underlying's mark rounded to a step of `grid.move` in log terms, event time rounded down to
   * `grid.everyMs`. A row is then a pure function of its grid point, so every engine — one restarted
   * or taking over — holds the same rows for the same market.
   */
  price(marks: Float64Array, now: number, grid: RepriceGrid, o = -1): void {
    const { job, t } = this;
    const from = o < 0 ? 0 : o;
    const to = o < 0 ? job.count : o + 1;
    const at = gridTime(now, grid);
    for (let k = from; k < to; k++) {
      const i = this.instrument[k];
      job.spot[k] = gridSpot(marks[t.underlying[i]], grid);
      job.tau[k] = yearsToExpiry(t.expiryMs[i], at);
    }
  }
}

export interface RepriceGrid {
  /** Relative step of the underlying's level (0.01: rows are re-priced as it crosses each 1 % step). */
  move: number;
  everyMs: number;
}

/** The grid level index of a spot: round(ln S / ln(1 + move)). */
export function gridLevel(spot: number, grid: RepriceGrid): number {
  return Math.round(Math.log(spot) / Math.log1p(grid.move));
}

export function gridSpot(spot: number, grid: RepriceGrid): number {
  return Math.exp(gridLevel(spot, grid) * Math.log1p(grid.move));
}

export function gridTime(now: number, grid: RepriceGrid): number {
  return Math.floor(now / grid.everyMs) * grid.everyMs;
}

export class ScenarioSet {
  readonly scenarios: number;
  /** (instruments + currencies) × scenarios: instrument returns (bonds convexity-adjusted), then currency rows. */
  readonly rows: Float64Array;
  /** options × scenarios: P&L per option unit under full revaluation (swapped with a spare on re-pricing). */
  reval: Float64Array;
  private spare: Float64Array | null = null;
  /** Grid level of the underlying and grid time each option row was priced at. */
  readonly pricedLevel: Int32Array;
  readonly pricedAt: Float64Array;
  readonly horizonYears: number;

  private constructor(
    readonly provenance: SetProvenance,
    scenarios: number,
    rows: Float64Array,
    reval: Float64Array,
    options: number,
    horizonDays: number,
    private readonly pool: BufferPool | null,
  ) {
    this.scenarios = scenarios;
    this.rows = rows;
    this.reval = reval;
    this.pricedLevel = new Int32Array(options);
    this.pricedAt = new Float64Array(options);
    this.horizonYears = horizonDays / TRADING_DAYS;
  }

  /** Row of currency c in `rows`. */
  static currencyRow(t: InstrumentTable, c: number): number {
    return t.count + c;
  }

  /** Builds a set with the backend's heavy kernels (they run on native threads where the backend has them). */
  static async build(
    t: InstrumentTable,
    options: OptionTable,
    backend: RiskBackend,
    inputs: SetInputs,
    pool: BufferPool | null = null,
  ): Promise<ScenarioSet> {
    const factors = await scenarioFactors(t, backend, inputs);
    const s = factors.scenarios;
    const nRows = t.count + t.currencies.length;
    // Every element of both is written below (instrument returns, then revaluation): reuse needs no clearing.
    const rows = pool?.take(nRows * s) ?? new Float64Array(nRows * s);
    await backend.instrumentReturns(returnJob(t, inputs, factors), rows);
    await convexityAdjust(t, backend, rows, s);
    const reval = pool?.take(options.job.count * s) ?? new Float64Array(options.job.count * s);
    const set = new ScenarioSet(
      provenanceOf(inputs, backend, s),
      s,
      rows,
      reval,
      options.job.count,
      inputs.horizonDays,
      pool,
    );
    options.price(inputs.marks, inputs.now, inputs.grid);
    await backend.revalue(set.revalJob(options), reval);
    for (let o = 0; o < options.job.count; o++) set.pricedLevel[o] = gridLevel(options.job.spot[o], inputs.grid);
    set.pricedAt.fill(gridTime(inputs.now, inputs.grid));
    return set;
  }

  /** A buffer the size of `reval` to re-price into (kept between periods, so no allocation each time). */
  spareReval(): Float64Array {
    if (this.spare === null) this.spare = this.pool?.take(this.reval.length) ?? new Float64Array(this.reval.length);
    return this.spare;
  }

  /** Hands this set's buffers to the pool it was built from: the set must not be read again. */
  release(): void {
    this.pool?.give(this.rows, this.reval, this.spare);
    this.spare = null;
  }

  /** The spare becomes the revaluations, and the old revaluations the spare. */
  swapReval(): void {
    const old = this.reval;
    this.reval = this.spareReval();
    this.spare = old;
  }

  /** The option job pointed at this set's rows and horizon. */
  revalJob(options: OptionTable): RevaluationJob {
    const job = options.job;
    job.returns = this.rows;
    job.scenarios = this.scenarios;
    job.horizonYears = this.horizonYears;
    return job;
  }
}

interface Factors {
  scenarios: number;
  returns: Float64Array;
  tScale: Float64Array | null;
}

async function scenarioFactors(t: InstrumentTable, backend: RiskBackend, inputs: SetInputs): Promise<Factors> {
  const k = t.factors.length;
  if (inputs.method === 'historical') {
    const w = inputs.window!;
    return { scenarios: w.days, returns: w.returns, tScale: null };
  }
  const mc = inputs.monteCarlo!;
  const cov = new Array<number[]>(k);
  for (let i = 0; i < k; i++) {
    cov[i] = new Array<number>(k);
    for (let j = 0; j < k; j++) cov[i][j] = inputs.covariance[i * k + j] * inputs.horizonDays;
  }
  const chol = cholesky(cov, { semidefinite: true });
  if (chol === null) throw new RangeError('factor covariance is not positive semidefinite');
  const job: FactorScenarioJob = {
    seed: mc.seed,
    set: mc.set,
    scenarios: mc.scenarios,
    factors: k,
    cholesky: chol,
    dof: mc.dof,
  };
  const out = { factorReturns: new Float64Array(mc.scenarios * k), tScale: new Float64Array(mc.scenarios) };
  await backend.factorScenarios(job, out);
  return { scenarios: mc.scenarios, returns: out.factorReturns, tScale: out.tScale };
}

/** Loadings of every instrument, then a loading of 1 on FX_<c> for each currency c (USD has none). */
function returnJob(t: InstrumentTable, inputs: SetInputs, f: Factors): InstrumentReturnJob {
  const nc = t.currencies.length;
  const n = t.count + nc;
  const loadStart = new Int32Array(n + 1);
  loadStart.set(t.loadStart);
  const extra: number[] = [];
  for (let c = 0; c < nc; c++) {
    const k = t.factorIndex.get(`FX_${t.currencies[c]}`);
    if (k !== undefined && c !== t.usd) extra.push(k);
    loadStart[t.count + c + 1] = loadStart[t.count + c] + (k !== undefined && c !== t.usd ? 1 : 0);
  }
  const loadFactor = new Int32Array(loadStart[n]);
  loadFactor.set(t.loadFactor);
  loadFactor.set(extra, t.loadFactor.length);
  const loadValue = new Float64Array(loadStart[n]);
  loadValue.set(t.loadValue);
  loadValue.fill(1, t.loadValue.length);
  const idio = new Float64Array(n);
  if (inputs.method === 'monteCarlo') {
    const scale = Math.sqrt(inputs.horizonDays / TRADING_DAYS);
    for (let i = 0; i < t.count; i++) idio[i] = t.idioVol[i] * scale;
  }
  return {
    seed: inputs.monteCarlo?.seed ?? 0,
    set: inputs.monteCarlo?.set ?? 0,
    instruments: n,
    scenarios: f.scenarios,
    factors: t.factors.length,
    factorReturns: f.returns,
    tScale: f.tScale,
    loadStart,
    loadFactor,
    loadValue,
    idioSigma: idio,
  };
}

/** Bond rows become R + ½·C·(R/D)²: their return by duration and convexity (docs/risk.md). */
async function convexityAdjust(t: InstrumentTable, backend: RiskBackend, rows: Float64Array, s: number): Promise<void> {
  const bonds: number[] = [];
  for (let i = 0; i < t.count; i++) if (t.kind[i] === KIND_BOND && t.defs[i].kind === 'bond') bonds.push(i);
  if (bonds.length === 0) return;
  const n = bonds.length;
  const ones = new Float64Array(n).fill(1);
  const zeros = new Float64Array(n);
  const job: RevaluationJob = {
    count: n,
    scenarios: s,
    returns: rows,
    row: Int32Array.from(bonds),
    model: new Uint8Array(n).fill(MODEL_BOND),
    isCall: new Uint8Array(n),
    spot: ones,
    strike: zeros,
    tau: zeros,
    vol: zeros,
    rate: zeros,
    dividend: zeros,
    duration: Float64Array.from(bonds, (i) => {
      const d = t.defs[i];
      return d.kind === 'bond' ? d.duration : 0;
    }),
    convexity: Float64Array.from(bonds, (i) => {
      const d = t.defs[i];
      return d.kind === 'bond' ? d.convexity : 0;
    }),
    multiplier: ones,
    volShift: null,
    horizonYears: 0,
  };
  const out = new Float64Array(n * s);
  await backend.revalue(job, out);
  bonds.forEach((i, b) => rows.set(out.subarray(b * s, (b + 1) * s), i * s));
}

function provenanceOf(inputs: SetInputs, backend: RiskBackend, scenarios: number): SetProvenance {
  const base = {
    method: inputs.method,
    horizonDays: inputs.horizonDays,
    scenarios,
    covariance: inputs.covarianceSource,
    backend: backend.name,
    threads: backend.threads,
  };
  if (inputs.method === 'historical') return { ...base, from: inputs.window!.from, to: inputs.window!.to };
  const mc = inputs.monteCarlo!;
  return {
    ...base,
    seed: mc.seed,
    set: mc.set,
    distribution: mc.dof === 0 ? 'normal' : `student-t(${mc.dof})`,
  };
}
