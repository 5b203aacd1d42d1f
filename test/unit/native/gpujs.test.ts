// The gpujs backend (gpu.js kernels) against the TypeScript reference for one seed, in gpu.js's own
// choice of mode and in its JavaScript cpu mode, within float32 bounds (u = 2⁻²⁴, the unit roundoff
// of float32, which gpu.js computes or stores in every mode): a sum of n products of float32-rounded
// inputs errs by at most (n + 2)·u·Σ|terms| (Higham, Accuracy and Stability, §3.1), taken ×4 here; a
// Black–Scholes price's error is led by d1's, u·|ln(S/K)|/(σ√τ), times Φ' ≤ 0.4 and S + K. Also
// Hull's printed option values through the kernel, the mode it reports, and its refusals.
import t, { type Test } from 'tap';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { loadGpujsBackend, type GpujsBackend, type GpujsMode } from '../../../native/gpujs.js';
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { CounterRng } from '../../../maths/random.js';
import {
  MODEL_BLACK76,
  MODEL_BOND,
  MODEL_BSM,
  type InstrumentReturnJob,
  type RevaluationJob,
} from '../../../engine/risk/backend.js';

const U = 2 ** -24;
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>;
};

t.test('a package that is not there, or is not gpu.js, is a reason', async (t) => {
  const missing = loadGpujsBackend({ module: 'gpu.js-not-installed' });
  t.match(missing, { reason: /^gpu\.js-not-installed did not load \(Cannot find module/ });
  t.notOk('backend' in missing);
  const other = loadGpujsBackend({ module: 'tap' });
  t.match(other, { reason: 'tap exports no GPU class: not gpu.js' });
});

const auto = loadGpujsBackend({ threads: 2 });
if ('reason' in auto) {
  // Only acceptable while package.json does not yet declare gpu.js; once declared it must load.
  t.notOk(pkg.dependencies?.['gpu.js'], `gpu.js is declared but did not load: ${auto.reason}`);
  t.comment(`gpu.js kernels not checked: ${auto.reason}`);
} else {
  const require = createRequire(import.meta.url);
  const { GPU } = require('gpu.js') as {
    GPU: (new () => { Kernel: { mode: string }; destroy(): void }) & Record<string, boolean>;
  };
  const picked = new GPU();
  const own = picked.Kernel.mode;
  picked.destroy();

  t.test('reports the mode gpu.js itself picks, float32, and what runs in the reference', async (t) => {
    const b = auto.backend;
    const version = (require('gpu.js/package.json') as { version: string }).version;
    t.equal(b.name, 'gpujs');
    t.equal(b.mode, own);
    t.match(b.detail, `gpu.js ${version} ${own} mode (`);
    t.match(b.detail, 'float32');
    t.match(b.detail, 'factor scenarios, parametric, tail and components in the ts reference');
    if (!GPU.isHeadlessGLSupported) t.match(b.detail, 'no headless-gl');
    if (own === 'webasm') t.equal(b.threads, 2);
    t.equal(b.parametric, tsBackend.parametric);
    t.equal(b.tail, tsBackend.tail);
    t.equal(b.components, tsBackend.components);
    t.equal(b.factorScenarios, tsBackend.factorScenarios);
  });

  t.test('a mode this machine lacks is refused with gpu.js own reason', async (t) => {
    if (GPU.isHeadlessGLSupported) return t.pass('headless-gl runs here');
    t.match(loadGpujsBackend({ mode: 'headlessgl' }), { reason: /^gpu\.js mode "headlessgl": .*not supported/ });
  });

  const cpu = loadGpujsBackend({ mode: 'cpu' });
  t.ok('backend' in cpu, 'gpu.js cpu mode loads everywhere');
  const backends: [GpujsMode, GpujsBackend][] = [['auto', auto.backend]];
  if ('backend' in cpu) backends.push(['cpu', cpu.backend]);
  for (const [mode, b] of backends) t.test(`kernels equal the reference (${mode} → ${b.mode})`, (t) => kernels(t, b));
  t.teardown(() => backends.forEach(([, b]) => b.destroy()));
}

/** A loading model: instrument i loads on 1..4 factors, from its own stream. */
function returnJob(N: number, S: number, K: number, F: Float64Array, tScale: Float64Array): InstrumentReturnJob {
  const rng = new CounterRng(11);
  const start = [0];
  const fac: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < N; i++) {
    for (let e = 0; e < 1 + (i % 4); e++) {
      fac.push((i + 3 * e) % K);
      val.push(0.2 + 1.5 * rng.uniform());
    }
    start.push(fac.length);
  }
  const idioSigma = Float64Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 0 : 0.005 + 0.02 * rng.uniform()));
  return {
    seed: 42,
    set: 20454,
    instruments: N,
    scenarios: S,
    factors: K,
    factorReturns: F,
    tScale,
    loadStart: Int32Array.from(start),
    loadFactor: Int32Array.from(fac),
    loadValue: Float64Array.from(val),
    idioSigma,
  };
}

