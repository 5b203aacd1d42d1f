// Option prices and Greeks (engine/blackscholes.ts) against values computed outside this code:
// textbook worked examples to their printed precision (a half unit of the last printed digit),
// put–call parity over random inputs, and QuantLib 1.44's AnalyticEuropeanEngine on a grid.
import { execFile } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import {
  black76Greeks,
  black76Price,
  bsDelta,
  bsGamma,
  bsmGreeks,
  bsmPrice,
  bsPrice,
  bsVega,
  type Greeks,
} from '../../../engine/blackscholes.js';
import { CounterRng } from '../../../maths/random.js';
import { pythonWithClients } from '../../../tools/python/venv.js';

/** |got − want| ≤ half a unit of the last printed digit of `printed`. */
function printed(t: { ok(ok: boolean, msg: string): unknown }, got: number, printedValue: string, what: string): void {
  const decimals = printedValue.split('.')[1]?.length ?? 0;
  const want = Number(printedValue);
  const tol = 0.5 * 10 ** -decimals;
  t.ok(Math.abs(got - want) <= tol, `${what}: ${got} prints as ${printedValue} (± ${tol})`);
}

t.test('Hull, Options, Futures, and Other Derivatives (8th ed.): worked examples', async (t) => {
  // Example 14.6 (Black–Scholes–Merton): S=42, K=40, r=10 %, σ=20 %, T=0.5 → c = 4.76, p = 0.81.
  printed(t, bsmPrice(42, 40, 0.5, 0.2, 0.1, 0, true), '4.76', 'call');
  printed(t, bsmPrice(42, 40, 0.5, 0.2, 0.1, 0, false), '0.81', 'put');
  // Example 17.1 (index option): S=930, K=900, r=8 %, σ=20 %, T=2/12, dividend yields 0.2 % and
  // 0.3 % in the two months, i.e. q = 0.5 % × 6 = 3 % a year → c = 51.83.
  printed(t, bsmPrice(930, 900, 2 / 12, 0.2, 0.08, 0.03, true), '51.83', 'index call with q');
  // Example 18.6 (Black's model): futures put, F=K=20, r=9 %, σ=25 %, T=4/12 → p = 1.12.
  printed(t, black76Price(20, 20, 4 / 12, 0.25, 0.09, false), '1.12', 'futures put');
  // Section 19 (the Greek letters, a 20-week call): S=49, K=50, r=5 %, σ=20 %, T=20/52 → price
  // 2.40 (Hull: $240,000 for 100,000 options), Δ = 0.522, Γ = 0.066, vega = 12.1, Θ = −4.31 a
  // year, ρ = 8.91.
  const g = bsmGreeks(49, 50, 20 / 52, 0.2, 0.05, 0, true);
  printed(t, g.price, '2.40', 'price');
  printed(t, g.delta, '0.522', 'delta');
  printed(t, g.gamma, '0.066', 'gamma');
  printed(t, g.vega, '12.1', 'vega');
  printed(t, g.theta, '-4.31', 'theta');
  printed(t, g.rho, '8.91', 'rho');
});

t.test('Haug, The Complete Guide to Option Pricing Formulas (2nd ed.): worked examples', async (t) => {
  // 1.1.6, generalized BSM: S=75, X=70, T=0.5, r=10 %, b=5 % (q = r − b = 5 %), σ=35 % → p = 4.0870.
  printed(t, bsmPrice(75, 70, 0.5, 0.35, 0.1, 0.05, false), '4.0870', 'generalized BSM put');
  // 1.1.5, Black-76: F=X=19, T=0.75, r=10 %, σ=28 % → c = p = 1.7011.
  printed(t, black76Price(19, 19, 0.75, 0.28, 0.1, true), '1.7011', 'Black-76 call');
  printed(t, black76Price(19, 19, 0.75, 0.28, 0.1, false), '1.7011', 'Black-76 put');
  // 2.1.1, delta of a futures option (b = 0): F=105, X=100, T=0.5, r=10 %, σ=36 % → 0.5946, −0.3566.
  printed(t, black76Greeks(105, 100, 0.5, 0.36, 0.1, true).delta, '0.5946', 'call delta');
  printed(t, black76Greeks(105, 100, 0.5, 0.36, 0.1, false).delta, '-0.3566', 'put delta');
  // 2.2.1, gamma: S=55, X=60, T=0.75, r=b=10 % (q = 0), σ=30 % → 0.0278.
  printed(t, bsmGreeks(55, 60, 0.75, 0.3, 0.1, 0, true).gamma, '0.0278', 'gamma');
  // 2.4.1, theta of a put on an index: S=430, X=405, T=0.0833, r=7 %, b=2 % (q = 5 %), σ=20 % → −31.1924.
  printed(t, bsmGreeks(430, 405, 0.0833, 0.2, 0.07, 0.05, false).theta, '-31.1924', 'put theta');
  // 2.5.1, rho: S=72, X=75, T=1, r=b=9 % (q = 0), σ=19 % → call rho 38.7325.
  printed(t, bsmGreeks(72, 75, 1, 0.19, 0.09, 0, true).rho, '38.7325', 'call rho');
});

