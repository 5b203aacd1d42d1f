// The order router's rules without sockets: venue links that record what would go on the wire (as
// real FIX bytes, parsed back) and reports written as a venue would. Pre-trade refusals never
// reach a link; the routing policy picks the primary venue, skips one that is down and falls back
// when a venue rejects; fills are published once; the journal brings orders back after a restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { PretradeView } from '../../../engine/engine.js';
import type { Execution, Instrument } from '../../../engine/model.js';
import { Blotter, type Order } from '../../../engine/orders.js';
import type { LimitDef, OrdersConfig, VenueDef } from '../../../config/schema.js';
import { FieldList } from '../../../gateways/fix/codec/fields.js';
import { parseMessage } from '../../../gateways/fix/codec/parser.js';
import { FixWriter } from '../../../gateways/fix/codec/writer.js';
import type { Body } from '../../../gateways/fix/session/session.js';
import { OrderJournal } from '../../../gateways/orders/journal.js';
import { pretradeLimits } from '../../../gateways/orders/limits.js';
import { RoutingPolicy } from '../../../gateways/orders/policy.js';
import { OrderRouter, type VenueLink } from '../../../gateways/orders/router.js';

const inst = (id: string, kind: 'equity' | 'future'): Instrument =>
  ({ id, kind, name: id, currency: 'USD', sector: 'S', country: 'US', multiplier: 1, price: 100 }) as Instrument;
const instruments = [inst('AAPL', 'equity'), inst('MSFT', 'equity'), inst('ESZ6', 'future')];
const venue = (id: string, assetClasses: VenueDef['assetClasses']): VenueDef => ({
  id,
  name: id,
  assetClasses,
  fix: { host: '127.0.0.1', port: 1, senderCompId: 'RISKLINE', targetCompId: id, heartbeatSec: 30, tls: null },
});
const venues = [venue('EQ-A', ['equity']), venue('EQ-B', ['equity', 'etf']), venue('FUT', ['future'])];

class FakeLink implements VenueLink {
  readonly sent: { msgType: string; f: Map<number, string> }[] = [];
  connected = true;
  constructor(readonly id: string) {}
  up(): boolean {
    return this.connected;
  }
  send(msgType: 'D' | 'F' | 'G', body: Body): void {
    const w = new FixWriter().begin(msgType);
    body(w);
    const bytes = w.finish();
    const f = new FieldList();
    parseMessage(bytes, 0, bytes.length, f);
    this.sent.push({ msgType, f: new Map(f.entries()) });
  }
}

/** A report from venue `id`'s side, as FIX bytes parsed into the router's FieldList. */
function report(fields: [number, string | number][]): FieldList {
  const w = new FixWriter().begin('8');
  for (const [tag, v] of fields) w.str(tag, String(v));
  const bytes = w.finish();
  const f = new FieldList();
  parseMessage(bytes, 0, bytes.length, f);
  return f;
}

const view = (over: Partial<PretradeView> = {}): PretradeView => ({
  portfolio: 'P1',
  instrument: 'AAPL',
  inputSeq: 7,
  asOf: 1,
  mark: 100,
  unitValue: 100,
  usdPerBase: 1,
  position: 0,
  gross: 0,
  varBefore: 1000,
  varAfter: 1010,
  varMethod: 'monteCarlo 99 % 1d',
  ...over,
});

const pretrade = {
  maxQuantity: 10_000,
  maxNotional: 500_000,
  maxPosition: 20_000,
  maxIncrementalVar: 5_000,
  collarPct: 0.05,
  restricted: ['MSFT'],
  portfolios: {},
} satisfies OrdersConfig['pretrade'];
const limits: LimitDef[] = [{ id: 'P1-VAR', portfolio: 'P1', metric: 'var99', max: 50_000, severity: 'critical' }];

