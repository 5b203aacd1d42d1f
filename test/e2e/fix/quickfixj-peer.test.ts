// The QuickFIX/J counterparty (tools/fix/quickfixj.ts, test/fix/quickfixj) talking to itself, with no
// Riskline FIX code: a venue acceptor and a client initiator log on, trade, see a sequence gap filled,
// survive the venue's crash and restart on its store, and log out. This proves the harness the FIX
// interoperability tests stand on before any of them blames Riskline's engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { QuickFixPeer, type PeerEvent, type PeerOptions } from '../../../tools/fix/quickfixj.js';
import { freePort } from '../../../tools/ports.js';

const ORDER = { symbol: 'AAPL', side: '1', qty: 100, price: 190.5, ordType: '2' };

/** The two peers; `venue` is replaced when it restarts, and `all` keeps every peer ever started. */
interface Pair {
  venue: QuickFixPeer;
  client: QuickFixPeer;
  all: QuickFixPeer[];
  startVenue(): Promise<QuickFixPeer>;
}

/** A message of `msgType` the peer received (`fromApp`/`fromAdmin`) or sent, for ClOrdID `clOrdId`. */
const msg =
  (event: string, msgType: string, clOrdId?: string) =>
  (e: PeerEvent): boolean =>
    e.event === event && e.msgType === msgType && (clOrdId === undefined || e.fields?.['11'] === clOrdId);

/** Sends an order and returns every ExecutionReport of it, in order, once the last (39=2) has come. */
async function trade(client: QuickFixPeer, order: Record<string, unknown>): Promise<Record<string, string>[]> {
  const from = client.events.length;
  const clOrdId = String(order.clOrdId);
  await client.request({ cmd: 'order', ...ORDER, ...order });
  await client.next((e) => msg('fromApp', '8', clOrdId)(e) && e.fields?.['39'] === '2', 15_000, from);
  return client.events
    .slice(from)
    .filter(msg('fromApp', '8', clOrdId))
    .map((e) => e.fields!);
}

async function fillsInHalves(t: Test, { client }: Pair): Promise<void> {
  const reports = await trade(client, { clOrdId: 'C1' });
  const pick = (tag: string) => reports.map((r) => r[tag]);
  t.same(pick('150'), ['0', 'F', 'F'], 'ExecType New, Trade, Trade');
  t.same(pick('39'), ['0', '1', '2'], 'OrdStatus New, PartiallyFilled, Filled');
  t.same(pick('14'), ['0', '50', '100'], 'CumQty');
  t.same(pick('151'), ['100', '50', '0'], 'LeavesQty');
  t.same(pick('32'), [undefined, '50', '50'], 'LastQty');
  t.same(pick('31'), [undefined, '190.5', '190.5'], 'LastPx is the limit price');
  t.same(pick('6'), ['0', '190.5', '190.5'], 'AvgPx');
  t.same(new Set(pick('55')), new Set(['AAPL']), 'Symbol echoed');
  t.same(new Set(pick('54')), new Set(['1']), 'Side echoed');
  t.equal(new Set(pick('37')).size, 1, 'one OrderID');
  t.equal(new Set(pick('17')).size, 3, 'a new ExecID each');
  t.ok(
    reports.every((r) => /^\d{8}-\d\d:\d\d:\d\d\.\d{3}$/.test(r['60'])),
    'TransactTime on each',
  );
}

async function rejects(t: Test, { client }: Pair): Promise<void> {
  await client.request({ cmd: 'cancel', clOrdId: 'C2', origClOrdId: 'C1', symbol: 'AAPL', side: '1', qty: 100 });
  const filled = await client.next(msg('fromApp', '9', 'C2'));
  t.has(filled.fields, { '41': 'C1', '39': '2', '102': '0', '434': '1' }, 'too late to cancel');
  await client.request({ cmd: 'cancel', clOrdId: 'C3', origClOrdId: 'NOPE', symbol: 'AAPL', side: '1' });
  const unknown = await client.next(msg('fromApp', '9', 'C3'));
  t.has(unknown.fields, { '41': 'NOPE', '102': '1', '434': '1' }, 'unknown order');
  const from = client.events.length;
  await client.request({ cmd: 'order', clOrdId: 'C1', ...ORDER });
  const dup = await client.next(msg('fromApp', '8', 'C1'), 10_000, from);
  t.has(dup.fields, { '150': '8', '39': '8', '103': '6', '14': '0', '151': '0' }, 'duplicate order rejected');
  await t.rejects(client.request({ cmd: 'nope' }), /unknown cmd nope/, 'an unknown command');
  await t.rejects(client.request({ cmd: 'order', clOrdId: 'X' }), /side must be a non-empty string/, 'a bad one');
  const seqnums = await client.request({ cmd: 'seqnums' });
  t.match(seqnums.fields, { sender: /^\d+$/, target: /^\d+$/ }, 'the peer goes on after bad commands');
}

