import t from 'tap';
import { bsPrice, expiryToMs, MS_PER_YEAR } from '../../../engine/blackscholes.js';
import { RisklineError } from '../../../errors/catalogue.js';
import type { EquityOption } from '../../../engine/model.js';
import { correlationFactor as cholesky, MarketSimulator } from '../../../feeds/simulator.js';
import type { TickTuple } from '../../../streams/envelope.js';
import { instruments, market, simOptions, START } from './fixtures.js';

function run(sim: MarketSimulator, n: number, chunk = 997): TickTuple[] {
  const all: TickTuple[] = [];
  const out: TickTuple[] = [];
  for (let done = 0; done < n;) {
    const k = Math.min(chunk, n - done);
    sim.fill(out, k);
    for (let i = 0; i < k; i++) all.push([...out[i]]);
    done += k;
  }
  return all;
}

t.test('same seed, config and start time give identical ticks, whatever the chunking', async (t) => {
  const a = run(new MarketSimulator(simOptions()), 50_000, 997);
  const b = run(new MarketSimulator(simOptions()), 50_000, 50_000);
  t.equal(a.length, 50_000);
  t.ok(
    a.every((x, i) => x.every((v, j) => Object.is(v, b[i][j]))),
    'bit-for-bit identical',
  );
  const c = run(new MarketSimulator(simOptions({ seed: 43 })), 1000);
  t.ok(c.filter((x, i) => x[0] !== a[i][0] || x[2] !== a[i][2]).length > 900, 'another seed gives other ticks');
  const d = run(new MarketSimulator(simOptions({ startTime: START + 1 })), 1000);
  t.not(d[0][1], a[0][1], 'start time moves the clock');
});

t.test(
  'ticks are well formed: positive prices, bid < ask, last inside, event time at the configured rate',
  async (t) => {
    const sim = new MarketSimulator(simOptions({ ticksPerSecond: 300 }));
    const ticks = run(sim, 30_000);
    const ids = new Set(instruments.map((i) => i.id));
    const counts = new Map<string, number>();
    let bad = 0;
    ticks.forEach(([id, ts, bid, ask, last], k) => {
      counts.set(id, (counts.get(id) ?? 0) + 1);
      if (!ids.has(id)) bad++;
      if (ts !== Math.floor(START + (k * 1000) / 300)) bad++;
      if (!(bid > 0 && bid < ask && last >= bid && last <= ask && Number.isFinite(ask))) bad++;
    });
    t.equal(bad, 0);
    t.equal(counts.size, ids.size, 'every instrument ticks');
    // Weights: fx 4, etf 2, equity 1, option/bond 0.5 of a total of 9.5.
    t.ok(Math.abs(counts.get('EURUSD')! / 30_000 - 4 / 9.5) < 0.02, 'fx ticks most');
    t.ok(Math.abs(counts.get('A')! / 30_000 - 1 / 9.5) < 0.01, 'an equity');
    t.ok(Math.abs(counts.get('UST10')! / 30_000 - 0.5 / 9.5) < 0.01, 'a bond');
    t.equal(sim.now, ticks[ticks.length - 1][1]);
    t.equal(sim.ticks, 30_000);
    const last = [...ticks].reverse().find((x) => x[0] === 'B')!;
    t.equal(sim.bid('B'), last[2]);
    t.equal(sim.ask('B'), last[3]);
    t.ok(Math.abs(sim.mid('B') - (last[2] + last[3]) / 2) < 1e-9 * last[2]);
    t.ok(Number.isNaN(sim.mid('NOPE')));
    t.equal(sim.indexOf('A'), 0);
    // Spreads are spreadBps wide around the mid.
    const [, , bid, ask] = ticks.find((x) => x[0] === 'A')!;
    t.ok(Math.abs((ask - bid) / ((ask + bid) / 2) - 2e-4) < 1e-12, '2 bp equity spread');
  },
);

t.test('fill reuses the caller tuples', async (t) => {
  const sim = new MarketSimulator(simOptions());
  const out: TickTuple[] = [];
  sim.fill(out, 10);
  const first = out[0];
  sim.fill(out, 10);
  t.equal(out[0], first);
  t.equal(out.length, 10);
});

function logReturns(sim: MarketSimulator, ids: string[], samples: number, every: number): number[][] {
  const out: TickTuple[] = [];
  const series = ids.map(() => [] as number[]);
  let prev = ids.map((id) => sim.mid(id));
  for (let s = 0; s < samples; s++) {
    sim.fill(out, every);
    const cur = ids.map((id) => sim.mid(id));
    cur.forEach((m, k) => series[k].push(Math.log(m / prev[k])));
    prev = cur;
  }
  return series;
}

