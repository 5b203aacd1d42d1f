// The table of `riskline watch` as a pure function: (view, width, height, now) → lines. No socket:
// the view is built by applying frames to a WatchState, as the live watch does.

import { stripVTControlCharacters } from 'node:util';
import t from 'tap';
import { renderWatch } from '../../../gateways/watch/render.js';
import { WatchState, type PortfolioLabel } from '../../../gateways/watch/state.js';
import { frame, positionsData, row, T0 } from './watch-helpers.js';

const NOW = T0 + 1500;
const URL = 'ws://127.0.0.1:8080/v1/stream';

function watching(
  channels: string[],
  portfolios: PortfolioLabel[] = [{ id: 'P1', name: 'Global Macro', baseCurrency: 'USD' }],
) {
  const s = new WatchState(URL, channels, portfolios, T0);
  s.setPhase({ state: 'connected', since: T0 });
  return s;
}

const P1 = ['positions:P1', 'exposures:P1', 'risk:P1'];

const RISK = {
  portfolio: 'P1',
  method: 'parametric',
  horizonDays: 1,
  confidence: [0.95, 0.99],
  var: { '95': 900_000, '99': 1_250_000.4 },
  es: { '95': 1_100_000, '99': 1_400_000 },
  measures: [
    { method: 'parametric', horizonDays: 1, confidence: 0.95, var: 900_000, es: 1_100_000 },
    { method: 'parametric', horizonDays: 1, confidence: 0.99, var: 1_250_000.4, es: 1_400_000 },
    { method: 'monteCarlo', horizonDays: 1, confidence: 0.99, var: 1_310_000, es: 1_520_000 },
    { method: 'historical', horizonDays: 1, confidence: 0.99, var: 1_290_000, es: 1_610_000 },
    { method: 'historical', horizonDays: 10, confidence: 0.99, var: 4_000_000, es: 5_000_000 },
  ],
  components: [
    { instrument: 'MSFT', qty: 10, componentVar: 200_000, componentEs: 1, marginalVar: 1 },
    { instrument: 'AAPL', qty: 10, componentVar: 700_000, componentEs: 1, marginalVar: 1 },
    { instrument: 'TLT', qty: 10, componentVar: -50_000, componentEs: 1, marginalVar: 1 },
  ],
  stress: [
    { scenario: 'rally', name: 'Rally', pnl: 2_000_000, worst: [] },
    { scenario: 'gfc-2008', name: 'GFC 2008', pnl: -9_876_543, worst: [{ instrument: 'AAPL', pnl: -6_000_000 }] },
  ],
  provenance: { components: { method: 'monteCarlo', horizonDays: 1, confidence: 0.99 } },
};

function fullBook(s: WatchState) {
  s.apply(
    frame(
      'positions:P1',
      'snapshot',
      1,
      positionsData(
        'P1',
        {
          AAPL: row('AAPL', 1_200, 228.29, { unrealizedPnl: 1_500.5, realizedPnl: -20 }),
          EURUSD: row('EURUSD', -2_000_000, 1.08421, { unrealizedPnl: -3_100 }),
          MSFT: row('MSFT', 10, 410.5),
          GONE: row('GONE', 0, 10),
        },
        { nav: 12_345_678.9, marketValue: -1_894_630, cash: 14_240_308.9, unrealizedPnl: -1_599.5, realizedPnl: -20 },
      ),
      T0,
      41,
    ),
    NOW,
  );
  s.apply(
    frame(
      'exposures:P1',
      'snapshot',
      1,
      {
        totals: { long: 2_000_000, short: -3_000_000, net: -1_000_000, gross: 5_000_000 },
        byAssetClass: {
          equity: { long: 2e6, short: 0, net: 2e6, gross: 2e6 },
          fx: { long: 0, short: -3e6, net: -3e6, gross: 3e6 },
        },
      },
      T0,
      41,
    ),
    NOW,
  );
  s.apply(frame('risk:P1', 'snapshot', 1, RISK, T0, 40), NOW);
  return s;
}

