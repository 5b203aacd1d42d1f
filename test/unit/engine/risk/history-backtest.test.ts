// The backtest a book has at start: today's exposures over the history's last days, each method's
// forecast from the days before — checked against the same numbers computed here by hand-written
// loops (a full sort for the quantile, the EWMA as its weighted-sum definition).
import t from 'tap';
import { historyBacktest } from '../../../../engine/risk/history-backtest.js';
import { CounterRng } from '../../../../maths/random.js';

const K = 2;
const N = 60;
const rng = new CounterRng(3);
const returns = Float64Array.from({ length: N * K }, () => 0.01 * rng.normal());
const history = {
  epochDays: Int32Array.from({ length: N }, (_, d) => 20000 + d),
  factorReturns: returns,
  factors: ['A', 'B'],
  instruments: new Map<string, Float64Array>(),
};
const x = Float64Array.from([1e6, -4e5]);
const o = { window: 20, observations: 30, lambda: 0.94, confidence: 0.95 };
const pnl = Array.from({ length: N }, (_, d) => x[0] * returns[d * K] + x[1] * returns[d * K + 1]);

/** Lower empirical quantile by full sort: the ⌈S(1−α)⌉-th worst loss. */
function sortedVar(values: number[], a: number): number {
  const sorted = [...values].sort((p, q) => p - q);
  return -sorted[Math.max(1, Math.ceil(Math.round(values.length * (1 - a) * 1e9) / 1e9)) - 1];
}

/** EWMA covariance after days [0, d): mean of r·rᵀ over the first 25, then λ-weighted sums. */
function ewmaAt(d: number): number[] {
  const seed = Math.min(25, d);
  const c = [0, 0, 0, 0];
  for (let s = 0; s < seed; s++)
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) c[i * K + j] += (returns[s * K + i] * returns[s * K + j]) / seed;
  for (let s = seed; s < d; s++)
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++)
        c[i * K + j] = o.lambda * c[i * K + j] + (1 - o.lambda) * returns[s * K + i] * returns[s * K + j];
  return c;
}

t.test(
  'each day: P&L of the exposures, historical VaR of the window before, EWMA VaR of the days before',
  async (t) => {
    const r = historyBacktest(history, x, o)!;
    t.equal(r.historical.var.length, 30, 'the last 30 days');
    const z = 1.6448536269514722;
    for (let k = 0; k < 30; k++) {
      const d = N - 30 + k;
      t.ok(Math.abs(r.historical.pnl[k] - pnl[d]) < 1e-6, `day ${d} P&L`);
      t.ok(Math.abs(r.historical.var[k] - sortedVar(pnl.slice(d - 20, d), 0.95)) < 1e-6, `day ${d} historical VaR`);
      const c = ewmaAt(d);
      const sigma = Math.sqrt(x[0] * x[0] * c[0] + 2 * x[0] * x[1] * c[1] + x[1] * x[1] * c[3]);
      t.ok(Math.abs(r.parametric.var[k] - z * sigma) < 1e-6 * z * sigma, `day ${d} parametric VaR`);
    }
  },
);

t.test('too short a history for the window gives no series', async (t) => {
  t.equal(historyBacktest(history, x, { ...o, window: N }), null);
});
