// The engine's analytics (engine/analytics/analytics.ts) end to end: attribution worked by hand on
// a small book; on a seeded stream over several days, returns sampled at the right moments (an
// independent walk of the inputs reads a second engine's NAV at each interval's end) with their
// statistics equal to empyrical's; and a portfolio restored from a checkpoint continuing exactly
// as the engine that wrote it.
import t from 'tap';
import type { AnalyticsSettings } from '../../../../engine/analytics/analytics.js';
import type { AnalyticsSnapshot } from '../../../../engine/analytics/model.js';
import { Engine } from '../../../../engine/engine.js';
import { decodeFrame } from '../../../../engine/frames.js';
import type { RiskSnapshot } from '../../../../engine/model.js';
import { applyInputs, engineOptions, seededInputs, T0, type Input } from '../fixtures.js';
import { close, empyrical, type ReferenceCase } from './empyrical.js';

const MIN = 60_000;
const DAY = 86_400_000;
const settings = (over: Partial<AnalyticsSettings> = {}): AnalyticsSettings => ({
  intervalMs: MIN,
  intradayWindow: 500,
  dailyWindow: 252,
  daysPerYear: 252,
  riskFreeRate: 0.03,
  sortinoTarget: 0.01,
  benchmark: 'SPY',
  fees: {
    dayCount: 'act/365',
    managementRate: 0.02,
    performanceRate: 0.2,
    hurdleRate: 0.05,
    crystallisation: 'monthly',
  },
  ...over,
});

/** An engine with analytics whose last risk frame per portfolio is kept. */
function withFrames(over: Parameters<typeof engineOptions>[0] = {}) {
  const last = new Map<string, RiskSnapshot>();
  const engine = new Engine(engineOptions({ analytics: settings(), ...over }), (fs) => {
    for (const f of fs) if (f.channel.startsWith('risk:')) last.set(f.channel.slice(5), decodeFrame(f).data as never);
  });
  return { engine, analyticsOf: (id: string) => last.get(id)!.analytics! };
}

const tick = (e: Engine, id: string, ts: number, price: number) =>
  e.tick(e.instrumentIndex(id), ts, price, price, price);