t.test('the positions table aligns ids left and figures right under their headers, largest first', async (t) => {
  const lines = renderWatch(fullBook(watching(P1)).view(NOW), 120, 60, NOW);
  const head = lines.findIndex((l) => l.startsWith('  Instrument'));
  t.same(lines.slice(head, head + 4), [
    '  Instrument         Qty   Price   Mkt value    uPnL  rPnL',
    '  EURUSD      -2,000,000  1.0842  -2,168,420  -3,100     0',
    '  AAPL             1,200  228.29     273,948   1,501   -20',
    '  MSFT                10  410.50       4,105       0     0',
  ]);
  t.equal(lines.length, head + 4, 'a closed position (qty 0) is left out');
  t.equal(lines[2], '  NAV 12,345,679  MV -1,894,630  cash 14,240,309  uPnL -1,600  rPnL -20  open 3/4');
});

t.test('the header: id, name, base currency, asOf with its age, inputSeq, and a risk behind it', async (t) => {
  const lines = renderWatch(fullBook(watching(P1)).view(NOW), 200, 60, NOW);
  t.equal(lines[1], 'P1  Global Macro  USD  asOf 09:00:00.000Z (1.5s ago)  inputSeq 41  risk at 40');
  const later = renderWatch(fullBook(watching(P1)).view(NOW), 200, 60, T0 + 2 * 86_400_000);
  t.match(later[1], 'asOf 2026-11-25 09:00:00Z (2d00h ago)', 'the date when asOf is not today');
});

t.test(
  'negative numbers carry a minus sign; with colour losses are red and gains green, same visible text',
  async (t) => {
    const s = fullBook(watching(P1));
    const plain = renderWatch(s.view(NOW), 120, 60, NOW);
    const color = renderWatch(s.view(NOW), 120, 60, NOW, { color: true });
    t.same(
      color.map((l) => stripVTControlCharacters(l)),
      plain,
      'colour adds codes, never moves text',
    );
    const eur = color.find((l) => l.includes('EURUSD'))!;
    t.match(eur, '\x1b[31m-2,000,000\x1b[0m');
    t.match(eur, '\x1b[31m-3,100\x1b[0m');
    t.match(
      color.find((l) => l.includes('AAPL  '))!,
      '\x1b[32m1,501\x1b[0m',
      'a gain in green',
    );
    t.notOk(plain.join('\n').includes('\x1b'), 'no escape codes without colour');
    t.notMatch(plain.join('\n'), /-0\b/, 'no negative zero');
  },
);

t.test(
  'large numbers take thousands separators; past a trillion the compact form keeps the column narrow',
  async (t) => {
    const s = watching(['positions:P1']);
    s.apply(
      frame(
        'positions:P1',
        'snapshot',
        1,
        positionsData('P1', { BIG: row('BIG', 3e9, 1_000) }, { nav: 3_000_000_000_000 }),
      ),
      NOW,
    );
    const lines = renderWatch(s.view(NOW), 120, 60, NOW);
    t.match(lines[2], '  NAV 3.00T  ');
    t.match(
      lines.find((l) => l.includes('BIG'))!,
      /BIG +3,000,000,000 +1,000\.00 +3\.00T/,
    );
  },
);

t.test('missing data shows —: before any frame, and fields a frame lacks', async (t) => {
  const s = watching(P1, [{ id: 'P1' }]);
  const empty = renderWatch(s.view(NOW), 120, 60, NOW);
  t.same(empty.slice(1), [
    'P1  —  asOf —  inputSeq —',
    '  NAV —  MV —  cash —  uPnL —  rPnL —  open —',
    '  Exposure  gross —  net —  long —  short —',
    '  Risk  —',
    '  Positions —',
  ]);
  s.apply(frame('positions:P1', 'snapshot', 1, { rows: { X: { instrument: 'X', qty: 5 } } }), NOW);
  const partial = renderWatch(s.view(NOW), 120, 60, NOW);
  t.ok(partial.includes('  X             5      —          —     —     —'), partial.join('\n'));
});

