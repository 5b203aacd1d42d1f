// Reference backend in TypeScript: delta-normal VaR and ES.
// σ² = xᵀ Σ x + idiosyncratic variance, scaled by √horizon; for a normal P&L,
// VaR_α = z_α σ and ES_α = σ φ(z_α) / (1 − α).

import type { ParametricJob, ParametricResult, RiskBackend } from './backend.js';
import { normPdf } from '../blackscholes.js';
import { normalQuantile } from './normal.js';

const pending = (what: string): never => {
  throw new Error(`ts backend: ${what} is being written (issue 11)`);
};

export const tsBackend: RiskBackend = {
  name: 'ts',
  threads: 1,
  detail: 'TypeScript reference',
  factorScenarios: () => pending('factorScenarios'),
  instrumentReturns: () => pending('instrumentReturns'),
  revalue: () => pending('revalue'),
  accumulate: () => pending('accumulate'),
  tail: () => pending('tail'),
  components: () => pending('components'),
  parametric(job: ParametricJob, out: ParametricResult): void {
    const n = job.factors;
    const levels = job.confidence.length;
    const cov = job.covariance;
    const scale = Math.sqrt(job.horizonDays);
    for (let p = 0; p < job.portfolios; p++) {
      const o = p * n;
      let v = job.idioVariance[p];
      for (let i = 0; i < n; i++) {
        const xi = job.exposures[o + i];
        if (xi === 0) continue;
        let row = 0;
        for (let j = 0; j < n; j++) row += cov[i * n + j] * job.exposures[o + j];
        v += xi * row;
      }
      const sigma = Math.sqrt(Math.max(v, 0)) * scale;
      out.sigma[p] = sigma;
      for (let c = 0; c < levels; c++) {
        const a = job.confidence[c];
        const z = normalQuantile(a);
        out.var[p * levels + c] = z * sigma;
        out.es[p * levels + c] = (sigma * normPdf(z)) / (1 - a);
      }
    }
  },
};
