// Full revaluation throughput (docs/risk.md "Full revaluation"): option revaluations per second
// (options × scenarios / seconds) per backend, half BSM with dividend yield on equities and half
// Black-76 on futures, calls and puts, on 100 underlyings' scenario returns. Peer in the same run:
// the same revaluation vectorised in NumPy with scipy.special.ndtr, whose output is compared with
// ours so both sides are known to do the same work.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_BLACK76, MODEL_BSM, type RevaluationJob } from '../../engine/risk/backend.js';
import type { BackendName } from '../../native/loader.js';
import { checkTargets, type Scenario } from '../harness.js';
import { best, cpuInfo, lcg, loadBackends, numpyPeer, scratch } from './risk-common.js';

const UNDERLYINGS = 100;

function job(count: number, scenarios: number): RevaluationJob {
  const rnd = lcg(11);
  // Daily returns of 1–3 % vol, normal by Box–Muller from the seeded generator.
  const returns = new Float64Array(UNDERLYINGS * scenarios);
  for (let u = 0; u < UNDERLYINGS; u++) {
    const vol = 0.01 + 0.02 * rnd();
    for (let s = 0; s < scenarios; s++) {
      const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      returns[u * scenarios + s] = vol * z;
    }
  }
  const f = (make: (j: number) => number) => Float64Array.from({ length: count }, (_, j) => make(j));
  const row = Int32Array.from({ length: count }, (_, j) => j % UNDERLYINGS);
  const spot = f(() => 50 + 450 * rnd());
  return {
    count,
    scenarios,
    returns,
    row,
    model: Uint8Array.from({ length: count }, (_, j) => (j % 2 === 0 ? MODEL_BSM : MODEL_BLACK76)),
    isCall: Uint8Array.from({ length: count }, (_, j) => (j % 4 < 2 ? 1 : 0)),
    spot,
    strike: f((j) => spot[j] * (0.8 + 0.4 * rnd())),
    tau: f(() => 0.05 + 1.95 * rnd()),
    vol: f(() => 0.15 + 0.45 * rnd()),
    rate: f(() => 0.03),
    dividend: f((j) => (j % 2 === 0 ? 0.04 * rnd() : 0)),
    duration: f(() => 0),
    convexity: f(() => 0),
    multiplier: f(() => 100),
    volShift: null,
    horizonYears: 1 / 252,
  };
}

async function peer(j: RevaluationJob, ours: Float64Array | null, repeats: number) {
  const dir = scratch();
  try {
    for (const k of ['returns', 'spot', 'strike', 'tau', 'vol', 'rate', 'dividend', 'multiplier'] as const)
      dir.put(`${k}.f64`, j[k]);
    dir.put('row.i32', j.row);
    dir.put('model.u8', j.model);
    dir.put('isCall.u8', j.isCall);
    const params = { count: j.count, scenarios: j.scenarios, horizonYears: j.horizonYears, repeats };
    dir.put('params.json', new TextEncoder().encode(JSON.stringify(params)));
    const r = await numpyPeer('reval', dir.dir);
    if ('skipped' in r || ours === null) return { r, maxRelDiff: NaN };
    const raw = readFileSync(join(dir.dir, 'numpy-out.f64'));
    const theirs = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    let diff = 0;
    let scale = 0;
    for (let x = 0; x < ours.length; x++) {
      diff = Math.max(diff, Math.abs(ours[x] - theirs[x]));
      scale = Math.max(scale, Math.abs(ours[x]));
    }
    return { r, maxRelDiff: diff / scale };
  } finally {
    dir.done();
  }
}

export const riskReval: Scenario = {
  name: 'risk-reval',
  description: 'full revaluation (BSM with q, Black-76) throughput per backend vs NumPy/scipy vectorised',
  async run({ quick, log }) {
    const count = quick ? 200 : 1_000;
    const scenarios = quick ? 5_000 : 10_000;
    const j = job(count, scenarios);
    const n = count * scenarios;
    const { loaded, skipped } = loadBackends(['ts', 'cpu', 'gpujs', 'cuda'] as BackendName[]);
    const metrics: Record<string, number> = {};
    const detail: Record<string, unknown> = { skipped };
    let cpuOut: Float64Array | null = null;
    for (const { name, backend } of loaded) {
      const out = new Float64Array(n);
      await backend.revalue(j, out); // warm-up (JIT, thread pool)
      const t = await best(name === 'ts' ? 1 : 3, () => backend.revalue(j, out));
      metrics[`${name}_reval_per_s`] = n / t.seconds;
      detail[name] = { threads: backend.threads, detail: backend.detail, ...t };
      if (name === 'cpu' || cpuOut === null) cpuOut = out;
      log(`${name}: ${(n / t.seconds / 1e6).toFixed(2)}M revaluations/s (${t.seconds.toFixed(3)} s)`);
    }
    const np = await peer(j, cpuOut, 3);
    if ('skipped' in np.r) detail.numpy = np.r.skipped;
    else {
      metrics.numpy_reval_per_s = n / np.r.seconds;
      detail.numpy = { ...np.r, maxRelDiffVsOurs: np.maxRelDiff, normalCdf: 'scipy.special.ndtr' };
      log(
        `NumPy: ${(n / np.r.seconds / 1e6).toFixed(2)}M revaluations/s, max |Δ| vs ours ${np.maxRelDiff.toExponential(1)} of max |P&L|`,
      );
    }
    if (metrics.cpu_reval_per_s && metrics.numpy_reval_per_s)
      metrics.cpu_over_numpy = metrics.cpu_reval_per_s / metrics.numpy_reval_per_s;
    return {
      params: {
        options: count,
        scenarios,
        underlyings: UNDERLYINGS,
        mix: 'BSM with q : Black-76 = 1 : 1, calls : puts = 1 : 1',
        cpu: cpuInfo(),
        ...detail,
      },
      metrics,
      baseline: metrics.numpy_reval_per_s
        ? { name: 'NumPy + scipy.special.ndtr, vectorised', metrics: { reval_per_s: metrics.numpy_reval_per_s } }
        : null,
      ratio: metrics.cpu_over_numpy ?? null,
      targets: checkTargets(metrics, [{ metric: 'cpu_over_numpy', op: '>=', value: 3 }]),
    };
  },
};