t.test('risk: each method at the headline confidence and horizon, top contributors, worst stress', async (t) => {
  const lines = renderWatch(fullBook(watching(P1)).view(NOW), 120, 60, NOW);
  const at = lines.findIndex((l) => l.startsWith('  Risk'));
  t.same(lines.slice(at, at + 5), [
    '  Risk 1d 99%  parametric  historical  monteCarlo',
    '  VaR           1,250,000   1,290,000   1,310,000',
    '  ES            1,400,000   1,610,000   1,520,000',
    '  Top VaR (monteCarlo 1d 99%)  AAPL 700,000 · MSFT 200,000 · TLT -50,000',
    '  Worst stress  GFC 2008 -9,876,543  AAPL -6,000,000',
  ]);
  // Without measures (an engine before its first scenario sets), the delta-normal fields at the widest level.
  const s = watching(['risk:P1']);
  const { measures: _m, components: _c, stress: _s, provenance: _p, ...deltaNormal } = RISK;
  s.apply(frame('risk:P1', 'snapshot', 1, deltaNormal), NOW);
  t.same(renderWatch(s.view(NOW), 120, 60, NOW).slice(2), [
    '  Risk 1d 99%  parametric',
    '  VaR           1,250,000',
    '  ES            1,400,000',
  ]);
});

t.test('the status line, and the marks for a stale gateway, a reconnect and a resync', async (t) => {
  const s = fullBook(watching(P1));
  t.match(
    renderWatch(s.view(NOW), 200, 60, NOW)[0],
    /^riskline watch · connected · gateway live · 1\.5 frames\/s · 09:00:01Z · ws:\/\/127\.0\.0\.1:8080\/v1\/stream$/,
  );
  s.setGatewayStatus({ type: 'status', stale: true, since: T0, reason: 'bus unreachable' });
  let lines = renderWatch(s.view(NOW), 200, 60, NOW);
  t.match(lines[0], ' · gateway STALE since 09:00:00.000Z: bus unreachable · ');
  t.match(lines[1], / {2}STALE$/);
  s.setGatewayStatus({ type: 'status', stale: false, since: NOW, reason: null });
  s.setPhase({ state: 'reconnecting', attempt: 3, retryAt: NOW + 2000, reason: 'connection lost (1006)' });
  lines = renderWatch(s.view(NOW), 200, 60, NOW);
  t.match(lines[0], 'riskline watch · reconnecting in 2.0s (attempt 3): connection lost (1006) · gateway live');
  t.match(lines[1], / {2}OFFLINE$/);
  s.setPhase({ state: 'connected', since: NOW });
  s.resubscribed(NOW);
  t.match(renderWatch(s.view(NOW), 200, 60, NOW)[1], / {2}RESYNC$/, 'held state shown until the new snapshot');
  s.setError('FORBIDDEN', 'not entitled to portfolio P2', NOW - 3000);
  t.match(renderWatch(s.view(NOW), 200, 60, NOW)[0], ' · error FORBIDDEN: not entitled to portfolio P2 (3.0s ago) · ');
});

t.test('every line fits the width; a narrow terminal drops the least needed columns first', async (t) => {
  const s = fullBook(watching(P1));
  for (const width of [200, 80, 50, 30, 12, 1]) {
    const lines = renderWatch(s.view(NOW), width, 60, NOW, { color: true });
    t.same(
      lines.filter((l) => stripVTControlCharacters(l).length > width),
      [],
      `no line wider than ${width}`,
    );
  }
  const narrow = renderWatch(s.view(NOW), 40, 60, NOW);
  t.ok(narrow.includes('  Instrument   Mkt value    uPnL'), narrow.join('\n'));
  t.ok(narrow.includes('  EURUSD      -2,168,420  -3,100'), 'Qty, Price and rPnL dropped; Mkt value and uPnL kept');
  t.ok(
    narrow.some((l) => l.endsWith('…')),
    'a cut line ends with …',
  );
});