t.test('attribution worked by hand: holdings × moves, cash FX, a fill off the mark, the day roll', async (t) => {
  const book = {
    id: 'P-ATT',
    name: 'Attribution',
    baseCurrency: 'USD',
    cash: { USD: 100_000, EUR: 10_000 },
    holdings: [
      { instrument: 'AAPL', qty: 100, price: 200 },
      { instrument: 'SAP.DE', qty: 100, price: 150 },
      { instrument: 'ES-2027H', qty: 2, price: 5000 },
    ],
  };
  const { engine: e, analyticsOf } = withFrames({ portfolios: [book] });
  // Opening NAV: USD 80,000 + EUR −5,000 × 1.1 + AAPL 20,000 + SAP 15,000 × 1.1 + the future's 0 gain.
  const nav0 = 80_000 - 5_500 + 20_000 + 16_500;
  tick(e, 'AAPL', T0 + 1000, 210);
  tick(e, 'SAP.DE', T0 + 2000, 160);
  tick(e, 'ES-2027H', T0 + 3000, 5010);
  tick(e, 'EURUSD', T0 + 4000, 1.2);
  tick(e, 'MSFT', T0 + MIN, 400); // crosses the first boundary: the interval is sampled before it
  e.flush();
  let a = analyticsOf('P-ATT');
  const r1 = 4_200 / nav0;
  t.equal(a.sampledAt, T0 + MIN);
  t.ok(close(a.intraday.lastReturn, r1, 1e-14), `interval return ${a.intraday.lastReturn} = 4,200 / ${nav0}`);
  // AAPL 100 × 10 + SAP 100 × (160 × 1.2 − 150 × 1.1) = 3,700; the future 2 × 50 × 10 = 1,000.
  t.ok(close(a.attribution.byAssetClass.equity, 3_700 / nav0, 1e-14), 'equity');
  t.ok(close(a.attribution.byAssetClass.future, 1_000 / nav0, 1e-14), 'future');
  t.ok(close(a.attribution.bySector.Technology, 3_700 / nav0, 1e-14), 'Technology');
  t.ok(close(a.attribution.bySector.Index, 1_000 / nav0, 1e-14), 'Index');
  t.ok(close(a.attribution.cash, -500 / nav0, 1e-14), 'EUR −5,000 × (1.2 − 1.1)');
  t.ok(Math.abs(a.attribution.trading) < 1e-16, 'no fill: nothing unexplained');
  t.equal(a.attribution.compounding, 0, 'one interval: nothing to compound');

  // Buying 10 AAPL at 212 with the mark at 210 costs 20 at once: trading, not AAPL's move.
  e.execute({ id: 'F1', portfolio: 'P-ATT', instrument: 'AAPL', side: 'buy', qty: 10, price: 212, ts: T0 + MIN + 10 });
  tick(e, 'MSFT', T0 + 2 * MIN, 401);
  e.flush();
  a = analyticsOf('P-ATT');
  const nav1 = nav0 + 4_200;
  const r2 = -20 / nav1;
  t.ok(close(a.intraday.lastReturn, r2, 1e-12), 'second interval');
  t.ok(close(a.attribution.trading, r2, 1e-12), 'the fill is the trading line');
  t.ok(close(a.dayToDate, (1 + r1) * (1 + r2) - 1, 1e-14), 'day to date links the intervals');
  t.ok(close(a.attribution.compounding, (1 + r1) * (1 + r2) - 1 - r1 - r2, 1e-9), 'compounding');
  const lines = Object.values(a.attribution.byAssetClass).reduce((x, y) => x + y, 0);
  t.ok(
    close(lines + a.attribution.cash + a.attribution.trading + a.attribution.compounding, a.attribution.total, 1e-14),
  );

  // The next input is after midnight: the day closes at 00:00, its return into the daily series,
  // a day of management fee on the closing NAV (the performance fee is under the hurdle's zero).
  const midnight = (Math.floor(T0 / DAY) + 1) * DAY;
  tick(e, 'MSFT', midnight + 5 * MIN + 7, 402);
  e.flush();
  a = analyticsOf('P-ATT');
  t.ok(close(a.daily.lastReturn, (1 + r1) * (1 + r2) - 1, 1e-14), 'the day is its linked intervals');
  t.equal(a.fees.lastAccrual, midnight, 'accrued at the day roll');
  t.ok(close(a.fees.lastManagement, (nav1 - 20) * (0.02 / 365), 1e-12), 'a day of 2 % on the closing NAV');
  t.ok(close(a.fees.navNet, a.fees.navGross - a.fees.accruedManagement - a.fees.accruedPerformance, 1e-14));
  t.equal(a.attribution.from, midnight, "the new day's attribution starts at midnight");
  t.equal(a.sampledAt, midnight + 5 * MIN, 'sampled up to the last boundary before the input');
  t.equal(a.intraday.lastReturn, 0, 'the quiet intervals are returns of zero');
  t.equal(a.intraday.observations, 500, 'every interval since the start, the newest 500 kept');
});

/** The NAV (and the benchmark in base) at every interval boundary, read off a second engine fed the inputs one by one. */
function referenceSamples(inputs: Input[], port: string) {
  const ref = new Engine(engineOptions(), () => undefined);
  const p = ref.portfolioIndex(port);
  const spy = ref.instrumentIndex('SPY');
  const level = () => ref.book.mark[spy] * ref.instruments.fx(ref.instruments.currency[spy], ref.book.base[p]);
  const samples = [{ at: T0, nav: ref.book.nav(p), bench: level() }];
  for (const x of inputs) {
    const ts = 'tick' in x ? x.tick[1] : x.exec.ts;
    // The state at a boundary is that of the inputs before it.
    for (let b = samples.at(-1)!.at + MIN; b <= ts; b += MIN)
      samples.push({ at: b, nav: ref.book.nav(p), bench: level() });
    applyInputs(ref, [x]);
  }
  return samples;
}

