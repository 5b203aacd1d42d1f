// Backtests against published tables and hand computations: χ² critical values, Kupiec's
// non-rejection regions, the Basel 1996 traffic-light table, a hand-counted Christoffersen example.

import t from 'tap';
import {
  backtest,
  binomialCdf,
  chiSquareSurvival,
  christoffersen,
  exceptions,
  gammaQ,
  kupiec,
  logGamma,
  transitions,
  trafficLight,
} from '../../../../engine/risk/backtest.js';

const close = (
  t_: { ok: (v: boolean, m: string) => unknown },
  got: number,
  want: number,
  tol: number,
  msg: string,
): void => {
  t_.ok(Math.abs(got - want) <= tol, `${msg}: got ${got}, want ${want} ± ${tol}`);
};

t.test('χ² p-values at published critical values', async (t) => {
  // Critical values as printed in every χ² table (e.g. NIST/SEMATECH e-Handbook §1.3.6.7.4), 3 decimals:
  // the true quantile lies within half a printed unit, so the level lies between the p-values there.
  for (const [x, k, level] of [
    [3.841, 1, 0.05],
    [6.635, 1, 0.01],
    [10.828, 1, 0.001],
    [5.991, 2, 0.05],
    [9.21, 2, 0.01],
    [7.815, 3, 0.05],
    [18.307, 10, 0.05],
  ] as const) {
    const above = chiSquareSurvival(x - 0.0005, k);
    const below = chiSquareSurvival(x + 0.0005, k);
    t.ok(below < level && level < above, `P(χ²_${k} > ${x} ± 0.0005) brackets ${level}: ${below}..${above}`);
  }
  // To full precision: R's qchisq(0.95, 1) and qchisq(0.99, 1) and qchisq(0.95, 2).
  close(t, chiSquareSurvival(3.841458820694124, 1), 0.05, 1e-13, 'qchisq(.95,1)');
  close(t, chiSquareSurvival(6.6348966010212145, 1), 0.01, 1e-13, 'qchisq(.99,1)');
  close(t, chiSquareSurvival(5.991464547107979, 2), 0.05, 1e-13, 'qchisq(.95,2)');
  // 1 dof is erfc(√(x/2)): erfc(1/√2) = 0.31731050786291404 (Python math.erfc) at x = 1.
  close(t, chiSquareSurvival(1, 1), 0.31731050786291404, 1e-14, 'erfc(1/√2)');
  // 2 dof through the general incomplete gamma equals the closed form e^{−x/2}.
  for (const x of [0.1, 1, 5.991, 20]) close(t, gammaQ(1, x / 2), Math.exp(-x / 2), 1e-14, `Q(1, ${x}/2)`);
  close(t, logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, 'lnΓ(1/2) = ln √π');
  close(t, logGamma(10), Math.log(362880), 1e-12, 'lnΓ(10) = ln 9!');
  t.equal(chiSquareSurvival(0, 1), 1);
  t.equal(chiSquareSurvival(Infinity, 3), 0);
});

t.test("Kupiec's non-rejection regions at 95 % (Kupiec 1995, Table 1; Jorion, Value at Risk)", async (t) => {
  // [p, T, lower, upper]: the model is not rejected for lower < N < upper (lower null: no bound printed).
  const table: [number, number, number | null, number][] = [
    [0.01, 255, null, 7],
    [0.01, 510, 1, 11],
    [0.01, 1000, 4, 17],
    [0.025, 255, 2, 12],
    [0.025, 510, 6, 21],
    [0.025, 1000, 15, 36],
    [0.05, 255, 6, 21],
    [0.05, 510, 16, 36],
    [0.05, 1000, 37, 65],
    [0.075, 255, 11, 28],
    [0.075, 510, 27, 51],
    [0.075, 1000, 59, 92],
    [0.1, 255, 16, 36],
    [0.1, 510, 38, 65],
    [0.1, 1000, 81, 120],
  ];
  for (const [p, T, lo, hi] of table) {
    const accepted = (n: number) => kupiec(T, n, p).pValue > 0.05;
    t.ok(accepted(hi - 1) && !accepted(hi), `p=${p} T=${T}: upper bound ${hi}`);
    if (lo !== null) t.ok(!accepted(lo) && accepted(lo + 1), `p=${p} T=${T}: lower bound ${lo}`);
  }
  // The table prints no lower bound at p=1 %, T=255, but zero exceptions give LR = −2T ln(1−p) = 5.1257 (rejected):
  close(t, kupiec(255, 0, 0.01).lr, -2 * 255 * Math.log(0.99), 1e-12, 'LR at N = 0');
  close(t, kupiec(255, 0, 0.01).lr, 5.12567128528574, 1e-9, 'LR at N = 0 (Python)');
  t.equal(kupiec(100, 1, 0.01).lr, 0, 'N = pT: LR 0');
  t.throws(() => kupiec(10, 11, 0.01), RangeError);
});

