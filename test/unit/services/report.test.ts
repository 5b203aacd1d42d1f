// The daily report's pure parts on rows made here: the model picks and orders what the stored rows
// hold (and says when they hold nothing), the HTML escapes every text and prints each figure with
// separators and fixed decimals, its exact value beside it; the chart's ticks and thinning; the
// command's day parsing.
import t from 'tap';
import { dayOf } from '../../../app/commands/report.js';
import { niceTicks, pnlChartSvg, thin } from '../../../services/report/chart.js';
import { esc, fixed, signed, utc } from '../../../services/report/format.js';
import { renderReport } from '../../../services/report/html.js';
import type { DayRows, StoredRow } from '../../../services/report/load.js';
import { buildReport, TOP_COMPONENTS, type PnlPoint } from '../../../services/report/model.js';

const T0 = Date.UTC(2026, 2, 17, 15, 0);
const ctx = { builtAt: Date.UTC(2026, 2, 18, 6), currencyOf: (id: string) => ({ AAPL: 'USD', SAP: 'EUR' })[id] };

/** The figures of the HTML by key, as printed and as their exact value. */
function cells(html: string): Map<string, { text: string; value: string }> {
  const out = new Map<string, { text: string; value: string }>();
  for (const m of html.matchAll(/data-k="([^"]*)" data-v="([^"]*)">([^<]*)</g))
    out.set(unescape(m[1]), { value: m[2], text: unescape(m[3]) });
  return out;
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);

/** en-US, thousands separators, `d` decimals: written here apart from the report's own formatter. */
const us = (v: number, d: number) =>
  v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: true });

const row = (bucket: number, data: Record<string, unknown>, inputSeq = 100): StoredRow => ({
  bucket,
  asOf: bucket + 250,
  inputSeq,
  data,
});

function risk(): StoredRow {
  const measures = [];
  for (const method of ['monteCarlo', 'historical', 'parametric'])
    for (const h of [10, 1])
      for (const c of [0.99, 0.95])
        measures.push({ method, horizonDays: h, confidence: c, var: 1000 * h * c + method.length, es: 1200 * h * c });
  const components = Array.from({ length: 14 }, (_, k) => ({
    instrument: `I${k}`,
    qty: k,
    componentVar: ((k * 37) % 14) * 10.5,
    componentEs: k,
    marginalVar: 0.001 * k,
  }));
  return row(T0 + 60_000, {
    horizonDays: 1,
    var: { '95': 940, '99': 1234.5 },
    es: { '95': 1100, '99': 1500.25 },
    measures,
    components,
    provenance: { components: { method: 'monteCarlo', horizonDays: 1, confidence: 0.99 } },
    stress: [
      { scenario: 'a', name: 'Mild', pnl: -10, worst: [{ instrument: 'AAPL', pnl: -8 }] },
      { scenario: 'b', name: 'Crash <2008>', pnl: -5000.5, worst: [] },
      { scenario: 'c', name: 'Rally', pnl: 250, worst: [] },
    ],
    backtest: [
      {
        method: 'historical',
        confidence: 0.99,
        observations: 250,
        fromHistory: 249,
        exceptions: 6,
        kupiec: { lr: 1.234567, pValue: 0.26 },
        christoffersen: { lr: 0.5, pValue: 0.48 },
        conditionalCoverage: { lr: 1.7, pValue: 0.43 },
        zone: 'yellow',
      },
    ],
  });
}

const positions = (bucket: number, unreal: number, real: number) =>
  row(bucket, {
    portfolio: 'P<1>',
    baseCurrency: 'USD',
    totals: { nav: 1234567.891, cash: 1000, marketValue: 1233567.891, unrealizedPnl: unreal, realizedPnl: real },
    rows: {
      AAPL: {
        instrument: 'AAPL',
        qty: 10,
        avgCost: 150,
        mark: 189.25,
        marketValue: 1892.5,
        unrealizedPnl: 392.5,
        realizedPnl: 0,
        exposure: 1892.5,
      },
      'X<&>': {
        instrument: 'X<&>',
        qty: -3,
        avgCost: 10,
        mark: 11,
        marketValue: -33,
        unrealizedPnl: -3,
        realizedPnl: 2,
        exposure: -5000,
      },
    },
  });

