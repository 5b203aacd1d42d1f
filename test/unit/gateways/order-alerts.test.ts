// The router's alerts (gateways/orders/order-alerts.ts) on a clock of the test's own: an order's
// first rejection is one alert (info before trade, warning at or for want of a venue), a venue
// resending it none; a venue session down for sessionDownMs is raised for the portfolios routed to
// it and cleared once up for sessionUpMs, a flapping one raising nothing more, and a restarted
// router clearing the episode it finds in its state file under the same id.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Alert, Instrument, PortfolioDef } from '../../../engine/model.js';
import { Blotter } from '../../../engine/orders.js';
import { validateAlert } from '../../../engine/validate.js';
import { OrderAlerts, sessionPortfolios, type OrderAlertOptions } from '../../../gateways/orders/order-alerts.js';
import { RoutingPolicy } from '../../../gateways/orders/policy.js';
import type { VenueDef } from '../../../config/schema.js';

/** A clock and timers the test moves by hand. */
function clock(start: number) {
  let now = start;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    schedule: (fn: () => void, ms: number) => {
      const timer = { at: now + ms, fn, live: true };
      timers.push(timer);
      return () => void (timer.live = false);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        now = due.at;
        due.live = false;
        due.fn();
      }
      now = end;
    },
  };
}

const T = Date.parse('2026-11-25T14:00:00Z');
const settings = { sessionDownMs: 10_000, sessionUpMs: 5_000 };

function alertsOn(o: Partial<OrderAlertOptions> & { c: ReturnType<typeof clock> }, venues = ['EQ', 'FUT']) {
  const out: Alert[] = [];
  const alerts = new OrderAlerts(venues, {
    settings,
    portfoliosOf: (venue) => (venue === 'EQ' ? ['P1', 'P2'] : ['P1']),
    publish: (a) => out.push(validateAlert(a)),
    stateFile: null,
    now: o.c.now,
    schedule: o.c.schedule,
    ...o,
  });
  return { alerts, out };
}

const summary = (alerts: Alert[]) => alerts.map((a) => [a.id, a.state, a.severity]);

t.test("an order's first rejection is one alert, before trade info, at a venue a warning", async (t) => {
  const c = clock(T);
  const { alerts, out } = alertsOn({ c });
  alerts.up('EQ');
  alerts.up('FUT');
  const blotter = new Blotter('RL20261125');
  const req = { portfolio: 'P1', instrument: 'AAPL', side: 'buy' as const, qty: 300, price: null, venue: 'EQ' };

  const refused = blotter.open(req, T + 1);
  alerts.onOrder(refused);
  t.same(out, [], 'PendingNew: nothing');
  blotter.reject(refused, T + 2, 'pre-trade: restricted: AAPL is on the restricted list');
  alerts.onOrder(refused);
  t.same(summary(out), [['order-reject:P1:RL20261125-1:reject', 'warning', 'info']]);
  t.match(out[0], { portfolio: 'P1', limit: 'order-reject', value: 300, threshold: 0, ts: T + 2 });
  t.equal(
    out[0].message,
    'order RL20261125-1 buy 300 AAPL refused before trade: pre-trade: restricted: AAPL is on the restricted list (order-reject)',
  );
  alerts.onOrder(refused);
  t.equal(out.length, 1, 'the same state again: nothing more');

  const sent = blotter.open(req, T + 3);
  blotter.onReport({
    clOrdId: sent.clOrdId,
    venueOrderId: 'V1',
    execId: 'E1',
    execType: '8',
    ordStatus: '8',
    lastQty: 0,
    lastPx: 0,
    cumQty: 0,
    avgPx: 0,
    text: 'unknown symbol',
    ts: T + 4,
  });
  alerts.onOrder(sent);
  t.same(summary(out.slice(1)), [['order-reject:P1:RL20261125-2:reject', 'warning', 'warning']]);
  t.match(out[1].message, /^order RL20261125-2 buy 300 AAPL rejected at EQ: unknown symbol \(order-reject\)$/);
  // The venue resends its report (a resend after a reconnect): a second Rejected event, no second alert.
  blotter.onReport({
    ...{ clOrdId: sent.clOrdId, venueOrderId: 'V1', execId: 'E1', execType: '8', ordStatus: '8' },
    lastQty: 0,
    lastPx: 0,
    cumQty: 0,
    avgPx: 0,
    text: 'unknown symbol',
    ts: T + 5,
  });
  alerts.onOrder(sent);
  t.equal(out.length, 2);
});