t.test('height: the status line stays; essentials, then extras, then positions share the room', async (t) => {
  const two = watching([...P1, 'positions:P2', 'risk:P2'], [{ id: 'P1' }, { id: 'P2' }]);
  fullBook(two);
  const rows: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) rows[`I${i}`] = row(`I${i}`, 100 + i, 10);
  two.apply(frame('positions:P2', 'snapshot', 1, positionsData('P2', rows)), NOW);
  const all = renderWatch(two.view(NOW), 120, Infinity, NOW);
  t.equal(all.filter((l) => /^ {2}I\d+ /.test(l)).length, 40, 'no height limit: every row');

  const lines = renderWatch(two.view(NOW), 120, 24, NOW);
  t.equal(lines.length, 24);
  t.match(lines[0], /^riskline watch/);
  t.ok(
    lines.some((l) => l.startsWith('  Top VaR')),
    'extras before positions',
  );
  t.ok(lines.includes('  … 34 more positions'), lines.join('\n'));
  t.equal(lines.filter((l) => /^ {2}I\d+ /.test(l)).length, 6, 'P2 gets the room P1 does not need');
  t.ok(lines.includes('  MSFT                10  410.50       4,105       0     0'), 'P1 fits whole');
  t.ok(
    lines.some((l) => l.startsWith('  I39 ')),
    'largest rows first',
  );

  const twelve = renderWatch(two.view(NOW), 120, 12, NOW);
  t.equal(twelve.length, 12);
  t.ok(
    twelve.some((l) => l.startsWith('  Top VaR')),
    'extras before positions',
  );
  t.notOk(
    twelve.some((l) => l.includes('Instrument')),
    'no room left for a table',
  );
  t.ok(renderWatch(two.view(NOW), 120, 13, NOW).includes('  … 3 positions (no room)'), 'one line: what is not shown');
  const ten = renderWatch(two.view(NOW), 120, 10, NOW);
  t.same(ten.length, 10);
  t.notOk(
    ten.some((l) => l.startsWith('  Top VaR') || l.startsWith('  Worst')),
    'essentials only',
  );
  t.match(ten[9], /^ {2}Risk/);

  const tiny = renderWatch(two.view(NOW), 120, 8, NOW);
  t.same(
    tiny.slice(1).map((l) => l.slice(0, 10)),
    ['P1  USD  a', '  NAV 12,3', '  Exposure', '  Risk 1d ', '  VaR     ', '  ES      ', '… 1 more ('],
  );
  t.match(tiny[7], '… 1 more (name fewer with --portfolio, or use a taller terminal)');
  t.same(renderWatch(two.view(NOW), 120, 1, NOW).length, 1, 'one row: the status line alone');
});

t.test('channels named one by one: only their parts show; ticks get a table of their own', async (t) => {
  const s = watching(['risk:P1', 'ticks:EURUSD', 'ticks:AAPL'], [{ id: 'P1' }]);
  s.apply(
    frame('ticks:EURUSD', 'snapshot', 7, { instrument: 'EURUSD', bid: 1.08421, ask: 1.08423, last: 1.08422 }),
    NOW,
  );
  const lines = renderWatch(s.view(NOW), 120, 60, NOW);
  t.same(lines.slice(1), [
    'P1  —  asOf —  inputSeq —',
    '  Risk  —',
    'Ticks',
    '  Instrument     Bid     Ask    Last           asOf',
    '  EURUSD      1.0842  1.0842  1.0842  09:00:00.000Z',
    '  AAPL             —       —       —              —',
  ]);
});

t.test('the latest alert shows with its severity', async (t) => {
  const s = watching(['alerts:P1'], [{ id: 'P1' }]);
  t.same(renderWatch(s.view(NOW), 120, 60, NOW).slice(2), ['  Alert  —']);
  s.apply(
    frame('alerts:P1', 'update', 4, {
      id: 'var:P1:1:raise',
      limit: 'var-99',
      state: 'breached',
      severity: 'critical',
      message: 'VaR 1.2M above 1M',
      ts: T0,
    }),
    NOW,
  );
  t.same(renderWatch(s.view(NOW), 120, 60, NOW).slice(2), [
    '  Alert  CRITICAL  09:00:00.000Z  var-99 breached  VaR 1.2M above 1M',
  ]);
  t.match(renderWatch(s.view(NOW), 120, 60, NOW, { color: true })[2], '\x1b[1;31mCRITICAL\x1b[0m');
});
