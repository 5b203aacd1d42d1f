// Monte Carlo VaR and ES of a linear book through the whole `ts` pipeline (factor scenarios →
// instrument returns → accumulate → tail) against the normal closed forms VaR = zσ and
// ES = σφ(z)/(1 − α), within 3 standard errors of the estimators at the scenario count used.
import t from 'tap';
import { allocateTail } from '../../../../engine/risk/backend.js';
import { tsBackend } from '../../../../engine/risk/ts-backend.js';
import { normPdf, Z } from '../../../reference/delta-normal.js';

// Three factors (daily vols 1 %, 2 %, 1.5 %, correlated) as a lower Cholesky factor C.
const K = 3;
const CHOL = new Float64Array([0.01, 0, 0, 0.012, 0.016, 0, -0.003, 0.006, 0.0132]);
// Five instruments: CSR loadings, idiosyncratic daily vols, and base-currency exposures.
const LOAD_START = Int32Array.from([0, 1, 3, 4, 6, 6]);
const LOAD_FACTOR = Int32Array.from([0, 0, 1, 2, 1, 2]);
const LOAD_VALUE = Float64Array.from([1.1, 0.6, 0.5, 1.3, 0.8, -0.4]);
const IDIO = Float64Array.from([0.004, 0.008, 0, 0.006, 0.012]);
const EXPOSURE = Float64Array.from([2e6, -1.5e6, 3e6, 1e6, 0.5e6]);

/** σ of the book's P&L: xᵀ (L C Cᵀ Lᵀ + diag σ_i²) x, by dense algebra. */
function analyticSigma(): number {
  const N = EXPOSURE.length;
  const L = new Float64Array(N * K);
  for (let i = 0; i < N; i++)
    for (let e = LOAD_START[i]; e < LOAD_START[i + 1]; e++) L[i * K + LOAD_FACTOR[e]] += LOAD_VALUE[e];
  // b = Cᵀ Lᵀ x (factor-space exposure through the Cholesky factor): σ² = |b|² + Σ x_i² σ_i².
  let v = 0;
  for (let j = 0; j < K; j++) {
    let b = 0;
    for (let k = 0; k < K; k++) for (let i = 0; i < N; i++) b += CHOL[k * K + j] * L[i * K + k] * EXPOSURE[i];
    v += b * b;
  }
  for (let i = 0; i < N; i++) v += (EXPOSURE[i] * IDIO[i]) ** 2;
  return Math.sqrt(v);
}

t.test('Monte Carlo VaR and ES of a normal linear book, 100,000 scenarios', async (t) => {
  const S = 100_000;
  const N = EXPOSURE.length;
  const seed = 42;
  const set = 20_428;
  const scen = { factorReturns: new Float64Array(S * K), tScale: new Float64Array(S) };
  await tsBackend.factorScenarios({ seed, set, scenarios: S, factors: K, cholesky: CHOL, dof: 0 }, scen);
  const returns = new Float64Array(N * S);
  await tsBackend.instrumentReturns(
    {
      seed,
      set,
      instruments: N,
      scenarios: S,
      factors: K,
      factorReturns: scen.factorReturns,
      tScale: scen.tScale,
      loadStart: LOAD_START,
      loadFactor: LOAD_FACTOR,
      loadValue: LOAD_VALUE,
      idioSigma: IDIO,
    },
    returns,
  );
  const pnl = new Float64Array(S);
  tsBackend.accumulate(
    { scenarios: S, matrix: returns, rows: Int32Array.from([0, 1, 2, 3, 4]), weights: EXPOSURE, reset: true },
    pnl,
  );
  const out = allocateTail(2);
  tsBackend.tail({ scenarios: S, pnl, weights: null, confidence: Float64Array.from([0.95, 0.99]) }, out);
  const sigma = analyticSigma();
  (['95', '99'] as const).forEach((level, c) => {
    const a = Number(level) / 100;
    const z = Z[level];
    const lambda = normPdf(z) / (1 - a); // ES / σ
    // Quantile estimator: se = σ √(α(1−α)/S) / φ(z). ES estimator (tail mean of S(1−α) points):
    // se² = σ² [Var(X | X > z) + α (λ − z)²] / (S(1−α)), Var(X | X > z) = 1 + zλ − λ².
    const seVar = (sigma * Math.sqrt((a * (1 - a)) / S)) / normPdf(z);
    const seEs = sigma * Math.sqrt((1 + z * lambda - lambda ** 2 + a * (lambda - z) ** 2) / (S * (1 - a)));
    const wantVar = z * sigma;
    const wantEs = lambda * sigma;
    t.ok(
      Math.abs(out.var[c] - wantVar) < 3 * seVar,
      `${level} % VaR ${out.var[c].toFixed(0)} vs zσ ${wantVar.toFixed(0)} ± 3·${seVar.toFixed(0)}`,
    );
    t.ok(
      Math.abs(out.es[c] - wantEs) < 3 * seEs,
      `${level} % ES ${out.es[c].toFixed(0)} vs σφ(z)/(1−α) ${wantEs.toFixed(0)} ± 3·${seEs.toFixed(0)}`,
    );
  });
});
