// `riskline watch` against a scripted gateway: what it asks for, what it prints in each format,
// and how it takes refusals, lost connections and silence.

import t from 'tap';
import { RisklineError } from '../../../errors/catalogue.js';
import { backoffDelay, WatchConnection, type Backoff } from '../../../gateways/watch/connection.js';
import { parseWatchOptions, type RawWatchOptions } from '../../../gateways/watch/options.js';
import { runWatch, type WatchIO } from '../../../gateways/watch/session.js';
import type { ConnectionPhase } from '../../../gateways/watch/state.js';
import { frame, positionsData, row, scriptedGateway, T0 } from './watch-helpers.js';

const FAST: Backoff = { initialMs: 20, maxMs: 200, factor: 2, jitter: 0 };
const ANSI = new RegExp(String.fromCharCode(27) + '\\[');

function fakeIO(o: { columns?: number; live?: boolean; color?: boolean } = {}) {
  const out: string[] = [];
  const notices: string[] = [];
  const io: WatchIO = {
    write: (text) => void out.push(text),
    notice: (line) => void notices.push(line),
    live: o.live ?? false,
    color: o.color ?? false,
    size: () => ({ columns: o.columns ?? 120, rows: 40 }),
    onResize: () => () => undefined,
    now: Date.now,
  };
  return { io, out, notices, text: () => out.join(''), lines: () => out.join('').split('\n') };
}

const plan = (channels: string[], raw: Omit<RawWatchOptions, 'url'> & { url: string }) =>
  parseWatchOptions(channels, raw, false);

const book = (seq: number) =>
  frame('positions:P1', 'snapshot', seq, positionsData('P1', { AAPL: row('AAPL', 1200, 228.29) }), T0, seq);

t.test('with nothing named, watch lists the portfolios over REST with the token and subscribes each', async (t) => {
  const g = await scriptedGateway(t);
  g.token = 'tok';
  g.portfolios = [
    { id: 'P1', name: 'Global Macro', baseCurrency: 'USD' },
    { id: 'P2', name: 'Euro Equity', baseCurrency: 'EUR' },
  ];
  const f = fakeIO();
  const s = await runWatch(plan([], { url: g.url, token: 'tok', format: 'lines' }), f.io, { backoff: FAST });
  t.teardown(() => s.stop());
  t.same(g.received[0], {
    op: 'subscribe',
    id: 1,
    channels: ['positions:P1', 'exposures:P1', 'risk:P1', 'positions:P2', 'exposures:P2', 'risk:P2'],
  });
  t.same(g.authorizations, ['Bearer tok', 'Bearer tok'], 'the REST call and the upgrade both carry the token');
  t.same(
    s.state.portfolios.map((p) => [p.id, p.baseCurrency]),
    [
      ['P1', 'USD'],
      ['P2', 'EUR'],
    ],
  );
});

t.test('--once prints one plain table once every channel has its state, then ends', async (t) => {
  const g = await scriptedGateway(t);
  g.portfolios = [{ id: 'P1', name: 'Global Macro', baseCurrency: 'USD' }];
  g.onSubscribe.set('positions:P1', book(3));
  g.onSubscribe.set(
    'exposures:P1',
    frame('exposures:P1', 'snapshot', 2, { totals: { gross: 5e6, net: -1e6, long: 2e6, short: -3e6 } }),
  );
  g.onSubscribe.set(
    'risk:P1',
    frame('risk:P1', 'snapshot', 1, {
      method: 'parametric',
      horizonDays: 1,
      confidence: [0.95, 0.99],
      var: { '99': 12_345 },
      es: { '99': 15_000 },
    }),
  );
  const f = fakeIO({ columns: 100 });
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const s = await runWatch(plan([], { url: g.url, once: true }), f.io, { backoff: FAST });
  await s.done;
  await s.stop();
  await new Promise((r) => setImmediate(r));
  t.equal(timers(), before, 'no timer left behind to hold the process open');
  const lines = f.lines();
  t.match(lines[0], /^riskline watch · connected · gateway live · /);
  t.match(
    lines[1],
    /^P1 {2}Global Macro {2}USD {2}asOf 09:00:00\.000Z|^P1 {2}Global Macro {2}USD {2}asOf 2026-11-25 09:00:00Z/,
  );
  t.ok(
    lines.some((l) =>
      /^ {2}Exposure {2}gross 5,000,000 {2}net -1,000,000 {2}long 2,000,000 {2}short -3,000,000$/.test(l),
    ),
  );
  t.ok(
    lines.some((l) => /^ {2}VaR +12,345$/.test(l)),
    'the delta-normal VaR at 99%',
  );
  t.ok(
    lines.some((l) => /^ {2}AAPL +1,200 +228\.29 +273,948 +0 +0$/.test(l)),
    'the position row',
  );
  t.notMatch(f.text(), ANSI, 'no ANSI codes when colour is off');
  t.equal(f.out.length, 1, 'one table, written once');
});

