// The cpu backend's vectorised full revaluation on inputs at the edges of its branch-free log and Φ
// (deep in and out of the money, σ at its floor, returns at the −99 % floor, expiry inside the
// horizon, odd scenario counts), against the TypeScript reference (Hart's Φ, V8's log) within
// docs/risk.md's tolerance and Hull's printed values; and accumulateAsync against accumulate bit for
// bit, the event loop while it runs, and its argument errors. cpu.test.ts holds the other kernels.
import t from 'tap';
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { CounterRng } from '../../../maths/random.js';
import { MODEL_BLACK76, MODEL_BSM, type AccumulateJob, type RevaluationJob } from '../../../engine/risk/backend.js';
import { cpu1, cpu2 } from './cpu-fixtures.js';
import { blankRevaluationJob } from './revalue-fixtures.js';

const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

/** Options whose strikes, vols and expiries reach the ranges of Φ's approximations and the floors. */
function edgeJob(S: number, volShift: Float64Array | null): RevaluationJob {
  const rng = new CounterRng(17);
  const moneyness = [0.05, 0.3, 0.7, 0.95, 1, 1.05, 1.5, 3, 20];
  const vols = [0.0001, 0.002, 0.05, 0.3, 1.5];
  const taus = [1 / 252, 4 / 252, 0.02, 0.5, 5, 30]; // 1/252 and 4/252: τ' = 0 exactly and just above
  const count = moneyness.length * vols.length * taus.length;
  const returns = new Float64Array(4 * S);
  for (let s = 0; s < 4 * S; s++) returns[s] = 0.03 * rng.normal();
  for (const [s, r] of [
    [0, -0.99],
    [1, -0.995],
    [2, -1.5],
    [3, 2],
    [4, 0],
    [5, 1e-12],
  ] as const)
    returns[s] = r;
  const job = blankRevaluationJob(count, S, returns, volShift, 1 / 252);
  let j = 0;
  for (const m of moneyness)
    for (const vol of vols)
      for (const tau of taus) {
        job.row[j] = j % 4;
        job.model[j] = j % 2 === 0 ? MODEL_BSM : MODEL_BLACK76;
        job.isCall[j] = (j >> 1) % 2;
        job.spot[j] = 20 + 200 * rng.uniform();
        job.strike[j] = job.spot[j] * m;
        job.tau[j] = tau;
        job.vol[j] = vol;
        job.rate[j] = j % 3 === 0 ? -0.01 : 0.06 * rng.uniform();
        job.dividend[j] = 0.05 * rng.uniform();
        job.multiplier[j] = 1 + 99 * rng.uniform();
        j++;
      }
  return job;
}

t.test(
  'vectorised revaluation at the edges: within tolerance of the ts reference, same bits at 1 and 2 threads',
  async (t) => {
    const S = 1027; // not a multiple of any vector width: the scalar epilogue runs too
    const shift = Float64Array.from({ length: S }, (_, s) => [0, -0.5, 0.2, -0.0001, 1e-9][s % 5]);
    for (const volShift of [null, shift]) {
      const job = edgeJob(S, volShift);
      const n = job.count * S;
      const [a, b, ref] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      await cpu1.revalue(job, a);
      await cpu2.revalue(job, b);
      await tsBackend.revalue(job, ref);
      t.same(bytes(a), bytes(b), 'bit for bit at 1 and 2 threads');
      let maxRel = 0;
      let maxAbsOverSpot = 0;
      let failures = 0;
      for (let x = 0; x < n; x++) {
        const j = Math.floor(x / S);
        const scale = job.multiplier[j] * job.spot[j];
        const d = Math.abs(a[x] - ref[x]);
        if (!(d <= Math.max(1e-9 * Math.abs(ref[x]), 1e-12 * scale)) && failures++ < 5)
          t.fail(`option ${j} scenario ${x % S}: ${a[x]} vs reference ${ref[x]}`);
        maxAbsOverSpot = Math.max(maxAbsOverSpot, d / scale);
        if (d > 1e-12 * scale) maxRel = Math.max(maxRel, d / Math.abs(ref[x]));
      }
      t.equal(
        failures,
        0,
        `${job.count} options × ${S} within 1e-9 relative or 1e-12 × spot (volShift ${volShift ? 'on' : 'off'})`,
      );
      t.comment(
        `max |cpu − ts| / (m·S) ${maxAbsOverSpot.toExponential(2)}; max relative beyond that ${maxRel.toExponential(2)}`,
      );
    }
  },
);

