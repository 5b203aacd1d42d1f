// The engine's alert rules beyond the limits of limits.test.ts: concentration (a limit metric),
// stale market data per instrument, and backtest zone changes; each raised once and cleared once,
// carried by the checkpoint so that a new owner neither repeats nor loses an alert, and the same
// inputs giving the same alerts. Expected values are computed here from the fixture's prices.
import t from 'tap';
import { AlertRules } from '../../../engine/alert-rules.js';
import { Book } from '../../../engine/book.js';
import { Engine, type EngineOptions } from '../../../engine/engine.js';
import { decodeFrame, type Frame } from '../../../engine/frames.js';
import { InstrumentTable } from '../../../engine/instruments.js';
import type { LimitDef } from '../../../engine/limits.js';
import type { Alert, BacktestSummary, Execution } from '../../../engine/model.js';
import { applyInputs, engineOptions, factors, instruments, portfolios, seededInputs, T0 } from './fixtures.js';

const summary = (alerts: Alert[]) => alerts.map((a) => [a.id, a.state, a.severity]);

function engineWith(over: Partial<EngineOptions>): { e: Engine; alerts: Alert[] } {
  const alerts: Alert[] = [];
  const e = new Engine(engineOptions(over), (fs) => {
    for (const f of fs) if (f.channel.startsWith('alerts:')) alerts.push(decodeFrame(f).data as unknown as Alert);
  });
  return { e, alerts };
}

const fill = (id: string, portfolio: string, instrument: string, side: Execution['side'], qty: number, ts: number) => ({
  id,
  portfolio,
  instrument,
  side,
  qty,
  price: 100,
  ts,
});

t.test(
  'concentration: the largest share of gross by instrument and by sector, each raised and cleared once',
  async (t) => {
    const limits: LimitDef[] = [
      {
        id: 'one-name',
        portfolio: 'P-EUR',
        metric: 'concentration',
        dimension: 'instrument',
        max: 0.6,
        hysteresis: 0.05,
        severity: 'critical',
      },
      {
        id: 'sector',
        portfolio: 'P-EUR',
        metric: 'concentration',
        dimension: 'sector',
        max: 0.7,
        warnAt: 0.8,
        hysteresis: 0.05,
        severity: 'warning',
      },
    ];
    const { e, alerts } = engineWith({ limits });
    // Marks are the fixture's prices (no tick): SAP.DE 150 EUR, AAPL 200 USD, SPY 500 USD; EURUSD 1.1.
    const usd = 1 / 1.1;
    const sap = 100 * 150;
    const aapl = 100 * 200 * usd;
    const spy = 40 * 500 * usd;

    e.execute(fill('C1', 'P-EUR', 'SAP.DE', 'buy', 100, T0 + 10));
    t.same(summary(alerts), [
      ['one-name:P-EUR:1:raise', 'breached', 'critical'],
      ['sector:P-EUR:1:raise', 'breached', 'warning'],
    ]);
    t.match(alerts[0], { limit: 'one-name', value: 1, threshold: 0.6, ts: T0 + 10 });
    t.equal(alerts[0].message, 'concentration 100.00 % in SAP.DE above max 60.00 % at 166.7 % (one-name)');
    t.equal(alerts[1].message, 'concentration 100.00 % in Technology above max 70.00 % at 142.9 % (sector)');

    alerts.length = 0;
    e.execute(fill('C2', 'P-EUR', 'AAPL', 'buy', 100, T0 + 20));
    const aaplShare = aapl / (sap + aapl);
    t.ok(aaplShare < 0.6 * 0.95, `AAPL ${aaplShare} of gross: inside the limit less its hysteresis`);
    t.same(summary(alerts), [['one-name:P-EUR:1:clear', 'cleared', 'info']], 'both Technology: the sector stands');
    t.ok(Math.abs(alerts[0].value - aaplShare) < 1e-12, `${alerts[0].value} = ${aaplShare}`);
    t.match(alerts[0].message, /^concentration 54\.79 % in AAPL back within 60\.00 % \(one-name\)$/);

    alerts.length = 0;
    e.execute(fill('C3', 'P-EUR', 'SPY', 'buy', 40, T0 + 30));
    const tech = (sap + aapl) / (sap + aapl + spy);
    t.ok(tech > 0.56 && tech < 0.7 * 0.95, `Technology ${tech}: past the warning line, back from the breach`);
    t.same(summary(alerts), [['sector:P-EUR:1:ease2', 'warning', 'warning']]);
    t.ok(Math.abs(alerts[0].value - tech) < 1e-12);
    t.equal(alerts[0].threshold, 0.7 * 0.8);

    alerts.length = 0;
    e.execute(fill('C4', 'P-EUR', 'SAP.DE', 'sell', 100, T0 + 40));
    t.same(summary(alerts), [['sector:P-EUR:1:clear', 'cleared', 'info']], 'Technology half of gross: cleared');
    t.ok(Math.abs(alerts[0].value - aapl / (aapl + spy)) < 1e-12);
    e.advanceTo(T0 + 5000);
    t.equal(alerts.length, 1, 'the publications and limit checks after raise nothing more');
  },
);

