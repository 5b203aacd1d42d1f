// Order entry over HTTP (docs/architecture.md, "Orders"): check a ticket before trade, send it,
// read it, cancel it, replace it, through the same OrderEntry as the WebSocket's order ops.

import { errorBody } from '../../errors/catalogue.js';
import { OrderEntry, OrderRefused, parseReplace, parseTicket } from '../orders/entry.js';
import { json, jsonBody, type Route } from '../route.js';

export const ORDERS_PATH = '/v1/orders';
/** An order body is about a hundred bytes. */
const ORDER_BODY_LIMIT = 16 * 1024;

export function orderRoutes(entry: OrderEntry): Route[] {
  return [
    {
      method: 'POST',
      path: `${ORDERS_PATH}/check`,
      auth: true,
      handler: async ({ req, identity }) =>
        json(200, await entry.check(identity.entitlement, parseTicket(await jsonBody(req, ORDER_BODY_LIMIT)))),
    },
    {
      method: 'POST',
      path: ORDERS_PATH,
      auth: true,
      handler: async ({ req, identity }) => {
        const ticket = parseTicket(await jsonBody(req, ORDER_BODY_LIMIT));
        try {
          const sent = await entry.submit(identity.entitlement, ticket);
          return json(201, sent, { location: `${ORDERS_PATH}/${sent.order.id}` });
        } catch (err) {
          if (!(err instanceof OrderRefused)) throw err;
          // The refusal, with the order (Rejected) and every check behind it.
          const status = err.code === 'PRETRADE_REJECTED' ? 422 : 503;
          return json(status, { ...errorBody(err), order: err.order, pretrade: err.pretrade });
        }
      },
    },
    {
      method: 'GET',
      path: ORDERS_PATH,
      auth: true,
      handler: ({ req, identity }) =>
        json(200, { orders: entry.list(identity.entitlement, req.url.searchParams.get('portfolio')) }),
    },
    {
      method: 'GET',
      path: `${ORDERS_PATH}/:id`,
      auth: true,
      handler: ({ params, identity }) => json(200, entry.get(identity.entitlement, params.id)),
    },
    {
      method: 'DELETE',
      path: `${ORDERS_PATH}/:id`,
      auth: true,
      handler: ({ params, identity }) => json(202, entry.cancel(identity.entitlement, params.id)),
    },
    {
      method: 'PUT',
      path: `${ORDERS_PATH}/:id`,
      auth: true,
      handler: async ({ req, params, identity }) => {
        const r = parseReplace(await jsonBody(req, ORDER_BODY_LIMIT));
        return json(202, await entry.replace(identity.entitlement, params.id, r.qty, r.price));
      },
    },
  ];
}
