import t from 'tap';
import { Engine } from '../../../engine/engine.js';
import { decodeFrame, type EncodedFrame } from '../../../engine/frames.js';
import { LimitMonitor, type LimitDef } from '../../../engine/limits.js';
import type { Alert, Execution } from '../../../engine/model.js';
import { engineOptions, T0 } from './fixtures.js';

const VAR_CAP: LimitDef = { id: 'var-cap', portfolio: '*', metric: 'var95', max: 100, severity: 'critical' };
const NAV_FLOOR: LimitDef = { id: 'nav-floor', portfolio: 'P2', metric: 'nav', min: 0, severity: 'warning' };

const summary = (alerts: Alert[]) => alerts.map((a) => [a.id, a.state, a.severity]);

t.test('a breach raises once, its clearance once, with ids numbering the breach', async (t) => {
  const m = new LimitMonitor([VAR_CAP, NAV_FLOOR], ['P1', 'P2']);
  const out: Alert[] = [];
  let ts = T0;
  for (const v of [50, 150, 170, 160, 90, 80, 120, 130, 99]) m.check(0, { var95: v }, ++ts, out);
  t.same(summary(out), [
    ['var-cap:P1:1:raise', 'breached', 'critical'],
    ['var-cap:P1:1:clear', 'cleared', 'info'],
    ['var-cap:P1:2:raise', 'breached', 'critical'],
    ['var-cap:P1:2:clear', 'cleared', 'info'],
  ]);
  t.match(out[0], { portfolio: 'P1', limit: 'var-cap', value: 150, threshold: 100, ts: T0 + 2 });
  t.match(out[0].message, /var95 150\.00 above max 100\.00/);
  t.match(out[1], { value: 90, threshold: 100, ts: T0 + 5 });

  out.length = 0;
  m.check(1, { nav: -5, var95: 1 }, ++ts, out);
  m.check(1, { var95: 2 }, ts + 1, out);
  t.same(
    summary(out),
    [['nav-floor:P2:1:raise', 'breached', 'warning']],
    'a metric absent from a check is left as it was',
  );
  t.match(out[0].message, /nav -5\.00 below min 0\.00/);
});

t.test('exported limit state continues in another monitor: no second raise, the clearance numbered on', async (t) => {
  const a = new LimitMonitor([VAR_CAP, NAV_FLOOR], ['P1', 'P2']);
  const out: Alert[] = [];
  for (const v of [150, 50, 150]) a.check(0, { var95: v }, T0, out);
  t.same(a.export(0), [['var-cap', 2, 2, 1]], 'breach 2 stands (episode 2, breached, its first change)');
  t.same(a.export(1), [], 'nothing breached yet: nothing to carry');

  const b = new LimitMonitor([VAR_CAP, NAV_FLOOR], ['P1', 'P2']);
  b.import(0, structuredClone(a.export(0)));
  out.length = 0;
  for (const v of [160, 170, 40, 30]) b.check(0, { var95: v }, T0, out);
  t.same(summary(out), [['var-cap:P1:2:clear', 'cleared', 'info']]);
  t.same(b.export(0), [['var-cap', 2, 0, 2]], 'the count survives the clearance');

  // A checkpoint without limit state (older) or naming a limit no longer configured.
  const c = new LimitMonitor([VAR_CAP], ['P1', 'P2']);
  c.import(0, [['gone', 3, true]]);
  out.length = 0;
  c.check(0, { var95: 150 }, T0, out);
  t.same(summary(out), [['var-cap:P1:1:raise', 'breached', 'critical']], 'no breach known: a standing one is raised');
  c.import(0, []);
  t.same(c.export(0), [], 'importing replaces what was there');

  // A checkpoint written before warnings existed: [limit, breaches, breached].
  const d = new LimitMonitor([VAR_CAP], ['P1']);
  d.import(0, [['var-cap', 4, true]]);
  out.length = 0;
  d.check(0, { var95: 10 }, T0, out);
  t.same(summary(out), [['var-cap:P1:4:clear', 'cleared', 'info']], 'an older checkpoint: its standing breach clears');
});

// Warn at 80 % of a 100 max, a 5 % hysteresis: warning from 80, breached above 100; a breach is left
// at 95 or below, a warning at 76 or below (lines computed by hand from the definition).
const VAR_WARN: LimitDef = { ...VAR_CAP, id: 'var-warn', warnAt: 0.8, hysteresis: 0.05 };

