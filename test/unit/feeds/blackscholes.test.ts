import t from 'tap';
import {
  bsDelta,
  bsGamma,
  bsPrice,
  bsVega,
  expiryToMs,
  MS_PER_YEAR,
  normCdf,
  normPdf,
  yearsToExpiry,
} from '../../../engine/blackscholes.js';

const near = (t: { ok(ok: boolean, msg: string): unknown }, got: number, want: number, tol: number, msg: string) => {
  t.ok(Math.abs(got - want) <= tol, `${msg}: got ${got}, want ${want} ± ${tol}`);
};

t.test('normal CDF against reference values', async (t) => {
  t.equal(normCdf(0), 0.5);
  near(t, normCdf(1), 0.8413447460685429, 1e-15, 'Φ(1)');
  near(t, normCdf(-1.96), 0.024997895148220435, 1e-15, 'Φ(-1.96)');
  near(t, normCdf(2.5), 0.9937903346742238, 1e-15, 'Φ(2.5)');
  const tail = normCdf(-5);
  near(t, tail / 2.866515718791939e-7, 1, 1e-8, 'Φ(-5) relative');
  near(t, normCdf(-10) / 7.619853024160527e-24, 1, 1e-8, 'Φ(-10) relative');
  t.equal(normCdf(-40), 0);
  t.equal(normCdf(40), 1);
  for (const x of [-6, -3.3, -0.7, 0.01, 1.5, 4.2]) near(t, normCdf(x) + normCdf(-x), 1, 1e-15, `symmetry at ${x}`);
  near(t, normPdf(0), 0.3989422804014327, 1e-16, 'φ(0)');
});

t.test('Black–Scholes textbook values: S=100, K=100, T=1, r=5%, vol=20%', async (t) => {
  near(t, bsPrice(100, 100, 1, 0.2, 0.05, true), 10.4506, 5e-5, 'call');
  near(t, bsPrice(100, 100, 1, 0.2, 0.05, false), 5.5735, 5e-5, 'put');
  near(t, bsDelta(100, 100, 1, 0.2, 0.05, true), 0.6368, 5e-5, 'call delta');
  near(t, bsDelta(100, 100, 1, 0.2, 0.05, false), 0.6368 - 1, 5e-5, 'put delta');
  // Hull, Options, Futures and Other Derivatives, example 15.6: S=42, K=40, r=10%, vol=20%, T=0.5.
  near(t, bsPrice(42, 40, 0.5, 0.2, 0.1, true), 4.76, 5e-3, 'Hull call');
  near(t, bsPrice(42, 40, 0.5, 0.2, 0.1, false), 0.81, 5e-3, 'Hull put');
});

t.test('put-call parity and Greeks by finite differences', async (t) => {
  for (const S of [60, 95, 100, 130]) {
    for (const K of [80, 100, 120]) {
      for (const T of [0.02, 0.5, 3]) {
        for (const vol of [0.1, 0.45]) {
          const r = 0.03;
          const c = bsPrice(S, K, T, vol, r, true);
          const p = bsPrice(S, K, T, vol, r, false);
          near(t, c - p, S - K * Math.exp(-r * T), 1e-9, `parity S=${S} K=${K} T=${T} vol=${vol}`);
          const h = 1e-5 * S;
          const fd = (bsPrice(S + h, K, T, vol, r, true) - bsPrice(S - h, K, T, vol, r, true)) / (2 * h);
          near(t, bsDelta(S, K, T, vol, r, true), fd, 1e-5, 'delta');
          const fdg = (bsDelta(S + h, K, T, vol, r, false) - bsDelta(S - h, K, T, vol, r, false)) / (2 * h);
          near(t, bsGamma(S, K, T, vol, r), fdg, 1e-4 * Math.max(1, fdg), 'gamma');
          const fdv = (bsPrice(S, K, T, vol + 1e-5, r, true) - bsPrice(S, K, T, vol - 1e-5, r, true)) / 2e-5;
          near(t, bsVega(S, K, T, vol, r), fdv, 1e-4 * Math.max(1, fdv), 'vega');
        }
      }
    }
  }
});

t.test('expiry: intrinsic value and limiting deltas', async (t) => {
  t.equal(bsPrice(110, 100, 0, 0.2, 0.05, true), 10);
  t.equal(bsPrice(110, 100, -0.1, 0.2, 0.05, false), 0);
  t.equal(bsPrice(90, 100, 0, 0.2, 0.05, false), 10);
  t.equal(bsDelta(110, 100, 0, 0.2, 0.05, true), 1);
  t.equal(bsDelta(110, 100, 0, 0.2, 0.05, false), 0);
  t.equal(bsDelta(90, 100, 0, 0.2, 0.05, false), -1);
  t.equal(bsDelta(100, 100, 0, 0.2, 0.05, true), 0.5);
  t.equal(bsGamma(100, 100, 0, 0.2, 0.05), 0);
  near(t, bsPrice(110, 100, 1, 0, 0.05, true), 110 - 100 * Math.exp(-0.05), 1e-12, 'zero vol: discounted forward');
});

t.test('time convention: ISO expiries are UTC, years are 365.25 days', async (t) => {
  t.equal(MS_PER_YEAR, 31_557_600_000);
  t.equal(expiryToMs('2026-06-19'), Date.UTC(2026, 5, 19));
  t.equal(expiryToMs('2026-06-19T16:00:00'), Date.UTC(2026, 5, 19, 16));
  t.equal(expiryToMs('2026-06-19T16:00:00+02:00'), Date.UTC(2026, 5, 19, 14));
  t.throws(() => expiryToMs('soon'), RangeError);
  t.equal(yearsToExpiry(Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 1) - MS_PER_YEAR / 2), 0.5);
});