t.test("scenario values equal Hull's printed option values (through the vector path)", async (t) => {
  // Hull, Example 15.6: S 42, K 40, r 10 %, σ 20 %, T 0.5: call 4.76, put 0.81. τ = 0.5 + h so τ' = 0.5; a
  // second scenario moves the spot where the option is worth nothing (call: S' = 0.42, put: S' = 4242),
  // so the difference of the two scenarios' P&L is V(42, τ') alone.
  const f = (...x: number[]) => Float64Array.from(x);
  const h = 10 / 252;
  const job: RevaluationJob = {
    count: 2,
    scenarios: 2,
    returns: f(0, -0.99, 0, 100),
    row: Int32Array.of(0, 1),
    model: Uint8Array.of(MODEL_BSM, MODEL_BSM),
    isCall: Uint8Array.of(1, 0),
    spot: f(42, 42),
    strike: f(40, 40),
    tau: f(0.5 + h, 0.5 + h),
    vol: f(0.2, 0.2),
    rate: f(0.1, 0.1),
    dividend: f(0, 0),
    duration: f(0, 0),
    convexity: f(0, 0),
    multiplier: f(1, 1),
    volShift: null,
    horizonYears: h,
  };
  const out = new Float64Array(4);
  await cpu2.revalue(job, out);
  t.equal((out[0] - out[1]).toFixed(2), '4.76', 'call');
  t.equal((out[2] - out[3]).toFixed(2), '0.81', 'put');
});

t.test(
  'inputs outside the vector path (a zero or subnormal strike) run the scalar kernel: equal to the ts reference',
  async (t) => {
    const S = 19;
    const f = (...x: number[]) => Float64Array.from(x);
    const job: RevaluationJob = {
      ...edgeJob(S, null),
      count: 4,
      row: Int32Array.of(0, 1, 2, 3),
      model: Uint8Array.of(MODEL_BSM, MODEL_BSM, MODEL_BLACK76, MODEL_BSM),
      isCall: Uint8Array.of(1, 0, 1, 1),
      spot: f(100, 100, 1e-20, 50),
      strike: f(0, 0, 1e-310, 55),
      tau: f(0.5, 0.5, 0.5, 0.5),
      vol: f(0.2, 0.2, 0.3, 0.25),
      rate: f(0.02, 0.02, 0.02, 0.02),
      dividend: f(0.01, 0.01, 0, 0.01),
      duration: new Float64Array(4),
      convexity: new Float64Array(4),
      multiplier: f(1, 1, 1e20, 1),
    };
    const [a, ref] = [new Float64Array(4 * S), new Float64Array(4 * S)];
    await cpu2.revalue(job, a);
    await tsBackend.revalue(job, ref);
    for (let x = 0; x < 4 * S; x++) {
      const j = Math.floor(x / S);
      const tol = Math.max(1e-9 * Math.abs(ref[x]), 1e-12 * job.multiplier[j] * job.spot[j]);
      if (!(Math.abs(a[x] - ref[x]) <= tol)) t.fail(`option ${j} scenario ${x % S}: ${a[x]} vs ${ref[x]}`);
    }
    t.pass('a call struck at 0 is worth S·e^{−qτ}, the put 0; a subnormal strike stays finite');
  },
);

/** A book of `rows` positions over a smaller matrix (rows repeat), as a day's rebuild sums. */
function accumulateJob(S: number, rows: number, matrixRows: number, reset: boolean): AccumulateJob {
  const g = new CounterRng(9);
  const matrix = Float64Array.from({ length: matrixRows * S }, () => g.normal());
  return {
    scenarios: S,
    matrix,
    rows: Int32Array.from({ length: rows }, (_, j) => (j * 7) % matrixRows),
    weights: Float64Array.from({ length: rows }, (_, j) => (j % 11 === 0 ? 0 : 1000 * g.normal())),
    reset,
  };
}

