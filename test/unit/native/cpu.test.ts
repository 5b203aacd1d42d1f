// The native cpu backend against draws and prices computed independently here (CounterRng of
// maths/random.ts, Hull's and Haug's printed option values, hand-ranked tails) and against the
// TypeScript reference within docs/risk.md's tolerances, at 1 and 2 threads.
import t from 'tap';
import { loadCpuBackend, type CpuBackend } from '../../../native/cpu.js';
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { CounterRng } from '../../../maths/random.js';
import {
  MODEL_BLACK76,
  MODEL_BSM,
  allocateTail,
  streamOf,
  type FactorScenarioJob,
  type InstrumentReturnJob,
  type RevaluationJob,
} from '../../../engine/risk/backend.js';
import { cpu1, cpu2 } from './cpu-fixtures.js';
import { revalueJob } from './revalue-fixtures.js';

/** Largest violation of |a − b| ≤ max(rel·|b|, abs); 0 when all agree. */
function worst(a: Float64Array, b: Float64Array, rel: number, abs: number): string {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++)
    if (!(Math.abs(a[i] - b[i]) <= Math.max(rel * Math.abs(b[i]), abs))) return `[${i}] ${a[i]} vs ${b[i]}`;
  return '';
}

/** A lower-triangular Cholesky factor with a positive diagonal, drawn from its own stream. */
function cholesky(k: number, rng: CounterRng): Float64Array {
  const c = new Float64Array(k * k);
  for (let r = 0; r < k; r++)
    for (let j = 0; j <= r; j++) c[r * k + j] = j === r ? 0.01 + 0.02 * rng.uniform() : 0.01 * rng.normal();
  return c;
}

const zAt = (seed: number, stream: number, block: number, odd: boolean): number => {
  const g = new CounterRng(seed, stream).seek(2 * block);
  const even = g.normal();
  return odd ? g.normal() : even;
};

function scenarioJob(scenarios: number, factors: number, dof: number): FactorScenarioJob {
  return { seed: 42, set: 20454, scenarios, factors, dof, cholesky: cholesky(factors, new CounterRng(7)) };
}

async function scenariosOf(b: { factorScenarios: CpuBackend['factorScenarios'] }, job: FactorScenarioJob) {
  const out = { factorReturns: new Float64Array(job.scenarios * job.factors), tScale: new Float64Array(job.scenarios) };
  await b.factorScenarios(job, out);
  return out;
}

t.test('factor scenarios are C·z·t with z and the chi-square drawn by CounterRng at their counters', async (t) => {
  const job = scenarioJob(7, 5, 5);
  const got = await scenariosOf(cpu2, job);
  const K = 5;
  for (let s = 0; s < 7; s++) {
    let w = 0;
    for (let j = 0; j < 5; j++) w += zAt(42, streamOf(job.set, 1), s * 3 + (j >> 1), j % 2 === 1) ** 2;
    const ts = Math.sqrt(3 / w);
    t.ok(Math.abs(got.tScale[s] - ts) <= 1e-14 * ts, `tScale[${s}]`);
    for (let k = 0; k < K; k++) {
      let acc = 0;
      for (let j = 0; j <= k; j++)
        acc += job.cholesky[k * K + j] * zAt(42, streamOf(job.set, 0), s * 3 + (j >> 1), j % 2 === 1);
      const f = ts * acc;
      t.ok(Math.abs(got.factorReturns[s * K + k] - f) <= Math.max(1e-12 * Math.abs(f), 1e-15), `F[${s}][${k}]`);
    }
  }
  const normal = await scenariosOf(cpu1, scenarioJob(3, 2, 0));
  t.same([...normal.tScale], [1, 1, 1], 'normal shocks have t = 1');
});

t.test('factor scenarios: identical at 1 and 2 threads, equal to the ts reference', async (t) => {
  for (const dof of [0, 5]) {
    const job = scenarioJob(10001, 21, dof);
    const [a, b, ref] = [await scenariosOf(cpu1, job), await scenariosOf(cpu2, job), await scenariosOf(tsBackend, job)];
    t.same(Buffer.from(a.factorReturns.buffer), Buffer.from(b.factorReturns.buffer), `dof ${dof}: bit for bit`);
    t.same(Buffer.from(a.tScale.buffer), Buffer.from(b.tScale.buffer), `dof ${dof}: tScale bit for bit`);
    t.equal(worst(a.factorReturns, ref.factorReturns, 1e-12, 1e-15), '', `dof ${dof}: F vs ts`);
    t.equal(worst(a.tScale, ref.tScale, 1e-12, 1e-15), '', `dof ${dof}: tScale vs ts`);
  }
});

