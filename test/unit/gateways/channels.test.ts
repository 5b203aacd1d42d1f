import t from 'tap';
import type { Alert } from '../../../engine/model.js';
import type { Frame } from '../../../engine/frames.js';
import { ChannelStore, MAX_ORDER_ROWS } from '../../../gateways/channels.js';

const store = (): ChannelStore => new ChannelStore({ portfolios: ['P1', 'P2'], instruments: ['AAPL', 'MSFT'] });
const f = (
  channel: string,
  type: Frame['type'],
  seq: number,
  data: Record<string, unknown>,
  asOf = 1000 + seq,
): Frame => ({
  channel,
  type,
  seq,
  asOf,
  inputSeq: 7,
  data,
});

t.test('snapshot then updates merge keyed sections and replace other fields', async (t) => {
  const s = store();
  t.equal(
    s.accept(f('positions:P1', 'snapshot', 1, { totals: { nav: 100 }, rows: { AAPL: { qty: 1 }, MSFT: { qty: 2 } } })),
    'applied',
  );
  t.equal(
    s.accept(
      f('positions:P1', 'update', 2, { totals: { nav: 110 }, rows: { AAPL: { qty: 3 }, MSFT: null, IBM: { qty: 4 } } }),
    ),
    'applied',
  );
  const snap = s.snapshot('positions:P1')!;
  t.same(snap, {
    channel: 'positions:P1',
    type: 'snapshot',
    seq: 2,
    asOf: 1002,
    inputSeq: 7,
    data: { totals: { nav: 110 }, rows: { AAPL: { qty: 3 }, IBM: { qty: 4 } } },
  });
  t.equal(s.get('positions:P1')!.needsSnapshot, false);
});

t.test('duplicates and replays are ignored', async (t) => {
  const s = store();
  s.accept(f('exposures:P1', 'snapshot', 5, { totals: { gross: 1 } }));
  s.accept(f('exposures:P1', 'update', 6, { totals: { gross: 2 } }));
  t.equal(s.accept(f('exposures:P1', 'update', 6, { totals: { gross: 99 } })), 'duplicate');
  t.equal(s.accept(f('exposures:P1', 'update', 4, { totals: { gross: 99 } })), 'duplicate');
  t.equal(
    s.accept(f('exposures:P1', 'snapshot', 6, { totals: { gross: 99 } })),
    'duplicate',
    'the same snapshot twice',
  );
  t.same(s.snapshot('exposures:P1')!.data, { totals: { gross: 2 } });
  t.equal(s.snapshot('exposures:P1')!.seq, 6);
});

t.test('a gap on an update marks the channel as needing a snapshot', async (t) => {
  const s = store();
  s.accept(f('positions:P1', 'snapshot', 1, { rows: { AAPL: { qty: 1 } } }));
  t.equal(s.accept(f('positions:P1', 'update', 3, { rows: { AAPL: { qty: 9 } } })), 'gap');
  t.equal(s.get('positions:P1')!.needsSnapshot, true);
  t.equal(s.snapshot('positions:P1'), null, 'no snapshot is served from state known to be behind');
  t.equal(
    s.accept(f('positions:P1', 'update', 4, { rows: { AAPL: { qty: 10 } } })),
    'waiting',
    'later updates wait too',
  );
  t.equal(s.get('positions:P1')!.seq, 1);
  t.equal(s.accept(f('positions:P1', 'snapshot', 5, { rows: { MSFT: { qty: 2 } } })), 'applied');
  t.same(s.snapshot('positions:P1')!.data, { rows: { MSFT: { qty: 2 } } });
  t.equal(s.accept(f('positions:P1', 'update', 6, { rows: { AAPL: { qty: 1 } } })), 'applied');
  t.same(s.snapshot('positions:P1')!.data, { rows: { MSFT: { qty: 2 }, AAPL: { qty: 1 } } });
  t.equal(s.gaps, 1);
});

t.test('an update with no state before it is a gap; a snapshot resets, never to an older seq', async (t) => {
  const s = store();
  t.equal(s.accept(f('risk:P2', 'update', 10, { sigma: 1 })), 'gap');
  t.equal(s.snapshot('risk:P2'), null);
  t.equal(s.accept(f('risk:P2', 'snapshot', 11, { sigma: 2 })), 'applied');
  // A channel's seq never steps back (a new owner continues it): a lower snapshot is old news,
  // say a frame of the previous owner still in flight, and clients never see it.
  t.equal(s.accept(f('risk:P2', 'snapshot', 1, { sigma: 3 })), 'duplicate');
  t.equal(s.accept(f('risk:P2', 'snapshot', 11, { sigma: 3 })), 'duplicate');
  t.equal(s.snapshot('risk:P2')!.seq, 11);
  t.same(s.snapshot('risk:P2')!.data, { sigma: 2 });
  // A gap waits for a snapshot past it.
  t.equal(s.accept(f('risk:P2', 'update', 14, { sigma: 4 })), 'gap');
  t.equal(s.accept(f('risk:P2', 'snapshot', 15, { sigma: 5 })), 'applied');
  t.same(s.snapshot('risk:P2')!.data, { sigma: 5 });
});

