// Order entry's logic apart from React: what a ticket form means (quantity, a limit price or market),
// how REST replies and the live `orders:<portfolio>` frames merge into one blotter, how each
// pre-trade check's figures read, and the REST calls of order entry (gateways/rest/orders.ts).
import type { PretradeView } from '../../../../engine/engine.js';
import type { Order } from '../../../../engine/orders.js';
import { ApiError, deleteJson, getJson, postJson, putJson } from '../api.js';
import { money } from '../format.js';

export type OrderStatus = Order['status'];
export type Side = 'buy' | 'sell';

/** An order as REST and the orders channel give it (gateways/rest/orders.ts, orderView). */
export type OrderView = Omit<Order, 'before' | 'pending'> & { leavesQty: number };

/** One pre-trade check; JSON carries NaN and Infinity as null (an unknown value, no limit). */
export interface PretradeCheck {
  name: string;
  ok: boolean;
  value: number | null;
  limit: number | null;
  reason: string;
}

/** `POST /v1/orders/check`: every check, the VaR the order adds, and the live inputs judged. */
export interface CheckAnswer {
  ok: boolean;
  checks: PretradeCheck[];
  incrementalVar: number | null;
  view: { [K in keyof PretradeView]: PretradeView[K] extends number ? number | null : PretradeView[K] };
}

export interface Ticket {
  portfolio: string;
  instrument: string;
  side: Side;
  qty: number;
  /** Limit price, null for a market order. */
  price: number | null;
}

/** The ticket as typed. */
export interface TicketForm {
  instrument: string;
  side: Side;
  qty: string;
  price: string;
}

/** A typed number, thousands separators allowed; NaN when it is none. */
export function parseNumber(text: string): number {
  const t = text.replace(/[,\s_]/g, '');
  return t === '' ? NaN : Number(t);
}

/** The ticket a form describes, or what is wrong with it (in words for the form). */
export function readTicket(
  portfolio: string,
  form: TicketForm,
  known?: (instrument: string) => boolean,
): { ticket: Ticket } | { problem: string } {
  const instrument = form.instrument.trim();
  if (instrument === '') return { problem: 'pick an instrument' };
  if (known !== undefined && !known(instrument)) return { problem: `no instrument ${instrument}` };
  const qty = parseNumber(form.qty);
  if (form.qty.trim() === '') return { problem: 'enter a quantity' };
  if (!(Number.isFinite(qty) && qty > 0)) return { problem: 'the quantity must be a positive number' };
  const price = form.price.trim() === '' ? null : parseNumber(form.price);
  if (price !== null && !(Number.isFinite(price) && price > 0))
    return { problem: 'the limit price must be a positive number (empty: market)' };
  return { ticket: { portfolio, instrument, side: form.side, qty, price } };
}

export const sameTicket = (a: Ticket, b: Ticket): boolean =>
  a.portfolio === b.portfolio &&
  a.instrument === b.instrument &&
  a.side === b.side &&
  a.qty === b.qty &&
  a.price === b.price;

const OPEN: ReadonlySet<OrderStatus> = new Set(['PendingNew', 'New', 'PartiallyFilled']);

/** Whether an order may still be cancelled or replaced (the router's own rule). */
export const isOpen = (status: OrderStatus): boolean => OPEN.has(status);

/** How far an order's life has gone: each change adds an event, a fill while a change is pending adds a fill. */
const progress = (o: OrderView): number => o.events.length + o.fills.length;

/**
 * The blotter with `incoming` orders merged in by id; a state older than the one held (a REST reply
 * overtaken by a live frame) is dropped. Returns `held` itself when nothing changed.
 */
export function mergeOrders(
  held: ReadonlyMap<string, OrderView>,
  incoming: Iterable<OrderView>,
): ReadonlyMap<string, OrderView> {
  let out: Map<string, OrderView> | null = null;
  for (const o of incoming) {
    const was = (out ?? held).get(o.id);
    if (was !== undefined && progress(was) > progress(o)) continue;
    out ??= new Map(held);
    out.set(o.id, o);
  }
  return out ?? held;
}

