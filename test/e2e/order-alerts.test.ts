// The router's alerts end to end: the embedded process with the router and venue roles, a WebSocket
// client on `alerts:*`. An order refused before trade is one `info` alert for its portfolio; the
// venue simulator stopped is, after orders.alerts.sessionDownMs, one critical alert per venue for
// every portfolio routed to it (the demo books hold every asset class: all six), an order sent
// meanwhile one `warning` (no venue connected), and the venues back, once logged on for
// sessionUpMs, one clearance under each raised id: nothing twice.
import pino from 'pino';
import t from 'tap';
import { startVenueRole } from '../../app/roles/venue.js';
import { eventually } from '../eventually.js';
import { Client, startOrderDesk, type Msg } from './helpers.js';

t.setTimeout(240_000);
const { config, running, call, portfolio, equity } = await startOrderDesk('order-alerts', {
  pretrade: { restricted: ['TSLA'] },
  alerts: { sessionDownMs: 1500, sessionUpMs: 500 },
});
const post = (body: unknown) => call('POST', '/v1/orders', body);

type Alert = { id: string; portfolio: string; limit: string; state: string; severity: string; value: number };
const c = await Client.connect(running.port);
t.teardown(() => c.close());
c.send({ op: 'subscribe', id: 1, channels: ['alerts:*'] });
const alerts = (): Alert[] =>
  c.messages.filter((m: Msg) => String(m.channel).startsWith('alerts:')).map((m) => m.data as unknown as Alert);
const ofRule = (rule: string) => alerts().filter((a) => a.limit === rule);

await eventually(() => running.router!.links.every((l) => l.up()), 30_000, 'venue sessions logged on');

t.test('an order refused before trade is one info alert for its portfolio', async (t) => {
  const refused = await post({ portfolio, instrument: 'TSLA', side: 'buy', qty: 1 });
  t.equal(refused.status, 422);
  const id = `order-reject:${portfolio}:${refused.json.order.id as string}:reject`;
  const alert = await eventually(() => ofRule('order-reject').find((a) => a.id === id), 30_000, id);
  t.match(alert, { portfolio, state: 'warning', severity: 'info', value: 1 });
  t.match((alert as unknown as { message: string }).message, /refused before trade: .*restricted/);
});

t.test('venues down: raised per venue and portfolio after sessionDownMs, cleared once back, each once', async (t) => {
  const venues = config.venues.map((v) => v.id);
  const expected = venues.length * config.portfolios.length;
  const stoppedAt = Date.now();
  await running.venue!.close();

  const raised = await eventually(
    () => {
      const r = ofRule('fix-session').filter((a) => a.state === 'breached');
      return r.length >= expected ? r : undefined;
    },
    30_000,
    'session alerts raised',
  );
  t.ok(Date.now() - stoppedAt >= 1500, 'not before sessionDownMs');
  t.same(
    new Set(raised.map((a) => a.id.split(':').slice(1, 3).join(':'))),
    new Set(config.portfolios.flatMap((p) => venues.map((v) => `${p.id}:${v}`))),
    'one per portfolio and venue',
  );
  for (const a of raised) t.ok(a.severity === 'critical' && a.value >= 1500, `${a.id}: critical, down ${a.value} ms`);

  // An order meanwhile finds no venue: rejected, a warning.
  const unrouted = await post({ portfolio, instrument: equity.id, side: 'buy', qty: 10 });
  t.equal(unrouted.status, 503);
  const rejectId = `order-reject:${portfolio}:${unrouted.json.order.id as string}:reject`;
  const reject = await eventually(() => ofRule('order-reject').find((a) => a.id === rejectId), 30_000, rejectId);
  t.equal(reject.severity, 'warning');

  const again = await startVenueRole({
    bus: running.bus,
    config,
    logger: pino({ level: 'silent' }),
    instanceId: 'venue-again',
  });
  t.teardown(() => again.close());
  const cleared = await eventually(
    () => {
      const r = ofRule('fix-session').filter((a) => a.state === 'cleared');
      return r.length >= expected ? r : undefined;
    },
    60_000,
    'session alerts cleared',
  );
  t.same(
    cleared.map((a) => a.id).sort(),
    raised.map((a) => a.id.replace(/:raise$/, ':clear')).sort(),
    'each raised episode cleared under its own id',
  );
  await new Promise((r) => setTimeout(r, 2000));
  const ids = alerts().map((a) => a.id);
  t.same(
    ids.filter((id, k) => ids.indexOf(id) !== k),
    [],
    'no alert twice',
  );
  t.equal(ofRule('fix-session').length, 2 * expected, 'nothing more from the sessions');
});
