// Reference backend in TypeScript: every kernel of docs/risk.md, the numbers the native and GPU
// backends are compared to. Delta-normal: σ² = xᵀ Σ x + idiosyncratic variance, scaled by
// √horizon; for a normal P&L, VaR_α = z_α σ and ES_α = σ φ(z_α) / (1 − α). Simulation kernels live
// in scenarios.ts, revalue.ts and tail.ts; the heavy ones compute synchronously and resolve.

import type { ParametricJob, ParametricResult, RiskBackend } from './backend.js';
import { normPdf } from '../blackscholes.js';
import { normalQuantile } from './normal.js';
import { revalue } from './revalue.js';
import { factorScenarios, instrumentReturns } from './scenarios.js';
import { accumulate, components, tail } from './tail.js';

/** Runs a synchronous kernel as a heavy one: its throw becomes the promise's rejection. */
function settled(run: () => void): Promise<void> {
  try {
    run();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

export const tsBackend: RiskBackend = {
  name: 'ts',
  threads: 1,
  detail: 'TypeScript reference',
  factorScenarios: (job, out) => settled(() => factorScenarios(job, out)),
  instrumentReturns: (job, out) => settled(() => instrumentReturns(job, out)),
  revalue: (job, out) => settled(() => revalue(job, out)),
  revalueNow: revalue,
  accumulate,
  accumulateAsync: (job, out) => settled(() => accumulate(job, out)),
  tail,
  components,
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