t.test('concentration standing in a checkpoint is not raised again by the new owner', async (t) => {
  const limits: LimitDef[] = [
    { id: 'one-name', portfolio: '*', metric: 'concentration', max: 0.6, severity: 'critical' },
  ];
  const { e: a, alerts: fromA } = engineWith({ limits });
  a.execute(fill('C1', 'P-EUR', 'SAP.DE', 'buy', 100, T0 + 10));
  a.advanceTo(T0 + 1000);
  // P-USD holds AAPL alone (100 %) from the opening book: raised at its first check too.
  t.same(fromA.map((x) => x.id).sort(), ['one-name:P-EUR:1:raise', 'one-name:P-USD:1:raise']);
  const port = a.portfolioIndex('P-EUR');
  const cp = structuredClone(a.checkpoint(port));
  t.same(cp.limits, [['one-name', 1, 2, 1]]);

  const { e: b, alerts: fromB } = engineWith({ limits, publishes: 'assigned' });
  b.restore(port, cp);
  b.own(port);
  b.advanceTo(T0 + 1500);
  t.same(fromB, [], 'the breach stands: not raised again');
  b.execute(fill('C2', 'P-EUR', 'AAPL', 'buy', 100, T0 + 2000));
  t.same(summary(fromB), [['one-name:P-EUR:1:clear', 'cleared', 'info']], 'and its clearance numbered on');
});

t.test('stale market data: one alert when a held instrument stops ticking, one clearance when it ticks', async (t) => {
  const { e, alerts } = engineWith({ staleAfterMs: 1000, limitCheckMs: 10 });
  const aapl = e.instrumentIndex('AAPL');
  const msft = e.instrumentIndex('MSFT');
  const port = e.portfolioIndex('P-USD');
  const msftTicks = (from: number, to: number) => {
    for (let ts = from; ts <= to; ts += 100) e.tick(msft, ts, 399.9, 400.1, 400);
  };
  msftTicks(T0 + 100, T0 + 3000);
  t.same(alerts, [], 'AAPL (held) has not ticked since the start: an opening price is no feed that stopped');
  e.tick(aapl, T0 + 3010, 199.9, 200.1, 200);
  msftTicks(T0 + 3100, T0 + 4000);
  t.same(alerts, [], 'quiet for 990 ms at most');
  const before = structuredClone(e.checkpoint(port));
  msftTicks(T0 + 4100, T0 + 4200);
  // The check before the tick at 4200 sees the newest input at 4100: 1090 ms since AAPL's last tick.
  const raised = `stale-data:P-USD:AAPL:${T0 + 3010}:raise`;
  t.same(summary(alerts), [[raised, 'breached', 'warning']]);
  t.match(alerts[0], { portfolio: 'P-USD', limit: 'stale-data', value: 1090, threshold: 1000, ts: T0 + 4100 });
  t.match(
    alerts[0].message,
    /^AAPL: no tick for 1 s \(last 2026-11-25T14:00:03\.010Z\), stale after 1 s \(stale-data\)$/,
  );
  const after = structuredClone(e.checkpoint(port));
  t.same(after.stale, [['AAPL', T0 + 3010]], 'the checkpoint carries the raised episode');
  t.equal(before.stale, undefined, 'and nothing before it');

  msftTicks(T0 + 4300, T0 + 5000);
  t.equal(alerts.length, 1, 'one alert however long it stays stale');
  e.tick(aapl, T0 + 5050, 199.9, 200.1, 200);
  msftTicks(T0 + 5100, T0 + 5200);
  const cleared = `stale-data:P-USD:AAPL:${T0 + 3010}:clear`;
  t.same(summary(alerts.slice(1)), [[cleared, 'cleared', 'info']]);
  t.match(alerts[1], { value: 2040, ts: T0 + 5050, message: 'AAPL: ticking again after 2 s (stale-data)' });
  t.equal(e.checkpoint(port).stale, undefined, 'cleared: nothing to carry');

  // A new owner from the checkpoint after the alert: no second alert, the same clearance.
  const takeover = (cp: typeof before) => {
    const next = engineWith({ staleAfterMs: 1000, limitCheckMs: 10, publishes: 'assigned' });
    next.e.restore(port, cp);
    next.e.own(port);
    for (let ts = cp.asOf + 100; ts <= T0 + 5000; ts += 100) next.e.tick(msft, ts, 399.9, 400.1, 400);
    next.e.tick(aapl, T0 + 5050, 199.9, 200.1, 200);
    for (let ts = T0 + 5100; ts <= T0 + 5200; ts += 100) next.e.tick(msft, ts, 399.9, 400.1, 400);
    return next.alerts;
  };
  t.same(summary(takeover(after)), [[cleared, 'cleared', 'info']], 'taken over standing: cleared once, not raised');
  t.same(
    summary(takeover(before)),
    [
      [raised, 'breached', 'warning'],
      [cleared, 'cleared', 'info'],
    ],
    'taken over before it: raised under the id the old owner gave it, then cleared',
  );
});

