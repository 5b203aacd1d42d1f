// The order router end to end: the embedded process with the router and venue roles (simulator →
// engine → gateway; router ⇄ venue simulator over FIX on loopback). An order sent over HTTP is
// checked before trade, reaches the venue, fills, and the fill moves the portfolio's position; an
// order that breaches a limit never reaches the venue and the client is told which limit; cancel
// and replace go through; the `orders:<portfolio>` channel shows every step of an order's life.
import t from 'tap';
import { eventually } from '../eventually.js';
import { Client, startOrderDesk, type Msg } from './helpers.js';

const { running, call, portfolio, equity } = await startOrderDesk('orders', {
  pretrade: { maxQuantity: 50_000, restricted: ['TSLA'] },
});
const order = (id: string) => call('GET', `/v1/orders/${id}`).then((r) => r.json);

await eventually(() => running.router!.links.every((l) => l.up()), 30_000, 'venue sessions logged on');

const venueSession = running.venue!.sessions.get('SIM-EQ')!;

t.test('a market order fills at the venue and its fill moves the position', async (t) => {
  const c = await Client.connect(running.port);
  t.teardown(() => c.close());
  c.send({ op: 'subscribe', id: 1, channels: [`positions:${portfolio}`, `orders:${portfolio}`] });
  const positions = await c.next((m) => m.channel === `positions:${portfolio}` && m.type === 'snapshot', 60_000);
  const rows = (positions.data as { rows: Record<string, { qty: number }> }).rows;
  const before = rows[equity.id]?.qty ?? 0;

  const check = await call('POST', '/v1/orders/check', {
    portfolio,
    instrument: equity.id,
    side: 'buy',
    qty: 300,
  });
  t.equal(check.status, 200);
  t.match(check.json, { view: { portfolio, instrument: equity.id } });
  t.equal(check.json.checks.length, 7, 'every pre-trade check is reported');

  const sent = await call('POST', '/v1/orders', { portfolio, instrument: equity.id, side: 'buy', qty: 300 });
  t.equal(sent.status, 201, JSON.stringify(sent.json).slice(0, 300));
  const id = sent.json.order.id as string;
  t.match(sent.json.order, { status: 'PendingNew', venue: 'SIM-EQ', qty: 300, price: null });
  const filled = await eventually(async () => {
    const o = await order(id);
    return o.status === 'Filled' ? o : undefined;
  });
  t.equal(filled.cumQty, 300, 'the whole quantity filled against the house liquidity');
  t.ok(filled.fills.length >= 1 && filled.avgPx > 0);

  // The fill reaches the engine through orders.executions: the position moves by what filled.
  await c.next((m) => {
    if (m.channel !== `positions:${portfolio}`) return false;
    const row = (m.data as { rows?: Record<string, { qty: number }> }).rows?.[equity.id];
    return row !== undefined && row.qty === before + 300;
  }, 30_000);

  // The order's life on its channel: PendingNew, New, then Filled, each a frame of its own.
  const life = c.messages
    .filter((m: Msg) => m.channel === `orders:${portfolio}`)
    .map((m) => (m.data as { rows: Record<string, { status: string }> }).rows[id]?.status)
    .filter((s) => s !== undefined);
  t.same(
    [...new Set(life)],
    ['PendingNew', 'New', 'Filled'].filter((s) => life.includes(s)),
  );
  t.ok(life.includes('Filled') && life[0] === 'PendingNew', `life ${life.join(' → ')}`);
});

t.test('an order over a pre-trade limit never reaches the venue; the client is told why', async (t) => {
  const seen = venueSession.store.nextTarget;
  const big = await call('POST', '/v1/orders', { portfolio, instrument: equity.id, side: 'buy', qty: 60_000 });
  t.equal(big.status, 422);
  t.equal(big.json.code, 'PRETRADE_REJECTED');
  t.match(big.json.message, /quantity: quantity 60000 is over the 50000 allowed per order/);
  t.equal(big.json.order.status, 'Rejected');
  const restricted = await call('POST', '/v1/orders', { portfolio, instrument: 'TSLA', side: 'sell', qty: 1 });
  t.equal(restricted.status, 422);
  t.match(restricted.json.message, /restricted: TSLA is on the restricted list/);
  const collar = await call('POST', '/v1/orders', {
    portfolio,
    instrument: equity.id,
    side: 'buy',
    qty: 1,
    price: equity.price * 2,
  });
  t.equal(collar.status, 422);
  t.match(collar.json.message, /collar: price .* outside ±5\.00 %/);
  // Give a stray message time to arrive, then: the venue's session received nothing more.
  await new Promise((r) => setTimeout(r, 300));
  t.equal(venueSession.store.nextTarget, seen, 'no message reached the venue');
  t.equal((await order(big.json.order.id)).status, 'Rejected', 'the refusal is kept: GET shows it');
});