/** The orders of an orders-channel frame: `rows` keyed by order id. */
export function frameOrders(data: Record<string, unknown>): OrderView[] {
  const rows = data.rows;
  if (typeof rows !== 'object' || rows === null) return [];
  return Object.values(rows as Record<string, OrderView>).filter(
    (o) => typeof o === 'object' && o !== null && typeof o.id === 'string',
  );
}

/** Orders newest first (by when each was sent; the id's sequence breaks ties). */
export function newestFirst(orders: ReadonlyMap<string, OrderView>): OrderView[] {
  const sent = (o: OrderView) => o.events[0]?.ts ?? 0;
  const n = (o: OrderView) => Number(/(\d+)$/.exec(o.id)?.[1] ?? 0);
  return [...orders.values()].sort((a, b) => sent(b) - sent(a) || n(b) - n(a));
}

const pct = (v: number) => `${money(v * 100, 2)} %`;
const units = (v: number) => money(v, Number.isInteger(v) ? 0 : 2);

/** A check's value and limit as the desk reads them: units, base currency, or percent from the mark. */
export function checkFigures(c: PretradeCheck): { value: string; limit: string } {
  const show = (v: number | null, fmt: (v: number) => string, none: string) => (v === null ? none : fmt(v));
  switch (c.name) {
    case 'restricted':
      return { value: c.value ? 'restricted' : 'no', limit: 'not restricted' };
    case 'collar':
      return { value: show(c.value, pct, 'no mark'), limit: show(c.limit, (v) => `±${pct(v)}`, 'none') };
    case 'quantity':
    case 'position':
      return { value: show(c.value, units, '—'), limit: show(c.limit, units, 'none') };
    default:
      return { value: show(c.value, (v) => money(v), '—'), limit: show(c.limit, (v) => money(v), 'none') };
  }
}

const ORDERS = '/v1/orders';
const orderPath = (id: string) => `${ORDERS}/${encodeURIComponent(id)}`;

export type Access =
  | { state: 'loading' }
  | { state: 'absent' }
  | { state: 'error'; message: string }
  | { state: 'ready'; orders: OrderView[] };

/** An error as a line for the desk: the catalogue's code and message. */
export const describeError = (err: unknown): string =>
  err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);

/**
 * Whether this gateway takes orders, and the portfolio's orders if it does. The process's roles
 * (`GET /health`) are asked first, so a gateway without a router is not sent a request it answers
 * 404 (the browser would log it as an error); the order routes' 404 or 405 says the same.
 */
export async function orderAccess(portfolio: string, token: string | null): Promise<Access> {
  const roles = await getJson<{ roles?: unknown }>('/health', null).then(
    (h) => (Array.isArray(h.roles) ? (h.roles as string[]) : undefined),
    () => undefined,
  );
  if (roles !== undefined && !roles.includes('router')) return { state: 'absent' };
  try {
    const path = `${ORDERS}?portfolio=${encodeURIComponent(portfolio)}`;
    return { state: 'ready', orders: (await getJson<{ orders: OrderView[] }>(path, token)).orders };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return { state: 'absent' };
    return { state: 'error', message: describeError(err) };
  }
}

export type Placed = { order: OrderView; pretrade: CheckAnswer };

export const checkTicket = (t: Ticket, token: string | null) => postJson<CheckAnswer>(`${ORDERS}/check`, token, t);
export const sendTicket = (t: Ticket, token: string | null) => postJson<Placed>(ORDERS, token, t);
export const cancelOrder = (id: string, token: string | null) => deleteJson<OrderView>(orderPath(id), token);
export const replaceOrder = (id: string, qty: number, price: number | null, token: string | null) =>
  putJson<Placed>(orderPath(id), token, { qty, price });

/** What a refused order's reply carried besides its message: the order recorded, the pre-trade result. */
export function refusal(err: unknown): Partial<Placed> {
  if (!(err instanceof ApiError) || typeof err.body !== 'object' || err.body === null) return {};
  const body = err.body as Partial<Placed>;
  return {
    order: typeof body.order?.id === 'string' ? body.order : undefined,
    pretrade: Array.isArray(body.pretrade?.checks) ? body.pretrade : undefined,
  };
}