t.test('limits: at expiry the intrinsic value, at zero vol the discounted forward intrinsic', async (t) => {
  t.equal(bsmPrice(110, 100, 0, 0.3, 0.05, 0.02, true), 10);
  t.equal(bsmPrice(110, 100, -0.1, 0.3, 0.05, 0.02, false), 0);
  t.equal(black76Price(90, 100, 0, 0.3, 0.05, false), 10);
  // σ = 0, T = 1: call = max(S e^{−q} − K e^{−r}, 0) = 110·e^{−0.02} − 100·e^{−0.05}.
  const fwd = 110 * Math.exp(-0.02) - 100 * Math.exp(-0.05);
  t.ok(Math.abs(bsmPrice(110, 100, 1, 0, 0.05, 0.02, true) - fwd) < 1e-12, 'zero-vol call');
  t.equal(bsmPrice(110, 100, 1, 0, 0.05, 0.02, false), 0, 'zero-vol put');
  t.ok(Math.abs(black76Price(110, 100, 1, 0, 0.05, true) - 10 * Math.exp(-0.05)) < 1e-12, 'zero-vol futures call');
  const g = bsmGreeks(110, 100, 1, 0, 0.05, 0.02, true);
  t.same([g.delta, g.gamma, g.vega], [Math.exp(-0.02), 0, 0], 'zero-vol call: delta e^{−qT}, no gamma or vega');
});

t.test('the original signatures still price without a dividend (engine and simulator use them)', async (t) => {
  const g = bsmGreeks(105, 100, 0.7, 0.25, 0.04, 0, false);
  t.equal(bsPrice(105, 100, 0.7, 0.25, 0.04, false), g.price);
  t.equal(bsDelta(105, 100, 0.7, 0.25, 0.04, false), g.delta);
  t.equal(bsGamma(105, 100, 0.7, 0.25, 0.04), g.gamma);
  t.equal(bsVega(105, 100, 0.7, 0.25, 0.04), g.vega);
  const q = bsmGreeks(105, 100, 0.7, 0.25, 0.04, 0.03, true);
  t.equal(bsPrice(105, 100, 0.7, 0.25, 0.04, true, 0.03), q.price);
  t.equal(bsDelta(105, 100, 0.7, 0.25, 0.04, true, 0.03), q.delta);
});

t.test("bsDelta (the book's hot path) is bsmGreeks' delta bit for bit, limits included", async (t) => {
  const rng = new CounterRng(20_261_207, 3);
  const bad: number[][] = [];
  for (let n = 0; n < 5000; n++) {
    const S = 50 + 100 * rng.uniform();
    // Some at expiry, past it, at zero vol and exactly at the forward, where the limits apply.
    const T = n % 10 === 0 ? 0 : n % 10 === 1 ? -0.1 : 2 * rng.uniform();
    const vol = n % 10 === 2 ? 0 : 0.05 + 0.6 * rng.uniform();
    const K = n % 10 === 3 ? S : 50 + 100 * rng.uniform();
    const r = 0.08 * rng.uniform();
    const q = n % 2 === 0 ? 0 : 0.05 * rng.uniform();
    const call = n % 3 !== 0;
    if (!Object.is(bsDelta(S, K, T, vol, r, call, q), bsmGreeks(S, K, T, vol, r, q, call).delta))
      bad.push([S, K, T, vol, r, q]);
  }
  t.same(bad, [], 'every case equal');
});

