// Riskline's FIX 4.4 engine against an independent one, QuickFIX/J (tools/fix/quickfixj.ts), in
// both directions. Riskline's initiator against a QuickFIX/J venue: logon, an order filled in two
// parts, a cancel refused, a gap on each side filled, application messages resent with PossDupFlag
// on request, a restart of Riskline (killed, no logout) that resumes its sequence numbers and
// answers a ResendRequest for messages sent before it, a restart of the venue on its store, and
// logout. QuickFIX/J's initiator against Riskline's acceptor: logon, an order answered with
// ExecutionReports it accepts, a gap filled, and logout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { FixWriter } from '../../gateways/fix/codec/writer.js';
import { sessionConfig, sessionId, type SessionSettings } from '../../gateways/fix/session/config.js';
import { FixSession, type SessionEvent } from '../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../gateways/fix/session/store.js';
import { FixAcceptor, FixInitiator } from '../../gateways/fix/session/transport.js';
import { freePort } from '../../tools/ports.js';
import { QuickFixPeer, type PeerEvent } from '../../tools/fix/quickfixj.js';
import { eventually } from '../eventually.js';

t.setTimeout(300_000);
const dir = mkdtempSync(join(tmpdir(), 'riskline-fix-qfj-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Ours {
  session: FixSession;
  received: { msgType: string; fields: Map<number, string>; possDup: boolean }[];
  events: SessionEvent[];
}

function ours(settings: SessionSettings, storeDir: string, onOrder?: (o: Ours, f: Map<number, string>) => void): Ours {
  const config = sessionConfig({ heartBtIntS: 5, ...settings });
  const store = new FileSessionStore({ dir: storeDir, id: sessionId(config) });
  const o: Ours = { session: undefined as unknown as FixSession, received: [], events: [] };
  o.session = new FixSession(config, store, {
    onMessage: (msgType, fields, possDup) => {
      const m = new Map(fields.entries());
      o.received.push({ msgType, fields: m, possDup });
      if (msgType === 'D') onOrder?.(o, m);
    },
    onEvent: (e) => o.events.push(e),
  });
  return o;
}

const order =
  (clOrdId: string, qty = 100) =>
  (w: FixWriter) =>
    w.str(11, clOrdId).str(55, 'AAPL').str(54, '1').time(60, Date.now()).int(38, qty).str(40, '2').num(44, 190.5);
const reportsOf = (o: Ours, clOrdId: string) =>
  o.received.filter((m) => m.msgType === '8' && m.fields.get(11) === clOrdId).map((m) => m.fields);
const sent =
  (msgType: string, test: (f: Record<string, string>) => boolean = () => true) =>
  (e: PeerEvent) =>
    (e.event === 'fromApp' || e.event === 'fromAdmin') && e.msgType === msgType && test(e.fields ?? {});

t.test('Riskline initiator, QuickFIX/J venue', async (t) => {
  const port = await freePort();
  const venueDir = join(dir, 'qfj-venue');
  let venue = await QuickFixPeer.start({
    mode: 'acceptor',
    port,
    senderCompId: 'QFJVENUE',
    targetCompId: 'RISKLINE',
    storeDir: venueDir,
    heartBtInt: 5,
    fill: 'partial',
  });
  t.teardown(() => venue.stop());
  const settings = { role: 'initiator', senderCompId: 'RISKLINE', targetCompId: 'QFJVENUE' } as const;
  const storeDir = join(dir, 'riskline-initiator');
  let router = ours(settings, storeDir);
  const connect = () =>
    new FixInitiator(router.session, { host: '127.0.0.1', port, reconnectMs: { min: 200, max: 1000 } });
  let initiator = connect();
  t.teardown(() => initiator.stop());

  await eventually(() => router.session.loggedOn, 30_000);
  await venue.next((e) => e.event === 'logon');
  t.pass('logged on; QuickFIX/J accepted our Logon');

  const firstSeq = router.session.send('D', order('R-1'));
  await eventually(() => reportsOf(router, 'R-1').some((r) => r.get(39) === '2'), 15_000);
  const reports = reportsOf(router, 'R-1');
  t.same(
    reports.map((r) => r.get(39)),
    ['0', '1', '2'],
    'New, PartiallyFilled, Filled',
  );
  t.same(
    reports.map((r) => r.get(14)),
    ['0', '50', '100'],
    'CumQty',
  );
  t.same(
    reports.map((r) => r.get(151)),
    ['100', '50', '0'],
    'LeavesQty',
  );

  router.session.send('F', (w) =>
    w.str(11, 'R-2').str(41, 'R-1').str(55, 'AAPL').str(54, '1').time(60, Date.now()).int(38, 100),
  );
  const refused = await eventually(
    () => router.received.find((m) => m.msgType === '9' && m.fields.get(11) === 'R-2'),
    15_000,
  );
  t.equal(refused.fields.get(41), 'R-1', 'OrderCancelReject for the filled order');

  // Their gap: QuickFIX/J skips five numbers; we ask, it gap-fills, the session goes on.
  await venue.request({ cmd: 'gap', by: 5 });
  router.session.send('D', order('R-3'));
  await eventually(() => reportsOf(router, 'R-3').some((r) => r.get(39) === '2'), 15_000);
  t.ok(
    router.events.some((e) => e.type === 'gap'),
    'we saw the gap and sent a ResendRequest',
  );
  t.ok(
    router.events.some((e) => e.type === 'sequence-reset'),
    "QuickFIX/J's GapFill moved us past it",
  );

  // Our gap: three numbers QuickFIX/J never receives; it asks, we gap-fill.
  router.session.store.setNextSender(router.session.store.nextSender + 3);
  const from = venue.events.length;
  router.session.send('D', order('R-4'));
  await eventually(() => reportsOf(router, 'R-4').some((r) => r.get(39) === '2'), 15_000);
  await venue.next((e) => e.event === 'toAdmin' && e.msgType === '2', 10_000, from);
  const fill = await venue.next(
    sent('4', (f) => f['123'] === 'Y'),
    10_000,
    from,
  );
  t.ok(
    Number(fill.fields!['36']) > Number(fill.fields!['34']),
    'QuickFIX/J asked; our SequenceReset-GapFill satisfied it',
  );

  // Asked for everything again: application messages come back with PossDupFlag and OrigSendingTime.
  const before = venue.events.length;
  await venue.request({ cmd: 'resendRequest', begin: 1, end: 0 });
  const resent = (clOrdId: string) =>
    venue.wire('RISKLINE').filter((f) => f['35'] === 'D' && f['11'] === clOrdId && f['43'] === 'Y');
  const again = await eventually(() => resent('R-1')[0], 15_000);
  t.ok(again['122'], 'OrigSendingTime on the resent order');
  t.equal(again['34'], String(firstSeq), 'at its first MsgSeqNum');
  t.ok(
    venue.wire('RISKLINE').some((f) => f['35'] === '4' && f['123'] === 'Y' && f['34'] === '1'),
    'the Logon gap-filled',
  );

  // Killed (no Logout), restarted on its store: same sequence, and a ResendRequest for messages sent before.
  initiator.kill();
  router.session.store.close();
  await venue.next((e) => e.event === 'logout', 15_000, before);
  router = ours(settings, storeDir);
  initiator = connect();
  await eventually(() => router.session.loggedOn, 30_000);
  t.notOk(
    router.events.some((e) => e.type === 'disconnect'),
    'QuickFIX/J took our Logon: no MsgSeqNum too low',
  );
  const resentBefore = resent('R-1').length;
  await venue.request({ cmd: 'resendRequest', begin: 1, end: 0 });
  await eventually(() => resent('R-1').length > resentBefore, 15_000);
  t.pass('a ResendRequest after the restart is answered with an order sent before it');

  // The venue killed and restarted on its store: we reconnect, and both sides' numbers go on.
  const seqBefore = router.session.store.nextSender;
  await venue.kill();
  venue = await QuickFixPeer.start({ ...venue.options });
  await venue.next((e) => e.event === 'logon', 30_000);
  await eventually(() => router.session.loggedOn, 30_000);
  const nums = await venue.request({ cmd: 'seqnums' });
  t.ok(Number(nums.fields!.target) >= seqBefore, `the venue expects our next number (${nums.fields!.target}), not 1`);
  router.session.send('D', order('R-5'));
  await eventually(() => reportsOf(router, 'R-5').some((r) => r.get(39) === '2'), 15_000);
  t.pass('and trades again');

  const last = venue.events.length;
  await initiator.stop();
  await venue.next((e) => e.event === 'logout', 10_000, last);
  t.ok(
    router.events.some((e) => e.type === 'logout'),
    'logout answered by QuickFIX/J',
  );
});

t.test('QuickFIX/J initiator, Riskline acceptor', async (t) => {
  const port = await freePort();
  /** Our venue: every order gets New then Filled. */
  let exec = 0;
  const fillIt = (o: Ours, f: Map<number, string>) => {
    const report = (status: string, cum: number, last?: number) => (w: FixWriter) => {
      w.str(37, `O-${f.get(11)}`)
        .str(17, `E-${++exec}`)
        .str(150, status === '0' ? '0' : 'F')
        .str(39, status);
      w.str(11, f.get(11)!).str(55, f.get(55)!).str(54, f.get(54)!);
      if (last !== undefined) w.int(32, last).num(31, Number(f.get(44)));
      w.int(151, Number(f.get(38)) - cum)
        .int(14, cum)
        .num(6, cum > 0 ? Number(f.get(44)) : 0)
        .time(60, Date.now());
    };
    o.session.send('8', report('0', 0));
    o.session.send('8', report('2', Number(f.get(38)), Number(f.get(38))));
  };
  const venue = ours(
    { role: 'acceptor', senderCompId: 'RISKLINE', targetCompId: 'QFJCLIENT' },
    join(dir, 'riskline-acceptor'),
    fillIt,
  );
  const acceptor = new FixAcceptor({
    host: '127.0.0.1',
    port,
    sessionFor: (their, me) => (their === 'QFJCLIENT' && me === 'RISKLINE' ? venue.session : undefined),
  });
  await acceptor.listen();
  t.teardown(() => acceptor.close());
  const client = await QuickFixPeer.start({
    mode: 'initiator',
    port,
    senderCompId: 'QFJCLIENT',
    targetCompId: 'RISKLINE',
    storeDir: join(dir, 'qfj-client'),
    heartBtInt: 5,
  });
  t.teardown(() => client.stop());
  await client.next((e) => e.event === 'logon', 30_000);
  t.ok(venue.session.loggedOn, 'QuickFIX/J logged on to our acceptor');

  await client.request({
    cmd: 'order',
    clOrdId: 'Q-1',
    symbol: 'MSFT',
    side: '2',
    qty: 40,
    price: 410.25,
    ordType: '2',
  });
  const filled = await client.next(
    sent('8', (f) => f['11'] === 'Q-1' && f['39'] === '2'),
    15_000,
  );
  t.has(
    filled.fields,
    { '14': '40', '151': '0', '31': '410.25', '55': 'MSFT', '54': '2' },
    'our ExecutionReports pass its validation',
  );
  t.notOk(
    client.events.some((e) => e.event === 'reject' || (e.event === 'fromAdmin' && e.msgType === '3')),
    'no Reject either way',
  );

  await client.request({ cmd: 'gap', by: 4 });
  await client.request({ cmd: 'order', clOrdId: 'Q-2', symbol: 'MSFT', side: '1', qty: 10, price: 409, ordType: '2' });
  await client.next(
    sent('8', (f) => f['11'] === 'Q-2' && f['39'] === '2'),
    15_000,
  );
  t.ok(
    venue.events.some((e) => e.type === 'gap') && venue.events.some((e) => e.type === 'sequence-reset'),
    'its gap filled by its GapFill',
  );
  t.equal(
    venue.received.filter((m) => m.msgType === 'D' && m.fields.get(11) === 'Q-2').length,
    1,
    'the order after the gap arrived once',
  );

  await client.request({ cmd: 'logout', text: 'done' });
  await eventually(() => venue.events.some((e) => e.type === 'logout'), 15_000);
  t.pass('its logout answered');
});