t.test('warning past warnAt, breach past the limit, each left only past the hysteresis', async (t) => {
  const m = new LimitMonitor([VAR_WARN], ['P1']);
  const out: Alert[] = [];
  const walk = (values: number[]) => {
    out.length = 0;
    for (const v of values) m.check(0, { var95: v }, T0, out);
    return out.map((a) => [a.id, a.state, a.severity, a.value, a.threshold]);
  };
  t.same(walk([50, 79.9, 80]), [['var-warn:P1:1:warn', 'warning', 'warning', 80, 80]], 'warning at 80 %');
  t.match(out[0].message, /var95 80\.00 past the warning line 80\.00, 80\.0 % of max 100\.00/);
  t.same(walk([79, 77, 76.5, 85]), [], 'between 76 and 80 the warning stands: no clear, no second warning');
  t.same(walk([100, 100.5]), [['var-warn:P1:1:raise2', 'breached', 'critical', 100.5, 100]], 'breached past 100');
  t.match(out[0].message, /var95 100\.50 above max 100\.00 at 100\.5 %/);
  t.same(walk([99, 96, 95.5, 101]), [], 'above 95 the breach stands');
  t.same(walk([94.9]), [['var-warn:P1:1:ease3', 'warning', 'warning', 94.9, 80]], 'eased to a warning at 95');
  t.same(walk([76.1, 101]), [['var-warn:P1:1:raise4', 'breached', 'critical', 101, 100]], 'breached again');
  t.same(walk([60]), [['var-warn:P1:1:clear', 'cleared', 'info', 60, 100]], 'straight back to ok: one clear');
  t.same(walk([150]), [['var-warn:P1:2:raise', 'breached', 'critical', 150, 100]], 'a new episode opens with raise');
  t.same(walk([76]), [['var-warn:P1:2:clear', 'cleared', 'info', 76, 100]], 'at 76 even the warning is left');
  t.same(m.export(0), [['var-warn', 2, 0, 2]]);
});

t.test('a floor warns at warnAt of a negative min; a zero floor has no warning line', async (t) => {
  const FLOOR: LimitDef = {
    id: 'net-floor',
    portfolio: '*',
    metric: 'net',
    min: -1000,
    warnAt: 0.8,
    severity: 'warning',
  };
  const m = new LimitMonitor([FLOOR, NAV_FLOOR], ['P1', 'P2']);
  const out: Alert[] = [];
  for (const v of [-500, -800, -1001, -900, -100]) m.check(0, { net: v }, T0, out);
  t.same(
    out.map((a) => [a.id, a.state, a.threshold]),
    [
      ['net-floor:P1:1:warn', 'warning', -800],
      ['net-floor:P1:1:raise2', 'breached', -1000],
      ['net-floor:P1:1:ease3', 'warning', -800],
      ['net-floor:P1:1:clear', 'cleared', -1000],
    ],
  );
  out.length = 0;
  for (const v of [1, 0, -1]) m.check(1, { nav: v }, T0, out);
  t.same(summary(out), [['nav-floor:P2:1:raise', 'breached', 'warning']], 'nav below 0: breached, no warning before');
});

const buy = (id: string, qty: number, ts: number, side: Execution['side'] = 'buy'): Execution => ({
  id,
  portfolio: 'P-USD',
  instrument: 'AAPL',
  side,
  qty,
  price: 200,
  ts,
});

/** An engine with a gross cap on P-USD (it opens with 100 AAPL at 200: 20,000 gross) and its alerts. */
function engine(limitCheckMs?: number): { e: Engine; alerts: Alert[] } {
  const alerts: Alert[] = [];
  const limits: LimitDef[] = [
    { id: 'gross-cap', portfolio: 'P-USD', metric: 'gross', max: 30_000, severity: 'critical' },
  ];
  const e = new Engine(engineOptions({ limits, limitCheckMs }), (fs) => {
    for (const f of fs) if (f.channel.startsWith('alerts:')) alerts.push(decodeFrame(f).data as unknown as Alert);
  });
  return { e, alerts };
}

