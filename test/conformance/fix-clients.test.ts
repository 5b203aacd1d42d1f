// Orders from a FIX client, with QuickFIX/J as the client: its initiator logs on to the router's
// client acceptor (orders.clients) and trades through Riskline to the venue simulator. It gets New
// and Trade reports for an order that fills, a Rejected report naming the reason for each order
// that fails a check (a pre-trade limit, a portfolio the session may not trade, a ClOrdID used
// twice), Replace and Canceled reports for a resting order, and OrderCancelReject for an unknown one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { freePort } from '../../tools/ports.js';
import { QuickFixPeer, type PeerEvent } from '../../tools/fix/quickfixj.js';
import { startEmbedded, testConfig } from '../e2e/helpers.js';
import { eventually } from '../eventually.js';

t.setTimeout(300_000);
const dir = mkdtempSync(join(tmpdir(), 'riskline-fix-clients-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const portfolio = 'GLOBAL-MACRO';
const clientPort = await freePort();
const config = testConfig({
  simulator: { ticksPerSecond: 200, executionsPerSecond: 0 },
  roles: ['feed', 'engine', 'gateway', 'router', 'venue'],
  bus: { ownThread: false },
  orders: {
    dir: join(dir, 'orders'),
    pretrade: { restricted: ['TSLA'] },
    clients: {
      port: clientPort,
      sessions: [{ senderCompId: 'DESK1', targetCompId: 'RISKLINE-OMS', portfolios: [portfolio] }],
    },
  },
});
for (const v of config.venues) v.fix.port = await freePort();
const running = await startEmbedded(config);
t.teardown(() => running.close());
await eventually(() => running.router!.links.every((l) => l.up()), 30_000, 'venue sessions');
const base = `http://127.0.0.1:${running.port}`;

const client = await QuickFixPeer.start({
  mode: 'initiator',
  port: clientPort,
  senderCompId: 'DESK1',
  targetCompId: 'RISKLINE-OMS',
  storeDir: join(dir, 'qfj-client'),
  heartBtInt: 5,
});
t.teardown(() => client.stop());
await client.next((e) => e.event === 'logon', 60_000);

/** QuickFIX/J sends a market NewOrderSingle (the venue's house liquidity fills it). */
const market = (clOrdId: string, symbol: string, qty: number, account = portfolio) =>
  client.request({ cmd: 'order', clOrdId, account, symbol, side: '1', qty, ordType: '1' });

const report = (clOrdId: string, execType: string) => (e: PeerEvent) =>
  e.event === 'fromApp' && e.msgType === '8' && e.fields?.['11'] === clOrdId && e.fields['150'] === execType;

/** The mark, once the engine's scenario sets can judge an order's VaR. */
const mark = (instrument: string) =>
  eventually(
    async () => {
      const res = await fetch(`${base}/v1/orders/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ portfolio, instrument, side: 'buy', qty: 1 }),
      });
      const body = (await res.json()) as { ok: boolean; view: { mark: number } };
      return body.ok ? body.view.mark : undefined;
    },
    120_000,
    'a judged pre-trade check',
  );

t.test('an order from the client fills at the venue and is reported back', async (t) => {
  await mark('AAPL');
  await market('C-1', 'AAPL', 100);
  const ack = await client.next(report('C-1', '0'), 15_000);
  t.equal(ack.fields!['39'], '0');
  const fill = await client.next(report('C-1', 'F'), 15_000);
  t.equal(fill.fields!['39'], '2', 'filled');
  t.equal(Number(fill.fields!['32']), 100);
  t.equal(Number(fill.fields!['14']), 100);
  t.equal(fill.fields!['151'], '0');
  t.ok(Number(fill.fields!['31']) > 0);
  const orders = (await (await fetch(`${base}/v1/orders?portfolio=${portfolio}`)).json()) as {
    orders: { id: string; status: string }[];
  };
  t.ok(
    orders.orders.some((o) => o.id === fill.fields!['37'] && o.status === 'Filled'),
    'the router has it as its own order',
  );
});

t.test('orders that fail a check are rejected with the reason', async (t) => {
  await market('C-2', 'TSLA', 5);
  const restricted = await client.next(report('C-2', '8'), 15_000);
  t.match(restricted.fields!['58'], /restricted: TSLA is on the restricted list/);
  t.equal(restricted.fields!['39'], '8');

  await market('C-3', 'AAPL', 5, 'EURO-EQUITY');
  const account = await client.next(report('C-3', '8'), 15_000);
  t.equal(account.fields!['103'], '15', 'OrdRejReason UnknownAccount');
  t.match(account.fields!['58'], /may not trade portfolio EURO-EQUITY/);

  await market('C-1', 'AAPL', 5);
  const dup = await client.next(report('C-1', '8'), 15_000);
  t.equal(dup.fields!['103'], '6', 'OrdRejReason DuplicateOrder');
});

t.test('a resting order is replaced, then cancelled; an unknown one cannot be', async (t) => {
  const price = Math.round((await mark('MSFT')) * 0.96 * 100) / 100;
  await client.request({ cmd: 'order', clOrdId: 'C-4', account: portfolio, symbol: 'MSFT', side: '1', qty: 10, price });
  await client.next(report('C-4', '0'), 15_000);
  await client.request({
    cmd: 'replace',
    origClOrdId: 'C-4',
    clOrdId: 'C-5',
    symbol: 'MSFT',
    side: '1',
    qty: 20,
    price,
  });
  const replaced = await client.next(report('C-5', '5'), 15_000);
  t.equal(replaced.fields!['41'], 'C-4');
  t.equal(Number(replaced.fields!['38']), 20);
  await client.request({ cmd: 'cancel', origClOrdId: 'C-5', clOrdId: 'C-6', symbol: 'MSFT', side: '1', qty: 20 });
  const cancelled = await client.next(report('C-6', '4'), 15_000);
  t.equal(cancelled.fields!['41'], 'C-5');
  t.equal(cancelled.fields!['39'], '4');

  await client.request({ cmd: 'cancel', origClOrdId: 'NOPE', clOrdId: 'C-7', symbol: 'MSFT', side: '1' });
  const refused = await client.next(
    (e) => e.event === 'fromApp' && e.msgType === '9' && e.fields?.['11'] === 'C-7',
    15_000,
  );
  t.equal(refused.fields!['102'], '1', 'CxlRejReason UnknownOrder');
  t.notOk(
    client.events.some((e) => e.event === 'reject' || (e.event === 'toAdmin' && e.msgType === '3')),
    'QuickFIX/J found nothing to reject in our messages (no session Reject sent)',
  );
});