function day(over: Partial<DayRows> = {}): DayRows {
  const b = (k: number) => T0 + k * 60_000;
  return {
    portfolio: 'P<1>',
    day: '2026-03-17',
    risk: risk(),
    positions: positions(b(1), -50, 20),
    exposures: row(b(1), {
      totals: { long: 10, short: -5, net: 5, gross: 15 },
      byAssetClass: {
        equity: { long: 10, short: 0, net: 10, gross: 10 },
        fx: { long: 0, short: -5, net: -5, gross: 5 },
      },
      bySector: {},
    }),
    riskSeries: [0, 1, 2].map((k) => ({
      bucket: b(k),
      asOf: b(k) + 1,
      inputSeq: k,
      var: { '99': 1000 + k },
      es: { '99': 1100 + k },
    })),
    // Bucket 2 has no positions state: no point there.
    pnlSeries: [0, 1].map((k) => ({ bucket: b(k), unrealizedPnl: -10 * k, realizedPnl: 1 })),
    fills: [
      { instrument: 'AAPL', fills: 3, withFees: 2, total: 4.5 },
      { instrument: 'SAP', fills: 1, withFees: 1, total: 1.25 },
      { instrument: 'NVDA', fills: 2, withFees: 0, total: 0 },
    ],
    ...over,
  };
}

