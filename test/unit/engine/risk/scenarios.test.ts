// Monte Carlo factor scenarios and instrument returns (docs/risk.md "Random streams", "Monte
// Carlo"): every draw is recomputed here by seeking a CounterRng to its documented counter, and the
// sample moments are checked against the model's (C·Cᵀ, unit variance, Student-t kurtosis).
import t from 'tap';
import { CounterRng } from '../../../../maths/random.js';
import { STREAM_CHI, STREAM_FACTOR, STREAM_IDIO, streamOf } from '../../../../engine/risk/backend.js';
import { tsBackend } from '../../../../engine/risk/ts-backend.js';

/** z_even / z_odd of block b of a stream: CounterRng.seek(2b) then normal(), normal(). */
function drawAt(seed: number, stream: number, block: number, odd: boolean): number {
  const rng = new CounterRng(seed, stream).seek(2 * block);
  const even = rng.normal();
  return odd ? rng.normal() : even;
}

// A 3-factor lower Cholesky factor of a daily-looking covariance (vols 1 %, 2 %, 1.5 %).
const K = 3;
const CHOL = new Float64Array([0.01, 0, 0, 0.012, 0.016, 0, -0.003, 0.006, 0.0132]);

function covOf(c: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) out[i * k + j] += c[i * k + l] * c[j * k + l];
  return out;
}

async function scenarios(seed: number, set: number, S: number, dof: number, chol = CHOL, k = K) {
  const out = { factorReturns: new Float64Array(S * k), tScale: new Float64Array(S) };
  await tsBackend.factorScenarios({ seed, set, scenarios: S, factors: k, cholesky: chol, dof }, out);
  return out;
}

t.test('factor scenarios are the documented CounterRng draws (normal and Student-t)', async (t) => {
  const seed = 42;
  const set = 20_428;
  const S = 7;
  for (const dof of [0, 5, 4]) {
    const { factorReturns: F, tScale } = await scenarios(seed, set, S, dof);
    for (let s = 0; s < S; s++) {
      let tS = 1;
      if (dof > 0) {
        let w = 0;
        const per = Math.ceil(dof / 2);
        for (let j = 0; j < dof; j++)
          w += drawAt(seed, streamOf(set, STREAM_CHI), s * per + (j >> 1), j % 2 === 1) ** 2;
        tS = Math.sqrt((dof - 2) / w);
      }
      t.equal(tScale[s], tS, `t scale of scenario ${s}, ν=${dof}`);
      const z = [0, 1, 2].map((k) => drawAt(seed, streamOf(set, STREAM_FACTOR), s * 2 + (k >> 1), k % 2 === 1));
      for (let k = 0; k < K; k++) {
        let sum = 0;
        for (let j = 0; j <= k; j++) sum += CHOL[k * K + j] * z[j];
        t.equal(F[s * K + k], tS * sum, `F[${s}][${k}] ν=${dof}`);
      }
    }
  }
  // Different sets are different scenarios; the same set is the same bit for bit.
  const a = await scenarios(seed, set, 4, 0);
  const b = await scenarios(seed, set + 1, 4, 0);
  const c = await scenarios(seed, set, 4, 0);
  t.notSame(a.factorReturns, b.factorReturns);
  t.same(a.factorReturns, c.factorReturns);
});

t.test('bad jobs are refused with what is wrong', async (t) => {
  const out = { factorReturns: new Float64Array(3), tScale: new Float64Array(1) };
  const job = { seed: 1, set: 0, scenarios: 1, factors: 3, cholesky: CHOL, dof: 2 };
  await t.rejects(tsBackend.factorScenarios(job, out), /dof must be 0 or an integer ≥ 3, got 2/);
  await t.rejects(
    tsBackend.factorScenarios({ ...job, dof: 0, scenarios: 2 }, out),
    /factorReturns has 3 entries, needs 6/,
  );
});

t.test('sample covariance of 200k normal scenarios is C·Cᵀ', async (t) => {
  const S = 200_000;
  const { factorReturns: F } = await scenarios(7, 19_000, S, 0);
  const want = covOf(CHOL, K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let s = 0; s < S; s++) sum += F[s * K + i] * F[s * K + j];
      const got = sum / S;
      // Standard error of a sample covariance of normals: √((σ_ii σ_jj + σ_ij²) / S); allow 4 of them.
      const se = Math.sqrt((want[i * K + i] * want[j * K + j] + want[i * K + j] ** 2) / S);
      t.ok(Math.abs(got - want[i * K + j]) < 4 * se, `cov[${i}][${j}] ${got} vs ${want[i * K + j]} ± 4·${se}`);
    }
  }
});

/** E[x^(2k)] of a unit-variance Student-t with ν degrees of freedom (needs ν > 2k): (ν−2)^k (2k−1)!! / Π_{i=1..k}(ν/2−i)·2^−k. */
function evenMoment(nu: number, k: number): number {
  let m = 1;
  for (let i = 1; i <= k; i++) m *= ((2 * i - 1) * (nu - 2)) / (nu - 2 * i);
  return m;
}