t.test('stale market data follows holdings: a new holder is alerted, a holder that sells out cleared', async (t) => {
  const { e, alerts } = engineWith({ staleAfterMs: 1000, limitCheckMs: 10 });
  const aapl = e.instrumentIndex('AAPL');
  const msft = e.instrumentIndex('MSFT');
  e.tick(aapl, T0 + 10, 199.9, 200.1, 200);
  for (let ts = T0 + 100; ts <= T0 + 1200; ts += 100) e.tick(msft, ts, 399.9, 400.1, 400);
  const episode = `stale-data:%s:AAPL:${T0 + 10}`;
  t.same(summary(alerts), [[episode.replace('%s', 'P-USD') + ':raise', 'breached', 'warning']]);
  e.execute(fill('S1', 'P-EUR', 'AAPL', 'buy', 10, T0 + 1210));
  e.execute(fill('S2', 'P-USD', 'AAPL', 'sell', 100, T0 + 1220));
  e.tick(msft, T0 + 1300, 399.9, 400.1, 400);
  t.same(
    summary(alerts.slice(1)),
    [
      [episode.replace('%s', 'P-EUR') + ':raise', 'breached', 'warning'],
      [episode.replace('%s', 'P-USD') + ':clear', 'cleared', 'info'],
    ],
    'at the next check, in the order of the fills',
  );
  t.equal(alerts[2].message, 'AAPL: no longer held (stale-data)');
  e.tick(aapl, T0 + 1310, 199.9, 200.1, 200);
  e.tick(msft, T0 + 1400, 399.9, 400.1, 400);
  t.same(summary(alerts.slice(3)), [[episode.replace('%s', 'P-EUR') + ':clear', 'cleared', 'info']]);
  t.equal(alerts.length, 4);
});

