// RiskMetrics EWMA covariance against a hand-computed example and the direct weighted sum.

import t from 'tap';
import { EwmaCovariance } from '../../../../engine/risk/ewma.js';
import { CounterRng } from '../../../../maths/random.js';

const days = [
  [0.01, 0.02],
  [-0.02, 0.01],
  [0.03, -0.01],
  [0.0, 0.02],
];

t.test('2 factors, 4 days, seeded on 2 days, λ = 0.94: by hand', async (t) => {
  const e = new EwmaCovariance(2, 0.94, 2);
  for (const r of days) e.update(r);
  // Seed: ½(r1r1ᵀ + r2r2ᵀ) = [[2.5e-4, 0], [0, 2.5e-4]].
  // Day 3: 0.94·seed + 0.06·[[9e-4, −3e-4], [−3e-4, 1e-4]] = [[2.89e-4, −1.8e-5], [−1.8e-5, 2.41e-4]].
  // Day 4: 0.94·Σ3 + 0.06·[[0, 0], [0, 4e-4]] = [[2.7166e-4, −1.692e-5], [−1.692e-5, 2.5054e-4]].
  const want = [2.7166e-4, -1.692e-5, -1.692e-5, 2.5054e-4];
  want.forEach((w, i) => t.ok(Math.abs(e.covariance[i] - w) < 1e-18, `Σ[${i}] = ${w} (got ${e.covariance[i]})`));
  t.equal(e.days, 4);
  t.ok(e.seeded);
  t.ok(Math.abs(e.vol(1) - Math.sqrt(2.5054e-4)) < 1e-15);
});

t.test('fewer days than the seed: the zero-mean sample covariance (1/n) Σ r rᵀ', async (t) => {
  const e = new EwmaCovariance(2);
  for (const r of days) e.update(r);
  // (1/4)·Σ r rᵀ: [[14e-4/4, −3e-4/4], [−3e-4/4, 10e-4/4]].
  const want = [3.5e-4, -0.75e-4, -0.75e-4, 2.5e-4];
  want.forEach((w, i) => t.ok(Math.abs(e.covariance[i] - w) < 1e-18, `Σ[${i}] = ${w} (got ${e.covariance[i]})`));
  t.notOk(e.seeded);
});

t.test('equals λ^{N−n0} Σ_seed + (1−λ) Σ_{t>n0} λ^{N−t} r_t r_tᵀ, written out directly', async (t) => {
  const k = 3;
  const n = 120;
  const lambda = 0.97;
  const rng = new CounterRng(7, 3);
  const r: number[][] = [];
  for (let d = 0; d < n; d++) r.push([0.01 * rng.normal(), 0.02 * rng.normal(), 0.005 * rng.normal()]);
  const e = new EwmaCovariance(k, lambda);
  const flat = Float64Array.from(r.flat());
  e.updateAll(flat);
  const n0 = 25;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let seed = 0;
      for (let d = 0; d < n0; d++) seed += (r[d][i] * r[d][j]) / n0;
      let sum = Math.pow(lambda, n - n0) * seed;
      for (let d = n0; d < n; d++) sum += (1 - lambda) * Math.pow(lambda, n - 1 - d) * r[d][i] * r[d][j];
      const got = e.covariance[i * k + j];
      t.ok(Math.abs(got - sum) <= 1e-12 * Math.abs(sum) + 1e-20, `Σ[${i}][${j}] = ${sum} (got ${got})`);
    }
  }
});

t.test('bad input', async (t) => {
  t.throws(() => new EwmaCovariance(2, 1), /lambda/);
  t.throws(() => new EwmaCovariance(0), /factors/);
  const e = new EwmaCovariance(2);
  t.throws(() => e.update([0.1]), /expected 2/);
  t.throws(() => e.update([0.1, NaN]), /factor 1/);
  t.equal(e.days, 0, 'a rejected day is not counted');
});