t.test('seeded days: sampled at each interval end, statistics equal to empyrical', async (t) => {
  const inputs = seededInputs({ n: 20_000, seed: 5, execShare: 0.05, maxStepMs: 50_000, vol: 0.004 });
  const { engine, analyticsOf } = withFrames();
  applyInputs(engine, inputs);
  engine.flush();
  const cases: ReferenceCase[] = [];
  const got: AnalyticsSnapshot[] = [];
  for (const port of ['P-USD', 'P-EUR']) {
    const s = referenceSamples(inputs, port);
    const ret = (k: number, key: 'nav' | 'bench') => s[k][key] / s[k - 1][key] - 1;
    const intraday = s.slice(1).map((_, k) => ret(k + 1, 'nav'));
    const intradayBench = s.slice(1).map((_, k) => ret(k + 1, 'bench'));
    // A day closes at its UTC midnight.
    const closes = [s[0], ...s.filter((x) => x.at % DAY === 0)];
    const daily = closes.slice(1).map((c, k) => c.nav / closes[k].nav - 1);
    const dailyBench = closes.slice(1).map((c, k) => c.bench / closes[k].bench - 1);
    const a = analyticsOf(port);
    got.push(a);
    t.equal(a.intraday.observations, Math.min(500, intraday.length), `${port}: intraday observations`);
    t.equal(a.daily.observations, daily.length, `${port}: ${daily.length} days`);
    t.ok(daily.length >= 3, 'several days');
    t.ok(close(a.intraday.lastReturn, intraday.at(-1)!, 1e-9), `${port}: last interval return`);
    t.ok(close(a.daily.lastReturn, daily.at(-1)!, 1e-9), `${port}: last daily return`);
    cases.push({
      returns: intraday.slice(-500),
      bench: intradayBench.slice(-500),
      periodsPerYear: 252 * 1440,
      riskFreeRate: 0.03,
      sortinoTarget: 0.01,
    });
    cases.push({ returns: daily, bench: dailyBench, periodsPerYear: 252, riskFreeRate: 0.03, sortinoTarget: 0.01 });
    const at = a.attribution;
    const sum = [...Object.values(at.byAssetClass), at.cash, at.trading, at.compounding].reduce((x, y) => x + y, 0);
    t.ok(close(sum, at.total, 1e-9, 1e-15), `${port}: the attribution lines add up to the day's return`);
    t.ok(
      close(
        Object.values(at.bySector).reduce((x, y) => x + y, 0),
        Object.values(at.byAssetClass).reduce((x, y) => x + y, 0),
        1e-9,
        1e-15,
      ),
      'by sector and by asset class explain the same',
    );
  }
  const ref = await empyrical(cases);
  for (const [k, a] of got.entries())
    for (const [which, stats] of [
      ['intraday', a.intraday],
      ['daily', a.daily],
    ] as const) {
      const want = ref.results[k * 2 + (which === 'daily' ? 1 : 0)];
      for (const key of ['volatility', 'sharpe', 'sortino', 'maxDrawdown', 'beta'] as const)
        t.ok(close(stats[key], want[key], 1e-8), `${which} ${key}: ${stats[key]} vs empyrical ${want[key]}`);
    }
  t.ok(got[0].fees.crystallised > 0, 'the month end crystallised the fees');
});

t.test('restored from a checkpoint, the series continue exactly as in the engine that wrote it', async (t) => {
  const inputs = seededInputs({ n: 8000, seed: 9, execShare: 0.1, maxStepMs: 40_000, vol: 0.004 });
  const a = withFrames();
  applyInputs(a.engine, inputs.slice(0, 4000));
  const port = a.engine.portfolioIndex('P-USD');
  const cp = structuredClone(a.engine.checkpoint(port));
  t.ok(cp.analytics && cp.analytics.intraday.length > 10, 'the checkpoint carries the series');
  JSON.parse(JSON.stringify(cp)); // JSON-safe: the bus may carry checkpoints as JSON
  applyInputs(a.engine, inputs.slice(4000));
  a.engine.flush();

  const b = withFrames();
  b.engine.restore(port, JSON.parse(JSON.stringify(cp)));
  b.engine.own(port);
  applyInputs(b.engine, inputs.slice(4000), 'P-USD');
  b.engine.flush();
  t.same(
    b.engine.checkpoint(port).analytics,
    a.engine.checkpoint(port).analytics,
    'series, attribution and fees identical',
  );
  const [fa, fb] = [a.analyticsOf('P-USD'), b.analyticsOf('P-USD')];
  t.same(
    { ...fb, fees: { ...fb.fees, navGross: 0, navNet: 0 } },
    { ...fa, fees: { ...fa.fees, navGross: 0, navNet: 0 } },
  );
  t.ok(close(fb.fees.navNet, fa.fees.navNet, 1e-9), 'net NAV agrees (the book sums in its own order)');

  t.throws(() => b.engine.restore(port, { ...cp, analytics: { ...cp.analytics!, fees: {} as never } }), {
    message: 'checkpoint of P-USD: analytics: bad fees',
  });
});