function corr(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

t.test('realised correlations follow the factor loadings', async (t) => {
  const sim = new MarketSimulator(simOptions({ jumpIntensityPerYear: 0, ticksPerSecond: 100, factorStepMs: 100 }));
  const [a, b, c, fx] = logReturns(sim, ['A', 'B', 'C', 'EURUSD'], 400, 200);
  t.ok(corr(a, b) > 0.8, `A,B load on the same factor: ${corr(a, b)}`);
  t.ok(corr(a, c) < -0.8, `C loads against it: ${corr(a, c)}`);
  t.ok(Math.abs(corr(a, fx)) < 0.45, `EURUSD is a different factor (ρ=0.2): ${corr(a, fx)}`);
  // Realised volatility of A close to √(1²·0.2² + 0.03²) per year.
  const dtYears = (200 * 10) / MS_PER_YEAR;
  const variance = a.reduce((s, r) => s + r * r, 0) / a.length;
  const vol = Math.sqrt(variance / dtYears);
  t.ok(vol > 0.16 && vol < 0.245, `realised vol of A ${vol}`);
});

t.test('jumps add variance', async (t) => {
  const realised = (lambda: number): number => {
    const sim = new MarketSimulator(simOptions({ jumpIntensityPerYear: lambda, jumpVol: 0.05, ticksPerSecond: 100 }));
    const [a] = logReturns(sim, ['A'], 300, 100);
    return a.reduce((s, r) => s + r * r, 0);
  };
  t.ok(realised(1e7) > 5 * realised(0), 'frequent jumps dominate the variance');
});

t.test('options are Black–Scholes of the underlying mid at the tick time', async (t) => {
  const sim = new MarketSimulator(simOptions({ ticksPerSecond: 10 }));
  const out: TickTuple[] = [];
  sim.fill(out, 20_000);
  let underMid = 100;
  let checked = 0;
  let worst = 0;
  for (const [id, ts, bid, ask] of out) {
    if (id === 'A') underMid = (bid + ask) / 2;
    if (id === 'A-C100' || id === 'A-P95') {
      const def = instruments.find((i) => i.id === id)!;
      if (def.kind !== 'option') continue;
      const T = (expiryToMs(def.expiry) - ts) / MS_PER_YEAR;
      const want = Math.max(0.01, bsPrice(underMid, def.strike, T, def.impliedVol, 0.04, def.right === 'call'));
      worst = Math.max(worst, Math.abs((bid + ask) / 2 / want - 1));
      checked++;
    }
  }
  t.ok(checked > 500, `${checked} option ticks`);
  t.ok(worst < 1e-12, `worst relative error ${worst}`);
  t.ok(
    Math.abs(
      sim.mid('A-C100') -
        bsPrice(sim.mid('A'), 100, (expiryToMs('2026-06-19') - sim.now) / MS_PER_YEAR, 0.25, 0.04, true),
    ) < 1,
    'mid() of an option is near its model value',
  );
});

t.test('an expired option is worth its intrinsic value, floored at the minimum price', async (t) => {
  const sim = new MarketSimulator(
    simOptions({ startTime: Date.UTC(2026, 6, 1), tickWeights: { fx: 0, etf: 0, bond: 0 } }),
  );
  const ticks = run(sim, 5000);
  let bad = 0;
  let a = 100;
  for (const [id, , bid, ask] of ticks) {
    const mid = (bid + ask) / 2;
    if (id === 'A') a = mid;
    if (id === 'A-C100' && Math.abs(mid - Math.max(a - 100, 0.01)) > 1e-9) bad++;
    if (id === 'A-P95' && Math.abs(mid - Math.max(95 - a, 0.01)) > 1e-9) bad++;
  }
  t.equal(bad, 0);
});

t.test('setOrigin moves event time without moving prices', async (t) => {
  const sim = new MarketSimulator(simOptions());
  run(sim, 100);
  const before = sim.mid('A');
  const origin = Date.UTC(2030, 0, 1);
  sim.setOrigin(origin);
  const out: TickTuple[] = [];
  sim.fill(out, 1);
  t.equal(out[0][1], origin, 'next tick is at the new origin');
  sim.fill(out, 2000);
  t.ok(Math.abs(Math.log(sim.mid('A') / before)) < 0.02, 'no catch-up over the gap');
  t.equal(out[1999][1], Math.floor(origin + 2000 * 1));
  // Setting the origin before the first tick, as a live feed does at start, gives the same path as
  // starting there.
  const x = new MarketSimulator(simOptions());
  x.setOrigin(START + 5000);
  const y = new MarketSimulator(simOptions({ startTime: START + 5000 }));
  t.same(run(x, 2000), run(y, 2000));
  t.equal(x.now, y.now);
});

t.test('skip moves event time forward and the market evolves over the gap', async (t) => {
  const a = new MarketSimulator(simOptions());
  const ticked = run(a, 1000);
  t.equal(a.nextTime, START + 1000);
  a.skip(60_000);
  const after = run(a, 10);
  t.equal(after[0][1], START + 61_000, 'the next tick comes the skipped time later');
  t.equal(after[9][1], START + 61_009, 'later ones follow at the rate');
  // Determinism given the skips: the same skip gives the same ticks; skip(0) changes nothing.
  const b = new MarketSimulator(simOptions());
  t.same([...run(b, 1000), ...(b.skip(60_000), run(b, 10))], [...ticked, ...after]);
  const c = new MarketSimulator(simOptions());
  c.skip(0);
  t.same(run(c, 1000), ticked);
  t.throws(() => c.skip(-1), RangeError);
  // Over a one-year skip A's log return has A's one-year volatility (EQ 0.2, idio 0.03, jumps
  // 4 × 0.03²: 0.21, measured 0.210 over 3000 seeds; the jumps' fat tails make 300 seeds give 0.244),
  // where setOrigin would carry on as if no time had passed (0).
  const moves: number[] = [];
  for (let seed = 1; seed <= 300; seed++) {
    const sim = new MarketSimulator(simOptions({ seed, tickWeights: { etf: 0, fx: 0, bond: 0, option: 0 } }));
    run(sim, 10);
    const before = sim.mid('A');
    sim.skip(MS_PER_YEAR);
    for (let i = 0; i < 50 && sim.mid('A') === before; i++) run(sim, 1);
    moves.push(Math.log(sim.mid('A') / before));
  }
  const sd = Math.sqrt(moves.reduce((s, x) => s + x * x, 0) / moves.length);
  t.ok(sd > 0.16 && sd < 0.28, `one-year standard deviation ${sd.toFixed(3)}`);
});

t.test('bad market models are configuration errors', async (t) => {
  const bad = (over: Parameters<typeof simOptions>[0], msg: RegExp): void => {
    try {
      new MarketSimulator(simOptions(over));
      t.fail(`expected ${msg}`);
    } catch (err) {
      t.ok(err instanceof RisklineError && err.code === 'CONFIG_INVALID', 'CONFIG_INVALID');
      t.match((err as Error).message, msg);
    }
  };
  const badCorrelations = (correlations: number[][], msg: RegExp) => bad({ market: { ...market, correlations } }, msg);
  badCorrelations(
    [
      [1, 0.99, 0.99],
      [0.99, 1, -0.99],
      [0.99, -0.99, 1],
    ],
    /^simulator: correlations: not positive semi-definite$/,
  );
  badCorrelations(
    [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ],
    /^simulator: correlations: not positive semi-definite$/,
  );
  badCorrelations(
    [
      [1, 0.5, 0],
      [0.4, 1, 0],
      [0, 0, 1],
    ],
    /^simulator: correlations\[0\]\[1\]: not symmetric: 0\.5 but correlations\[1\]\[0\] is 0\.4$/,
  );
  badCorrelations(
    [
      [1, 0],
      [0, 1],
    ],
    /^simulator: correlations: expected 3 rows \(one per factor\), received 2$/,
  );
  badCorrelations(
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1.5],
    ],
    /^simulator: correlations\[2\]\[2\]: expected number in \[-1, 1\], received 1\.5$/,
  );
  bad(
    { instruments: [instruments[0], { ...(instruments[5] as EquityOption), underlying: 'NOPE' }] },
    /^instruments: A-C100: underlying: expected a non-option instrument, received "NOPE"$/,
  );
  bad({ instruments: [{ ...instruments[0], factors: { NOPE: 1 } }] }, /A: factors.NOPE: unknown factor/);
  bad({ instruments: [] }, /at least one/);
  bad({ ticksPerSecond: 0 }, /ticksPerSecond/);
  bad({ instruments: [instruments[0], instruments[0]] }, /duplicate id A/);
  t.same(
    [
      ...cholesky([
        [1, 1],
        [1, 1],
      ]),
    ],
    [1, 0, 1, 0],
    'perfectly correlated factors are allowed',
  );
  const perfect = new MarketSimulator(
    simOptions({
      market: {
        ...market,
        correlations: [
          [1, 1, 0.2],
          [1, 1, 0.2],
          [0.2, 0.2, 1],
        ],
      },
    }),
  );
  const ticks = run(perfect, 2000);
  t.ok(
    ticks.every(([, , bid, ask]) => bid > 0 && bid < ask),
    'a simulator on perfectly correlated factors ticks',
  );
  const l = cholesky(market.correlations);
  const n = 3;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
      t.ok(Math.abs(s - market.correlations[i][j]) < 1e-12, `L·Lᵀ[${i}][${j}]`);
    }
});