async function gapFilled(t: Test, { venue, client }: Pair): Promise<void> {
  const gapFrom = Number((await venue.request({ cmd: 'seqnums' })).fields!.sender);
  await venue.request({ cmd: 'gap', by: 5 });
  const from = client.events.length;
  const reports = await trade(client, { clOrdId: 'C4' });
  const resend = await client.next(msg('toAdmin', '2'), 10_000, from);
  t.has(resend.fields, { '7': String(gapFrom), '16': '0' }, 'the client asks from the first missing number');
  const gapFill = await client.next(msg('fromAdmin', '4'), 10_000, from);
  t.has(gapFill.fields, { '34': String(gapFrom), '123': 'Y', '36': String(gapFrom + 5) }, 'SequenceReset-GapFill');
  t.same(
    reports.map((r) => r['39']),
    ['0', '1', '2'],
    'the order held back by the gap fills, each report delivered once',
  );
  const market = await trade(client, { clOrdId: 'C5', ordType: '1', price: null });
  t.same(
    market.map((r) => r['31']),
    [undefined, '100', '100'],
    'the session goes on: a later market order fills at 100',
  );
}

async function venueRestarts(t: Test, pair: Pair): Promise<void> {
  const { client } = pair;
  const before = (await pair.venue.request({ cmd: 'seqnums' })).fields!;
  const from = client.events.length;
  await pair.venue.kill();
  await client.next((e) => e.event === 'logout', 10_000, from);
  const venue = await pair.startVenue();
  await client.next((e) => e.event === 'logon', 30_000, from);
  const relogon = await venue.next(msg('fromAdmin', 'A'));
  const after = (await venue.request({ cmd: 'seqnums' })).fields!;
  // At least, not equal: a heartbeat may have gone out between the seqnums command and the kill.
  t.ok(Number(relogon.fields!['34']) >= Number(before.target), "the client's Logon continues its numbers");
  t.ok(Number(after.sender) > Number(before.sender), "the venue's Logon continues its numbers");
  t.ok(Number(after.target) > Number(before.target), 'the venue expects the number after the Logon');
  const reports = await trade(client, { clOrdId: 'C6' });
  t.same(
    reports.map((r) => r['39']),
    ['0', '1', '2'],
    'the restarted venue fills',
  );
}

async function logout(t: Test, { venue, client, all }: Pair): Promise<void> {
  const [from, clientFrom] = [venue.events.length, client.events.length];
  await client.request({ cmd: 'logout', text: 'bye' });
  const bye = await venue.next(msg('fromAdmin', '5'), 10_000, from);
  t.equal(bye.fields!['58'], 'bye', 'Logout with its text');
  await venue.next((e) => e.event === 'logout', 10_000, from);
  await client.next(msg('fromAdmin', '5'), 10_000, clientFrom);
  await client.next((e) => e.event === 'logout', 10_000, clientFrom);
  const trouble = (e: PeerEvent) => e.event === 'reject' || e.event === 'error';
  const venues = all.filter((p) => p.options.mode === 'acceptor');
  t.same(
    venues.flatMap((p) => p.events.filter(trouble)),
    [],
    'the venue, before and after its crash, rejected nothing',
  );
  t.equal(client.events.filter(trouble).length, 2, "the client's only errors were the two bad commands");
}

t.test('two QuickFIX/J peers: orders, rejects, a gap fill, a venue crash and restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'riskline-quickfixj-peer-'));
  const port = await freePort();
  const all: QuickFixPeer[] = [];
  t.teardown(async () => {
    await Promise.all(all.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (o: Omit<PeerOptions, 'port'>) => {
    const peer = await QuickFixPeer.start({ ...o, port });
    all.push(peer);
    return peer;
  };
  const startVenue = async () => {
    const venueOptions = { senderCompId: 'VENUE', targetCompId: 'CLIENT', storeDir: join(dir, 'venue') };
    pair.venue = await start({ mode: 'acceptor', ...venueOptions, fill: 'partial' });
    return pair.venue;
  };
  const pair = { all, startVenue } as Pair;
  await startVenue();
  pair.client = await start({
    mode: 'initiator',
    senderCompId: 'CLIENT',
    targetCompId: 'VENUE',
    storeDir: join(dir, 'client'),
  });
  await Promise.all([pair.venue, pair.client].map((p) => p.next((e) => e.event === 'logon', 30_000)));
  const logon = await pair.venue.next(msg('fromAdmin', 'A'));
  t.match(logon.raw, /^8=FIX\.4\.4\|9=\d+\|35=A\|34=1\|49=CLIENT\|.*\|56=VENUE\|98=0\|108=30\|10=\d{3}\|$/, 'Logon');

  await t.test('an order fills in two halves', (t) => fillsInHalves(t, pair));
  await t.test('cancel rejects, a duplicate ClOrdID, bad commands', (t) => rejects(t, pair));
  await t.test('a gap in the venue sequence is filled on request', (t) => gapFilled(t, pair));
  await t.test('the venue crashes and restarts on its store: sequence numbers go on', (t) => venueRestarts(t, pair));
  await t.test('logout', (t) => logout(t, pair));
});