/** n instruments on K factors, two loadings each (the last has none), idio vol on every other one. */
function returnJob(
  n: number,
  scenarios: number,
  k: number,
  f: { factorReturns: Float64Array; tScale: Float64Array | null },
): InstrumentReturnJob {
  const rng = new CounterRng(11);
  const loadStart = new Int32Array(n + 1);
  const loadFactor: number[] = [];
  const loadValue: number[] = [];
  const idioSigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i < n - 1) {
      loadFactor.push(i % k, (i * 7 + 3) % k);
      loadValue.push(0.5 + rng.uniform(), rng.normal());
    }
    loadStart[i + 1] = loadFactor.length;
    idioSigma[i] = i % 2 === 0 ? 0.01 + 0.02 * rng.uniform() : 0;
  }
  return {
    seed: 42,
    set: 20454,
    instruments: n,
    scenarios,
    factors: k,
    ...f,
    loadStart,
    loadFactor: Int32Array.from(loadFactor),
    loadValue: Float64Array.from(loadValue),
    idioSigma,
  };
}

t.test('instrument returns are L·F plus σ·ε·t with ε from the IDIO stream', async (t) => {
  const S = 5;
  const f = await scenariosOf(cpu1, scenarioJob(S, 3, 5));
  const job = returnJob(4, S, 3, f);
  const out = new Float64Array(4 * S);
  await cpu2.instrumentReturns(job, out);
  for (let i = 0; i < 4; i++)
    for (let s = 0; s < S; s++) {
      let r = 0;
      for (let e = job.loadStart[i]; e < job.loadStart[i + 1]; e++)
        r += job.loadValue[e] * f.factorReturns[s * 3 + job.loadFactor[e]];
      if (job.idioSigma[i] > 0)
        r += job.idioSigma[i] * zAt(42, streamOf(job.set, 2), i * 3 + (s >> 1), s % 2 === 1) * f.tScale[s];
      t.ok(
        Math.abs(out[i * S + s] - r) <= Math.max(1e-12 * Math.abs(r), 1e-15),
        `R[${i}][${s}] ${out[i * S + s]} vs ${r}`,
      );
    }
});

t.test('instrument returns: identical at 1 and 2 threads, equal to the ts reference', async (t) => {
  const S = 10001;
  const f = await scenariosOf(cpu1, scenarioJob(S, 21, 5));
  for (const tScale of [f.tScale, null]) {
    const job = returnJob(50, S, 21, { factorReturns: f.factorReturns, tScale });
    const outs = [new Float64Array(50 * S), new Float64Array(50 * S), new Float64Array(50 * S)];
    await cpu1.instrumentReturns(job, outs[0]);
    await cpu2.instrumentReturns(job, outs[1]);
    await tsBackend.instrumentReturns(job, outs[2]);
    t.same(Buffer.from(outs[0].buffer), Buffer.from(outs[1].buffer), 'bit for bit across thread counts');
    t.equal(worst(outs[0], outs[2], 1e-12, 1e-15), '', `vs ts (tScale ${tScale ? 'given' : 'null'})`);
  }
});