function setup(
  routing: OrdersConfig['routing'] = { primary: {}, fallback: true, split: null },
  v: Partial<PretradeView> = {},
) {
  const links = new Map(venues.map((d) => [d.id, new FakeLink(d.id)]));
  const executions: Execution[] = [];
  const published: Order[] = [];
  const router = new OrderRouter({
    blotter: new Blotter('T'),
    policy: new RoutingPolicy(instruments, venues, routing),
    links,
    view: (portfolio, instrument) => view({ portfolio, instrument, ...v }),
    limits: pretradeLimits(pretrade, limits),
    sink: { execution: (e) => executions.push(e), order: (o) => published.push(structuredClone(o)) },
    now: () => 1_000,
  });
  return { router, links, executions, published };
}
const ticket = { portfolio: 'P1', instrument: 'AAPL', side: 'buy' as const, qty: 100, price: 101 };

t.test('a passing order goes to the primary venue as a NewOrderSingle', async (t) => {
  const { router, links, published } = setup();
  const { order, pretrade } = await router.submit(ticket);
  t.ok(pretrade.ok);
  t.equal(pretrade.incrementalVar, 10);
  t.match(order, { status: 'PendingNew', venue: 'EQ-A' });
  const [d] = links.get('EQ-A')!.sent;
  t.equal(d.msgType, 'D');
  t.same(
    [11, 1, 55, 54, 38, 40, 44].map((tag) => d.f.get(tag)),
    [order.clOrdId, 'P1', 'AAPL', '1', '100', '2', '101'],
  );
  t.equal(published[0].status, 'PendingNew', 'published (and journalled) before the venue answers');
});

t.test('a refused order never reaches a venue and says which checks failed', async (t) => {
  const { router, links } = setup({ primary: {}, fallback: true, split: null }, { varAfter: 60_000 });
  const { order, pretrade } = await router.submit({ ...ticket, instrument: 'MSFT', qty: 20_000, price: 200 });
  t.notOk(pretrade.ok);
  t.equal(order.status, 'Rejected');
  const text = order.events.at(-1)!.text;
  for (const name of ['restricted', 'quantity', 'notional', 'collar', 'var']) t.match(text, `${name}: `);
  t.match(text, /VaR after the order would be 60,000, over the 50000 limit/);
  t.equal(
    [...links.values()].reduce((n, l) => n + l.sent.length, 0),
    0,
    'nothing sent to any venue',
  );
});

t.test('firm limits in dollars are turned into the base currency at the live rate', async (t) => {
  // A yen book: 1 JPY = 0.0067 USD, so the 500k USD notional limit is about 74.6M JPY.
  const { router } = setup(
    { primary: {}, fallback: true, split: null },
    { usdPerBase: 0.0067, mark: 30_000, unitValue: 30_000 },
  );
  const ok = await router.check({ ...ticket, qty: 2_000, price: 30_000 });
  t.ok(ok.checks.find((c) => c.name === 'notional')!.ok, '60M JPY is inside 74.6M JPY');
  const over = await router.check({ ...ticket, qty: 3_000, price: 30_000 });
  t.notOk(over.checks.find((c) => c.name === 'notional')!.ok, '90M JPY is not');
  t.equal(Math.round(over.checks.find((c) => c.name === 'notional')!.limit), Math.round(500_000 / 0.0067));
});

