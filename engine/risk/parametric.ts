// Delta-normal risk of the live book: turns positions into factor exposures (loadings × delta-
// adjusted exposure, plus the FX legs of positions quoted outside the base currency) and hands the
// job to a backend. Work is proportional to the positions of the portfolios asked for.

import type { Book } from '../book.js';
import type { FactorDef } from '../instruments.js';
import type { RiskSnapshot } from '../model.js';
import { allocateResult, type ParametricJob, type ParametricResult, type RiskBackend } from './backend.js';

const TRADING_DAYS = 252;

export interface ParametricOptions {
  factors: FactorDef[];
  correlations: number[][];
  confidence: number[];
  horizonDays: number;
}

export class ParametricRisk {
  private readonly job: ParametricJob;
  private readonly out: ParametricResult;
  /** Factor index of FX_<currency> for each currency index, or -1 (USD has none). */
  private readonly fxFactor: Int32Array;
  private readonly idioDaily: Float64Array;
  /** The `var`/`es` keys of each confidence ("95", "99"), built once. */
  private readonly labels: string[];

  constructor(
    private readonly book: Book,
    private readonly backend: RiskBackend,
    private readonly options: ParametricOptions,
  ) {
    const n = options.factors.length;
    const covariance = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        covariance[i * n + j] =
          (options.factors[i].vol * options.factors[j].vol * options.correlations[i][j]) / TRADING_DAYS;
      }
    }
    this.job = {
      portfolios: 1,
      factors: n,
      covariance,
      exposures: new Float64Array(n),
      idioVariance: new Float64Array(1),
      confidence: Float64Array.from(options.confidence),
      horizonDays: options.horizonDays,
    };
    this.out = allocateResult(1, options.confidence.length);
    this.labels = options.confidence.map((a) => String(Math.round(a * 1000) / 10));
    const t = book.t;
    this.fxFactor = Int32Array.from(t.currencies, (c) => t.factorIndex.get(`FX_${c}`) ?? -1);
    this.idioDaily = Float64Array.from(t.idioVol, (v) => (v * v) / TRADING_DAYS);
  }

  /** Replaces the daily factor covariance (the EWMA estimate after each day roll). */
  setCovariance(daily: Float64Array): void {
    this.job.covariance.set(daily);
  }

  /**
   * A portfolio's factor exposures in base currency into `x` (delta-adjusted, plus FX legs);
   * returns its idiosyncratic daily variance. Work proportional to its positions.
   */
  exposures(port: number, x: Float64Array): number {
    const book = this.book;
    const t = book.t;
    x.fill(0);
    const base = book.base[port];
    const fxBase = this.fxFactor[base];
    let idio = 0;
    for (const p of book.portfolioPositions[port]) {
      if (book.pExp[p] === 0) continue;
      const e = book.pExp[p] * book.fxOf(p);
      const i = book.pInst[p];
      for (let l = t.loadStart[i]; l < t.loadStart[i + 1]; l++) x[t.loadFactor[l]] += t.loadValue[l] * e;
      idio += e * e * this.idioDaily[i];
      const ccy = t.currency[i];
      if (ccy !== base) {
        if (this.fxFactor[ccy] >= 0) x[this.fxFactor[ccy]] += e;
        if (fxBase >= 0) x[fxBase] -= e;
      }
    }
    return idio;
  }

  /** Computes one portfolio's risk (work proportional to its positions) and returns its snapshot. */
  run(port: number, inputSeq: number): RiskSnapshot {
    const { book, job, out } = this;
    job.idioVariance[0] = this.exposures(port, job.exposures);
    this.backend.parametric(job, out);
    const vars: Record<string, number> = {};
    const es: Record<string, number> = {};
    this.labels.forEach((label, c) => {
      vars[label] = out.var[c];
      es[label] = out.es[c];
    });
    return {
      portfolio: book.portfolioIds[port],
      method: 'parametric',
      backend: this.backend.name,
      horizonDays: job.horizonDays,
      confidence: this.options.confidence,
      var: vars,
      es,
      sigma: out.sigma[0],
      positions: book.portfolioPositions[port].length,
      inputSeq,
      asOf: book.now,
    };
  }
}