t.test(
  'vectorised draws: batch tails, a negative seed and odd shapes equal CounterRng at 1, 2 and 3 threads',
  async (t) => {
    const cpu3 = (loadCpuBackend({ threads: 3 }) as { backend: CpuBackend }).backend;
    for (const [S, K] of [
      [1, 1],
      [65, 3],
      [4097, 2],
    ]) {
      const job: FactorScenarioJob = { ...scenarioJob(S, K, 3), seed: -5 };
      const f = await scenariosOf(cpu1, job);
      const rj = { ...returnJob(3, S, K, f), seed: -5 };
      const outs = [new Float64Array(3 * S), new Float64Array(3 * S), new Float64Array(3 * S)];
      await cpu1.instrumentReturns(rj, outs[0]);
      await cpu2.instrumentReturns(rj, outs[1]);
      await cpu3.instrumentReturns(rj, outs[2]);
      t.same(Buffer.from(outs[1].buffer), Buffer.from(outs[0].buffer), `S ${S}: 2 threads bit for bit`);
      t.same(Buffer.from(outs[2].buffer), Buffer.from(outs[0].buffer), `S ${S}: 3 threads bit for bit`);
      const per = Math.ceil(S / 2);
      let bad = '';
      for (let s = 0; s < S && !bad; s++) {
        // Instrument 0 has idiosyncratic risk: its return is L·F + σ·ε·t with ε drawn here by CounterRng.
        let r = 0;
        for (let e = rj.loadStart[0]; e < rj.loadStart[1]; e++)
          r += rj.loadValue[e] * f.factorReturns[s * K + rj.loadFactor[e]];
        r += rj.idioSigma[0] * zAt(-5, streamOf(rj.set, 2), s >> 1, s % 2 === 1) * f.tScale[s];
        if (!(Math.abs(outs[0][s] - r) <= Math.max(1e-12 * Math.abs(r), 1e-15)))
          bad = `R[0][${s}] ${outs[0][s]} vs ${r}`;
      }
      t.equal(bad, '', `S ${S}: instrument 0 from CounterRng draws (${per} blocks)`);
    }
  },
);

/** One option revalued with τ' = 0 and no move: out = intrinsic − V(today), so V(today) = intrinsic − out. */
async function priceToday(
  b: CpuBackend,
  o: { model: number; call: boolean; s: number; k: number; tau: number; vol: number; r: number; q: number },
) {
  const f = (x: number) => Float64Array.of(x);
  const job: RevaluationJob = {
    count: 1,
    scenarios: 1,
    returns: f(0),
    row: Int32Array.of(0),
    model: Uint8Array.of(o.model),
    isCall: Uint8Array.of(o.call ? 1 : 0),
    spot: f(o.s),
    strike: f(o.k),
    tau: f(o.tau),
    vol: f(o.vol),
    rate: f(o.r),
    dividend: f(o.q),
    duration: f(0),
    convexity: f(0),
    multiplier: f(1),
    volShift: null,
    horizonYears: o.tau,
  };
  const out = new Float64Array(1);
  await b.revalue(job, out);
  return Math.max(o.call ? o.s - o.k : o.k - o.s, 0) - out[0];
}

t.test("option values today equal Hull's and Haug's printed examples", async (t) => {
  // Hull, Options, Futures and Other Derivatives, Example 15.6: call 4.76, put 0.81.
  const hull = { model: MODEL_BSM, s: 42, k: 40, tau: 0.5, vol: 0.2, r: 0.1, q: 0 };
  t.equal((await priceToday(cpu1, { ...hull, call: true })).toFixed(2), '4.76');
  t.equal((await priceToday(cpu1, { ...hull, call: false })).toFixed(2), '0.81');
  // Haug, The Complete Guide to Option Pricing Formulas, generalized BSM: put 4.0870 (b = r − q = 0.05).
  t.equal(
    (
      await priceToday(cpu1, { model: MODEL_BSM, call: false, s: 75, k: 70, tau: 0.5, vol: 0.35, r: 0.1, q: 0.05 })
    ).toFixed(4),
    '4.0870',
  );
  // Haug, Black-76: F = K = 19, T = 0.75, r = 10 %, σ = 28 %: call = put = 1.7011.
  const b76 = { model: MODEL_BLACK76, s: 19, k: 19, tau: 0.75, vol: 0.28, r: 0.1, q: 0.03 };
  t.equal((await priceToday(cpu1, { ...b76, call: true })).toFixed(4), '1.7011');
  t.equal((await priceToday(cpu1, { ...b76, call: false })).toFixed(4), '1.7011');
});

