// What `riskline watch` holds per channel: applyFrame's merge, the seq rules of
// docs/wire-format.md, a new connection's resync, events, the frame rate and readiness.

import t from 'tap';
import { FrameRate, SNAPSHOT_RETRY_MS, WatchState } from '../../../gateways/watch/state.js';
import { frame, T0 } from './watch-helpers.js';

const state = (channels = ['positions:P1', 'risk:P1', 'alerts:P1']) =>
  new WatchState('ws://x/v1/stream', channels, [{ id: 'P1' }], T0);

t.test('a snapshot replaces, an update merges by key (null removes), other fields are replaced', async (t) => {
  const s = state();
  t.match(
    s.apply(frame('positions:P1', 'snapshot', 1, { totals: { nav: 1 }, rows: { A: { qty: 1 }, B: { qty: 2 } } }), T0),
    { kind: 'applied' },
  );
  t.match(
    s.apply(
      frame('positions:P1', 'update', 2, { totals: { nav: 2 }, rows: { A: null, C: { qty: 3 } } }, T0 + 5, 9),
      T0,
    ),
    { kind: 'applied' },
  );
  const h = s.held.get('positions:P1')!;
  t.same(h.state, { totals: { nav: 2 }, rows: { B: { qty: 2 }, C: { qty: 3 } } });
  t.match(h, { seq: 2, asOf: T0 + 5, inputSeq: 9, awaitingSnapshot: false });
  s.apply(frame('positions:P1', 'snapshot', 3, { totals: { nav: 3 }, rows: { Z: { qty: 1 } } }), T0);
  t.same(h.state, { totals: { nav: 3 }, rows: { Z: { qty: 1 } } });
});

t.test('old frames are skipped; a gap asks for one snapshot, then waits, then asks again after a while', async (t) => {
  const s = state();
  s.apply(frame('positions:P1', 'snapshot', 5, { rows: { A: { qty: 1 } } }), T0);
  t.same(s.apply(frame('positions:P1', 'update', 5, { rows: { A: { qty: 9 } } }), T0), { kind: 'duplicate' });
  t.same(s.apply(frame('positions:P1', 'snapshot', 4, { rows: {} }), T0), { kind: 'duplicate' });
  t.same(s.apply(frame('positions:P1', 'update', 7, { rows: {} }), T0), {
    kind: 'gap',
    expected: 6,
    askSnapshot: true,
  });
  t.same(s.apply(frame('positions:P1', 'update', 8, { rows: {} }), T0 + 10), {
    kind: 'gap',
    expected: null,
    askSnapshot: false,
  });
  t.same(s.held.get('positions:P1')!.state, { rows: { A: { qty: 1 } } }, 'the state held stays on screen meanwhile');
  t.same(s.apply(frame('positions:P1', 'update', 9, { rows: {} }), T0 + SNAPSHOT_RETRY_MS), {
    kind: 'gap',
    expected: null,
    askSnapshot: true,
  });
  t.match(s.apply(frame('positions:P1', 'snapshot', 9, { rows: { B: { qty: 2 } } }), T0), { kind: 'applied' });
  t.match(s.apply(frame('positions:P1', 'update', 10, { rows: { C: { qty: 3 } } }), T0), { kind: 'applied' });
  t.same(s.held.get('positions:P1')!.state, { rows: { B: { qty: 2 }, C: { qty: 3 } } });
});

t.test('an update before any snapshot is a gap that asks for one', async (t) => {
  const s = state();
  t.same(s.apply(frame('risk:P1', 'update', 3, { var: {} }), T0), { kind: 'gap', expected: null, askSnapshot: true });
  t.equal(s.held.get('risk:P1')!.state, undefined);
  t.same(s.apply(frame('nonsense', 'update', 3, {}), T0), { kind: 'ignored' });
});

t.test("a new connection keeps the state shown until its snapshot, whatever that snapshot's seq", async (t) => {
  const s = state();
  s.apply(frame('positions:P1', 'snapshot', 500, { rows: { A: { qty: 1 } } }), T0);
  s.resubscribed(T0 + 1);
  const h = s.held.get('positions:P1')!;
  t.match(h, { awaitingSnapshot: true, resync: true, state: { rows: { A: { qty: 1 } } } });
  t.same(
    s.apply(frame('positions:P1', 'update', 501, { rows: {} }), T0 + 2),
    { kind: 'gap', expected: null, askSnapshot: false },
    "the subscription's snapshot is on its way: not asked again",
  );
  t.match(
    s.apply(frame('positions:P1', 'snapshot', 1, { rows: { B: { qty: 2 } } }), T0 + 3),
    { kind: 'applied' },
    'a restarted gateway counts from 1',
  );
  t.match(h, { seq: 1, awaitingSnapshot: false, resync: false });
  t.same(
    s.apply(frame('positions:P1', 'snapshot', 0, { rows: {} }), T0 + 4),
    { kind: 'duplicate' },
    'then the seq rules apply again',
  );
});

t.test('events: each new alert replaces the last; a repeated seq is skipped', async (t) => {
  const s = state();
  t.match(
    s.apply(frame('alerts:P1', 'update', 4, { id: 'a4', message: 'x' }), T0),
    { kind: 'applied' },
    'no snapshot needed',
  );
  t.same(s.apply(frame('alerts:P1', 'update', 4, { id: 'a4', message: 'x' }), T0), { kind: 'duplicate' });
  s.apply(frame('alerts:P1', 'update', 6, { id: 'a6' }), T0);
  t.same(s.held.get('alerts:P1')!.state, { id: 'a6' }, 'the newest alert alone, not merged');
});

t.test('ready once every state channel has a state; alert channels are not waited for', async (t) => {
  const s = state();
  t.notOk(s.ready());
  s.apply(frame('positions:P1', 'snapshot', 1, {}), T0);
  t.notOk(s.ready());
  s.apply(frame('risk:P1', 'snapshot', 1, {}), T0);
  t.ok(s.ready());
  t.same(state(['ticks:AAPL', 'risk:P1', 'ticks:MSFT']).instruments, ['AAPL', 'MSFT']);
});

t.test('frames per second over the last two seconds', async (t) => {
  const r = new FrameRate();
  t.equal(r.perSecond(T0), 0);
  for (let i = 0; i < 40; i++) r.add(T0 + i * 50); // 20 a second for two seconds
  t.equal(r.perSecond(T0 + 1999), 20);
  t.equal(
    r.perSecond(T0 + 3000),
    7.5,
    'a second later the window (eight quarter-seconds) holds the 15 frames from T0 + 1.25 s',
  );
  t.equal(r.perSecond(T0 + 60_000), 0, 'silence empties it');
  r.add(T0 + 60_000, 4);
  t.equal(r.perSecond(T0 + 60_000), 2);
});