t.test('--once prints what it has after its wait when a channel never speaks', async (t) => {
  const g = await scriptedGateway(t);
  g.onSubscribe.set('positions:P1', book(1));
  const f = fakeIO();
  const s = await runWatch(plan([], { url: g.url, portfolio: ['P1'], once: true }), f.io, { onceWaitMs: 50 });
  await s.done;
  await s.stop();
  t.ok(f.lines().includes('  Risk  —'), f.text());
  t.ok(f.lines().includes('  Exposure  gross —  net —  long —  short —'));
});

t.test('a token the gateway refuses is one USAGE line (exit 2), from the stream and from REST', async (t) => {
  const g = await scriptedGateway(t);
  g.token = 'right';
  const f = fakeIO();
  await t.rejects(runWatch(plan(['risk:P1'], { url: g.url, token: 'wrong' }), f.io), {
    code: 'USAGE',
    message: `watch: ${g.url} refused the token (401: invalid token: signature mismatch)`,
  });
  await t.rejects(runWatch(plan(['risk:P1'], { url: g.url }), f.io), {
    code: 'USAGE',
    message: /needs a token \(401: .*\); pass --token$/,
  });
  await t.rejects(runWatch(plan([], { url: g.url, token: 'wrong' }), f.io), {
    code: 'USAGE',
    message: /refused the token \(401: invalid token/,
  });
  t.equal(new RisklineError('USAGE').spec.exit, 2);
  t.same(f.out, [], 'nothing printed before the error');
});

t.test(
  'a path the gateway does not serve is USAGE; a refused portfolio is USAGE naming it; nothing listening is UNAVAILABLE',
  async (t) => {
    const g = await scriptedGateway(t);
    const f = fakeIO();
    await t.rejects(runWatch(plan(['risk:P1'], { url: g.url.replace('/v1/stream', '/stream') }), f.io), {
      code: 'USAGE',
      message: /\/stream: no WebSocket endpoint at \/stream \(404\)$/,
    });
    g.refuse.set('risk:P9', 'FORBIDDEN');
    await t.rejects(runWatch(plan([], { url: g.url, portfolio: ['P9'] }), f.io), {
      code: 'USAGE',
      message: 'watch: refused risk:P9 (FORBIDDEN)',
    });
    g.refuse.set('positions:NOPE', 'UNKNOWN_CHANNEL');
    await t.rejects(runWatch(plan(['positions:NOPE'], { url: g.url }), f.io), {
      code: 'USAGE',
      message: /UNKNOWN_CHANNEL/,
    });
    g.portfolios = [];
    await t.rejects(runWatch(plan([], { url: g.url }), f.io), {
      code: 'USAGE',
      message: /lists no portfolio this token may see/,
    });
    g.portfolios = { nothing: true };
    await t.rejects(runWatch(plan([], { url: g.url }), f.io), {
      code: 'UNAVAILABLE',
      message: /not a list of portfolios; name them with --portfolio/,
    });
    const err = await runWatch(plan(['risk:P1'], { url: 'ws://127.0.0.1:1/v1/stream' }), f.io).catch((e: unknown) => e);
    t.match(err, { code: 'UNAVAILABLE', message: /cannot connect to ws:\/\/127\.0\.0\.1:1\/v1\/stream/ });
    t.equal((err as RisklineError).spec.exit, 1);
  },
);

t.test('backoff grows by its factor up to its cap, moved by at most its jitter', async (t) => {
  const b: Backoff = { initialMs: 500, maxMs: 15_000, factor: 2, jitter: 0.2 };
  t.same(
    [1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(b, a, () => 0.5)),
    [500, 1000, 2000, 4000, 8000, 15000, 15000],
  );
  t.equal(
    backoffDelay(b, 1, () => 0),
    400,
  );
  t.equal(
    backoffDelay(b, 1, () => 1),
    600,
  );
  t.equal(
    backoffDelay(b, 9, () => 1),
    15_000,
    'never past the cap',
  );
});

t.test('a lost connection reconnects after 20, 40, 80 ms while refused, then subscribes again', async (t) => {
  const g = await scriptedGateway(t);
  const phases: ConnectionPhase[] = [];
  const conn = new WatchConnection(
    { url: g.url, channels: ['risk:P1'], reconnect: FAST },
    { message: () => undefined, phase: (p) => void phases.push(p) },
    () => 0,
  );
  await conn.start();
  t.teardown(() => conn.close());
  g.refuseWith = 503;
  g.dropAll();
  await g.waitFor(() => phases.some((p) => p.state === 'reconnecting' && p.attempt === 3));
  g.refuseWith = null;
  await g.waitFor(() => phases.filter((p) => p.state === 'connected').length === 2);
  const retries = phases.filter((p) => p.state === 'reconnecting');
  t.same(
    retries.slice(0, 3).map((p) => p.state === 'reconnecting' && [p.attempt, p.retryAt]),
    [
      [1, 20],
      [2, 40],
      [3, 80],
    ],
  );
  t.match(retries[0], { reason: /^connection lost \(1006\)$/ });
  t.match(retries[1], { reason: 'not now' }, 'the refusal of the last try is the reason shown');
  t.same(
    g.received.filter((m) => m.op === 'subscribe').map((m) => m.channels),
    [['risk:P1'], ['risk:P1']],
  );
});

t.test('after a reconnect the new snapshot is taken even with a lower seq (a restarted gateway)', async (t) => {
  const g = await scriptedGateway(t);
  g.onSubscribe.set('positions:P1', book(5));
  const f = fakeIO();
  const s = await runWatch(plan(['positions:P1'], { url: g.url }), f.io, { backoff: FAST });
  t.teardown(() => s.stop());
  await g.waitFor(() => f.text().includes('positions:P1 #5 S'));
  g.onSubscribe.set('positions:P1', book(1));
  g.dropAll();
  await g.waitFor(() => f.text().includes('positions:P1 #1 S'));
  const lines = f.lines();
  t.match(lines[0], 'subscribed positions:P1');
  t.ok(
    lines.some((l) => /^connection lost \(1006\); reconnecting in 0\.0s \(attempt 1\)$/.test(l)),
    f.text(),
  );
  t.ok(lines.includes('reconnected'));
  t.equal(s.state.held.get('positions:P1')?.seq, 1);
});

t.test('a token refused on reconnect ends the watch with the USAGE line', async (t) => {
  const g = await scriptedGateway(t);
  g.token = 'today';
  const f = fakeIO();
  const s = await runWatch(plan(['risk:P1'], { url: g.url, token: 'today' }), f.io, { backoff: FAST });
  g.token = 'tomorrow';
  g.dropAll();
  await t.rejects(s.done, { code: 'USAGE', message: /refused the token \(401: invalid token/ });
  t.match(s.state.connection, { state: 'closed', reason: /invalid token/ });
  await s.stop();
});

t.test('error frames and a stale gateway show in the table status line', async (t) => {
  const g = await scriptedGateway(t);
  g.onSubscribe.set('positions:P1', book(1));
  const f = fakeIO({ columns: 200 });
  const s = await runWatch(plan(['positions:P1'], { url: g.url, format: 'table', refresh: '30' }), f.io);
  t.teardown(() => s.stop());
  g.push({ type: 'status', stale: true, since: T0, reason: 'bus unreachable' });
  g.push({ type: 'error', id: null, code: 'RATE_LIMITED', message: 'slow down' });
  await g.waitFor(() => /gateway STALE.*error RATE_LIMITED/.test(f.out.at(-1) ?? ''));
  const snapshot = (f.out.at(-1) ?? '').split('\n');
  t.match(
    snapshot[0],
    /^riskline watch · connected · gateway STALE since 2026-11-25 09:00:00Z: bus unreachable · error RATE_LIMITED: slow down \(\d+\.\ds ago\) · /,
  );
  t.match(snapshot[1], /^P1 {2}USD .* STALE$/, 'each portfolio is marked stale too');
  t.ok(
    f.out.every((o) => o.endsWith('\n\n')),
    'in a pipe each redraw is a snapshot and a blank line',
  );
  t.notMatch(f.text(), ANSI);
});

t.test('--json writes each server message as received; connection notices go to stderr', async (t) => {
  const g = await scriptedGateway(t);
  const snap = book(1);
  g.onSubscribe.set('positions:P1', snap);
  const f = fakeIO();
  const s = await runWatch(plan(['positions:P1'], { url: g.url, json: true }), f.io, { backoff: FAST });
  t.teardown(() => s.stop());
  await g.waitFor(() => f.out.length >= 2);
  t.same(JSON.parse(f.out[0]), { type: 'subscribed', id: 1, channels: ['positions:P1'] });
  t.same(JSON.parse(f.out[1]), snap);
  t.ok(
    f.out.every((o) => o.endsWith('\n') && o.split('\n').length === 2),
    'one message per line',
  );
  g.dropAll();
  await g.waitFor(() => f.notices.some((n) => n === 'reconnected'));
  t.match(f.notices[0], /^connection lost \(1006\); reconnecting in /);
  t.ok(
    f.out.every((o) => JSON.parse(o) !== null),
    'stdout stays JSON only',
  );
});

t.test('lines: a gap asks for one snapshot; error frames are printed', async (t) => {
  const g = await scriptedGateway(t);
  g.onSubscribe.set('positions:P1', book(1));
  const f = fakeIO();
  const s = await runWatch(plan(['positions:P1'], { url: g.url }), f.io);
  t.teardown(() => s.stop());
  await g.waitFor(() => f.text().includes('#1 S'));
  g.push(frame('positions:P1', 'update', 3, { rows: {} }));
  g.push(frame('positions:P1', 'update', 4, { rows: {} }));
  g.push({ type: 'error', id: 9, code: 'NOT_SUBSCRIBED', message: 'not subscribed to x' });
  await g.waitFor(() => f.text().includes('error NOT_SUBSCRIBED'));
  // The request crosses a socket: it may reach the gateway after the client printed the error.
  await g.waitFor(() => g.received.some((m) => m.op === 'snapshot'));
  await new Promise((r) => setTimeout(r, 50));
  t.same(
    g.received.filter((m) => m.op === 'snapshot'),
    [{ op: 'snapshot', id: 2, channel: 'positions:P1' }],
    'one request, not one per update',
  );
  t.ok(f.lines().includes('positions:P1 gap: expected seq (snapshot), got 4; waiting for the snapshot asked for'));
  t.ok(f.lines().includes('positions:P1 gap: expected seq 2, got 3; requesting a snapshot'));
  t.ok(f.lines().includes('error NOT_SUBSCRIBED: not subscribed to x'));
});

t.test('a connection silent for three pings is dropped and made again', async (t) => {
  const g = await scriptedGateway(t);
  g.answerPings = false;
  const phases: ConnectionPhase[] = [];
  const conn = new WatchConnection(
    { url: g.url, channels: ['risk:P1'], reconnect: FAST, keepaliveMs: 20 },
    { message: () => undefined, phase: (p) => void phases.push(p) },
  );
  await conn.start();
  t.teardown(() => conn.close());
  await g.waitFor(() => g.upgrades >= 2);
  t.ok(
    g.received.some((m) => m.op === 'ping'),
    'pings were sent',
  );
  t.match(
    phases.find((p) => p.state === 'reconnecting'),
    { attempt: 1, reason: /^connection lost/ },
  );
});

t.test('close() ends the watch cleanly, also while waiting to reconnect', async (t) => {
  const g = await scriptedGateway(t);
  const conn = new WatchConnection(
    { url: g.url, channels: ['risk:P1'], reconnect: { ...FAST, initialMs: 60_000 } },
    {
      message: () => undefined,
      phase: () => undefined,
    },
  );
  await conn.start();
  g.dropAll();
  await g.waitFor(() => g.open().length === 0);
  t.same(await conn.close(), { code: 1000, reason: 'closed by the client', error: null });

  const conn2 = new WatchConnection(
    { url: g.url, channels: ['risk:P1'], reconnect: FAST },
    {
      message: () => undefined,
      phase: () => undefined,
    },
  );
  await conn2.start();
  t.match(await conn2.close(), { code: 1000, reason: 'bye', error: null });
  await g.waitFor(() => g.open().length === 0);
});
