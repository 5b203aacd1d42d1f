// CUDA against cpu on the target shape: 5,000 positions × 100,000 scenarios with full
// revaluation (factor scenarios → instrument returns → revaluation → P&L accumulation), timed per
// phase, every copy across the bus included (the RiskBackend contract hands back host arrays).
// Imports the compiled sources (dist/, `npm run build`); prints one JSON document and writes it
// to $OUT/cuda-bench.json when OUT is set. Arguments: --positions N --scenarios S --factors K
// --underlyings U --cpu-threads T --no-cpu.
import { availableParallelism } from 'node:os';
import process from 'node:process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCudaBackend } from '../../dist/native/cuda.js';
import { loadCpuBackend } from '../../dist/native/cpu.js';
import { tsBackend } from '../../dist/engine/risk/ts-backend.js';
import { MODEL_BLACK76, MODEL_BOND, MODEL_BSM } from '../../dist/engine/risk/backend.js';
import { CounterRng } from '../../dist/maths/random.js';

const NUMERIC = {
  '--positions': 'positions',
  '--scenarios': 'scenarios',
  '--factors': 'factors',
  '--underlyings': 'underlyings',
  '--cpu-threads': 'cpuThreads',
};

function options(argv) {
  const o = {
    positions: 5000,
    scenarios: 100000,
    factors: 50,
    underlyings: 500,
    cpuThreads: availableParallelism(),
    cpu: true,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-cpu') {
      o.cpu = false;
      continue;
    }
    const key = NUMERIC[argv[i]];
    const v = Number(argv[++i]);
    if (!key || !Number.isInteger(v) || v < 1)
      throw new Error(
        `bench-cuda: ${argv[i - 1]} ${argv[i]}: expected one of ${Object.keys(NUMERIC).join(', ')} and a positive integer`,
      );
    o[key] = v;
  }
  return o;
}

/** A factor model, an underlying universe and a book of options and bonds, all from fixed seeds. */
function book({ positions: P, scenarios: S, factors: K, underlyings: U }) {
  const g = new CounterRng(2026);
  const cholesky = new Float64Array(K * K);
  for (let r = 0; r < K; r++)
    for (let j = 0; j <= r; j++) cholesky[r * K + j] = j === r ? 0.006 + 0.01 * g.uniform() : 0.004 * g.normal();
  const loadStart = new Int32Array(U + 1);
  const loadFactor = new Int32Array(3 * U);
  const loadValue = new Float64Array(3 * U);
  const idioSigma = new Float64Array(U);
  for (let i = 0; i < U; i++) {
    for (let e = 0; e < 3; e++) {
      loadFactor[3 * i + e] = (i * 3 + e * 17) % K;
      loadValue[3 * i + e] = e === 0 ? 0.8 + 0.4 * g.uniform() : 0.3 * g.normal();
    }
    loadStart[i + 1] = 3 * (i + 1);
    idioSigma[i] = 0.005 + 0.015 * g.uniform();
  }
  const f = () => new Float64Array(P);
  const reval = {
    count: P,
    scenarios: S,
    row: new Int32Array(P),
    model: new Uint8Array(P),
    isCall: new Uint8Array(P),
    spot: f(),
    strike: f(),
    tau: f(),
    vol: f(),
    rate: f(),
    dividend: f(),
    duration: f(),
    convexity: f(),
    multiplier: f(),
    volShift: null,
    horizonYears: 1 / 365.25,
  };
  const weights = new Float64Array(P);
  for (let j = 0; j < P; j++) {
    const kind = j % 10 === 9 ? MODEL_BOND : j % 10 === 8 ? MODEL_BLACK76 : MODEL_BSM;
    reval.row[j] = j % U;
    reval.model[j] = kind;
    reval.isCall[j] = j % 2;
    reval.spot[j] = kind === MODEL_BOND ? 97 + 6 * g.uniform() : 20 + 400 * g.uniform();
    reval.strike[j] = reval.spot[j] * (0.8 + 0.4 * g.uniform());
    reval.tau[j] = 0.02 + 2 * g.uniform();
    reval.vol[j] = 0.12 + 0.5 * g.uniform();
    reval.rate[j] = 0.04;
    reval.dividend[j] = 0.02 * g.uniform();
    reval.duration[j] = 1 + 12 * g.uniform();
    reval.convexity[j] = 5 + 150 * g.uniform();
    reval.multiplier[j] = kind === MODEL_BOND ? 0.01 : 100;
    weights[j] = Math.round((g.uniform() - 0.3) * 200);
  }
  const scen = { seed: 42, set: 20454, scenarios: S, factors: K, cholesky, dof: 5 };
  const loads = { loadStart, loadFactor, loadValue, idioSigma };
  return { scen, loads, reval, weights };
}

