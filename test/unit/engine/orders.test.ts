// The router's blotter through an order's life, report by report as a venue sends them: the
// statuses FIX defines, each fill turned into one Execution for the engine (a resent report with
// the same ExecID books nothing), cancels and replaces with their new ClOrdIDs, a refused cancel
// restoring the order, and requests the order's state forbids refused with the reason.
import t from 'tap';
import { Blotter, type Report } from '../../../engine/orders.js';

const req = {
  portfolio: 'GLOBAL-MACRO',
  instrument: 'AAPL',
  side: 'buy' as const,
  qty: 100,
  price: 190.5,
  venue: 'SIM-EQ',
};
let exec = 0;
const report = (over: Partial<Report>): Report => ({
  clOrdId: '',
  venueOrderId: 'V-1',
  execId: `E-${++exec}`,
  execType: '0',
  ordStatus: '0',
  lastQty: 0,
  lastPx: 0,
  cumQty: 0,
  avgPx: 0,
  text: '',
  ts: 1000 + exec,
  ...over,
});

t.test('new, partly filled, filled: one Execution per fill, none for a resend', async (t) => {
  const b = new Blotter('R');
  const o = b.open(req, 1);
  t.equal(o.status, 'PendingNew');
  t.equal(o.clOrdId, 'R-1');
  t.equal(b.onReport(report({ clOrdId: 'R-1' })).order!.status, 'New');
  const part = report({
    clOrdId: 'R-1',
    execType: 'F',
    ordStatus: '1',
    lastQty: 40,
    lastPx: 190.4,
    cumQty: 40,
    avgPx: 190.4,
  });
  const first = b.onReport(part);
  t.equal(first.order!.status, 'PartiallyFilled');
  t.same(first.fill, {
    id: `SIM-EQ:${part.execId}`,
    orderId: 'R-1',
    portfolio: 'GLOBAL-MACRO',
    instrument: 'AAPL',
    side: 'buy',
    qty: 40,
    price: 190.4,
    venue: 'SIM-EQ',
    ts: part.ts,
  });
  t.equal(b.onReport(part).fill, null, 'the same ExecID again (a PossDup resend) books nothing');
  const done = b.onReport(
    report({ clOrdId: 'R-1', execType: 'F', ordStatus: '2', lastQty: 60, lastPx: 190.5, cumQty: 100, avgPx: 190.46 }),
  );
  t.equal(done.order!.status, 'Filled');
  t.equal(done.fill!.qty, 60);
  t.same([o.cumQty, o.avgPx], [100, 190.46]);
  t.throws(
    () => b.requestCancel('R-1', 9),
    { name: 'OrderError', message: /Filled: too late to cancel/ },
    'too late to cancel a filled order',
  );
  t.same(
    o.events.map((e) => e.status),
    ['PendingNew', 'New', 'PartiallyFilled', 'Filled'],
  );
  t.same(
    b.onReport(report({ clOrdId: 'NOPE' })),
    { order: null, fill: null },
    'an unknown ClOrdID is left to the caller',
  );
});

t.test('cancel: a new ClOrdID, Canceled when the venue says so; refused, the order is as it was', async (t) => {
  const b = new Blotter('R');
  const o = b.open(req, 1);
  b.onReport(report({ clOrdId: o.id }));
  const c = b.requestCancel(o.id, 2);
  t.same([c.origClOrdId, o.status], ['R-1', 'PendingCancel']);
  t.not(c.clOrdId, 'R-1', 'a new ClOrdID');
  t.equal(b.onCancelReject(c.clOrdId, c.origClOrdId, 3, 'too late')!.status, 'New', 'refused: back to New');
  t.equal(o.clOrdId, 'R-1', 'under its old ClOrdID');
  const again = b.requestCancel(o.id, 4);
  t.equal(
    b.onReport(report({ clOrdId: again.clOrdId, origClOrdId: 'R-1', execType: '4', ordStatus: '4' })).order!.status,
    'Canceled',
  );
  t.throws(() => b.requestReplace(o.id, 200, 191, 5), /Canceled: too late to replace/);
});

t.test('a fill while a cancel is pending: the cancel still pending, a refusal restores PartiallyFilled', async (t) => {
  const b = new Blotter('R');
  const o = b.open(req, 1);
  b.onReport(report({ clOrdId: o.id }));
  const c = b.requestCancel(o.id, 2);
  const f = b.onReport(
    report({ clOrdId: 'R-1', execType: 'F', ordStatus: '1', lastQty: 30, lastPx: 190, cumQty: 30, avgPx: 190 }),
  );
  t.equal(f.fill!.qty, 30, 'the fill is booked');
  t.equal(o.status, 'PendingCancel', 'the cancel is still pending');
  t.equal(b.onCancelReject(c.clOrdId, c.origClOrdId, 3, 'no')!.status, 'PartiallyFilled');
  const c2 = b.requestCancel(o.id, 4);
  b.onReport(
    report({ clOrdId: 'R-1', execType: 'F', ordStatus: '2', lastQty: 70, lastPx: 190, cumQty: 100, avgPx: 190 }),
  );
  t.equal(o.status, 'Filled', 'filled in full before the cancel arrived: Filled');
  t.equal(
    b.onCancelReject(c2.clOrdId, c2.origClOrdId, 5, 'too late')!.status,
    'Filled',
    'and the late refusal changes nothing',
  );
});

t.test('replace: the new quantity and price once the venue confirms', async (t) => {
  const b = new Blotter('R');
  const o = b.open(req, 1);
  b.onReport(
    report({ clOrdId: o.id, execType: 'F', ordStatus: '1', lastQty: 20, lastPx: 190, cumQty: 20, avgPx: 190 }),
  );
  t.throws(() => b.requestReplace(o.id, 20, 191, 2), /must exceed the 20 filled/);
  const r = b.requestReplace(o.id, 300, 191, 2);
  t.equal(o.status, 'PendingReplace');
  t.same([o.qty, o.price], [100, 190.5], 'unchanged until confirmed');
  b.onReport(report({ clOrdId: r.clOrdId, origClOrdId: 'R-1', execType: '5', ordStatus: '1', cumQty: 20, avgPx: 190 }));
  t.same([o.status, o.qty, o.price, o.clOrdId], ['PartiallyFilled', 300, 191, r.clOrdId]);
  t.equal(b.get(r.clOrdId), o, 'found by the new ClOrdID');
});

t.test('rejected before a venue saw it', async (t) => {
  const b = new Blotter('R');
  const o = b.open(req, 1);
  b.reject(o, 2, 'pre-trade: notional over the limit');
  t.equal(o.status, 'Rejected');
  t.equal(o.events.at(-1)!.text, 'pre-trade: notional over the limit');
  t.throws(() => b.requestCancel(o.id, 3), /Rejected: too late to cancel/);
});