t.test('raise, checkpoint, restore in a second engine, clear: one clearance there, no second raise', async (t) => {
  const { e: a, alerts: fromA } = engine();
  const port = a.portfolioIndex('P-USD');
  a.execute(buy('X1', 100, T0 + 10));
  a.advanceTo(T0 + 1000);
  t.same(summary(fromA), [['gross-cap:P-USD:1:raise', 'breached', 'critical']], 'A raises the breach');
  const cp = structuredClone(a.checkpoint(port));
  t.same(cp.limits, [['gross-cap', 1, 2, 1]], 'the checkpoint carries the standing breach');

  const { e: b, alerts: fromB } = engine();
  b.restore(port, cp);
  b.own(port);
  b.advanceTo(T0 + 1500);
  t.same(fromB, [], 'B takes the breach over without raising it again');
  b.execute(buy('X2', 100, T0 + 2000, 'sell'));
  b.advanceTo(T0 + 3000);
  t.same(summary(fromB), [['gross-cap:P-USD:1:clear', 'cleared', 'info']], 'B clears it, once');

  // A, had it lived, would have published the same clearance under the same id.
  a.execute(buy('X2', 100, T0 + 2000, 'sell'));
  a.advanceTo(T0 + 3000);
  t.same(fromA.at(-1)?.id, fromB[0].id);

  // An older checkpoint (no limit state): the new owner knows no breach and raises the standing one.
  const { e: c, alerts: fromC } = engine();
  const { limits: _, ...older } = cp;
  c.restore(port, older);
  c.own(port);
  c.advanceTo(T0 + 1500);
  t.same(summary(fromC), [['gross-cap:P-USD:1:raise', 'breached', 'critical']]);
});

t.test('a fill across an exposure limit is alerted at once, not at the next publication', async (t) => {
  const { e, alerts } = engine();
  e.execute(buy('X1', 10, T0 + 10));
  t.same(alerts, [], 'within the limit (22,000 of 30,000): nothing');
  e.execute(buy('X2', 50, T0 + 20));
  t.same(summary(alerts), [['gross-cap:P-USD:1:raise', 'breached', 'critical']], 'breached by the fill itself');
  t.match(alerts[0], { value: 32_000, threshold: 30_000, ts: T0 + 20 }, '160 AAPL at 200');
  e.advanceTo(T0 + 1000);
  t.equal(alerts.length, 1, 'the publication after it raises nothing more');
});

t.test(
  'a market move across an exposure limit is alerted at the next limit check, before the publication',
  async (t) => {
    const { e, alerts } = engine(10);
    const aapl = e.instrumentIndex('AAPL');
    e.advanceTo(T0 + 1000);
    // 100 AAPL: 20,000 of 30,000 at 200; at 310, 31,000.
    e.tick(aapl, T0 + 1001, 309.9, 310.1, 310);
    t.same(alerts, [], 'not before the next 10 ms boundary');
    e.tick(e.instrumentIndex('MSFT'), T0 + 1010, 400, 400.2, 400.1);
    t.same(summary(alerts), [['gross-cap:P-USD:1:raise', 'breached', 'critical']], 'at the boundary, 9 ms later');
    t.match(alerts[0], { value: 31_000, ts: T0 + 1001 }, 'as of the tick that crossed it');
    e.tick(aapl, T0 + 1015, 199.9, 200.1, 200);
    e.advanceTo(T0 + 1020);
    t.same(summary(alerts.slice(1)), [['gross-cap:P-USD:1:clear', 'cleared', 'info']], 'and the clearance likewise');
    e.advanceTo(T0 + 1100);
    t.equal(alerts.length, 2, 'the publication raises nothing more');

    const { e: slow, alerts: atPublication } = engine();
    slow.advanceTo(T0 + 1000);
    slow.tick(aapl, T0 + 1001, 309.9, 310.1, 310);
    slow.advanceTo(T0 + 1050);
    t.same(atPublication, [], 'without limitCheckMs: not before the publication');
    slow.advanceTo(T0 + 1100);
    t.equal(atPublication.length, 1, 'at the publication');
  },
);

