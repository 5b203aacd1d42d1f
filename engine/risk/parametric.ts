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
    const np = book.portfolioIds.length;
    this.job = {
      portfolios: np,
      factors: n,
      covariance,
      exposures: new Float64Array(np * n),
      idioVariance: new Float64Array(np),
      confidence: Float64Array.from(options.confidence),
      horizonDays: options.horizonDays,
    };
    this.out = allocateResult(np, options.confidence.length);
    const t = book.t;
    this.fxFactor = Int32Array.from(t.currencies, (c) => t.factorIndex.get(`FX_${c}`) ?? -1);
    this.idioDaily = Float64Array.from(t.idioVol, (v) => (v * v) / TRADING_DAYS);
  }

  get backendName(): string {
    return this.backend.name;
  }

  /** Computes risk for the portfolios asked for (one batched backend call) and returns their snapshots. */
  run(portfolios: number[], inputSeq: number): RiskSnapshot[] {
    const { book, job } = this;
    const t = book.t;
    const n = job.factors;
    job.exposures.fill(0);
    job.idioVariance.fill(0);
    for (const port of portfolios) {
      const o = port * n;
      const base = book.base[port];
      const fxBase = this.fxFactor[base];
      let idio = 0;
      for (const p of book.portfolioPositions[port]) {
        if (book.pExp[p] === 0) continue;
        const e = book.pExp[p] * book.fxOf(p);
        const i = book.pInst[p];
        for (let l = t.loadStart[i]; l < t.loadStart[i + 1]; l++) job.exposures[o + t.loadFactor[l]] += t.loadValue[l] * e;
        idio += e * e * this.idioDaily[i];
        const ccy = t.currency[i];
        if (ccy !== base) {
          if (this.fxFactor[ccy] >= 0) job.exposures[o + this.fxFactor[ccy]] += e;
          if (fxBase >= 0) job.exposures[o + fxBase] -= e;
        }
      }
      job.idioVariance[port] = idio;
    }
    this.backend.parametric(job, this.out);

    const levels = this.options.confidence;
    return portfolios.map((port) => {
      const vars: Record<string, number> = {};
      const es: Record<string, number> = {};
      levels.forEach((a, c) => {
        const label = String(Math.round(a * 1000) / 10);
        vars[label] = this.out.var[port * levels.length + c];
        es[label] = this.out.es[port * levels.length + c];
      });
      return {
        portfolio: book.portfolioIds[port],
        method: 'parametric',
        backend: this.backend.name,
        horizonDays: job.horizonDays,
        confidence: levels,
        var: vars,
        es,
        sigma: this.out.sigma[port],
        positions: book.portfolioPositions[port].length,
        inputSeq,
        asOf: book.now,
      };
    });
  }
}