t.test('revaluation: BSM, Black-76 and bonds equal the ts reference at 1 and 2 threads', async (t) => {
  const S = 5001;
  const f = await scenariosOf(cpu1, scenarioJob(S, 21, 5));
  const returns = new Float64Array(30 * S);
  await cpu1.instrumentReturns(returnJob(30, S, 21, f), returns);
  for (let s = 0; s < 30; s++) returns[s] = -1.5; // a crash past −99 % is floored
  const shift = Float64Array.from({ length: S }, (_, s) => (s % 5) * 0.05 - 0.1);
  for (const volShift of [null, shift]) {
    const job = revalueJob(90, S, returns, volShift);
    const [a, b, ref] = [new Float64Array(90 * S), new Float64Array(90 * S), new Float64Array(90 * S)];
    await cpu1.revalue(job, a);
    await cpu2.revalue(job, b);
    await tsBackend.revalue(job, ref);
    t.same(Buffer.from(a.buffer), Buffer.from(b.buffer), 'bit for bit across thread counts');
    const now = new Float64Array(90 * S);
    cpu1.revalueNow(job, now);
    t.same(Buffer.from(now.buffer), Buffer.from(a.buffer), 'revalueNow (on the calling thread): the same bits');
    for (let j = 0; j < 90; j++) {
      const row = (x: Float64Array) => x.subarray(j * S, (j + 1) * S);
      const scale = job.multiplier[j] * job.spot[j];
      const bad = worst(row(a), row(ref), 1e-9, 1e-12 * scale);
      if (bad) t.fail(`instrument ${j} (model ${job.model[j]}, volShift ${volShift ? 'on' : 'off'}): ${bad}`);
    }
    t.pass(`90 instruments × ${S} scenarios within 1e-9 relative (volShift ${volShift ? 'on' : 'off'})`);
  }
});

t.test('tail: VaR, ES and the VaR scenario of a hand-ranked vector (S = 250, ties by lower index)', async (t) => {
  const pnl = new Float64Array(250);
  pnl[10] = -5;
  pnl[20] = -3;
  pnl[40] = -2;
  pnl[30] = -2;
  pnl[99] = 7;
  const out = allocateTail(3);
  // 99 %: n = 2.5, m = 3 → VaR = 2 at scenario 30; ES = (5 + 3 + 0.5·2) / 2.5 = 3.6.
  // 99.6 %: n = 1 → VaR = ES = 5 at 10. 99.9 %: n = 0.25 < 1 → VaR = ES = worst.
  cpu1.tail({ scenarios: 250, pnl, weights: null, confidence: Float64Array.of(0.99, 0.996, 0.999) }, out);
  t.same([...out.var], [2, 5, 5]);
  t.same([...out.es], [3.6, 5, 5]);
  t.same([...out.varScenario], [30, 10, 10]);
  t.equal(pnl[30], -2, 'pnl is not reordered');
  t.equal(pnl[99], 7);
});

function pnlVector(S: number, seed: number): Float64Array {
  const g = new CounterRng(seed);
  return Float64Array.from({ length: S }, (_, s) => (s % 97 === 0 ? -1 : g.normal() * 1e4)); // ties at −1
}

t.test('tail: equal to the ts reference', async (t) => {
  for (const S of [250, 10000, 100001]) {
    const job = { scenarios: S, pnl: pnlVector(S, S), weights: null, confidence: Float64Array.of(0.95, 0.975, 0.99) };
    const [a, ref] = [allocateTail(3), allocateTail(3)];
    cpu1.tail(job, a);
    tsBackend.tail(job, ref);
    t.same([...a.varScenario], [...ref.varScenario], `S ${S}: VaR scenarios`);
    t.equal(worst(a.var, ref.var, 1e-9, 0), '', `S ${S}: VaR`);
    t.equal(worst(a.es, ref.es, 1e-9, 0), '', `S ${S}: ES`);
  }
});

/** Two groups of positions over random matrices, and the portfolio P&L they sum to. */
function book(S: number) {
  const g = new CounterRng(3);
  const m1 = Float64Array.from({ length: 6 * S }, () => g.normal());
  const m2 = Float64Array.from({ length: 3 * S }, () => g.normal() * 5);
  const groups = [
    { matrix: m1, rows: Int32Array.of(0, 2, 5, 1, 3), weights: Float64Array.of(100, -50, 20, 7, 300) },
    { matrix: m2, rows: Int32Array.of(2, 0), weights: Float64Array.of(-10, 40) },
  ];
  const pnl = new Float64Array(S);
  for (const grp of groups) cpu1.accumulate({ ...grp, scenarios: S, reset: false }, pnl);
  return { groups, pnl };
}