t.test(
  "drawdown: NAV's fall from the day's high-water mark, carried by the checkpoint, the mark new each UTC day",
  async (t) => {
    // P-USD: 1,000,000 USD less 100 AAPL bought at 190 (981,000 cash) and the 100 AAPL; marked at 200, NAV
    // 1,001,000; AAPL at 400 makes the day's high 1,021,000, and back at 200 NAV is 1,001,000 again:
    // 20,000 / 1,021,000 = 1.959 % down.
    const limits: LimitDef[] = [{ id: 'dd', portfolio: 'P-USD', metric: 'drawdown', max: 0.01, severity: 'critical' }];
    const alerts: Alert[] = [];
    const e = new Engine(engineOptions({ limits, limitCheckMs: 10 }), (fs) => {
      for (const f of fs) if (f.channel.startsWith('alerts:')) alerts.push(decodeFrame(f).data as unknown as Alert);
    });
    const aapl = e.instrumentIndex('AAPL');
    const day = Date.UTC(2026, 11, 7);
    const at = (ms: number) => day + 9 * 3_600_000 + ms;
    e.tick(aapl, at(0), 199.9, 200.1, 200);
    e.advanceTo(at(10));
    e.tick(aapl, at(20), 399.9, 400.1, 400);
    e.advanceTo(at(30));
    t.same(alerts, [], 'a new high: no drawdown');
    e.tick(aapl, at(40), 199.9, 200.1, 200);
    e.advanceTo(at(50));
    t.same(summary(alerts), [['dd:P-USD:1:raise', 'breached', 'critical']]);
    t.ok(Math.abs(alerts[0].value - 20_000 / 1_021_000) < 1e-12, `drawdown ${alerts[0].value} = 20,000 / 1,021,000`);
    t.match(alerts[0].message, /^drawdown 1\.96 % above max 1\.00 % at 195\.9 % \(dd\)$/);

    const cp = structuredClone(e.checkpoint(e.portfolioIndex('P-USD')));
    t.same(cp.navHigh, [Math.floor(at(50) / 86_400_000), 1_021_000], "the checkpoint carries the day's mark");
    const fromB: Alert[] = [];
    const b = new Engine(engineOptions({ limits, limitCheckMs: 10 }), (fs) => {
      for (const f of fs) if (f.channel.startsWith('alerts:')) fromB.push(decodeFrame(f).data as unknown as Alert);
    });
    b.restore(e.portfolioIndex('P-USD'), cp);
    b.own(e.portfolioIndex('P-USD'));
    b.tick(aapl, at(60), 299.9, 300.1, 300);
    b.advanceTo(at(70));
    t.same(
      summary(fromB),
      [['dd:P-USD:1:clear', 'cleared', 'info']],
      'a new owner measures from the same mark (at 300: 10,000 / 1,021,000 = 0.98 %)',
    );
    b.tick(aapl, at(80), 199.9, 200.1, 200);
    b.advanceTo(day + 86_400_000 + 1000);
    b.tick(aapl, day + 86_400_000 + 1010, 199.9, 200.1, 200);
    b.advanceTo(day + 86_400_000 + 1020);
    t.same(
      summary(fromB).map((x) => x[0]),
      ['dd:P-USD:1:clear', 'dd:P-USD:2:raise', 'dd:P-USD:2:clear'],
      'down again the same day, then a new day starts a new mark: cleared',
    );
  },
);

t.test('a fill across a VaR limit is alerted at the next limit check, not at the next risk run', async (t) => {
  // The VaR before and after buying 1,000 AAPL, from an engine without the limit.
  const riskOf = (out: number[]) => (fs: EncodedFrame[]) => {
    for (const f of fs)
      if (f.channel === 'risk:P-USD') out.push((decodeFrame(f).data as { var: Record<string, number> }).var['99']);
  };
  const seen: number[] = [];
  const probe = new Engine(engineOptions(), riskOf(seen));
  probe.advanceTo(T0 + 1000);
  probe.execute(buy('X1', 1000, T0 + 1001));
  probe.advanceTo(T0 + 3000);
  const [before, after] = [seen[0], seen.at(-1)!];
  t.ok(after > before * 2, `VaR 99 % ${before.toFixed(0)} before, ${after.toFixed(0)} after`);

  const limits: LimitDef[] = [
    { id: 'var-cap', portfolio: 'P-USD', metric: 'var99', max: (before + after) / 2, severity: 'critical' },
  ];
  const alerts: Alert[] = [];
  const risk: number[] = [];
  const e = new Engine(engineOptions({ limits, limitCheckMs: 10 }), (fs) => {
    for (const f of fs) if (f.channel.startsWith('alerts:')) alerts.push(decodeFrame(f).data as unknown as Alert);
    riskOf(risk)(fs);
  });
  e.advanceTo(T0 + 1000);
  const runs = risk.length;
  e.execute(buy('X1', 1000, T0 + 1001));
  e.advanceTo(T0 + 1010);
  t.same(summary(alerts), [['var-cap:P-USD:1:raise', 'breached', 'critical']], '9 ms after the fill');
  t.equal(risk.length, runs, 'before any risk frame after it');
  e.advanceTo(T0 + 3000);
  t.ok(Math.abs(alerts[0].value - risk.at(-1)!) < 1e-6 * after, 'at the VaR the next risk frame shows');
  t.equal(alerts.length, 1, 'and the risk run raises nothing more');
});

t.test('the opening state knows no breach', async (t) => {
  const { e, alerts } = engine();
  const port = e.portfolioIndex('P-USD');
  e.execute(buy('X1', 100, T0 + 10));
  e.advanceTo(T0 + 1000);
  t.equal(alerts.length, 1, 'breached');
  e.restore(port, null);
  t.same(e.checkpoint(port).limits, [], 'restored to the opening book: no breach, none counted');
});