/** Options on every row (BSM calls and puts with a yield, Black-76, one expiring within the horizon) and bonds. */
function revaluationJob(J: number, S: number, returns: Float64Array, volShift: Float64Array | null): RevaluationJob {
  const rng = new CounterRng(12);
  const f = (fn: (j: number) => number) => Float64Array.from({ length: J }, (_, j) => fn(j));
  return {
    count: J,
    scenarios: S,
    returns,
    row: Int32Array.from({ length: J }, (_, j) => j),
    model: Uint8Array.from({ length: J }, (_, j) =>
      j % 5 === 4 ? MODEL_BOND : j % 3 === 2 ? MODEL_BLACK76 : MODEL_BSM,
    ),
    isCall: Uint8Array.from({ length: J }, (_, j) => j % 2),
    spot: f(() => 20 + 180 * rng.uniform()),
    strike: f(() => 20 + 180 * rng.uniform()),
    tau: f((j) => (j === 1 ? 0.001 : 0.02 + 2 * rng.uniform())),
    vol: f(() => 0.05 + 0.6 * rng.uniform()),
    rate: f(() => 0.06 * rng.uniform()),
    dividend: f(() => 0.04 * rng.uniform()),
    duration: f(() => 1 + 9 * rng.uniform()),
    convexity: f(() => 5 + 80 * rng.uniform()),
    multiplier: f((j) => (j % 5 === 4 ? 0.01 : 100)),
    volShift,
    horizonYears: 10 / 365.25,
  };
}

/** The bound a revalued P&L obeys: options c·u·m·(S' + K)·(1 + |ln(S'/K)|/(σ'√τ')), bonds c·u·m·P·(|R| + ½C(R/D)²). */
function revalueBound(job: RevaluationJob, j: number, R: number, shift: number): number {
  const m = job.multiplier[j];
  if (job.model[j] === MODEL_BOND) {
    const dy = R / job.duration[j];
    return 16 * U * m * job.spot[j] * (Math.abs(R) + 0.5 * job.convexity[j] * dy * dy);
  }
  const spot = job.spot[j] * (1 + Math.max(R, -0.99));
  const sd = Math.max(job.vol[j] + shift, 1e-4) * Math.sqrt(Math.max(job.tau[j] - job.horizonYears, 0));
  const lead = sd > 0 ? Math.abs(Math.log(spot / job.strike[j])) / sd : 0;
  return 16 * U * m * (spot + job.strike[j]) * (1 + lead);
}

