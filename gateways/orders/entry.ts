// Order entry as every client edge sees it (HTTP in gateways/rest/orders.ts, the WebSocket ops in
// gateways/stream-server.ts): the request shapes, checked with zod; the caller's entitlement to the
// order's portfolio checked before anything is said or done; the order as clients see it. An order
// of a portfolio the caller may not see is answered as if it did not exist.

import { z } from 'zod';
import { isFinal } from '../../engine/order-status.js';
import { OrderError, type Order } from '../../engine/orders.js';
import { RisklineError } from '../../errors/catalogue.js';
import { entitled, type Entitlement } from '../identity/identity.js';
import { parseRequest } from '../route.js';
import type { OrderRouter, OrderTicket, PretradeAnswer } from './router.js';

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
export const replaceSchema = z.strictObject({ qty, price: price.default(null) });
export const orderIdSchema = z.strictObject({ orderId: id('order') });

/** A ticket from any edge: BAD_REQUEST naming the field at fault. */
export const parseTicket = (value: unknown): OrderTicket =>
  parseRequest(ticketSchema, value, 'order', 'portfolio, instrument, side, qty, price');
export const parseReplace = (value: unknown) => parseRequest(replaceSchema, value, 'replace', 'qty, price');

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
    leavesQty: isFinal(o.status) ? 0 : o.qty - o.cumQty,
    avgPx: o.avgPx,
    events: o.events,
    fills: o.fills,
  };
}
export type OrderView = ReturnType<typeof orderView>;

/** What a refused order's client is told: the catalogue error, and the order and checks behind it. */
export class OrderRefused extends RisklineError {
  constructor(
    code: 'PRETRADE_REJECTED' | 'UNAVAILABLE',
    message: string,
    readonly order: OrderView,
    readonly pretrade: PretradeAnswer,
  ) {
    super(code, message);
  }
}

export class OrderEntry {
  constructor(private readonly router: OrderRouter) {}

  check(ent: Entitlement, t: OrderTicket): Promise<PretradeAnswer> {
    mustSee(ent, t.portfolio, 'pre-trade check');
    return this.router.check(t);
  }

  /** Sent (PendingNew), or OrderRefused: a failed check (nothing sent) or no venue connected. */
  async submit(ent: Entitlement, t: OrderTicket): Promise<{ order: OrderView; pretrade: PretradeAnswer }> {
    mustSee(ent, t.portfolio, 'order');
    const { order, pretrade } = await this.router.submit(t);
    if (order.status !== 'Rejected') return { order: orderView(order), pretrade };
    const text = order.events[order.events.length - 1]?.text ?? 'rejected';
    throw new OrderRefused(pretrade.ok ? 'UNAVAILABLE' : 'PRETRADE_REJECTED', text, orderView(order), pretrade);
  }

  get(ent: Entitlement, orderId: string): OrderView {
    return orderView(this.visible(ent, orderId));
  }

  /** The caller's orders, oldest first; of one portfolio when named. */
  list(ent: Entitlement, portfolio: string | null): OrderView[] {
    if (portfolio !== null) mustSee(ent, portfolio, 'orders');
    const out: OrderView[] = [];
    for (const o of this.router.orders())
      if ((portfolio === null || o.portfolio === portfolio) && entitled(ent, o.portfolio)) out.push(orderView(o));
    return out;
  }

  cancel(ent: Entitlement, orderId: string): OrderView {
    this.visible(ent, orderId);
    return stated(() => orderView(this.router.cancel(orderId)));
  }

  async replace(
    ent: Entitlement,
    orderId: string,
    qty: number,
    price: number | null,
  ): Promise<{ order: OrderView; pretrade: PretradeAnswer }> {
    this.visible(ent, orderId);
    const { order, pretrade } = await stated(() => this.router.replace(orderId, qty, price));
    return { order: orderView(order), pretrade };
  }

  private visible(ent: Entitlement, orderId: string): Order {
    const o = this.router.get(orderId);
    if (o === undefined || !entitled(ent, o.portfolio)) throw new RisklineError('NOT_FOUND', `no order ${orderId}`);
    return o;
  }
}

function mustSee(ent: Entitlement, portfolio: string, what: string): void {
  if (!entitled(ent, portfolio))
    throw new RisklineError('FORBIDDEN', `not entitled to portfolio ${portfolio} (${what})`);
}

/** The blotter's "too late to cancel" as the catalogue's ORDER_STATE. */
function stated<T>(f: () => T): T {
  const wrap = (err: unknown): never => {
    if (err instanceof OrderError) throw new RisklineError('ORDER_STATE', err.message);
    throw err;
  };
  try {
    const r = f();
    return (r instanceof Promise ? r.catch(wrap) : r) as T;
  } catch (err) {
    return wrap(err);
  }
}
