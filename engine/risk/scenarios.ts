// Monte Carlo factor scenarios and instrument returns of the `ts` reference backend, exactly as
// docs/risk.md "Random streams" and "Monte Carlo": every draw is a Box–Muller pair of one Philox
// block at a documented (seed, stream, block), so any backend and any thread count reproduce it.

import { philox4x32 } from '../../maths/random.js';
import {
  STREAM_CHI,
  STREAM_FACTOR,
  STREAM_IDIO,
  streamOf,
  type FactorScenarioJob,
  type FactorScenarios,
  type InstrumentReturnJob,
} from './backend.js';

const TWO32 = 4294967296;
const TWO_M53 = 1 / 9007199254740992;
const TWO_PI = 2 * Math.PI;

/** Philox output words of the current block (module scratch; the kernels are synchronous). */
const words = new Uint32Array(4);

/** The normal pair of one block: pair[0] = z_even, pair[1] = z_odd (written into `pair`). */
export function normalPair(seed: number, stream: number, block: number, pair: Float64Array): Float64Array {
  const w = philox4x32(
    block >>> 0,
    Math.floor(block / TWO32) >>> 0,
    stream >>> 0,
    Math.floor(stream / TWO32) >>> 0,
    seed >>> 0,
    Math.floor(seed / TWO32) >>> 0,
    words,
  );
  const u1 = ((w[0] >>> 6) * 134217728 + (w[1] >>> 5)) * TWO_M53;
  const u2 = ((w[2] >>> 6) * 134217728 + (w[3] >>> 5)) * TWO_M53;
  const r = Math.sqrt(-2 * Math.log(1 - u1));
  const theta = TWO_PI * u2;
  pair[0] = r * Math.cos(theta);
  pair[1] = r * Math.sin(theta);
  return pair;
}

const pair = new Float64Array(2);
let z = new Float64Array(0);

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
  const stream = streamOf(set, STREAM_CHI);
  const perScenario = Math.ceil(dof / 2);
  let w = 0;
  for (let j = 0; j < dof; j += 2) {
    normalPair(seed, stream, s * perScenario + j / 2, pair);
    w += pair[0] * pair[0];
    if (j + 1 < dof) w += pair[1] * pair[1];
  }
  return Math.sqrt((dof - 2) / w);
}

/** F_{s,k} = t_s · Σ_{j≤k} C_{k,j} z_{s,j}, scenario-major into out.factorReturns; t_s into out.tScale. */
export function factorScenarios(job: FactorScenarioJob, out: FactorScenarios): void {
  checkJob(job, out);
  const { seed, set, scenarios: S, factors: K, cholesky: C, dof } = job;
  if (z.length < K + 1) z = new Float64Array(K + 1);
  const stream = streamOf(set, STREAM_FACTOR);
  const perScenario = Math.ceil(K / 2);
  const F = out.factorReturns;
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < K; k += 2) {
      normalPair(seed, stream, s * perScenario + k / 2, pair);
      z[k] = pair[0];
      z[k + 1] = pair[1];
    }
    const t = dof === 0 ? 1 : tScaleOf(seed, set, s, dof);
    out.tScale[s] = t;
    const o = s * K;
    for (let k = 0; k < K; k++) {
      let sum = 0;
      const row = k * K;
      for (let j = 0; j <= k; j++) sum += C[row + j] * z[j];
      F[o + k] = t * sum;
    }
  }
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
  for (let i = 0; i < N; i++) {
    const o = i * S;
    out.fill(0, o, o + S);
    for (let e = job.loadStart[i]; e < job.loadStart[i + 1]; e++) {
      const l = job.loadFactor[e];
      if (!(l >= 0 && l < K)) throw new RangeError(`instrument ${i} loads on factor ${l}, outside 0..${K - 1}`);
      const v = job.loadValue[e];
      for (let s = 0; s < S; s++) out[o + s] += v * F[s * K + l];
    }
    const sigma = job.idioSigma[i];
    if (sigma === 0) continue;
    for (let s = 0; s < S; s += 2) {
      normalPair(seed, stream, i * perInstrument + s / 2, pair);
      out[o + s] += sigma * pair[0] * (tScale === null ? 1 : tScale[s]);
      if (s + 1 < S) out[o + s + 1] += sigma * pair[1] * (tScale === null ? 1 : tScale[s + 1]);
    }
  }
}