t.test('snapshot state is a copy: later updates do not mutate the frame that was applied', async (t) => {
  const s = store();
  const snap = f('positions:P1', 'snapshot', 1, { rows: { AAPL: { qty: 1 } } });
  s.accept(snap);
  s.accept(f('positions:P1', 'update', 2, { rows: { MSFT: { qty: 1 } } }));
  t.same(snap.data, { rows: { AAPL: { qty: 1 } } });
});

t.test('alerts are events: every new one passes, even across a gap; replays are dropped', async (t) => {
  const s = store();
  t.equal(s.accept(f('alerts:P1', 'snapshot', 1, { message: 'a' })), 'applied');
  t.equal(s.accept(f('alerts:P1', 'update', 2, { message: 'b' })), 'applied');
  const c = f('alerts:P1', 'update', 5, { message: 'c' });
  t.equal(s.accept(c), 'applied');
  t.equal(c.seq, 3, 'the gateway numbers what it sends: a jump in the engine seq (a takeover) is no gap to clients');
  t.equal(s.accept(f('alerts:P1', 'update', 5, { message: 'c' })), 'duplicate', 'replays dropped by the engine seq');
  t.same(s.snapshot('alerts:P1')!.data, { message: 'c' });
  // First alert of a channel may arrive as an update.
  t.equal(s.accept(f('alerts:P2', 'update', 3, { message: 'x' })), 'applied');
  t.equal(s.get('alerts:P2')!.seq, 1);
  // Bare alerts continue the channel's seq.
  const alert: Alert = {
    id: 'a1',
    portfolio: 'P2',
    limit: 'var99',
    state: 'breached',
    severity: 'critical',
    message: 'VaR',
    value: 2,
    threshold: 1,
    ts: 5,
  };
  const fr = s.acceptAlert(alert);
  t.equal(fr.seq, 2);
  t.equal(fr.type, 'update');
  t.equal(fr.channel, 'alerts:P2');
  t.equal(s.get('alerts:P2')!.seq, 2);
  // The engine's next alert is not taken for a replay because a bare alert came between.
  const next = f('alerts:P2', 'update', 4, { message: 'y' });
  t.equal(s.accept(next), 'applied', "another producer's event does not swallow the engine's next");
  t.equal(next.seq, 3);
  // A bare alert that opens its channel is its snapshot, as the engine writes a channel's first frame.
  const first = s.acceptAlert({ ...alert, portfolio: 'P1', id: 'b1' });
  t.match(first, { channel: 'alerts:P1', seq: 4, type: 'update' }, 'P1 already had frames');
  const fresh = store().acceptAlert({ ...alert, id: 'c1' });
  t.match(fresh, { channel: 'alerts:P2', seq: 1, type: 'snapshot' });
});

t.test('known portfolios and instruments, alerts wildcard', async (t) => {
  const s = store();
  t.ok(s.exists('positions:P1'));
  t.notOk(s.exists('positions:NOPE'));
  t.ok(s.exists('ticks:AAPL'));
  t.notOk(s.exists('ticks:NOPE'));
  t.ok(s.exists('alerts:*'));
  t.notOk(s.exists('garbage'));
  t.same(
    s.alertChannels(() => true),
    ['alerts:P1', 'alerts:P2'],
  );
  t.same(
    s.alertChannels((p) => p === 'P2'),
    ['alerts:P2'],
  );
  // A portfolio the engine publishes becomes known; a wildcard channel in a frame is rejected.
  s.accept(f('risk:P3', 'snapshot', 1, {}));
  t.ok(s.hasPortfolio('P3'));
  t.equal(s.accept(f('risk:*', 'snapshot', 1, {})), 'rejected');
  t.equal(s.accept(f('ticks:AAPL', 'snapshot', 1, {})), 'rejected');
});

