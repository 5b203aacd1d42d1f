// Order entry over HTTP (docs/architecture.md, "Orders"): check a ticket before trade, send it,
// read it, cancel it, replace it. Every call is authorised against the order's portfolio; an order
// of a portfolio the caller may not see is answered as if it did not exist.

import { z } from 'zod';
import { OrderError, type Order } from '../../engine/orders.js';
import { errorBody, RisklineError } from '../../errors/catalogue.js';
import { entitled, type Entitlement } from '../identity/identity.js';
import { json, jsonBody, parseRequest, type Route } from '../route.js';
import type { OrderRouter, OrderTicket } from '../orders/router.js';

export const ORDERS_PATH = '/v1/orders';
/** An order body is about a hundred bytes. */
const ORDER_BODY_LIMIT = 16 * 1024;

const id = (what: string) =>
  z
    .string({ error: `expected a ${what} id (string)` })
    .min(1, { error: `expected a non-empty ${what} id` })
    .max(200, { error: 'expected at most 200 characters' });
const qty = z
  .number({ error: 'expected a positive quantity' })
  .refine((q) => Number.isFinite(q) && q > 0, { error: 'expected a positive quantity' });
const price = z
  .number({ error: 'expected a positive limit price, or null for a market order' })
  .refine((p) => Number.isFinite(p) && p > 0, { error: 'expected a positive limit price, or null for a market order' })
  .nullable();

export const ticketSchema = z.strictObject({
  portfolio: id('portfolio'),
  instrument: id('instrument'),
  side: z.enum(['buy', 'sell'], { error: 'expected "buy" or "sell"' }),
  qty,
  price: price.default(null),
});
const TICKET_FIELDS = 'portfolio, instrument, side, qty, price';

export const replaceSchema = z.strictObject({ qty, price: price.default(null) });

/** A ticket from any entry point (HTTP body, WebSocket op): BAD_REQUEST naming the field at fault. */
export function parseTicket(value: unknown): OrderTicket {
  return parseRequest(ticketSchema, value, 'order', TICKET_FIELDS);
}

/** The order as clients see it (the blotter's bookkeeping of pending changes left out). */
export function orderView(o: Order) {
  return {
    id: o.id,
    clOrdId: o.clOrdId,
    portfolio: o.portfolio,
    instrument: o.instrument,
    side: o.side,
    qty: o.qty,
    price: o.price,
    venue: o.venue,
    venueOrderId: o.venueOrderId,
    status: o.status,
    cumQty: o.cumQty,
    leavesQty: ['Filled', 'Canceled', 'Rejected'].includes(o.status) ? 0 : o.qty - o.cumQty,
    avgPx: o.avgPx,
    events: o.events,
    fills: o.fills,
  };
}
export type OrderView = ReturnType<typeof orderView>;

function mustSee(ent: Entitlement, portfolio: string, what: string): void {
  if (!entitled(ent, portfolio))
    throw new RisklineError('FORBIDDEN', `not entitled to portfolio ${portfolio} (${what})`);
}

/** The order named in the path, if the caller may see it; NOT_FOUND otherwise (existence is not disclosed). */
function visible(router: OrderRouter, ent: Entitlement, orderId: string): Order {
  const o = router.get(orderId);
  if (o === undefined || !entitled(ent, o.portfolio)) throw new RisklineError('NOT_FOUND', `no order ${orderId}`);
  return o;
}

const stateError = (err: unknown): never => {
  if (err instanceof OrderError) throw new RisklineError('ORDER_STATE', err.message);
  throw err;
};

export function orderRoutes(router: OrderRouter): Route[] {
  return [
    {
      method: 'POST',
      path: `${ORDERS_PATH}/check`,
      auth: true,
      handler: async ({ req, identity }) => {
        const t = parseTicket(await jsonBody(req, ORDER_BODY_LIMIT));
        mustSee(identity.entitlement, t.portfolio, 'pre-trade check');
        return json(200, await router.check(t));
      },
    },
    {
      method: 'POST',
      path: ORDERS_PATH,
      auth: true,
      handler: async ({ req, identity }) => {
        const t = parseTicket(await jsonBody(req, ORDER_BODY_LIMIT));
        mustSee(identity.entitlement, t.portfolio, 'order');
        const { order, pretrade } = await router.submit(t);
        const body = { order: orderView(order), pretrade };
        if (order.status !== 'Rejected') return json(201, body, { location: `${ORDERS_PATH}/${order.id}` });
        const text = order.events[order.events.length - 1]?.text ?? 'rejected';
        const err = pretrade.ok ? new RisklineError('UNAVAILABLE', text) : new RisklineError('PRETRADE_REJECTED', text);
        return json(pretrade.ok ? 503 : 422, { ...errorBody(err), ...body });
      },
    },
    {
      method: 'GET',
      path: ORDERS_PATH,
      auth: true,
      handler: ({ req, identity }) => {
        const portfolio = req.url.searchParams.get('portfolio');
        if (portfolio !== null) mustSee(identity.entitlement, portfolio, 'orders');
        const out: OrderView[] = [];
        for (const o of router.orders())
          if ((portfolio === null || o.portfolio === portfolio) && entitled(identity.entitlement, o.portfolio))
            out.push(orderView(o));
        return json(200, { orders: out });
      },
    },
    {
      method: 'GET',
      path: `${ORDERS_PATH}/:id`,
      auth: true,
      handler: ({ params, identity }) => json(200, orderView(visible(router, identity.entitlement, params.id))),
    },
    {
      method: 'DELETE',
      path: `${ORDERS_PATH}/:id`,
      auth: true,
      handler: ({ params, identity }) => {
        visible(router, identity.entitlement, params.id);
        try {
          return json(202, orderView(router.cancel(params.id)));
        } catch (err) {
          return stateError(err);
        }
      },
    },
    {
      method: 'PUT',
      path: `${ORDERS_PATH}/:id`,
      auth: true,
      handler: async ({ req, params, identity }) => {
        visible(router, identity.entitlement, params.id);
        const r = parseRequest(replaceSchema, await jsonBody(req, ORDER_BODY_LIMIT), 'replace', 'qty, price');
        try {
          const { order, pretrade } = await router.replace(params.id, r.qty, r.price);
          return json(202, { order: orderView(order), pretrade });
        } catch (err) {
          return stateError(err);
        }
      },
    },
  ];
}
