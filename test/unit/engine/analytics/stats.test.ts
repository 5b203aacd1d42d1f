// The return statistics (engine/analytics/stats.ts) against empyrical 0.5.9 run in Python
// (tools/python/analytics_reference.py) on seeded series of many lengths, and against values
// worked by hand; the rolling window (ring.ts) against a plain array.
import t from 'tap';
import { Ring } from '../../../../engine/analytics/ring.js';
import { beta, linked, maxDrawdown, sharpe, sortino, volatility } from '../../../../engine/analytics/stats.js';
import { periodReturn } from '../../../../engine/analytics/twr.js';
import { CounterRng } from '../../../../maths/random.js';
import { close, empyrical, type ReferenceCase } from './empyrical.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

/** Seeded returns with a benchmark they load on by `loading`, plus noise; some with a fat negative tail. */
function seededCase(seed: number, n: number, periodsPerYear: number, loading: number): ReferenceCase {
  const rng = new CounterRng(seed, 1);
  const bench: number[] = [];
  const returns: number[] = [];
  for (let k = 0; k < n; k++) {
    const b = (rng.uniform() - 0.5) * 0.02;
    const jump = rng.uniform() < 0.03 ? -0.04 * rng.uniform() : 0;
    bench.push(b);
    returns.push(loading * b + (rng.uniform() - 0.48) * 0.01 + jump);
  }
  return { returns, bench, periodsPerYear, riskFreeRate: 0.03 + seed * 1e-3, sortinoTarget: seed % 2 === 0 ? 0 : 0.02 };
}

t.test('volatility, Sharpe, Sortino, maximum drawdown and beta equal empyrical to 1e-10', async (t) => {
  const cases: ReferenceCase[] = [
    seededCase(1, 2, 252, 1),
    seededCase(2, 3, 252, 0.5),
    seededCase(3, 30, 252, 1.2),
    seededCase(4, 252, 252, 0.8),
    seededCase(5, 1440, 252 * 1440, 1.1),
    seededCase(6, 5000, 365, -0.3),
    { returns: [0.01, 0.02, 0.005], bench: [0.01, 0.01, 0.01], periodsPerYear: 252, riskFreeRate: 0, sortinoTarget: 0 },
  ];
  const ref = await empyrical(cases);
  t.comment(`empyrical ${ref.version}`);
  cases.forEach((c, k) => {
    const r = f64(c.returns);
    const want = ref.results[k];
    const got = {
      volatility: volatility(r, c.periodsPerYear),
      sharpe: sharpe(r, c.riskFreeRate, c.periodsPerYear),
      sortino: sortino(r, c.sortinoTarget, c.periodsPerYear),
      maxDrawdown: maxDrawdown(r),
      beta: beta(r, f64(c.bench!)),
      linked: linked(r),
    };
    for (const key of Object.keys(got) as (keyof typeof got)[])
      t.ok(close(got[key], want[key]), `n=${c.returns.length} ${key}: ${got[key]} vs empyrical ${want[key]}`);
  });
});

t.test('worked by hand', async (t) => {
  const r = f64([0.1, -0.1]);
  // s = √((0.1² + 0.1²) / 1) = 0.1√2; annualised over 4 periods a year: 0.1√2 × 2.
  t.ok(Math.abs(volatility(r, 4)! - 0.2 * Math.SQRT2) < 1e-15, 'volatility');
  // mean 0, rf 0.04 / 4 = 0.01 a period: (0 − 0.01) / (0.1√2) × 2.
  t.ok(Math.abs(sharpe(r, 0.04, 4)! - -0.02 / (0.1 * Math.SQRT2)) < 1e-15, 'Sharpe');
  // target 0: downside deviation √(0.01 / 2) × 2 = 0.1√2; mean × 4 = 0 → 0.
  t.equal(sortino(r, 0, 4), 0, 'Sortino');
  // wealth 1 → 1.1 → 0.99: the fall from 1.1 to 0.99 is 10 % of the peak.
  t.ok(Math.abs(maxDrawdown(r)! - 0.1) < 1e-15, 'maximum drawdown');
  t.ok(Math.abs(linked(r) - -0.01) < 1e-15, 'linked return 1.1 × 0.9 − 1');
  // returns exactly twice the benchmark's: beta 2.
  t.ok(Math.abs(beta(f64([0.02, -0.04, 0.06]), f64([0.01, -0.02, 0.03]))! - 2) < 1e-15, 'beta');
  t.equal(maxDrawdown(f64([0.01, 0.02])), 0, 'no fall, no drawdown');
});

t.test('undefined figures are null, never NaN or Infinity', async (t) => {
  const one = f64([0.01]);
  t.equal(volatility(one, 252), null);
  t.equal(sharpe(one, 0, 252), null);
  t.equal(sortino(one, 0, 252), null);
  t.equal(beta(one, one), null);
  t.equal(maxDrawdown(f64([])), null);
  t.equal(sharpe(f64([0.01, 0.01]), 0, 252), null, 'no dispersion: no Sharpe');
  t.equal(sortino(f64([0.01, 0.02]), 0, 252), null, 'nothing below the target: no Sortino');
  t.equal(beta(f64([0.01, 0.02]), f64([0.01, 0.01])), null, 'a flat benchmark: no beta');
});

t.test('time-weighted return removes external flows', async (t) => {
  // Start 100, grows to 110, then 20 paid in (130), ends 140: TWR = 1.1 × 140/130 − 1, not
  // (140 − 20)/100 − 1 as a money-weighted reading would give.
  const r1 = periodReturn(100, 130, 20)!;
  const r2 = periodReturn(130, 140)!;
  t.ok(Math.abs(r1 - 0.1) < 1e-15, 'the flow is not a gain');
  t.ok(Math.abs((1 + r1) * (1 + r2) - 1 - (1.1 * 140) / 130 + 1) < 1e-15, 'linked');
  t.equal(periodReturn(0, 10), null, 'no return from a NAV of zero');
  t.equal(periodReturn(-5, 10), null, 'nor from a negative one');
});

t.test('the rolling window keeps the newest observations, oldest first', async (t) => {
  const ring = new Ring(5);
  const all: number[] = [];
  for (let k = 0; k < 13; k++) {
    ring.push(k * 1.5);
    all.push(k * 1.5);
    t.same(ring.toArray(), all.slice(-5), `after ${k + 1}`);
    t.equal(ring.last(), k * 1.5);
  }
  t.same(Ring.of(5, all).toArray(), all.slice(-5), 'rebuilt from a checkpoint');
  t.same(Ring.of(20, all.slice(0, 3)).toArray(), all.slice(0, 3));
  t.ok(Number.isNaN(new Ring(3).last()));
});