/** One full run on a backend; arrays are the caller's and reused, as the engine reuses them. */
async function run(backend, b, arrays) {
  const { scenarios: S, factors: K } = b.scen;
  const U = b.loads.idioSigma.length;
  const ms = {};
  let t = performance.now();
  const lap = (name) => {
    const now = performance.now();
    ms[name] = +(now - t).toFixed(2);
    t = now;
  };
  const start = t;
  await backend.factorScenarios(b.scen, arrays.factors);
  lap('factorScenarios');
  const rj = {
    seed: 42,
    set: 20454,
    instruments: U,
    scenarios: S,
    factors: K,
    factorReturns: arrays.factors.factorReturns,
    tScale: arrays.factors.tScale,
    ...b.loads,
  };
  await backend.instrumentReturns(rj, arrays.returns);
  lap('instrumentReturns');
  await backend.revalue({ ...b.reval, returns: arrays.returns }, arrays.revalued);
  lap('revalue');
  const rows = Int32Array.from({ length: b.reval.count }, (_, j) => j);
  backend.accumulate({ matrix: arrays.revalued, rows, weights: b.weights, scenarios: S, reset: true }, arrays.pnl);
  lap('accumulate');
  ms.total = +(performance.now() - start).toFixed(2);
  return ms;
}

function allocate({ positions: P, scenarios: S, factors: K, underlyings: U }) {
  return {
    factors: { factorReturns: new Float64Array(S * K), tScale: new Float64Array(S) },
    returns: new Float64Array(U * S),
    revalued: new Float64Array(P * S),
    pnl: new Float64Array(S),
  };
}

function var99(pnl) {
  const out = { var: new Float64Array(1), es: new Float64Array(1), varScenario: new Int32Array(1) };
  tsBackend.tail({ scenarios: pnl.length, pnl, weights: null, confidence: Float64Array.of(0.99) }, out);
  return { var: out.var[0], es: out.es[0], scenario: out.varScenario[0] };
}

async function main() {
  const o = options(process.argv.slice(2));
  const result = {
    shape: {
      positions: o.positions,
      scenarios: o.scenarios,
      factors: o.factors,
      underlyings: o.underlyings,
      fullRevaluation: true,
      dof: 5,
    },
  };
  const b = book(o);
  const arrays = allocate(o);
  const cuda = loadCudaBackend();
  if ('reason' in cuda) result.cuda = { skipped: cuda.reason };
  else {
    result.cuda = { detail: cuda.backend.detail, cold: await run(cuda.backend, b, arrays) };
    result.cuda.warm = await run(cuda.backend, b, arrays);
    result.cuda.risk = var99(arrays.pnl);
    result.cuda.optionRevaluationsPerSecond = Math.round(
      (o.positions * o.scenarios) / (result.cuda.warm.revalue / 1000),
    );
  }
  const cudaPnl = Float64Array.from(arrays.pnl);
  const cpu = o.cpu ? loadCpuBackend({ threads: o.cpuThreads }) : { reason: '--no-cpu' };
  if ('reason' in cpu) result.cpu = { skipped: cpu.reason };
  else {
    result.cpu = { detail: cpu.backend.detail, threads: o.cpuThreads, run: await run(cpu.backend, b, arrays) };
    result.cpu.risk = var99(arrays.pnl);
    result.cpu.optionRevaluationsPerSecond = Math.round((o.positions * o.scenarios) / (result.cpu.run.revalue / 1000));
  }
  if (result.cuda.warm && result.cpu.run) {
    let worst = 0,
      scale = 0;
    for (let s = 0; s < o.scenarios; s++) {
      worst = Math.max(worst, Math.abs(cudaPnl[s] - arrays.pnl[s]));
      scale = Math.max(scale, Math.abs(arrays.pnl[s]));
    }
    result.agreement = {
      maxAbsPnlDiff: worst,
      relativeToMaxPnl: worst / scale,
      var99RelDiff: Math.abs(result.cuda.risk.var - result.cpu.risk.var) / result.cpu.risk.var,
    };
    const speed = {};
    for (const k of Object.keys(result.cpu.run)) speed[k] = +(result.cpu.run[k] / result.cuda.warm[k]).toFixed(2);
    result.speedupCudaOverCpu = speed;
    result.target = 'cuda >= 50x cpu on 5k x 100k with full revaluation (issue 11)';
  }
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(text + '\n');
  if (process.env.OUT) writeFileSync(join(process.env.OUT, 'cuda-bench.json'), text + '\n');
}

await main();