function moments(F: Float64Array): { m2: number; m4: number } {
  let m2 = 0;
  let m4 = 0;
  for (const x of F) {
    m2 += x * x;
    m4 += x ** 4;
  }
  return { m2: m2 / F.length, m4: m4 / F.length };
}

t.test('Student-t scenarios: unit variance (ν = 5) and excess kurtosis 6/(ν−4) (ν = 12)', async (t) => {
  const S = 200_000;
  const chol = new Float64Array([1]);
  // ν = 5, the default: Var(x²) = E[x⁴] − 1 = 8, so the sample variance has se √(8/S); 4 se allowed.
  t.equal(evenMoment(5, 2), 9, 'E[x⁴] of unit t₅ = 3(ν−2)/(ν−4)');
  const five = moments((await scenarios(11, 19_001, S, 5, chol, 1)).factorReturns);
  const se2 = Math.sqrt((evenMoment(5, 2) - 1) / S);
  t.ok(Math.abs(five.m2 - 1) < 4 * se2, `ν=5 variance ${five.m2} vs 1 ± 4·${se2.toExponential(2)}`);
  // ν = 12: excess kurtosis 6/8 = 0.75; the sample kurtosis m4/m2² has (delta method) variance
  // [Var(x⁴) + 4μ4²·Var(x²) − 4μ4·Cov(x⁴, x²)] / S with moments up to the 8th (finite as ν > 8).
  const nu = 12;
  const [mu4, mu6, mu8] = [evenMoment(nu, 2), evenMoment(nu, 3), evenMoment(nu, 4)];
  t.equal(mu4 - 3, 6 / (nu - 4), 'excess kurtosis of the model');
  const twelve = moments((await scenarios(11, 19_002, S, nu, chol, 1)).factorReturns);
  const seK = Math.sqrt((mu8 - mu4 ** 2 + 4 * mu4 ** 2 * (mu4 - 1) - 4 * mu4 * (mu6 - mu4)) / S);
  const excess = twelve.m4 / twelve.m2 ** 2 - 3;
  t.ok(Math.abs(excess - 0.75) < 4 * seK, `ν=12 excess kurtosis ${excess} vs 0.75 ± 4·${seK.toFixed(4)}`);
  // Normal shocks: excess kurtosis 0 with se √(24/S).
  const normal = moments((await scenarios(11, 19_001, S, 0, chol, 1)).factorReturns);
  const nEx = normal.m4 / normal.m2 ** 2 - 3;
  t.ok(Math.abs(nEx) < 4 * Math.sqrt(24 / S), `normal excess kurtosis ${nEx} vs 0 ± 4·${Math.sqrt(24 / S).toFixed(4)}`);
});

t.test('instrument returns: CSR loadings plus σ_i ε_{i,s} t_s from the IDIO stream', async (t) => {
  const seed = 42;
  const set = 20_428;
  const S = 5; // odd: the last scenario takes z_even of a block whose z_odd is unused
  const { factorReturns, tScale } = await scenarios(seed, set, S, 5);
  const loadStart = new Int32Array([0, 2, 2, 3]);
  const loadFactor = new Int32Array([0, 2, 1]);
  const loadValue = new Float64Array([1.2, -0.4, 0.9]);
  const idioSigma = new Float64Array([0.02, 0, 0.03]);
  const out = new Float64Array(3 * S).fill(Number.NaN);
  const job = {
    seed,
    set,
    instruments: 3,
    scenarios: S,
    factors: K,
    factorReturns,
    tScale,
    loadStart,
    loadFactor,
    loadValue,
    idioSigma,
  };
  await tsBackend.instrumentReturns(job, out);
  for (let i = 0; i < 3; i++) {
    for (let s = 0; s < S; s++) {
      let want = 0;
      for (let e = loadStart[i]; e < loadStart[i + 1]; e++) want += loadValue[e] * factorReturns[s * K + loadFactor[e]];
      if (idioSigma[i] !== 0) {
        const eps = drawAt(seed, streamOf(set, STREAM_IDIO), i * Math.ceil(S / 2) + (s >> 1), s % 2 === 1);
        want += idioSigma[i] * eps * tScale[s];
      }
      t.ok(Math.abs(out[i * S + s] - want) <= 1e-15, `R[${i}][${s}] = ${out[i * S + s]} vs ${want}`);
    }
  }
  // Instrument 1 has neither loadings nor idiosyncratic risk: exactly 0.
  t.same(Array.from(out.subarray(S, 2 * S)), [0, 0, 0, 0, 0]);
  // tScale null: the idiosyncratic draw is unscaled.
  await tsBackend.instrumentReturns({ ...job, tScale: null }, out);
  const eps0 = drawAt(seed, streamOf(set, STREAM_IDIO), 0, false);
  t.ok(Math.abs(out[0] - (1.2 * factorReturns[0] - 0.4 * factorReturns[2] + 0.02 * eps0)) <= 1e-15, 'unscaled draw');
});