t.test(
  'a session down past sessionDownMs is raised once per portfolio; cleared once up past sessionUpMs',
  async (t) => {
    const c = clock(T);
    const { alerts, out } = alertsOn({ c });
    c.advance(3_000);
    alerts.up('EQ');
    alerts.up('FUT');
    t.same(out, [], 'logged on within sessionDownMs of the start: nothing');

    c.advance(60_000);
    alerts.down('EQ');
    c.advance(9_999);
    t.same(out, [], 'down for less than sessionDownMs: nothing');
    c.advance(1);
    const since = T + 63_000;
    t.same(summary(out), [
      [`fix-session:P1:EQ:${since}:raise`, 'breached', 'critical'],
      [`fix-session:P2:EQ:${since}:raise`, 'breached', 'critical'],
    ]);
    t.match(out[0], { limit: 'fix-session', value: 10_000, threshold: 10_000, ts: since + 10_000 });
    t.equal(
      out[0].message,
      'FIX session to EQ down for 10 s, since 2026-11-25T14:01:03.000Z: orders cannot go there (fix-session)',
    );

    // Flapping: up for less than sessionUpMs, down again, several times: no clear, no second raise.
    for (let k = 0; k < 5; k++) {
      alerts.up('EQ');
      c.advance(2_000);
      alerts.down('EQ');
      c.advance(20_000);
    }
    alerts.down('EQ');
    t.equal(out.length, 2, 'a flapping session raises nothing more');
    alerts.up('EQ');
    c.advance(4_999);
    t.equal(out.length, 2);
    c.advance(1);
    t.same(summary(out.slice(2)), [
      [`fix-session:P1:EQ:${since}:clear`, 'cleared', 'info'],
      [`fix-session:P2:EQ:${since}:clear`, 'cleared', 'info'],
    ]);
    t.match(
      out[2].message,
      /^FIX session to EQ logged on again \(down since 2026-11-25T14:01:03\.000Z\) \(fix-session\)$/,
    );

    // Short drops below sessionDownMs: nothing at all.
    for (let k = 0; k < 5; k++) {
      alerts.down('FUT');
      c.advance(9_000);
      alerts.up('FUT');
      c.advance(1_000);
    }
    t.equal(out.length, 4);
    alerts.close();
    alerts.down('FUT');
    c.advance(60_000);
    t.equal(out.length, 4, 'a closed router raises nothing (its own logouts)');
  },
);

t.test(
  'a session never up since the start is raised; a restart clears the episode it finds under the same id',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'riskline-order-alerts-'));
    const stateFile = join(dir, 'session-alerts.json');
    const c = clock(T);
    const first = alertsOn({ c, stateFile });
    first.alerts.up('FUT');
    c.advance(10_000);
    t.same(summary(first.out), [
      [`fix-session:P1:EQ:${T}:raise`, 'breached', 'critical'],
      [`fix-session:P2:EQ:${T}:raise`, 'breached', 'critical'],
    ]);
    first.alerts.close();

    // The router restarts: EQ is still down at first, then logs on.
    c.advance(30_000);
    const second = alertsOn({ c, stateFile });
    second.alerts.up('FUT');
    c.advance(20_000);
    t.same(second.out, [], 'the raised episode is known: not raised again');
    second.alerts.up('EQ');
    c.advance(5_000);
    t.same(summary(second.out), [
      [`fix-session:P1:EQ:${T}:clear`, 'cleared', 'info'],
      [`fix-session:P2:EQ:${T}:clear`, 'cleared', 'info'],
    ]);
    second.alerts.close();
    const third = alertsOn({ c, stateFile });
    third.alerts.up('EQ');
    third.alerts.up('FUT');
    c.advance(60_000);
    t.same(third.out, [], 'cleared before the restart: nothing left to clear');
  },
);

t.test("a session's alerts go to the portfolios whose book is routed to the venue, else to every one", async (t) => {
  const inst = (id: string, kind: Instrument['kind']) => ({ id, kind }) as Instrument;
  const instruments = [inst('AAPL', 'equity'), inst('ES', 'future'), inst('UST', 'bond')];
  const venue = (id: string, assetClasses: VenueDef['assetClasses']) => ({ id, assetClasses }) as VenueDef;
  const venues = [venue('EQ', ['equity']), venue('FUT', ['future', 'equity']), venue('OTC', ['fx'])];
  const policy = new RoutingPolicy(instruments, venues, { primary: {}, fallback: true, split: null });
  const book = (id: string, holdings: string[]) =>
    ({ id, holdings: holdings.map((instrument) => ({ instrument, qty: 1, price: 1 })) }) as PortfolioDef;
  const portfolios = [book('STOCKS', ['AAPL']), book('FUTURES', ['ES']), book('BONDS', ['UST'])];
  t.same(sessionPortfolios(portfolios, policy, 'EQ'), ['STOCKS']);
  t.same(sessionPortfolios(portfolios, policy, 'FUT'), ['STOCKS', 'FUTURES'], 'the fallback for equities too');
  t.same(sessionPortfolios(portfolios, policy, 'OTC'), ['STOCKS', 'FUTURES', 'BONDS'], 'none routed: every one');
});