t.test('routing: primary by instrument or class, skip a venue that is down, fall back on a reject', async (t) => {
  const byInstrument = setup({ primary: { AAPL: 'EQ-B' }, fallback: true, split: null });
  t.equal((await byInstrument.router.submit(ticket)).order.venue, 'EQ-B');
  const byClass = setup({ primary: { equity: 'EQ-B' }, fallback: false, split: null });
  t.equal((await byClass.router.submit({ ...ticket, instrument: 'AAPL' })).order.venue, 'EQ-B');

  const { router, links } = setup();
  links.get('EQ-A')!.connected = false;
  t.equal((await router.submit(ticket)).order.venue, 'EQ-B', 'the primary is down: the next one');

  links.get('EQ-A')!.connected = true;
  const { order } = await router.submit(ticket);
  t.equal(order.venue, 'EQ-A');
  router.onVenueMessage(
    'EQ-A',
    '8',
    report([
      [37, 'NONE'],
      [11, order.clOrdId],
      [17, 'X1'],
      [150, '8'],
      [39, '8'],
      [55, 'AAPL'],
      [54, '1'],
      [14, 0],
      [6, 0],
      [58, 'market closed'],
    ]),
  );
  t.equal(order.status, 'PendingNew', 'not rejected: sent on');
  t.equal(order.venue, 'EQ-B');
  const resent = links.get('EQ-B')!.sent.at(-1)!;
  t.equal(resent.f.get(11), order.clOrdId, 'under a new ClOrdID');
  t.not(order.clOrdId, order.id);
  t.match(order.events.at(-1)!.text, /EQ-A rejected: market closed; sent to EQ-B/);

  // Rejected by the last venue of the route: the client sees the venue's reason.
  router.onVenueMessage(
    'EQ-B',
    '8',
    report([
      [37, 'NONE'],
      [11, order.clOrdId],
      [17, 'X2'],
      [150, '8'],
      [39, '8'],
      [14, 0],
      [6, 0],
      [58, 'unknown symbol'],
    ]),
  );
  t.equal(order.status, 'Rejected');

  const none = setup();
  for (const l of none.links.values()) l.connected = false;
  const down = await none.router.submit(ticket);
  t.equal(down.order.status, 'Rejected');
  t.match(down.order.events.at(-1)!.text, /no venue connected \(EQ-A, EQ-B\)/);
});

t.test('a fill is published once, however often its report comes', async (t) => {
  const { router, executions } = setup();
  const { order } = await router.submit(ticket);
  const fill = report([
    [37, 'V1'],
    [11, order.clOrdId],
    [17, 'F1'],
    [150, 'F'],
    [39, '2'],
    [32, 100],
    [31, 100.5],
    [14, 100],
    [6, 100.5],
  ]);
  router.onVenueMessage('EQ-A', '8', fill);
  router.onVenueMessage('EQ-A', '8', fill);
  t.equal(executions.length, 1);
  t.match(executions[0], { id: 'EQ-A:F1', portfolio: 'P1', instrument: 'AAPL', side: 'buy', qty: 100, price: 100.5 });
  t.match(order, { status: 'Filled', cumQty: 100, avgPx: 100.5 });
  t.throws(() => router.cancel(order.id), /Filled: too late to cancel/);
});

t.test('the journal brings orders back; a restarted blotter counts no fill twice', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'riskline-journal-')), 'orders.ndjson');
  const j1 = new OrderJournal(file);
  const { router, published } = setup();
  const { order } = await router.submit(ticket);
  router.onVenueMessage(
    'EQ-A',
    '8',
    report([
      [37, 'V1'],
      [11, order.clOrdId],
      [17, 'F1'],
      [150, 'F'],
      [39, '1'],
      [32, 40],
      [31, 100],
      [14, 40],
      [6, 100],
    ]),
  );
  for (const o of published) j1.write(o);
  j1.close();
  const j2 = new OrderJournal(file);
  t.equal(j2.restored.length, 1, 'one order, its latest state');
  t.match(j2.restored[0], { id: order.id, status: 'PartiallyFilled', cumQty: 40 });
  const blotter = new Blotter('T');
  blotter.restore(j2.restored);
  const again = blotter.onReport({
    clOrdId: order.clOrdId,
    venueOrderId: 'V1',
    execId: 'F1',
    execType: 'F',
    ordStatus: '1',
    lastQty: 40,
    lastPx: 100,
    cumQty: 40,
    avgPx: 100,
    text: '',
    ts: 2,
  });
  t.equal(again.fill, null, 'a resent fill is not booked again');
  t.equal(blotter.open({ ...ticket, venue: 'EQ-A' }, 3).id, 'T-2', 'ids go on after the restored ones');
  j2.close();
});

