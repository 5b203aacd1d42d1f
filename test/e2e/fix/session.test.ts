// The FIX session layer over TCP, Riskline's initiator against Riskline's acceptor, and a raw
// client writing bytes by hand for what a well-behaved engine never sends: logon, application
// messages both ways, a sequence gap filled by SequenceReset-GapFill, a resend of application
// messages with PossDupFlag, a restart on the persisted sequence numbers, a MsgSeqNum too low,
// garbled input ignored, session Rejects with the right reason, and logout.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FieldList } from '../../../gateways/fix/codec/fields.js';
import { FixFramer } from '../../../gateways/fix/codec/framer.js';
import { parseMessage } from '../../../gateways/fix/codec/parser.js';
import { FixWriter } from '../../../gateways/fix/codec/writer.js';
import { sessionConfig, sessionId, type SessionSettings } from '../../../gateways/fix/session/config.js';
import { FixSession, type SessionEvent } from '../../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../../gateways/fix/session/store.js';
import { FixAcceptor, FixInitiator } from '../../../gateways/fix/session/transport.js';
import { eventually } from '../../eventually.js';

const dir = mkdtempSync(join(tmpdir(), 'riskline-fix-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Side {
  session: FixSession;
  received: { msgType: string; fields: [number, string][]; possDup: boolean }[];
  events: SessionEvent[];
}

function side(settings: SessionSettings, storeDir: string): Side {
  const config = sessionConfig({ heartBtIntS: 1, ...settings });
  const store = new FileSessionStore({ dir: storeDir, id: sessionId(config) });
  const out: Side = { session: undefined as unknown as FixSession, received: [], events: [] };
  out.session = new FixSession(config, store, {
    onMessage: (msgType, fields, possDup) => out.received.push({ msgType, fields: fields.entries(), possDup }),
    onEvent: (e) => out.events.push(e),
  });
  return out;
}

const order = (clOrdId: string) => (w: FixWriter) =>
  w.str(11, clOrdId).str(55, 'AAPL').str(54, '1').time(60, Date.now()).int(38, 100).str(40, '2').num(44, 190.25);
const get = (fields: [number, string][], tag: number) => fields.find(([k]) => k === tag)?.[1];

let venue = side({ role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'RISKLINE' }, join(dir, 'venue'));
const acceptor = new FixAcceptor({
  host: '127.0.0.1',
  port: 0,
  sessionFor: (their, ours) => (their === 'RISKLINE' && ours === 'VENUE' ? venue.session : undefined),
});
const port = await acceptor.listen();
t.teardown(() => acceptor.close());

const routerSettings = { role: 'initiator', senderCompId: 'RISKLINE', targetCompId: 'VENUE' } as const;
let router = side(routerSettings, join(dir, 'router'));
let initiator = new FixInitiator(router.session, { host: '127.0.0.1', port, reconnectMs: { min: 100, max: 500 } });
t.teardown(() => initiator.stop());

t.test('logon, then application messages both ways', async (t) => {
  await eventually(() => router.session.loggedOn && venue.session.loggedOn);
  t.ok(
    router.events.some((e) => e.type === 'logon'),
    'the initiator logged on',
  );
  const seq = router.session.send('D', order('C-1'));
  const got = await eventually(() => venue.received.find((m) => get(m.fields, 11) === 'C-1'));
  t.equal(got.msgType, 'D', 'the acceptor received the NewOrderSingle');
  t.equal(get(got.fields, 34), String(seq), 'with the MsgSeqNum it was sent with');
  t.equal(get(got.fields, 44), '190.25');
  venue.session.send('8', (w) =>
    w
      .str(37, 'O-1')
      .str(17, 'E-1')
      .str(150, '0')
      .str(39, '0')
      .str(11, 'C-1')
      .str(55, 'AAPL')
      .str(54, '1')
      .int(151, 100)
      .int(14, 0)
      .int(6, 0),
  );
  const report = await eventually(() => router.received.find((m) => m.msgType === '8'));
  t.equal(get(report.fields, 37), 'O-1', 'the initiator received the ExecutionReport');
});

t.test('heartbeats keep a quiet session alive', async (t) => {
  const before = venue.session.store.nextTarget;
  await new Promise((r) => setTimeout(r, 2500));
  t.ok(venue.session.store.nextTarget > before, 'heartbeats arrived while nothing else was sent');
  t.ok(router.session.loggedOn && venue.session.loggedOn, 'both still logged on');
});

t.test('a gap in what the acceptor receives is filled by SequenceReset-GapFill', async (t) => {
  // Five sequence numbers the initiator never sent (as if lost): the acceptor asks for them.
  router.session.store.setNextSender(router.session.store.nextSender + 5);
  router.session.send('D', order('C-2'));
  await eventually(() => venue.received.find((m) => get(m.fields, 11) === 'C-2'));
  t.ok(
    venue.events.some((e) => e.type === 'gap'),
    'the acceptor saw the gap and sent a ResendRequest',
  );
  t.ok(
    venue.events.some((e) => e.type === 'sequence-reset'),
    'a GapFill moved it past the numbers never sent',
  );
  t.equal(venue.session.store.nextTarget, router.session.store.nextSender, 'in step again');
});

t.test('application messages asked for again are resent with PossDupFlag and OrigSendingTime', async (t) => {
  const c3 = router.session.send('D', order('C-3'));
  router.session.send('D', order('C-4'));
  await eventually(() => venue.received.find((m) => get(m.fields, 11) === 'C-4'));
  const first = venue.received.find((m) => get(m.fields, 11) === 'C-3')!;
  // The acceptor forgets it had them (its store behind): the next message shows a gap from C-3 on.
  venue.session.store.setNextTarget(c3);
  router.session.send('D', order('C-5'));
  const again = await eventually(() => venue.received.find((m) => get(m.fields, 11) === 'C-3' && m.possDup));
  t.equal(get(again.fields, 43), 'Y', 'PossDupFlag');
  t.equal(get(again.fields, 122), get(first.fields, 52), "OrigSendingTime is the first sending's SendingTime");
  t.equal(get(again.fields, 34), String(c3), 'the same MsgSeqNum');
  await eventually(() => venue.received.find((m) => get(m.fields, 11) === 'C-5'));
  t.pass('the message that revealed the gap follows, in sequence');
});

t.test('a restarted initiator resumes on its persisted sequence numbers', async (t) => {
  const sent = router.session.store.nextSender;
  // Gone without a logout, as a killed process would be.
  initiator.kill();
  router.session.store.close();
  await eventually(() => !venue.session.loggedOn);
  router = side(routerSettings, join(dir, 'router'));
  t.equal(router.session.store.nextSender, sent, 'the store read back the next sender seq');
  initiator = new FixInitiator(router.session, { host: '127.0.0.1', port, reconnectMs: { min: 100, max: 500 } });
  await eventually(() => router.session.loggedOn && venue.session.loggedOn);
  router.session.send('D', order('C-6'));
  await eventually(() => venue.received.find((m) => get(m.fields, 11) === 'C-6'));
  t.notOk(
    venue.events.some((e) => e.type === 'disconnect' && /too low/.test(e.text)),
    'no sequence error',
  );
});

t.test('a Logon with MsgSeqNum too low ends the session with Logout', async (t) => {
  await initiator.stop();
  router.session.store.close();
  await eventually(() => !venue.session.loggedOn);
  router = side(routerSettings, join(dir, 'router'));
  router.session.store.setNextSender(2);
  const events = venue.events.length;
  initiator = new FixInitiator(router.session, { host: '127.0.0.1', port, reconnectMs: { min: 5000, max: 5000 } });
  const gone = await eventually(() =>
    venue.events.slice(events).find((e) => e.type === 'disconnect' && /MsgSeqNum too low/.test(e.text)),
  );
  t.match(gone, { text: /expecting \d+ but received 2/ });
  await initiator.stop();
});

/** A hand-driven counterparty: writes the bytes it is given, parses what comes back. */
class Raw {
  readonly got: [number, string][][] = [];
  private readonly framer = new FixFramer();
  private readonly f = new FieldList();
  private readonly w = new FixWriter();
  seq = 1;
  constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) =>
      this.framer.push(
        c,
        (b, s, e) => {
          parseMessage(b, s, e, this.f);
          this.got.push(this.f.entries());
        },
        () => undefined,
      ),
    );
  }
  static async open(): Promise<Raw> {
    const s = connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    return new Raw(s);
  }
  message(msgType: string, body: (w: FixWriter) => void, header: { sender?: string; seq?: number } = {}): Buffer {
    const w = this.w
      .begin(msgType)
      .str(49, header.sender ?? 'RISKLINE')
      .str(56, 'VENUE')
      .int(34, header.seq ?? this.seq++);
    w.time(52, Date.now());
    body(w);
    return Buffer.from(w.finish());
  }
  send(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }
  next(pred: (m: [number, string][]) => boolean): Promise<[number, string][]> {
    return eventually(() => this.got.find(pred));
  }
}
const typeOf = (m: [number, string][]) => get(m, 35);