t.test('put–call parity over 5,000 random options (BSM with q, and Black-76)', async (t) => {
  const rng = new CounterRng(20_261_206, 7);
  const c = bsmGreeks(1, 1, 1, 1, 0, 0, true);
  const p = bsmGreeks(1, 1, 1, 1, 0, 0, false);
  let worst = 0;
  let worstGreek = 0;
  for (let i = 0; i < 5000; i++) {
    const S = rng.range(5, 500);
    const K = S * Math.exp(rng.range(-1, 1));
    const T = rng.range(0.01, 5);
    const vol = rng.range(0.02, 1.2);
    const r = rng.range(-0.02, 0.12);
    const q = i % 2 === 0 ? rng.range(0, 0.08) : r; // odd draws: Black-76 through both routes
    const black = i % 2 === 1;
    if (black) {
      black76Greeks(S, K, T, vol, r, true, c);
      black76Greeks(S, K, T, vol, r, false, p);
    } else {
      bsmGreeks(S, K, T, vol, r, q, true, c);
      bsmGreeks(S, K, T, vol, r, q, false, p);
    }
    const dq = Math.exp(-q * T);
    const df = Math.exp(-r * T);
    // C − P = S e^{−qT} − K e^{−rT}; ΔC − ΔP = e^{−qT}; Γ, vega equal; ρC − ρP = K T e^{−rT}
    // (Black-76: −T(C − P), since its rho holds F).
    const scale = S + K;
    worst = Math.max(worst, Math.abs(c.price - p.price - (S * dq - K * df)) / scale);
    const rhoParity = black ? -T * (S * df - K * df) : K * T * df;
    worstGreek = Math.max(
      worstGreek,
      Math.abs(c.delta - p.delta - dq),
      Math.abs(c.gamma - p.gamma) * S,
      Math.abs(c.vega - p.vega) / scale,
      Math.abs(c.rho - p.rho - rhoParity) / (scale * T),
    );
  }
  t.ok(worst < 1e-14, `price parity holds to ${worst.toExponential(2)} of S + K`);
  t.ok(worstGreek < 1e-13, `Greek parities hold to ${worstGreek.toExponential(2)}`);
});

interface QlOption extends Greeks {
  model: 'bsm' | 'black76';
  call: boolean;
  spot: number;
  strike: number;
  days: number;
  years: number;
  vol: number;
  rate: number;
  dividend: number;
}

function quantlibGrid(python: string): Promise<{ quantlib: string; options: QlOption[] }> {
  const script = path.join(import.meta.dirname, '..', '..', '..', 'tools', 'python', 'quantlib_reference.py');
  return new Promise((resolve, reject) => {
    execFile(python, [script], { timeout: 60_000, maxBuffer: 16 << 20 }, (err, out, stderr) => {
      if (err) reject(new Error(`${script} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(out) as { quantlib: string; options: QlOption[] });
    });
  });
}

t.test('QuantLib AnalyticEuropeanEngine grid: price and Greeks to 1e-10 relative', { timeout: 600_000 }, async (t) => {
  const python = await pythonWithClients();
  const grid = await quantlibGrid(python);
  t.equal(grid.quantlib, '1.44', 'the pinned QuantLib');
  t.equal(grid.options.length, 144, 'the whole grid');
  const g = bsmGreeks(1, 1, 1, 1, 0, 0, true);
  let worst = 0;
  for (const o of grid.options) {
    if (o.model === 'black76') black76Greeks(o.spot, o.strike, o.years, o.vol, o.rate, o.call, g);
    else bsmGreeks(o.spot, o.strike, o.years, o.vol, o.rate, o.dividend, o.call, g);
    const id = `${o.model} ${o.call ? 'call' : 'put'} S=${o.spot} K=${o.strike} ${o.days}d σ=${o.vol} r=${o.rate} q=${o.dividend}`;
    for (const k of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'] as const) {
      // Relative to the value, with a floor of 1e-13 of the spot's scale for values that are all but 0
      // (a far out-of-the-money option's 1e-7 price): double precision cannot promise more there.
      const floor = 1e-13 * (k === 'gamma' ? 1 / o.spot : k === 'delta' ? 1 : o.spot);
      const err = Math.abs(g[k] - o[k]) / Math.max(Math.abs(o[k]), floor / 1e-10);
      worst = Math.max(worst, err);
      if (err > 1e-10) t.fail(`${id} ${k}: ${g[k]} vs QuantLib ${o[k]} (${err.toExponential(2)} relative)`);
    }
  }
  t.ok(
    worst <= 1e-10,
    `worst relative difference ${worst.toExponential(2)} over ${grid.options.length} options × 6 figures`,
  );
});