t.test('a large order is split in legs over the connected venues, and its state follows theirs', async (t) => {
  const { router, links, executions } = setup({ primary: {}, fallback: true, split: { minQty: 1000, maxVenues: 3 } });
  const small = await router.submit(ticket);
  t.equal(small.order.legs, undefined, 'under minQty: one venue');
  const { order } = await router.submit({ ...ticket, qty: 1001 });
  t.same(
    order.legs!.map((l) => [l.venue, l.qty]),
    [
      ['EQ-A', 501],
      ['EQ-B', 500],
    ],
    'two venues trade equities: two legs',
  );
  const [a, b] = [links.get('EQ-A')!.sent.at(-1)!, links.get('EQ-B')!.sent.at(-1)!];
  t.same([a.f.get(11), a.f.get(38), b.f.get(11), b.f.get(38)], [`${order.id}.L1`, '501', `${order.id}.L2`, '500']);
  const rep = (
    venue: string,
    clOrdId: string,
    execId: string,
    execType: string,
    ordStatus: string,
    last = 0,
    cum = 0,
    px = 0,
  ) =>
    router.onVenueMessage(
      venue,
      '8',
      report([
        [37, `${venue}-O`],
        [11, clOrdId],
        [17, execId],
        [150, execType],
        [39, ordStatus],
        [32, last],
        [31, px],
        [14, cum],
        [6, px],
      ]),
    );
  rep('EQ-A', `${order.id}.L1`, 'A0', '0', '0');
  t.equal(order.status, 'New');
  rep('EQ-A', `${order.id}.L1`, 'A1', 'F', '2', 501, 501, 100);
  t.equal(order.status, 'PartiallyFilled');
  rep('EQ-B', `${order.id}.L2`, 'B1', 'F', '1', 200, 200, 101);
  t.match(order, { status: 'PartiallyFilled', cumQty: 701 });
  t.ok(Math.abs(order.avgPx - (501 * 100 + 200 * 101) / 701) < 1e-9, 'average price over both venues');
  t.same(
    executions.slice(-2).map((e) => [e.id, e.venue, e.qty]),
    [
      ['EQ-A:A1', 'EQ-A', 501],
      ['EQ-B:B1', 'EQ-B', 200],
    ],
  );
  await t.rejects(router.replace(order.id, 2000, null), /split over venues/);

  // Cancelled: only the open leg is asked; the order is Canceled once it is, with what filled.
  router.cancel(order.id);
  t.equal(order.status, 'PendingCancel');
  const f = links.get('EQ-B')!.sent.at(-1)!;
  t.same([f.msgType, f.f.get(41), f.f.get(11)], ['F', `${order.id}.L2`, `${order.id}.L2c`]);
  t.equal(links.get('EQ-A')!.sent.at(-1)!.msgType, 'D', 'the filled leg is not cancelled');
  // A fill that raced the cancel still counts, under the leg's old ClOrdID.
  rep('EQ-B', `${order.id}.L2`, 'B2', 'F', '1', 100, 300, 101);
  t.match(order, { status: 'PendingCancel', cumQty: 801 });
  router.onVenueMessage(
    'EQ-B',
    '8',
    report([
      [37, 'EQ-B-O'],
      [11, `${order.id}.L2c`],
      [41, `${order.id}.L2`],
      [17, 'B3'],
      [150, '4'],
      [39, '4'],
      [14, 300],
      [6, 101],
    ]),
  );
  t.match(order, { status: 'Canceled', cumQty: 801 });
  t.equal(executions.length, 3, 'three fills, each booked once');
});

t.test('final orders older than a day leave the blotter; open ones and ids stay', async (t) => {
  const { router } = setup();
  const filled = (await router.submit(ticket)).order;
  router.onVenueMessage(
    'EQ-A',
    '8',
    report([
      [37, 'V9'],
      [11, filled.clOrdId],
      [17, 'FX1'],
      [150, 'F'],
      [39, '2'],
      [32, 100],
      [31, 100],
      [14, 100],
      [6, 100],
    ]),
  );
  const refused = (await router.submit({ ...ticket, instrument: 'MSFT' })).order;
  const open = (await router.submit(ticket)).order;
  const blotter = (router as unknown as { o: { blotter: Blotter } }).o.blotter;
  t.same(
    blotter.evictFinal(2_000).map((o) => o.id),
    [filled.id, refused.id],
  );
  t.equal(router.get(filled.id), undefined);
  t.equal(router.get(open.id), open, 'an open order stays');
  t.equal(blotter.evictFinal(2_000).length, 0);
  t.equal((await router.submit(ticket)).order.id, 'T-4', 'ids go on');
});