t.test('the same inputs give the same alerts and frames, stale data and concentration included', async (t) => {
  const limits: LimitDef[] = [
    { id: 'one-name', portfolio: '*', metric: 'concentration', max: 0.5, warnAt: 0.7, severity: 'warning' },
    { id: 'by-ccy', portfolio: '*', metric: 'concentration', dimension: 'currency', max: 0.9, severity: 'warning' },
  ];
  const inputs = seededInputs({ n: 20_000, seed: 5, execShare: 0.05, maxStepMs: 7, vol: 0.002 });
  const run = () => {
    const frames: Frame[] = [];
    const e = new Engine(engineOptions({ limits, staleAfterMs: 150, limitCheckMs: 10 }), (fs) =>
      frames.push(...fs.map((f) => decodeFrame(f))),
    );
    applyInputs(e, inputs);
    e.flush();
    return frames;
  };
  const a = run();
  const alerts = a.filter((f) => f.channel.startsWith('alerts:')).map((f) => f.data as unknown as Alert);
  const rules = new Set(alerts.map((x) => x.limit));
  t.ok(rules.has('stale-data') && rules.has('one-name'), `alerts of ${[...rules].join(', ')}`);
  // Every stale episode: one raise, then at most one clear.
  const seen = new Map<string, string[]>();
  for (const x of alerts.filter((y) => y.limit === 'stale-data')) {
    const episode = x.id.replace(/:(raise|clear)$/, '');
    seen.set(episode, [...(seen.get(episode) ?? []), x.state]);
  }
  const odd = [...seen].filter(
    ([, s]) => s[0] !== 'breached' || s.length > 2 || (s.length === 2 && s[1] !== 'cleared'),
  );
  t.ok(seen.size > 5, `${seen.size} stale episodes`);
  t.same(odd, [], 'each opened once and closed at most once');
  t.equal(JSON.stringify(run()), JSON.stringify(a), 'bit for bit');
});

const backtest = (method: BacktestSummary['method'], zone: BacktestSummary['zone'], exceptions: number) =>
  ({
    method,
    confidence: 0.99,
    observations: 250,
    fromHistory: 250,
    exceptions,
    kupiec: { lr: 0, pValue: 1 },
    christoffersen: { lr: 0, pValue: 1 },
    conditionalCoverage: { lr: 0, pValue: 1 },
    zone,
  }) satisfies BacktestSummary;

t.test(
  'a backtest zone change is an alert: yellow warns, red raises, green clears; carried by the checkpoint',
  async (t) => {
    const book = () =>
      new Book(new InstrumentTable(instruments, factors), portfolios, {
        markSource: 'mid',
        riskFreeRate: 0.03,
        valuationTime: T0,
      });
    const a = new AlertRules(book(), []);
    const out: Alert[] = [];
    const walk = (rules: AlertRules, zones: [BacktestSummary['zone'], number][]) => {
      out.length = 0;
      for (const [zone, exceptions] of zones)
        rules.risk(
          0,
          { var: {}, es: {}, backtest: [backtest('historical', zone, exceptions), backtest('monteCarlo', 'green', 2)] },
          out,
        );
      return out.map((x) => [x.id, x.state, x.severity, x.value]);
    };
    t.same(
      walk(a, [
        ['green', 3],
        ['green', 4],
      ]),
      [],
      'green: nothing',
    );
    t.same(
      walk(a, [
        ['yellow', 5],
        ['yellow', 6],
      ]),
      [['backtest-historical:P-USD:1:warn', 'warning', 'warning', 1]],
    );
    t.equal(
      out[0].message,
      'backtest historical in zone yellow: 5 exceptions in 250 days at 99 % (backtest-historical)',
    );
    t.same(walk(a, [['red', 10]]), [['backtest-historical:P-USD:1:raise2', 'breached', 'critical', 2]]);
    t.same(a.export(0).limits, [['backtest-historical', 1, 2, 2]], 'the zone in the checkpoint, with the limits');

    const b = new AlertRules(book(), []);
    b.import(0, {
      ...structuredClone(a.export(0)),
      portfolio: 'P-USD',
      asOf: T0,
      cash: [],
      realized: 0,
      positions: [],
      marks: [],
      executions: [],
      seqs: [],
    });
    t.same(walk(b, [['red', 11]]), [], 'the new owner knows the standing red');
    t.same(walk(b, [['yellow', 9]]), [['backtest-historical:P-USD:1:ease3', 'warning', 'warning', 1]]);
    t.same(walk(b, [['green', 4]]), [['backtest-historical:P-USD:1:clear', 'cleared', 'info', 0]]);
    t.equal(
      out[0].message,
      'backtest historical back to green: 4 exceptions in 250 days at 99 % (backtest-historical)',
    );
    t.same(walk(b, [['red', 12]]), [['backtest-historical:P-USD:2:raise', 'breached', 'critical', 2]], 'a new episode');
    out.length = 0;
    b.risk(0, { var: { '99': 1 }, es: {} }, out);
    t.same(out, [], 'a run without backtests (the limits-only delta-normal run) leaves the zones as they are');
  },
);