t.test('bad input from a counterparty: ignored when garbled, rejected with its reason when well framed', async (t) => {
  await eventually(() => !venue.session.loggedOn);
  const raw = await Raw.open();
  t.teardown(() => raw.socket.destroy());
  raw.seq = venue.session.store.nextTarget;
  raw.send(raw.message('A', (w) => w.int(98, 0).int(108, 30)));
  await raw.next((m) => typeOf(m) === 'A');
  t.pass('logged on by hand');

  const garbled = raw.message('1', (w) => w.str(112, 'LOST'));
  raw.seq--; // a garbled message uses no sequence number
  raw.send(Buffer.from(garbled.toString('latin1').replace(/10=\d{3}/, '10=999'), 'latin1'));
  raw.send('junk that is not FIX\x01');
  raw.send(raw.message('1', (w) => w.str(112, 'T-1')));
  const hb = await raw.next((m) => typeOf(m) === '0' && get(m, 112) === 'T-1');
  t.ok(hb, 'garbled bytes were ignored: the TestRequest after them was answered');
  t.notOk(
    raw.got.some((m) => get(m, 112) === 'LOST'),
    'the garbled TestRequest was not',
  );

  const rejectFor = async (refSeq: number) => raw.next((m) => typeOf(m) === '3' && get(m, 45) === String(refSeq));
  let seq = raw.seq;
  raw.send(raw.message('D', (w) => order('C-9')(w).str(112, 'not-here')));
  t.match(
    Object.fromEntries(await rejectFor(seq)),
    { 373: '2', 371: '112' },
    'a tag not defined for the message: 373=2',
  );
  seq = raw.seq;
  raw.send(raw.message('D', (w) => w.str(11, 'C-10').str(55, 'AAPL').str(54, '1').int(38, 100).str(40, '2')));
  t.match(Object.fromEntries(await rejectFor(seq)), { 373: '1', 371: '60' }, 'a required tag missing: 373=1');
  seq = raw.seq;
  raw.send(raw.message('D', (w) => order('C-11')(w).str(54, 'Z')));
  t.match(Object.fromEntries(await rejectFor(seq)), { 373: '13' }, 'a tag twice: 373=13');
  seq = raw.seq;
  raw.send(
    raw.message('D', (w) =>
      w.str(11, 'C-12').str(55, 'AAPL').str(54, 'Q').time(60, Date.now()).int(38, 1).str(40, '2'),
    ),
  );
  t.match(Object.fromEntries(await rejectFor(seq)), { 373: '5', 371: '54' }, 'a value not in its enumeration: 373=5');
  seq = raw.seq;
  raw.send(
    raw.message('D', (w) =>
      w.str(11, 'C-13').str(55, 'AAPL').str(54, '1').time(60, Date.now()).str(38, 'lots').str(40, '2'),
    ),
  );
  t.match(Object.fromEntries(await rejectFor(seq)), { 373: '6', 371: '38' }, 'a value of the wrong format: 373=6');
  seq = raw.seq;
  raw.send(raw.message('V', (w) => w.str(262, 'MD-1')));
  t.match(
    Object.fromEntries(await raw.next((m) => typeOf(m) === 'j' && get(m, 45) === String(seq))),
    { 380: '3', 372: 'V' },
    'a FIX message this engine does not take: BusinessMessageReject, unsupported message type',
  );
  seq = raw.seq;
  raw.send(raw.message('ZZ', () => undefined));
  t.match(Object.fromEntries(await rejectFor(seq)), { 373: '11' }, 'a MsgType FIX does not have: 373=11');
  t.ok(venue.session.loggedOn, 'still logged on after each');
  t.equal(venue.session.store.nextTarget, raw.seq, 'each rejected message used its sequence number');

  raw.send(raw.message('0', () => undefined, { sender: 'SOMEONE-ELSE' }));
  await raw.next((m) => typeOf(m) === '3' && get(m, 373) === '9');
  await raw.next((m) => typeOf(m) === '5');
  t.pass('a wrong CompID: Reject 373=9, then Logout');
  await eventually(() => raw.socket.destroyed || raw.socket.readableEnded);
  t.pass('and the connection closed');
});

t.test('logout: the initiator asks, the acceptor answers, both end', async (t) => {
  venue = side({ role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'RISKLINE' }, join(dir, 'venue2'));
  router = side(routerSettings, join(dir, 'router2'));
  initiator = new FixInitiator(router.session, { host: '127.0.0.1', port, reconnectMs: { min: 100, max: 500 } });
  await eventually(() => router.session.loggedOn && venue.session.loggedOn);
  await initiator.stop();
  t.ok(
    venue.events.some((e) => e.type === 'logout'),
    'the acceptor received the Logout',
  );
  t.ok(
    router.events.some((e) => e.type === 'logout'),
    'the initiator received the answer',
  );
  t.equal(router.session.state, 'disconnected');
});