async function kernels(t: Test, b: GpujsBackend): Promise<void> {
  const N = 48;
  const S = 2001; // odd: the last scenario takes z_even of a pair alone
  const K = 7;
  const chol = new Float64Array(K * K);
  const rng = new CounterRng(7);
  for (let r = 0; r < K; r++) for (let j = 0; j <= r; j++) chol[r * K + j] = j === r ? 0.02 : 0.01 * rng.normal();
  const sc = { factorReturns: new Float64Array(S * K), tScale: new Float64Array(S) };
  await tsBackend.factorScenarios({ seed: 42, set: 20454, scenarios: S, factors: K, cholesky: chol, dof: 5 }, sc);
  const job = returnJob(N, S, K, sc.factorReturns, sc.tScale);
  const ref = new Float64Array(N * S);
  const got = new Float64Array(N * S);
  await tsBackend.instrumentReturns(job, ref);
  await b.instrumentReturns(job, got);
  let bad = '';
  for (let i = 0; i < N && bad === ''; i++) {
    const n = job.loadStart[i + 1] - job.loadStart[i];
    for (let s = 0; s < S; s++) {
      let A = 0;
      for (let e = job.loadStart[i]; e < job.loadStart[i + 1]; e++)
        A += Math.abs(job.loadValue[e] * sc.factorReturns[s * K + job.loadFactor[e]]);
      const bound = 4 * (n + 2) * U * A + 2 ** -50 * Math.abs(ref[i * S + s]);
      if (!(Math.abs(got[i * S + s] - ref[i * S + s]) <= bound))
        bad = `[${i}][${s}] ${got[i * S + s]} vs ${ref[i * S + s]}`;
    }
  }
  t.equal(bad, '', 'instrument returns within 4(n+2)·u·Σ|L·F| (idiosyncratic draws added in doubles)');
  const compiled = b.compiled;
  await b.instrumentReturns(job, got);
  t.equal(b.compiled, compiled, 'a second call of the same shape compiles nothing');

  const moved = Float64Array.from(ref);
  moved[3 * S + 5] = -1.7; // below the −99 % floor
  const shift = Float64Array.from({ length: S }, (_, s) => (s % 4) * 0.05 - 0.1);
  for (const volShift of [null, shift]) {
    const rj = revaluationJob(N, S, moved, volShift);
    const want = new Float64Array(N * S);
    const have = new Float64Array(N * S);
    await tsBackend.revalue(rj, want);
    await b.revalue(rj, have);
    bad = '';
    for (let j = 0; j < N && bad === ''; j++)
      for (let s = 0; s < S; s++) {
        const bound = revalueBound(rj, j, moved[j * S + s], volShift === null ? 0 : volShift[s]);
        if (!(Math.abs(have[j * S + s] - want[j * S + s]) <= bound))
          bad = `[${j}][${s}] ${have[j * S + s]} vs ${want[j * S + s]}`;
      }
    t.equal(bad, '', `revaluation within the float32 pricing bound (${volShift === null ? 'no' : 'with'} vol shift)`);
  }

  const acc = {
    scenarios: S,
    matrix: ref,
    rows: Int32Array.from({ length: 30 }, (_, j) => (7 * j) % N),
    weights: Float64Array.from({ length: 30 }, (_, j) => (j % 6 === 0 ? 0 : 1000 * (j - 15.5))),
    reset: false,
  };
  const base = Float64Array.from({ length: S }, (_, s) => s * 0.25 - 100);
  const want = Float64Array.from(base);
  const have = Float64Array.from(base);
  tsBackend.accumulate(acc, want);
  await b.accumulateAsync(acc, have);
  bad = '';
  for (let s = 0; s < S && bad === ''; s++) {
    let A = 0;
    for (let j = 0; j < 30; j++) A += Math.abs(acc.weights[j] * ref[acc.rows[j] * S + s]);
    if (!(Math.abs(have[s] - want[s]) <= 4 * 32 * U * A + 2 ** -50 * Math.abs(want[s])))
      bad = `[${s}] ${have[s]} vs ${want[s]}`;
  }
  t.equal(bad, '', 'accumulate (adding to out) within 4(J+2)·u·Σ|w·m|');
  t.equal(b.accumulate, tsBackend.accumulate, 'the per-tick accumulate is the reference, in doubles');
  await b.accumulateAsync({ ...acc, reset: true, weights: new Float64Array(30) }, have);
  t.ok(
    have.every((x) => x === 0),
    'reset with every weight 0 leaves zeros',
  );
}

t.test(
  "Hull's printed values through the revaluation kernel (today at spot 1e-6, moved to the example's spot)",
  async (t) => {
    const got = loadGpujsBackend({});
    if ('reason' in got) return t.pass(`gpu.js not loaded: ${got.reason}`);
    const b = got.backend;
    // Hull, Options, Futures and Other Derivatives, Example 15.6: S=42, K=40, r=10%, σ=20%, T=0.5 → c=4.76, p=0.81;
    // Example 18.6: Black-76 put, F=K=20, r=9%, σ=25%, T=4 months → 1.12.
    const job: RevaluationJob = {
      count: 3,
      scenarios: 1,
      returns: Float64Array.of(42e6 - 1, 20e6 - 1),
      row: Int32Array.of(0, 0, 1),
      model: Uint8Array.of(MODEL_BSM, MODEL_BSM, MODEL_BLACK76),
      isCall: Uint8Array.of(1, 0, 0),
      spot: Float64Array.of(1e-6, 1e-6, 1e-6),
      strike: Float64Array.of(40, 40, 20),
      tau: Float64Array.of(0.5, 0.5, 4 / 12),
      vol: Float64Array.of(0.2, 0.2, 0.25),
      rate: Float64Array.of(0.1, 0.1, 0.09),
      dividend: new Float64Array(3),
      duration: new Float64Array(3),
      convexity: new Float64Array(3),
      multiplier: Float64Array.of(1, 1, 1),
      volShift: null,
      horizonYears: 0,
    };
    const out = new Float64Array(3);
    await b.revalue(job, out);
    // At spot 1e-6 the call is worth 0 and a put its discounted intrinsic value (Φ(−d) = 1 exactly).
    t.equal(Math.round(out[0] * 100) / 100, 4.76);
    t.equal(Math.round((out[1] + 40 * Math.exp(-0.05) - 1e-6) * 100) / 100, 0.81);
    t.equal(Math.round((out[2] + Math.exp(-0.03) * (20 - 1e-6)) * 100) / 100, 1.12);
    b.destroy();
  },
);