t.test('a resting limit order is replaced, then cancelled', async (t) => {
  const view = (await call('POST', '/v1/orders/check', { portfolio, instrument: equity.id, side: 'buy', qty: 10 })).json
    .view;
  // 4 % under the mark: inside the collar, below every house bid, so it rests.
  const price = Math.round(view.mark * 0.96 * 100) / 100;
  const sent = await call('POST', '/v1/orders', { portfolio, instrument: equity.id, side: 'buy', qty: 10, price });
  t.equal(sent.status, 201);
  const id = sent.json.order.id as string;
  await eventually(async () => (await order(id)).status === 'New');
  const replaced = await call('PUT', `/v1/orders/${id}`, { qty: 20, price });
  t.equal(replaced.status, 202);
  t.equal(replaced.json.order.status, 'PendingReplace');
  const after = await eventually(async () => {
    const o = await order(id);
    return o.status === 'New' && o.qty === 20 ? o : undefined;
  });
  t.equal(after.price, price);
  const cancelled = await call('DELETE', `/v1/orders/${id}`);
  t.equal(cancelled.status, 202);
  t.equal(cancelled.json.status, 'PendingCancel');
  await eventually(async () => (await order(id)).status === 'Canceled');
  const again = await call('DELETE', `/v1/orders/${id}`);
  t.equal(again.status, 409, 'a cancelled order cannot be cancelled again');
  t.equal(again.json.code, 'ORDER_STATE');
});

t.test('bad tickets get a specific 400', async (t) => {
  const bad = await call('POST', '/v1/orders', { portfolio, instrument: equity.id, side: 'hold', qty: 1 });
  t.equal(bad.status, 400);
  t.match(bad.json.message, /side: expected "buy" or "sell"/);
  const neg = await call('POST', '/v1/orders', { portfolio, instrument: equity.id, side: 'buy', qty: -5 });
  t.match(neg.json.message, /qty: expected a positive quantity, received -5/);
  const unknown = await call('POST', '/v1/orders', { portfolio, instrument: 'NOPE', side: 'buy', qty: 1 });
  t.equal(unknown.status, 422);
  t.equal(unknown.json.code, 'UNKNOWN_INSTRUMENT');
  t.equal((await call('GET', '/v1/orders/none-such')).status, 404);
});

t.test('the WebSocket takes the same orders: order, replaceOrder, cancelOrder', async (t) => {
  const c = await Client.connect(running.port);
  t.teardown(() => c.close());
  c.send({ op: 'order', id: 'o1', portfolio, instrument: equity.id, side: 'sell', qty: 50 });
  const sent = await c.next((m) => m.id === 'o1', 10_000);
  t.equal(sent.type, 'order', JSON.stringify(sent).slice(0, 300));
  const id = (sent.data as { id: string }).id;
  t.match(sent.data, { status: 'PendingNew', side: 'sell', qty: 50 });
  t.equal((sent.pretrade as { ok: boolean }).ok, true, 'the pre-trade answer comes with it');
  await eventually(async () => (await order(id)).status === 'Filled');

  c.send({ op: 'order', id: 'o2', portfolio, instrument: 'TSLA', side: 'buy', qty: 1 });
  const refused = await c.next((m) => m.id === 'o2', 10_000);
  t.match(refused, { type: 'error', code: 'PRETRADE_REJECTED', message: /restricted: TSLA is on the restricted list/ });

  c.send({ op: 'order', id: 'o3', portfolio, instrument: equity.id, side: 'buy' });
  t.match(await c.next((m) => m.id === 'o3'), {
    type: 'error',
    code: 'BAD_REQUEST',
    message: /qty: expected a positive quantity, received nothing/,
  });

  const view = (await call('POST', '/v1/orders/check', { portfolio, instrument: equity.id, side: 'buy', qty: 10 })).json
    .view;
  const resting = Math.round(view.mark * 0.97 * 100) / 100;
  c.send({ op: 'order', id: 'o4', portfolio, instrument: equity.id, side: 'buy', qty: 10, price: resting });
  const rest = (await c.next((m) => m.id === 'o4')).data as { id: string };
  await eventually(async () => (await order(rest.id)).status === 'New');
  c.send({ op: 'replaceOrder', id: 'o5', orderId: rest.id, qty: 15, price: resting });
  t.match(await c.next((m) => m.id === 'o5'), { type: 'order', data: { status: 'PendingReplace' } });
  await eventually(async () => (await order(rest.id)).qty === 15);
  c.send({ op: 'cancelOrder', id: 'o6', orderId: rest.id });
  t.match(await c.next((m) => m.id === 'o6'), { type: 'order', data: { status: 'PendingCancel' } });
  await eventually(async () => (await order(rest.id)).status === 'Canceled');
  c.send({ op: 'cancelOrder', id: 'o7', orderId: rest.id });
  t.match(await c.next((m) => m.id === 'o7'), { type: 'error', code: 'ORDER_STATE' });
  c.send({ op: 'cancelOrder', id: 'o8', orderId: 'no-such' });
  t.match(await c.next((m) => m.id === 'o8'), { type: 'error', code: 'NOT_FOUND' });
});

t.test("a new subscriber's orders snapshot holds every order of the portfolio", async (t) => {
  const all = (await call('GET', `/v1/orders?portfolio=${portfolio}`)).json.orders as { id: string; status: string }[];
  t.ok(all.length >= 5, `${all.length} orders so far`);
  const c = await Client.connect(running.port);
  t.teardown(() => c.close());
  c.send({ op: 'subscribe', id: 1, channels: [`orders:${portfolio}`] });
  const snap = await c.next((m) => m.channel === `orders:${portfolio}` && m.type === 'snapshot', 10_000);
  const rows = (snap.data as { rows: Record<string, { status: string }> }).rows;
  t.same(Object.keys(rows).sort(), all.map((o) => o.id).sort(), 'every order, not only the newest');
  for (const o of all) t.equal(rows[o.id].status, o.status, `${o.id} as REST has it`);
});