t.test('ticks: latest per instrument, frames only at flush and only for subscribed channels', async (t) => {
  const s = store();
  t.equal(s.lastTickAsOf, null);
  s.tick('AAPL', 1, 10, 11, 10.5);
  s.tick('AAPL', 2, 12, 13, 12.5);
  s.tick('MSFT', 3, 20, 21, 20.5);
  s.tick('NEW', 4, 1, 2, 1.5);
  t.equal(s.lastTickAsOf, 4);
  t.ok(s.hasInstrument('NEW'), 'an instrument that ticks becomes known');
  const out: Frame[] = [];
  t.equal(
    s.flushTicks(
      (ch) => ch === 'ticks:AAPL',
      (fr) => out.push(fr),
    ),
    1,
  );
  t.same(out, [
    {
      channel: 'ticks:AAPL',
      type: 'snapshot',
      seq: 1,
      asOf: 2,
      inputSeq: 2, // the second tick of AAPL this store received
      data: { instrument: 'AAPL', bid: 12, ask: 13, last: 12.5 },
    },
  ]);
  t.equal(
    s.flushTicks(
      () => true,
      (fr) => out.push(fr),
    ),
    0,
    'nothing dirty',
  );
  s.tick('AAPL', 5, 14, 15, 14.5);
  s.tick('MSFT', 6, 22, 23, 22.5);
  s.flushTicks(
    () => true,
    (fr) => out.push(fr),
  );
  t.same(
    out.slice(1).map((fr) => [fr.channel, fr.type, fr.seq, fr.asOf]),
    [
      ['ticks:AAPL', 'update', 2, 5],
      ['ticks:MSFT', 'snapshot', 1, 6],
    ],
  );
  t.same(s.snapshot('ticks:AAPL'), {
    channel: 'ticks:AAPL',
    type: 'snapshot',
    seq: 2,
    asOf: 5,
    inputSeq: 3,
    data: { instrument: 'AAPL', bid: 14, ask: 15, last: 14.5 },
  });
  t.equal(s.snapshot('ticks:IBM'), null);
});

t.test('ticks by index (the fast reader) and by id land in the same slot and give the same frames', async (t) => {
  const byId = store();
  const byIndex = store();
  t.equal(byIndex.indexOf('AAPL'), 0);
  t.equal(byIndex.indexOf('MSFT'), 1);
  t.equal(byIndex.indexOf('IBM'), -1, 'an unknown instrument has no index');
  const aapl = byIndex.indexOf('AAPL');
  const msft = byIndex.indexOf('MSFT');
  const flush = (s: ChannelStore): Frame[] => {
    const out: Frame[] = [];
    s.flushTicks(
      () => true,
      (fr) => out.push(fr),
    );
    return out;
  };

  byId.tick('AAPL', 1, 10, 11, 10.5);
  byId.tick('MSFT', 2, 20, 21, 20.5);
  byIndex.tickAt(aapl, 1, 10, 11, 10.5);
  byIndex.tickAt(msft, 2, 20, 21, 20.5);
  const first = flush(byIndex);
  t.same(first, flush(byId));
  t.same(
    first.map((fr) => [fr.channel, fr.type, fr.seq]),
    [
      ['ticks:AAPL', 'snapshot', 1],
      ['ticks:MSFT', 'snapshot', 1],
    ],
  );

  // Mixing both entry points on one store updates one slot: one frame, the newest tuple.
  byIndex.tick('AAPL', 3, 12, 13, 12.5);
  byIndex.tickAt(aapl, 4, 14, 15, 14.5);
  byId.tick('AAPL', 3, 12, 13, 12.5);
  byId.tick('AAPL', 4, 14, 15, 14.5);
  t.same(flush(byIndex), [
    {
      channel: 'ticks:AAPL',
      type: 'update',
      seq: 2,
      asOf: 4,
      inputSeq: 3,
      data: { instrument: 'AAPL', bid: 14, ask: 15, last: 14.5 },
    },
  ]);
  flush(byId);
  t.same(byIndex.snapshot('ticks:AAPL'), byId.snapshot('ticks:AAPL'));
  t.equal(byIndex.lastTickAsOf, 4);

  // An instrument learnt by id gets the next index; the index path then reaches its slot.
  byIndex.tick('NEW', 5, 1, 2, 1.5);
  t.equal(byIndex.indexOf('NEW'), 2);
  byIndex.tickAt(2, 6, 3, 4, 3.5);
  t.same(byIndex.snapshot('ticks:NEW')?.data, { instrument: 'NEW', bid: 3, ask: 4, last: 3.5 });
  t.throws(() => byIndex.tickAt(7, 1, 1, 1, 1), { code: 'UNKNOWN_INSTRUMENT' }, 'no instrument at that index');
});

t.test(
  'an orders channel merges orders by id and keeps at most MAX_ORDER_ROWS, final ones leaving first',
  async (t) => {
    const s = store();
    s.acceptOrder({ id: 'open-1', portfolio: 'P1', status: 'New' } as { id: string; portfolio: string }, 1);
    for (let k = 0; k < MAX_ORDER_ROWS + 600; k++)
      s.acceptOrder({ id: `o-${k}`, portfolio: 'P1', status: 'Filled' } as { id: string; portfolio: string }, 2 + k);
    s.acceptOrder({ id: 'open-2', portfolio: 'P1', status: 'New' } as { id: string; portfolio: string }, 1e9);
    const rows = (s.snapshot('orders:P1')!.data as { rows: Record<string, { status: string }> }).rows;
    const ids = Object.keys(rows);
    t.ok(ids.length <= MAX_ORDER_ROWS + 256, `${ids.length} orders held (counted every 256th frame)`);
    t.ok(rows['open-1'] && rows['open-2'], 'open orders stay, however old');
    t.notOk(rows['o-0'], 'the oldest final ones left');
    t.ok(rows[`o-${MAX_ORDER_ROWS + 599}`], 'the newest stay');
  },
);