t.test('numbers and text as the report prints them', async (t) => {
  t.equal(esc(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  t.equal(fixed(1234567.891, 2), '1,234,567.89');
  t.equal(fixed(-0.5, 4), '-0.5000');
  t.equal(fixed(NaN, 2), '—', 'a missing value is a dash, not 0');
  t.equal(fixed(undefined, 2), '—');
  t.equal(signed(12), '+12.00');
  t.equal(signed(-12), '-12.00');
  t.equal(utc(Date.UTC(2026, 2, 17, 15, 59, 0, 123)), '2026-03-17 15:59:00.123 UTC');
});

t.test('the model: what the rows hold, ordered as the desk reads it', async (t) => {
  const m = buildReport(day(), ctx);
  t.same(
    m.positions!.rows.map((r) => r.instrument),
    ['X<&>', 'AAPL'],
    'largest absolute exposure first',
  );
  t.same(m.risk!.confidences, [0.95, 0.99]);
  t.same(
    m.risk!.measures.map((r) => `${r.method}/${r.horizonDays}`),
    ['parametric/1', 'parametric/10', 'historical/1', 'historical/10', 'monteCarlo/1', 'monteCarlo/10'],
  );
  const mc99 = 1000 * 0.99 + 'monteCarlo'.length;
  const comps = m.risk!.components;
  t.equal(comps.rows.length, TOP_COMPONENTS, `the ${TOP_COMPONENTS} largest`);
  t.equal(comps.count, 14);
  t.equal(comps.total, mc99, 'of the VaR the provenance names');
  const cvs = comps.rows.map((r) => r.componentVar);
  t.same(
    cvs,
    [...cvs].sort((a, b) => b - a),
    'largest first',
  );
  for (const r of comps.rows) t.equal(r.share, r.componentVar / mc99);
  t.same(
    m.risk!.stress.map((s) => s.scenario),
    ['b', 'a', 'c'],
    'worst stress P&L first',
  );
  t.same(
    m.pnl.points.map((p) => [p.bucket, p.pnl, p.var, p.es]),
    [
      [T0, 1, 1000, 1100],
      [T0 + 60_000, -9, 1001, 1101],
    ],
    'a point where a bucket holds both a risk snapshot and a positions state',
  );
  t.same(m.fees.byCurrency, [
    { currency: '?', fills: 2, withFees: 0, total: 0 },
    { currency: 'EUR', fills: 1, withFees: 1, total: 1.25 },
    { currency: 'USD', fills: 3, withFees: 2, total: 4.5 },
  ]);
  t.equal(m.fees.accrual, null, 'no accrual is made up');
  t.same(m.reflects, { asOf: T0 + 60_250, inputSeq: 100 }, 'the last risk snapshot');
});

t.test('the HTML: every figure with separators and fixed decimals, its exact value, all text escaped', async (t) => {
  const d = day();
  const html = renderReport(buildReport(d, ctx));
  const c = cells(html);
  t.same(c.get('nav'), { text: us(1234567.891, 2), value: '1234567.891' });
  t.same(c.get('summary|var99'), { text: us(1000 * 0.99 + 'parametric'.length, 2), value: String(990 + 10) });
  for (const m of d.risk!.data.measures as {
    method: string;
    horizonDays: number;
    confidence: number;
    var: number;
    es: number;
  }[]) {
    const k = `${m.method}|${m.horizonDays}|${m.confidence}`;
    t.same(c.get(`var|${k}`), { text: us(m.var, 2), value: String(m.var) }, `VaR ${k}`);
    t.same(c.get(`es|${k}`), { text: us(m.es, 2), value: String(m.es) }, `ES ${k}`);
  }
  t.same(c.get('pos|AAPL|mark'), { text: us(189.25, 4), value: '189.25' });
  t.same(c.get('pos|X<&>|exposure'), { text: us(-5000, 2), value: '-5000' });
  t.same(c.get('stress|b'), { text: us(-5000.5, 2), value: '-5000.5' });
  t.same(c.get('bt|historical|kupiecLr'), { text: '1.235', value: '1.234567' });
  t.same(c.get('fees|USD|total'), { text: '4.50', value: '4.5' });
  t.match(html, /<span class="zone zone-yellow">yellow<\/span>/);
  t.notMatch(html, /<1>|X<&>|Crash <2008>/, 'no text unescaped');
  t.match(html, /P&lt;1&gt;/);
  t.match(html, /Crash &lt;2008&gt;/);
  t.match(html, /No fee accrual is stored for this day/);
  t.notMatch(html, /<script|<link|src=|href=/i, 'self-contained: nothing to fetch, nothing to run');
  t.match(html, /<svg class="chart"/);
  t.match(
    html,
    /as of 2026-03-17 15:01:00\.250 UTC · inputSeq 100 · source: risk_snapshots, bucket 2026-03-17T15:01:00\.000Z/,
  );
});

t.test("fee accounts from the risk snapshot's analytics, as stored", async (t) => {
  const d = day();
  const fees = {
    dayCount: 'act/365',
    managementRate: 0.02,
    performanceRate: 0.2,
    hurdleRate: 0.05,
    crystallisation: 'annual',
    navGross: 1_000_123.456,
    navNet: 998_000.5,
    accruedManagement: 1_500.25,
    accruedPerformance: 622.706,
    crystallised: 0,
    highWaterMark: 1_000_000,
    hurdleNav: 1_000_137,
    periodStart: T0 - 86_400_000,
    lastAccrual: Date.UTC(2026, 2, 17),
    lastManagement: 54.79,
    lastPerformance: -12.5,
  };
  d.risk!.data.analytics = { sampledAt: T0, fees };
  const html = renderReport(buildReport(d, ctx));
  const c = cells(html);
  for (const k of [
    'navGross',
    'navNet',
    'accruedManagement',
    'accruedPerformance',
    'crystallised',
    'highWaterMark',
    'hurdleNav',
  ] as const)
    t.same(c.get(`fee|${k}`), { text: us(fees[k], 2), value: String(fees[k]) }, k);
  t.same(c.get('fee|lastPerformance'), { text: '-12.50', value: '-12.5' });
  t.same(c.get('fee|lastManagement'), { text: '+54.79', value: '54.79' });
  t.match(
    html,
    'Management 2.0 % a year, performance 20.0 % over a hurdle of 5.0 % a year, act/365, crystallisation annual',
  );
  t.match(html, "the last (or the series' start) 2026-03-17 00:00:00.000 UTC");
  t.notMatch(html, /No fee accrual is stored/);
});

t.test('sections the store holds nothing for say so instead of showing zeros', async (t) => {
  const html = renderReport(buildReport(day({ risk: null, exposures: null, riskSeries: [], fills: [] }), ctx));
  t.match(html, /No risk snapshot is stored for this portfolio on this day/);
  t.match(html, /No exposures state is stored for this portfolio on this day/);
  t.match(html, /No fills of this portfolio are stored for this day/);
  t.match(html, /The chart needs at least two buckets .*; 0 do/);
  t.notOk(cells(html).has('summary|var99'), 'no VaR figure at all');
  const noPositions = renderReport(buildReport(day({ positions: null, pnlSeries: [] }), ctx));
  t.match(noPositions, /No positions state is stored for this portfolio on this day/);
});

t.test('the chart: round ticks, at most one point per pixel column, the last kept', async (t) => {
  t.same(niceTicks(-1234, 560, 4), [-1000, -500, 0, 500]);
  t.same(niceTicks(0, 1, 4), [0, 0.5, 1]);
  t.same(niceTicks(0, 0.9, 9), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 'multiples written as their decimals');
  const pts: PnlPoint[] = Array.from({ length: 1440 }, (_, k) => ({
    bucket: T0 + k * 60_000,
    asOf: T0 + k * 60_000,
    inputSeq: k,
    pnl: Math.sin(k / 50) * 1000,
    var: 2000,
    es: 2500,
  }));
  const th = thin(pts, 584);
  t.ok(th.length <= 585, `${th.length} points`);
  t.equal(th.at(-1), pts.at(-1));
  const svg = pnlChartSvg(pts, 'P&L <x>')!;
  t.match(svg, /aria-label="P&amp;L &lt;x&gt;"/);
  t.equal((svg.match(/class="pnl" d="([^"]*)"/)![1].match(/[ML]/g) ?? []).length, th.length);
  t.equal(pnlChartSvg(pts.slice(0, 1), 'x'), null, 'one point is no chart');
});

t.test('--date: a real calendar day written YYYY-MM-DD', async (t) => {
  t.equal(dayOf('2026-03-17'), '2026-03-17');
  t.equal(dayOf('2024-02-29'), '2024-02-29');
  for (const bad of ['2026-02-30', '2026-3-17', '17/03/2026', '', '2026-03-17T00:00Z', '2026-13-01'])
    t.throws(() => dayOf(bad), {
      code: 'USAGE',
      message: `--date: expected a day as YYYY-MM-DD, received ${JSON.stringify(bad)}`,
    });
});