t.test('accumulateAsync equals accumulate bit for bit at 1 and 2 threads', async (t) => {
  for (const [S, rows] of [
    [1, 3],
    [513, 5],
    [100_003, 27],
  ]) {
    for (const reset of [true, false]) {
      const job = accumulateJob(S, rows, 13, reset);
      const start = Float64Array.from({ length: S }, (_, s) => s * 0.25 - 3);
      const [sync, a1, a2] = [Float64Array.from(start), Float64Array.from(start), Float64Array.from(start)];
      cpu1.accumulate(job, sync);
      await cpu1.accumulateAsync(job, a1);
      await cpu2.accumulateAsync(job, a2);
      t.same(bytes(a1), bytes(sync), `S ${S}, ${rows} rows, reset ${reset}: 1 thread`);
      t.same(bytes(a2), bytes(sync), `S ${S}, ${rows} rows, reset ${reset}: 2 threads`);
    }
  }
  // Against a sum by hand in row order (the documented order) on a small case.
  const job = accumulateJob(7, 6, 4, true);
  const out = new Float64Array(7).fill(5);
  await cpu2.accumulateAsync(job, out);
  const byHand = new Float64Array(7);
  for (let j = 0; j < 6; j++) for (let s = 0; s < 7; s++) byHand[s] += job.weights[j] * job.matrix[job.rows[j] * 7 + s];
  t.same([...out], [...byHand], 'reset, then w_j · row_j added in row order');
});

t.test('the event loop runs while accumulateAsync sums 2,000 rows × 100,000 scenarios', async (t) => {
  const S = 100_000;
  const job = accumulateJob(S, 2000, 64, true);
  const out = new Float64Array(S);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  const start = performance.now();
  await cpu2.accumulateAsync(job, out); // summed on the calling thread, no timer could run before it returns
  const took = performance.now() - start;
  clearInterval(timer);
  t.comment(`2,000 × 100,000 on 2 threads: ${took.toFixed(0)} ms, ${ticks} timer callbacks`);
  t.ok(ticks >= Math.min(3, Math.floor(took / 2 / 4)), `timer callbacks ran during the sum (${ticks})`);
  const sync = new Float64Array(S);
  cpu1.accumulate(job, sync);
  t.same(bytes(out), bytes(sync), 'and the sums equal the sync kernel');
});

t.test('accumulateAsync refuses bad arguments naming the field', async (t) => {
  const grp = { matrix: new Float64Array(6), rows: Int32Array.of(0, 2), weights: Float64Array.of(1, 1) };
  await t.rejects(cpu1.accumulateAsync({ ...grp, scenarios: 3, reset: true }, new Float64Array(3)), {
    name: 'TypeError',
    message: 'accumulateAsync: job.rows [1] must be in [0, 2)',
  });
  await t.rejects(
    cpu1.accumulateAsync({ ...grp, rows: Int32Array.of(0, 1), scenarios: 3, reset: true }, new Float64Array(2)),
    {
      message: 'accumulateAsync: out must have length 3, got 2',
    },
  );
  await t.rejects(
    cpu1.accumulateAsync(
      { ...grp, scenarios: 2, matrix: new Float64Array(6), reset: 1 as unknown as boolean },
      new Float64Array(3),
    ),
    { message: 'accumulateAsync: reset must be a boolean' },
  );
  await t.rejects(
    cpu1.accumulateAsync({ ...grp, weights: Float64Array.of(1), scenarios: 3, reset: true }, new Float64Array(3)),
    { message: 'accumulateAsync: job.weights must have length 2, got 1' },
  );
  await t.rejects(cpu1.accumulateAsync({ ...grp, scenarios: 0, reset: true }, new Float64Array(3)), {
    message: /accumulateAsync: scenarios must be an integer in \[1, /,
  });
});
