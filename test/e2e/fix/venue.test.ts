// The venue simulator's matching behind Riskline's FIX acceptor, traded by two QuickFIX/J clients
// (an independent engine validates every ExecutionReport it is sent): an order sweeps the house's
// quoted levels at their prices with the right average price, a resting limit order is cancelled,
// refusals come with their reason (unknown symbol, duplicate ClOrdID, cancel of an unknown order),
// a market order larger than the book is filled in part and its rest cancelled, and a client's
// resting order filled by another client is reported to both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { sessionConfig, sessionId } from '../../../gateways/fix/session/config.js';
import { FixSession } from '../../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../../gateways/fix/session/store.js';
import { FixAcceptor } from '../../../gateways/fix/session/transport.js';
import { Venue } from '../../../gateways/fix/venue/venue.js';
import { QuickFixPeer, type PeerEvent } from '../../../tools/fix/quickfixj.js';
import { freePort } from '../../../tools/ports.js';

t.setTimeout(180_000);
const dir = mkdtempSync(join(tmpdir(), 'riskline-venue-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const venue = new Venue('SIM', new Set(['AAPL', 'MSFT']));
venue.quote('AAPL', 190, 190.1, { levels: 5, qty: 1000, step: 0.0005 });
const sessions = new Map<string, FixSession>();
for (const client of ['CLIENT-A', 'CLIENT-B']) {
  const config = sessionConfig({ role: 'acceptor', senderCompId: 'SIM', targetCompId: client, heartBtIntS: 5 });
  const session: FixSession = new FixSession(config, new FileSessionStore({ dir, id: sessionId(config) }), {
    onMessage: (msgType, f) => venue.onMessage(session, msgType, f),
  });
  sessions.set(client, session);
}
const port = await freePort();
const acceptor = new FixAcceptor({
  host: '127.0.0.1',
  port,
  sessionFor: (their, ours) => (ours === 'SIM' ? sessions.get(their) : undefined),
});
await acceptor.listen();
t.teardown(() => acceptor.close());
const start = (client: string) =>
  QuickFixPeer.start({
    mode: 'initiator',
    port,
    senderCompId: client,
    targetCompId: 'SIM',
    storeDir: join(dir, client),
    heartBtInt: 5,
  });
const [a, b] = await Promise.all([start('CLIENT-A'), start('CLIENT-B')]);
t.teardown(() => Promise.all([a.stop(), b.stop()]));
await Promise.all([a.next((e) => e.event === 'logon', 30_000), b.next((e) => e.event === 'logon', 30_000)]);

const reportsFor = (peer: QuickFixPeer, clOrdId: string) =>
  peer.events
    .filter((e: PeerEvent) => e.event === 'fromApp' && e.msgType === '8' && e.fields?.['11'] === clOrdId)
    .map((e) => e.fields!);
const until = async (peer: QuickFixPeer, clOrdId: string, status: string) =>
  (
    await peer.next(
      (e) => e.event === 'fromApp' && e.msgType === '8' && e.fields?.['11'] === clOrdId && e.fields['39'] === status,
      15_000,
    )
  ).fields!;

t.test('an order sweeps the quoted levels at their prices', async (t) => {
  await a.request({ cmd: 'order', clOrdId: 'A-1', symbol: 'AAPL', side: '1', qty: 1500, price: 190.2, ordType: '2' });
  await until(a, 'A-1', '2');
  const r = reportsFor(a, 'A-1');
  t.same(
    r.map((x) => x['150']),
    ['0', 'F', 'F'],
    'New, then two trades',
  );
  t.same(
    r.slice(1).map((x) => [x['32'], x['31']]),
    [
      ['1000', '190.1'],
      ['500', '190.195'],
    ],
    'the best ask first, then the next level',
  );
  t.equal(Number(r[2]['6']).toFixed(6), ((1000 * 190.1 + 500 * 190.195) / 1500).toFixed(6), 'AvgPx');
  t.same([r[2]['14'], r[2]['151']], ['1500', '0'], 'CumQty and LeavesQty');
  t.same(venue.depth('AAPL', 'sell', 1), [[190.195, 500]], 'what is left at the second level');
});

t.test('a resting limit order is cancelled; refusals say why', async (t) => {
  await a.request({ cmd: 'order', clOrdId: 'A-2', symbol: 'AAPL', side: '1', qty: 10, price: 180, ordType: '2' });
  await until(a, 'A-2', '0');
  await a.request({ cmd: 'cancel', clOrdId: 'A-3', origClOrdId: 'A-2', symbol: 'AAPL', side: '1', qty: 10 });
  const canceled = await until(a, 'A-3', '4');
  t.has(canceled, { '150': '4', '41': 'A-2', '151': '0' }, 'Canceled');
  await a.request({ cmd: 'cancel', clOrdId: 'A-4', origClOrdId: 'NOPE', symbol: 'AAPL', side: '1', qty: 10 });
  const unknown = await a.next((e) => e.event === 'fromApp' && e.msgType === '9' && e.fields?.['11'] === 'A-4', 15_000);
  t.has(unknown.fields, { '102': '1', '434': '1' }, 'OrderCancelReject: unknown order');
  await a.request({ cmd: 'order', clOrdId: 'A-5', symbol: 'NOPE', side: '1', qty: 10, price: 1, ordType: '2' });
  t.has(await until(a, 'A-5', '8'), { '150': '8', '103': '1' }, 'unknown symbol rejected');
  await a.request({ cmd: 'order', clOrdId: 'A-1', symbol: 'AAPL', side: '1', qty: 10, price: 1, ordType: '2' });
  const dup = await a.next(
    (e) => e.event === 'fromApp' && e.msgType === '8' && e.fields?.['11'] === 'A-1' && e.fields['39'] === '8',
    15_000,
  );
  t.has(dup.fields, { '103': '6' }, 'a ClOrdID used before is rejected');
});

t.test('a market order larger than the book: filled in part, the rest cancelled', async (t) => {
  await b.request({ cmd: 'order', clOrdId: 'B-1', symbol: 'AAPL', side: '2', qty: 6000, ordType: '1' });
  const done = await until(b, 'B-1', '4');
  t.equal(done['14'], '5000', 'the five bid levels filled');
  t.equal(done['151'], '0', 'nothing left open');
  t.same(venue.depth('AAPL', 'buy'), [], 'the bid side is empty');
});

t.test("one client's resting order filled by another: both are told", async (t) => {
  await a.request({ cmd: 'order', clOrdId: 'A-6', symbol: 'MSFT', side: '2', qty: 100, price: 410, ordType: '2' });
  await until(a, 'A-6', '0');
  await b.request({ cmd: 'order', clOrdId: 'B-2', symbol: 'MSFT', side: '1', qty: 60, price: 411, ordType: '2' });
  const taker = await until(b, 'B-2', '2');
  t.has(taker, { '32': '60', '31': '410' }, 'the taker trades at the resting price');
  const maker = await until(a, 'A-6', '1');
  t.has(maker, { '32': '60', '31': '410', '14': '60', '151': '40' }, 'the maker is told of its partial fill');
});