t.test('Basel traffic light (BCBS 1996, backtesting framework, Table 2: 250 observations at 99 %)', async (t) => {
  // Cumulative probability, as printed (percent, 2 decimals), zone and plus factor for 0..10 exceptions.
  const table: [number, string, number][] = [
    [8.11, 'green', 0],
    [28.58, 'green', 0],
    [54.32, 'green', 0],
    [75.81, 'green', 0],
    [89.22, 'green', 0],
    [95.88, 'yellow', 0.4],
    [98.63, 'yellow', 0.5],
    [99.6, 'yellow', 0.65],
    [99.89, 'yellow', 0.75],
    [99.97, 'yellow', 0.85],
    [99.99, 'red', 1],
  ];
  table.forEach(([cum, zone, plus], n) => {
    const r = trafficLight(250, n, 0.99);
    t.equal(Math.round(r.cumulativeProbability * 10000) / 100, cum, `${n} exceptions: ${cum} %`);
    t.equal(r.zone, zone, `${n} exceptions: ${zone}`);
    t.equal(r.plusFactor, plus, `${n} exceptions: plus factor ${plus}`);
  });
  t.match(trafficLight(250, 17, 0.99), { zone: 'red', plusFactor: 1 }, '10+ exceptions: red, plus factor 1');
  // Other sizes: the table's own rule (yellow from cumulative ≥ 95 %, red from ≥ 99.99 %); thresholds
  // from exact binomial sums in Python (math.comb): T=500 yellow 9, red 15; T=1000 yellow 15, red 24.
  for (const [T, yellow, red] of [
    [500, 9, 15],
    [1000, 15, 24],
  ]) {
    t.equal(trafficLight(T, yellow - 1, 0.99).zone, 'green');
    t.equal(trafficLight(T, yellow, 0.99).zone, 'yellow');
    t.equal(trafficLight(T, red - 1, 0.99).zone, 'yellow');
    t.equal(trafficLight(T, red, 0.99).zone, 'red');
    t.equal(trafficLight(T, red, 0.99).plusFactor, null);
  }
  close(t, binomialCdf(4, 250, 0.01), 0.8921876269036233, 1e-13, 'binomial cdf against Python');
  // Large T (no underflow of (1−p)^T): exact rational sum in Python (fractions, math.comb).
  close(t, binomialCdf(40, 100000, 0.0005), 0.0860162451280907, 1e-11, 'P(X ≤ 40), X ~ Bin(100000, 0.0005)');
});

t.test('Christoffersen independence and conditional coverage, hand-counted', async (t) => {
  const hits = [0, 0, 0, 1, 1, 1, 0, 0, 0, 0];
  // Transitions: 00 00 01 11 11 10 00 00 00 → n00 = 5, n01 = 1, n10 = 1, n11 = 2.
  t.same(transitions(hits), { n00: 5, n01: 1, n10: 1, n11: 2 });
  // π = 3/9, π01 = 1/6, π11 = 2/3:
  // LR = −2[6 ln(2/3) + 3 ln(1/3)] + 2[5 ln(5/6) + ln(1/6) + ln(1/3) + 2 ln(2/3)] = 2.231435513142097.
  const ind = christoffersen(transitions(hits));
  close(t, ind.lr, 2.231435513142097, 1e-12, 'LR_ind');
  close(t, ind.pValue, 0.13522815768706664, 1e-12, 'p_ind = erfc(√(LR/2))');
  // As a backtest at 90 %: VaR 1 every day, P&L −2 on the exception days, 0 otherwise.
  const pnl = hits.map((h) => (h ? -2 : 0));
  const r = backtest(new Array(10).fill(1), pnl, 0.9);
  t.equal(r.exceptions, 3);
  close(t, r.expected, 1, 1e-12, 'expected exceptions');
  close(t, r.kupiec.lr, 3.07327173607597, 1e-12, 'LR_pof (T=10, N=3, p=0.1)');
  close(t, r.conditional.lr, 5.304707249218067, 1e-12, 'LR_cc = LR_pof + LR_ind');
  close(t, r.conditional.pValue, 0.07048512216119875, 1e-12, 'p_cc = e^{−LR/2}');
  t.same(christoffersen({ n00: 9, n01: 0, n10: 0, n11: 0 }), { lr: 0, pValue: 1 }, 'no exceptions: LR 0');
  // Scattered exceptions (π01 = π11 estimates equal) give LR 0.
  t.equal(christoffersen({ n00: 4, n01: 2, n10: 2, n11: 1 }).lr, 0);
});

t.test('exceptions: a loss strictly beyond VaR; bad input', async (t) => {
  t.same([...exceptions([1, 1, 1, 1], [-1, -1.0001, 5, -3])], [0, 1, 0, 1]);
  t.throws(() => exceptions([1, 1], [0]), /lengths differ/);
  t.throws(() => exceptions([1, NaN], [0, 0]), /day 1/);
  t.throws(() => backtest([], [], 0.99), /at least one day/);
  t.throws(() => backtest([1], [0], 99), /coverage/);
});