t.test('accumulate: the same sums as one axpy per row, in row order', async (t) => {
  const S = 1001;
  const { groups, pnl } = book(S);
  const byHand = new Float64Array(S);
  for (const grp of groups)
    for (let j = 0; j < grp.rows.length; j++)
      for (let s = 0; s < S; s++) byHand[s] += grp.weights[j] * grp.matrix[grp.rows[j] * S + s];
  t.same(Buffer.from(pnl.buffer), Buffer.from(byHand.buffer), 'bit for bit');
  const reset = new Float64Array(S).fill(9);
  cpu1.accumulate({ ...groups[1], scenarios: S, reset: true }, reset);
  t.equal(reset[5], groups[1].weights[0] * groups[1].matrix[2 * S + 5] + groups[1].weights[1] * groups[1].matrix[5]);
});

t.test('components: sum to VaR and ES, equal the hand formula and the ts reference', async (t) => {
  for (const S of [1000, 10000]) {
    const { groups, pnl } = book(S);
    const conf = Float64Array.of(0.95, 0.99);
    const out = { componentVar: new Float64Array(14), componentEs: new Float64Array(14) };
    const ref = { componentVar: new Float64Array(14), componentEs: new Float64Array(14) };
    cpu1.components({ scenarios: S, pnl, groups, confidence: conf }, out);
    tsBackend.components({ scenarios: S, pnl, groups, confidence: conf }, ref);
    const tail = allocateTail(2);
    cpu1.tail({ scenarios: S, pnl, weights: null, confidence: conf }, tail);
    for (let c = 0; c < 2; c++) {
      let v = 0;
      let e = 0;
      for (let p = 0; p < 7; p++) [v, e] = [v + out.componentVar[p * 2 + c], e + out.componentEs[p * 2 + c]];
      t.ok(
        Math.abs(v - tail.var[c]) <= 1e-9 * tail.var[c],
        `S ${S} level ${c}: Σ component VaR ${v} = VaR ${tail.var[c]}`,
      );
      t.ok(Math.abs(e - tail.es[c]) <= 1e-9 * tail.es[c], `S ${S} level ${c}: Σ component ES ${e} = ES ${tail.es[c]}`);
    }
    if (S === 1000) {
      // Exact Euler at S < 2000: position 0's component VaR is its P&L in the VaR scenario, negated.
      const s = tail.varScenario[1];
      t.ok(
        Math.abs(out.componentVar[1] + 100 * groups[0].matrix[s]) <= 1e-12 * Math.abs(out.componentVar[1]),
        'w = 0: −pnl_p(s_m)',
      );
    }
    t.equal(worst(out.componentVar, ref.componentVar, 1e-9, 1e-9 * tail.var[1]), '', `S ${S}: component VaR vs ts`);
    t.equal(worst(out.componentEs, ref.componentEs, 1e-9, 1e-9 * tail.es[1]), '', `S ${S}: component ES vs ts`);
  }
});

