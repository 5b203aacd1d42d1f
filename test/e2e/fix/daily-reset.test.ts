// The daily reset of a FIX session (dailyResetUtc), on a clock the test moves: a reconnect before
// the session's daily end keeps both sides' sequence numbers; one after it starts both from 1, as
// a session created before the last boundary must. Riskline's initiator and acceptor over TCP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { FixWriter } from '../../../gateways/fix/codec/writer.js';
import { sessionConfig, sessionId, type SessionSettings } from '../../../gateways/fix/session/config.js';
import { FixSession, type SessionEvent } from '../../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../../gateways/fix/session/store.js';
import { FixAcceptor, FixInitiator } from '../../../gateways/fix/session/transport.js';
import { eventually } from '../../eventually.js';

const dir = mkdtempSync(join(tmpdir(), 'riskline-fix-daily-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** The one clock both sides and their stores read: a minute before the 22:00 UTC daily end. */
let clock = Date.parse('2026-12-07T21:59:00Z');
const now = () => clock;

function side(settings: SessionSettings, storeDir: string) {
  const config = sessionConfig({ heartBtIntS: 30, dailyResetUtc: '22:00:00', ...settings });
  const store = new FileSessionStore({ dir: storeDir, id: sessionId(config), now });
  const events: SessionEvent[] = [];
  const session = new FixSession(config, store, { onMessage: () => undefined, onEvent: (e) => events.push(e) }, now);
  return { session, store, events };
}

const venue = side({ role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'RISKLINE' }, join(dir, 'venue'));
const router = side({ role: 'initiator', senderCompId: 'RISKLINE', targetCompId: 'VENUE' }, join(dir, 'router'));
const acceptor = new FixAcceptor({
  host: '127.0.0.1',
  port: 0,
  sessionFor: (their) => (their === 'RISKLINE' ? venue.session : undefined),
});
const port = await acceptor.listen();
t.teardown(() => acceptor.close());

const order = (id: string) => (w: FixWriter) =>
  w.str(11, id).str(55, 'AAPL').str(54, '1').time(60, clock).int(38, 1).str(40, '1');

/** Connects, logs on, sends `orders` NewOrderSingles, then logs out; the numbers each side ends with. */
async function day(orders: number): Promise<{ sender: number; target: number }> {
  const initiator = new FixInitiator(router.session, { host: '127.0.0.1', port, reconnectMs: { min: 50, max: 100 } });
  await eventually(() => router.session.loggedOn && venue.session.loggedOn, 10_000, 'logon');
  for (let k = 0; k < orders; k++) router.session.send('D', order(`D-${clock}-${k}`));
  const expected = router.store.nextSender;
  await eventually(() => venue.store.nextTarget === expected, 10_000, 'the venue has every order');
  await initiator.stop();
  await eventually(() => venue.session.state === 'disconnected', 10_000, 'the venue saw the logout');
  return { sender: router.store.nextSender, target: venue.store.nextTarget };
}

t.test('a reconnect before the daily end keeps the numbers; one after it starts from 1', async (t) => {
  const first = await day(3);
  t.ok(first.sender >= 6, `Logon, three orders and Logout sent (next ${first.sender})`);
  t.equal(first.target, first.sender, 'the venue expects what the router sends next');

  clock += 30_000; // 21:59:30, still the same session day
  const second = await day(2);
  t.equal(second.sender, first.sender + 4, 'went on: Logon, two orders and Logout after the first day');

  clock = Date.parse('2026-12-07T22:00:30Z'); // past the daily end
  const before = router.events.length;
  const third = await day(1);
  t.equal(third.sender, 4, 'started again from 1: Logon 1, order 2, Logout 3');
  t.equal(third.target, 4, 'and so did the venue');
  t.notOk(
    router.events.slice(before).some((e) => e.type === 'reject-received' || e.type === 'gap'),
    'no gap or reject: both sides reset',
  );
  t.equal(router.store.creationTime, clock, "the router's store is a new session's");
});
