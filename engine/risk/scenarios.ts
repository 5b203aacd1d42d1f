// Monte Carlo factor scenarios and instrument returns of the `ts` reference backend, exactly as
// docs/risk.md "Random streams" and "Monte Carlo": every draw is a Box–Muller pair of one Philox
// block at a documented (seed, stream, block), so any backend and any thread count reproduce it.

import { normalPairs } from '../../maths/random.js';
import {
  STREAM_CHI,
  STREAM_FACTOR,
  STREAM_IDIO,
  streamOf,
  type FactorScenarioJob,
  type FactorScenarios,
  type InstrumentReturnJob,
} from './backend.js';

/** The normal pair of one block: pair[0] = z_even, pair[1] = z_odd (written into `pair`). */
export function normalPair(seed: number, stream: number, block: number, pair: Float64Array): Float64Array {
  normalPairs(seed, stream, block, 1, pair);
  return pair;
}

/** Scenarios whose factor draws are made in one call (module scratch; the kernels are synchronous). */
const CHUNK = 256;
let z = new Float64Array(0);
let y = new Float64Array(0);
let eps = new Float64Array(0);
let cols = new Float64Array(0);

function checkJob(job: FactorScenarioJob, out: FactorScenarios): void {
  const { scenarios: S, factors: K, dof } = job;
  if (!(Number.isInteger(dof) && (dof === 0 || dof >= 3)))
    throw new RangeError(`dof must be 0 or an integer ≥ 3, got ${dof}`);
  if (job.cholesky.length < K * K) throw new RangeError(`cholesky has ${job.cholesky.length} entries, needs ${K * K}`);
  if (out.factorReturns.length < S * K)
    throw new RangeError(`factorReturns has ${out.factorReturns.length} entries, needs ${S * K}`);
  if (out.tScale.length < S) throw new RangeError(`tScale has ${out.tScale.length} entries, needs ${S}`);
}

/** Student-t scale √((ν − 2)/W_s), W_s = Σ_{j<ν} y_{s,j}², y from the CHI stream. */
export function tScaleOf(seed: number, set: number, s: number, dof: number): number {
  const perScenario = Math.ceil(dof / 2);
  if (y.length < 2 * perScenario) y = new Float64Array(2 * perScenario);
  normalPairs(seed, streamOf(set, STREAM_CHI), s * perScenario, perScenario, y);
  let w = 0;
  for (let j = 0; j < dof; j++) w += y[j] * y[j];
  return Math.sqrt((dof - 2) / w);
}

/** F_{s,k} = t_s · Σ_{j≤k} C_{k,j} z_{s,j}, scenario-major into out.factorReturns; t_s into out.tScale. */
export function factorScenarios(job: FactorScenarioJob, out: FactorScenarios): void {
  checkJob(job, out);
  const { seed, set, scenarios: S, factors: K, cholesky: C, dof } = job;
  const stream = streamOf(set, STREAM_FACTOR);
  const perScenario = Math.ceil(K / 2);
  if (z.length < 2 * perScenario * CHUNK) z = new Float64Array(2 * perScenario * CHUNK);
  const F = out.factorReturns;
  for (let a = 0; a < S; a += CHUNK) {
    const n = Math.min(CHUNK, S - a);
    normalPairs(seed, stream, a * perScenario, n * perScenario, z);
    for (let s = a; s < a + n; s++) {
      const zs = 2 * perScenario * (s - a);
      const t = dof === 0 ? 1 : tScaleOf(seed, set, s, dof);
      out.tScale[s] = t;
      const o = s * K;
      for (let k = 0; k < K; k++) {
        let sum = 0;
        const row = k * K;
        for (let j = 0; j <= k; j++) sum += C[row + j] * z[zs + j];
        F[o + k] = t * sum;
      }
    }
  }
}

/** F transposed to factor-major (module scratch), so each loading reads one contiguous column. */
function factorColumns(F: Float64Array, S: number, K: number): Float64Array {
  if (cols.length < S * K) cols = new Float64Array(S * K);
  for (let s = 0; s < S; s++) for (let k = 0; k < K; k++) cols[k * S + s] = F[s * K + k];
  return cols;
}

/**
 * R[i][s] = Σ_l L_{i,l} F_{s,l} + σ_i · ε_{i,s} · t_s, instrument-major (rows × scenarios), ε_{i,s}
 * from the IDIO stream at block i·⌈S/2⌉ + ⌊s/2⌋. Loadings are summed in CSR order.
 */
export function instrumentReturns(job: InstrumentReturnJob, out: Float64Array): void {
  const { seed, set, instruments: N, scenarios: S, factors: K, factorReturns: F, tScale } = job;
  if (out.length < N * S) throw new RangeError(`returns buffer has ${out.length} entries, needs ${N * S}`);
  if (F.length < S * K) throw new RangeError(`factorReturns has ${F.length} entries, needs ${S * K}`);
  const stream = streamOf(set, STREAM_IDIO);
  const perInstrument = Math.ceil(S / 2);
  if (eps.length < 2 * perInstrument) eps = new Float64Array(2 * perInstrument);
  const cols = factorColumns(F, S, K);
  for (let i = 0; i < N; i++) {
    const o = i * S;
    out.fill(0, o, o + S);
    for (let e = job.loadStart[i]; e < job.loadStart[i + 1]; e++) {
      const l = job.loadFactor[e];
      if (!(l >= 0 && l < K)) throw new RangeError(`instrument ${i} loads on factor ${l}, outside 0..${K - 1}`);
      const v = job.loadValue[e];
      axpy(out, o, v, cols, l * S, S);
    }
    const sigma = job.idioSigma[i];
    if (sigma === 0) continue;
    normalPairs(seed, stream, i * perInstrument, perInstrument, eps);
    addDraws(out, o, sigma, eps, tScale, S);
  }
}

/** out[o + s] += v · x[c + s], s < n (a small function of its own: optimised once, not on stack replacement). */
function axpy(out: Float64Array, o: number, v: number, x: Float64Array, c: number, n: number): void {
  for (let s = 0; s < n; s++) out[o + s] += v * x[c + s];
}

/** out[o + s] += σ · ε_s · t_s (t = 1 when tScale is null). */
function addDraws(
  out: Float64Array,
  o: number,
  sigma: number,
  eps: Float64Array,
  tScale: Float64Array | null,
  n: number,
): void {
  if (tScale === null) for (let s = 0; s < n; s++) out[o + s] += sigma * eps[s];
  else for (let s = 0; s < n; s++) out[o + s] += sigma * eps[s] * tScale[s];
}
