// VaR, ES, Euler components and incremental VaR of the `ts` reference backend against hand
// computations and a full-sort reference (test/reference/risk.ts), as docs/risk.md defines them.
import t from 'tap';
import { allocateTail } from '../../../../engine/risk/backend.js';
import { incrementalVar, valueAtRisk } from '../../../../engine/risk/tail.js';
import { tsBackend } from '../../../../engine/risk/ts-backend.js';
import { CounterRng } from '../../../../maths/random.js';
import { bruteComponents, bruteTail } from '../../../reference/risk.js';

function tailOf(pnl: Float64Array, levels: number[]) {
  const out = allocateTail(levels.length);
  tsBackend.tail({ scenarios: pnl.length, pnl, weights: null, confidence: Float64Array.from(levels) }, out);
  return out;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

t.test('historical VaR and ES of 250 P&Ls, worked by hand', async (t) => {
  // Scenario s loses or gains ((37 s mod 250) − 100) × 1,000: 37 is prime to 250, so the values
  // are −100,000 … 149,000 in steps of 1,000, each once. The k-th worst (k = 1, 2, …) is
  // −101,000 + 1,000 k, in the scenario s with 37 s ≡ k − 1 (mod 250), s = 223 (k − 1) mod 250
  // (37 · 223 = 8,251 ≡ 1).
  const pnl = Float64Array.from({ length: 250 }, (_, s) => (((37 * s) % 250) - 100) * 1000);
  const out = tailOf(pnl, [0.99, 0.95]);
  // 99 %: n = 250 · 0.01 = 2.5, m = 3 → VaR = the 3rd worst loss = 98,000 (scenario 223·2 mod 250 = 196).
  // ES = −(1/2.5)·[−100,000 − 99,000 + 0.5 · (−98,000)] = 248,000 / 2.5 = 99,200.
  t.equal(out.var[0], 98_000, '99 % VaR');
  t.equal(out.varScenario[0], 196, '99 % VaR scenario');
  t.ok(rel(out.es[0], 99_200) < 1e-15, `99 % ES ${out.es[0]} = 99,200`);
  // 95 %: n = 12.5, m = 13 → VaR = 13th worst = 88,000 (scenario 223·12 mod 250 = 176).
  // ES = [Σ_{k=1..12} (101,000 − 1,000 k) + 0.5 · 88,000] / 12.5 = (1,134,000 + 44,000) / 12.5 = 94,240.
  t.equal(out.var[1], 88_000, '95 % VaR');
  t.equal(out.varScenario[1], 176, '95 % VaR scenario');
  t.ok(rel(out.es[1], 94_240) < 1e-15, `95 % ES ${out.es[1]} = 94,240`);
});

t.test('ties go to the lower scenario; a tail under one scenario is the worst one', async (t) => {
  const pnl = Float64Array.from([5, -3, -3, 0, -3]);
  // Ranked: (−3, s1), (−3, s2), (−3, s4), (0, s3), (5, s0).
  // α = 60 %: n = 5 · 0.4 = 2 (2.0000000000000004 rounded to 9 decimals), m = 2 → scenario 2, ES 3.
  // α = 50 %: n = 2.5, m = 3 → scenario 4; ES = (3 + 3 + 0.5 · 3) / 2.5 = 3.
  const out = tailOf(pnl, [0.6, 0.5]);
  t.same([...out.varScenario], [2, 4]);
  t.same([...out.var], [3, 3]);
  t.same([...out.es], [3, 3]);
  // S = 50, α = 99 %: n = 0.5 < 1, so VaR = ES = the worst loss.
  const small = Float64Array.from({ length: 50 }, (_, s) => (s === 31 ? -7 : s));
  const one = tailOf(small, [0.99]);
  t.same([one.var[0], one.es[0], one.varScenario[0]], [7, 7, 31]);
});

t.test('weights other than null are refused', async (t) => {
  const job = {
    scenarios: 1,
    pnl: new Float64Array(1),
    weights: new Float64Array(1) as unknown as null,
    confidence: new Float64Array([0.99]),
  };
  t.throws(() => tsBackend.tail(job, allocateTail(1)), /weights must be null/);
});

/** P&L with many ties (rounded to 0.5) so the index rule matters. */
function randomPnl(seed: number, S: number): Float64Array {
  const rng = new CounterRng(seed, 1);
  return Float64Array.from({ length: S }, () => Math.round(rng.normal() * 40) / 2);
}

t.test('selection equals a full sort and leaves the P&L vector as it was', async (t) => {
  const levels = [0.95, 0.975, 0.99, 0.999, 0.5];
  for (const S of [1, 2, 3, 7, 250, 1000, 10_000, 100_001]) {
    const pnl = randomPnl(S, S);
    const copy = pnl.slice();
    const out = tailOf(pnl, levels);
    t.same(pnl, copy, `S=${S}: input not reordered`);
    levels.forEach((a, c) => {
      const want = bruteTail(pnl, a);
      t.equal(out.var[c], want.var, `S=${S} α=${a} VaR`);
      t.equal(out.varScenario[c], want.varScenario, `S=${S} α=${a} VaR scenario`);
      t.ok(
        Math.abs(out.es[c] - want.es) <= 1e-12 * Math.abs(want.es) + 1e-15,
        `S=${S} α=${a} ES ${out.es[c]} vs ${want.es}`,
      );
    });
  }
  // Sorted and reverse-sorted input: the worst case of naive pivots.
  const up = Float64Array.from({ length: 20_000 }, (_, s) => s);
  t.equal(tailOf(up, [0.99])[`var`][0], -199, 'ascending: 200th value');
  const down = Float64Array.from({ length: 20_000 }, (_, s) => -s);
  t.equal(tailOf(down, [0.99]).varScenario[0], 19_800, 'descending: the 200th worst');
});

/** Positions in two groups over one random matrix each; returns the job and per-position rows. */
function book(seed: number, S: number) {
  const rng = new CounterRng(seed, 2);
  const rowsA = 6;
  const rowsB = 3;
  const mA = Float64Array.from({ length: rowsA * S }, () => rng.normal());
  const mB = Float64Array.from({ length: rowsB * S }, () => rng.normal() * 3);
  const groups = [
    { matrix: mA, rows: Int32Array.from([0, 2, 5, 2]), weights: Float64Array.from([100, -40, 25.5, 10]) },
    { matrix: mB, rows: Int32Array.from([1, 0]), weights: Float64Array.from([-7, 12]) },
  ];
  const positions: Float64Array[] = [];
  for (const g of groups)
    g.rows.forEach((r, e) =>
      positions.push(Float64Array.from({ length: S }, (_, s) => g.weights[e] * g.matrix[r * S + s])),
    );
  const pnl = new Float64Array(S);
  tsBackend.accumulate({ ...groups[0], scenarios: S, reset: true }, pnl);
  tsBackend.accumulate({ ...groups[1], scenarios: S, reset: false }, pnl);
  return { groups, positions, pnl };
}

t.test('accumulate: Σ weight × row, reset or added', async (t) => {
  const { positions, pnl } = book(3, 101);
  for (let s = 0; s < 101; s++) {
    let want = 0;
    for (const p of positions) want += p[s];
    t.ok(Math.abs(pnl[s] - want) <= 1e-12 * Math.max(1, Math.abs(want)), `pnl[${s}]`);
  }
});

t.test('components sum to VaR and ES and equal a full-sort computation', async (t) => {
  const levels = [0.95, 0.99];
  for (const S of [1000, 4000, 10_000, 50]) {
    const { groups, positions, pnl } = book(S, S);
    const copy = pnl.slice();
    const P = positions.length;
    const out = { componentVar: new Float64Array(P * 2), componentEs: new Float64Array(P * 2) };
    tsBackend.components({ scenarios: S, pnl, groups, confidence: Float64Array.from(levels) }, out);
    t.same(pnl, copy, `S=${S}: input not reordered`);
    const tails = tailOf(pnl, levels);
    levels.forEach((a, c) => {
      const want = bruteComponents(pnl, positions, a);
      let sv = 0;
      let se = 0;
      for (let p = 0; p < P; p++) {
        const v = out.componentVar[p * 2 + c];
        const e = out.componentEs[p * 2 + c];
        sv += v;
        se += e;
        t.ok(Math.abs(v - want.componentVar[p]) <= 1e-9 * Math.abs(want.tail.var), `S=${S} α=${a} p${p} VaR part`);
        t.ok(Math.abs(e - want.componentEs[p]) <= 1e-9 * Math.abs(want.tail.es), `S=${S} α=${a} p${p} ES part`);
      }
      t.ok(rel(sv, tails.var[c]) <= 1e-9, `S=${S} α=${a}: Σ component VaR ${sv} = VaR ${tails.var[c]}`);
      t.ok(rel(se, tails.es[c]) <= 1e-9, `S=${S} α=${a}: Σ component ES ${se} = ES ${tails.es[c]}`);
    });
  }
});

t.test('incremental VaR is the VaR recomputed from scratch with the trade', async (t) => {
  const S = 5000;
  const { pnl } = book(9, S);
  const rng = new CounterRng(10, 3);
  const row = Float64Array.from({ length: S }, (_, s) => (0.3 * pnl[s]) / 100 + rng.normal());
  for (const [qty, a] of [
    [50, 0.99],
    [-200, 0.95],
    [0, 0.99],
  ]) {
    const after = Float64Array.from(pnl, (x, s) => x + qty * row[s]);
    const want = bruteTail(after, a).var - bruteTail(pnl, a).var;
    const got = incrementalVar(pnl, row, qty, a);
    t.ok(Math.abs(got - want) <= 1e-9 * bruteTail(pnl, a).var, `qty ${qty} at ${a}: ${got} vs ${want}`);
  }
  t.equal(valueAtRisk(pnl, 0.99), bruteTail(pnl, 0.99).var, 'valueAtRisk');
});