t.test('arguments the addon refuses are TypeErrors naming the kernel and field', async (t) => {
  const job = scenarioJob(4, 3, 0);
  const out = { factorReturns: new Float64Array(12), tScale: new Float64Array(4) };
  await t.rejects(cpu1.factorScenarios({ ...job, cholesky: new Float64Array(8) }, out), {
    name: 'TypeError',
    message: 'factorScenarios: cholesky must have length 9, got 8',
  });
  await t.rejects(cpu1.factorScenarios({ ...job, dof: 2 }, out), {
    message: /factorScenarios: dof must be 0 \(normal\)/,
  });
  await t.rejects(cpu1.factorScenarios(job, { ...out, tScale: new Float32Array(4) as unknown as Float64Array }), {
    message: 'factorScenarios: tScale must be a Float64Array',
  });
  await t.rejects(cpu1.factorScenarios({ ...job, scenarios: 2.5 }, out), { message: /scenarios must be an integer/ });
  const f = await scenariosOf(cpu1, job);
  const rj = returnJob(3, 4, 3, f);
  await t.rejects(cpu1.instrumentReturns({ ...rj, loadFactor: Int32Array.of(0, 1, 2, 3) }, new Float64Array(12)), {
    message: 'instrumentReturns: loadFactor [3] must be in [0, factors)',
  });
  await t.rejects(cpu1.instrumentReturns(rj, new Float64Array(11)), {
    message: 'instrumentReturns: out must have length 12, got 11',
  });
  const rv = revalueJob(3, 4, new Float64Array(8), null);
  await t.rejects(cpu1.revalue({ ...rv, row: Int32Array.of(0, 1, 2) }, new Float64Array(12)), {
    message: 'revalue: row [2] must be in [0, 2)',
  });
  await t.rejects(cpu1.revalue({ ...rv, model: Uint8Array.of(0, 1, 3) }, new Float64Array(12)), {
    message: /revalue: model \[2\] must be/,
  });
  t.throws(() => cpu1.revalueNow({ ...rv, row: Int32Array.of(0, 1, 2) }, new Float64Array(12)), {
    message: 'revalueNow: row [2] must be in [0, 2)',
  });
  t.throws(() => cpu1.revalueNow(rv, new Float64Array(11)), { message: 'revalueNow: out must have length 12, got 11' });
  const tail = { scenarios: 3, pnl: Float64Array.of(1, NaN, 2), weights: null, confidence: Float64Array.of(0.99) };
  t.throws(() => cpu1.tail(tail, allocateTail(1)), { name: 'RangeError', message: 'tail: pnl[1] is NaN' });
  t.throws(() => cpu1.tail({ ...tail, pnl: new Float64Array(3), confidence: Float64Array.of(1) }, allocateTail(1)), {
    message: 'tail: confidence must be in (0, 1)',
  });
  t.throws(() => cpu1.tail({ ...tail, weights: new Float64Array(3) as unknown as null }, allocateTail(1)), {
    message: /tail: weights must be null/,
  });
  const grp = { matrix: new Float64Array(6), rows: Int32Array.of(0, 2), weights: Float64Array.of(1, 1) };
  t.throws(() => cpu1.accumulate({ ...grp, scenarios: 3, reset: true }, new Float64Array(3)), {
    message: 'accumulate: job.rows [1] must be in [0, 2)',
  });
  t.throws(
    () =>
      cpu1.components(
        { scenarios: 3, pnl: new Float64Array(3), groups: [grp], confidence: Float64Array.of(0.9) },
        { componentVar: new Float64Array(2), componentEs: new Float64Array(2) },
      ),
    {
      message: 'components: groups[0].rows [1] must be in [0, 2)',
    },
  );
});

t.test('the event loop keeps running while 1,000 instruments × 100,000 scenarios are drawn', async (t) => {
  const S = 100000;
  const f = await scenariosOf(cpu2, scenarioJob(S, 21, 5));
  const job = returnJob(1000, S, 21, f);
  job.idioSigma.fill(0.02);
  const out = new Float64Array(1000 * S);
  let ticks = 0;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  const start = performance.now();
  await cpu2.instrumentReturns(job, out);
  const took = performance.now() - start;
  clearInterval(timer);
  t.comment(
    `1k × 100k instrument returns on 2 threads: ${took.toFixed(0)} ms; ${ticks} timer callbacks, longest gap ${maxGap.toFixed(1)} ms`,
  );
  t.ok(ticks >= Math.min(3, Math.floor(took / 5 / 4)), `timer callbacks ran during the job (${ticks})`);
  const i = 999;
  const s = 99999;
  const r =
    job.loadValue[2 * i] * f.factorReturns[s * 21 + job.loadFactor[2 * i]] +
    job.loadValue[2 * i + 1] * f.factorReturns[s * 21 + job.loadFactor[2 * i + 1]];
  t.ok(
    Number.isFinite(out[i * S + s]) && out[i * S + s] !== r,
    'the last element was written (factor part plus a draw)',
  );
});

t.test('backend description and the GEMM peer', async (t) => {
  t.equal(cpu2.name, 'cpu');
  t.equal(cpu2.threads, 2);
  t.match(cpu2.detail, /^C\+\+17, g\+\+ [\d.]+, 2 threads, (OpenBLAS \d+\.\d+\.\d+|no BLAS)/);
  const c = new Float64Array(4);
  cpu1.gemm(2, 2, 3, Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(7, 8, 9, 10, 11, 12), c);
  t.same([...c], [58, 64, 139, 154], '[[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]]');
  t.throws(() => cpu1.gemm(2, 2, 3, new Float64Array(5), new Float64Array(6), c), {
    message: 'gemm: A must have length 6, got 5',
  });
});
