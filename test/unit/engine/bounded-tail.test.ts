// The pre-trade what-if's bounded tail reads (bounded-tail.ts) against the full selection
// (tail.ts): the same VaR and ES before and after a trade whenever the bound leaves the tail's
// ranks under it, and null (so the caller selects in full) when it does not or lets too many in.
import t from 'tap';
import { allocateTail, type RiskBackend } from '../../../engine/risk/backend.js';
import { tradeTails } from '../../../engine/risk/bounded-tail.js';
import { tail } from '../../../engine/risk/tail.js';
import { loadRiskBackend } from '../../../native/loader.js';

/** A seeded heavy-tailed vector, with ties. */
function vector(S: number, seed: number, scale = 1): Float64Array {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Float64Array.from({ length: S }, () => {
    const u = rnd();
    return (Math.round(((u - 0.5) / Math.max(0.02, rnd())) * 1000) / 10) * scale;
  });
}

function full(v: Float64Array, confidence: number) {
  const out = allocateTail(1);
  tail({ scenarios: v.length, pnl: v, weights: null, confidence: Float64Array.of(confidence) }, out);
  return { var: out.var[0], es: out.es[0] };
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

t.test('equal to the full selection before and after the trade whenever the bound holds the tail', async (t) => {
  let read = 0;
  let declined = 0;
  for (const S of [1, 7, 250, 1000, 10_000]) {
    for (const confidence of [0.95, 0.99, 0.975, 0.999]) {
      const pnl = vector(S, S + Math.round(confidence * 1000));
      const sorted = Float64Array.from(pnl).sort();
      // Trades small and large against the book, both ways.
      for (const weight of [0.01, -0.3, 2, -25]) {
        const row = vector(S, 7 + S);
        const trade = { matrix: row, offset: 0, weight };
        const movedBook = Float64Array.from(pnl, (v, s) => v + weight * row[s]);
        const want = { before: full(pnl, confidence), after: full(movedBook, confidence) };
        const n = S * (1 - confidence);
        for (const f of [0.2, 0.9, 1, 1.5, 4, 50]) {
          const rank = Math.min(S, Math.max(1, Math.ceil(f * n)));
          const got = tradeTails(pnl, S, confidence, sorted[rank - 1], Math.max(1024, 8 * Math.ceil(n)), trade);
          if (got === null) {
            declined++;
            continue;
          }
          read++;
          const at = `S ${S} α ${confidence} w ${weight} bound at rank ${rank}`;
          t.equal(got.before.var, want.before.var, `${at}: VaR before`);
          t.ok(near(got.before.es, want.before.es), `${at}: ES before`);
          t.equal(got.after.var, want.after.var, `${at}: VaR after`);
          t.ok(near(got.after.es, want.after.es), `${at}: ES after ${got.after.es} ${want.after.es}`);
          t.equal(got.before.level, -want.before.var, `${at}: the level at the VaR rank`);
        }
      }
    }
  }
  t.ok(read > 200 && declined > 50, `${read} read under a bound, ${declined} declined`);
});

t.test('declines a bound under the tail, and one that lets too many in', async (t) => {
  const pnl = vector(10_000, 3);
  const sorted = Float64Array.from(pnl).sort();
  const trade = { matrix: vector(10_000, 5), offset: 0, weight: 1 };
  t.equal(tradeTails(pnl, 10_000, 0.99, sorted[50], 1024, trade), null, 'only 51 of the 100 tail ranks under it');
  t.equal(tradeTails(pnl, 10_000, 0.99, sorted[5000], 1024, trade), null, 'half the scenarios: select in full');
  const small = { ...trade, weight: 0.05 };
  t.not(tradeTails(pnl, 10_000, 0.99, sorted[99], 1024, small), null, 'exactly the tail, a small trade');
});

/** The cpu backend, or why it cannot run here. */
function cpuBackend(): RiskBackend | string {
  try {
    return loadRiskBackend('cpu', { threads: 1 }).backend;
  } catch (err) {
    return `cpu backend not built: ${(err as Error).message}`;
  }
}
const cpu = cpuBackend();

t.test('the native kernel reads the same tails', { skip: typeof cpu === 'string' ? cpu : false }, async (t) => {
  const backend = cpu as RiskBackend;
  t.ok(backend.tradeTails, 'the cpu backend has the kernel');
  const out = new Float64Array(6);
  let same = 0;
  for (const S of [7, 1000, 10_000]) {
    for (const confidence of [0.95, 0.99, 0.999]) {
      const pnl = vector(S, S + 1);
      const row = vector(S + 50, S + 2);
      const sorted = Float64Array.from(pnl).sort();
      for (const weight of [0.02, -1.5]) {
        for (const f of [0.5, 1, 3]) {
          const rank = Math.min(S, Math.max(1, Math.ceil(f * S * (1 - confidence))));
          const trade = { matrix: row, offset: 50, weight };
          const want = tradeTails(pnl, S, confidence, sorted[rank - 1], 1024, trade);
          const got = backend.tradeTails!(pnl, S, confidence, sorted[rank - 1], 1024, trade, out);
          t.equal(got, want !== null, `S ${S} α ${confidence} w ${weight} rank ${rank}: read or declined alike`);
          if (want === null) continue;
          const figures = [
            want.before.var,
            want.before.es,
            want.before.level,
            want.after.var,
            want.after.es,
            want.after.level,
          ];
          if (figures.every((x, j) => near(out[j], x))) same++;
          else t.same([...out], figures, `S ${S} α ${confidence} w ${weight} rank ${rank}`);
        }
      }
    }
  }
  t.ok(same > 20, `${same} reads equal to 1e-12`);
  t.throws(
    () => backend.tradeTails!(vector(10, 1), 10, 1.5, 0, 10, { matrix: vector(10, 2), offset: 0, weight: 1 }, out),
    /confidence/,
  );
});
