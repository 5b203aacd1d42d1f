// The order router's blotter: each order's life as FIX defines it (OrdStatus 39), driven by the
// client's requests and the venue's ExecutionReports and OrderCancelRejects, and each fill turned
// into the Execution the engine books (so positions and risk move). Pure: no sockets, no clock —
// the caller passes event times.
//
// States: PendingNew → New → PartiallyFilled → Filled; PendingCancel → Canceled; PendingReplace →
// (the order, with its new quantity and price); Rejected. A cancel or replace takes a new ClOrdID
// and names the live one as OrigClOrdID; reports find the order by either. A fill is counted once
// by its ExecID, however many times a resend (PossDupFlag) brings it back.

import type { Execution, Side } from './model.js';
import { aggregate, legIsOpen, type Leg } from './order-legs.js';
import { isFinal, isOpen, type OrderStatus } from './order-status.js';

export type { OrderStatus } from './order-status.js';

export interface OrderRequest {
  portfolio: string;
  instrument: string;
  side: Side;
  qty: number;
  /** Limit price, or null for a market order. */
  price: number | null;
  venue: string;
  /** A FIX client's order: its session and the ClOrdID it knows the order by now. */
  client?: { session: string; clOrdId: string };
}

export interface OrderEvent {
  ts: number;
  status: OrderStatus;
  text: string;
}

export interface Order extends OrderRequest {
  id: string;
  /** The ClOrdID the venue knows the order by now. */
  clOrdId: string;
  /** The venue's OrderID (37), once it has one. */
  venueOrderId: string | null;
  status: OrderStatus;
  cumQty: number;
  avgPx: number;
  /** What a pending cancel or replace will restore if the venue refuses it. */
  before: OrderStatus | null;
  /** A pending replace's quantity and price. */
  pending: { qty: number; price: number | null } | null;
  events: OrderEvent[];
  /** Fills in the order they came, each once (by the venue's ExecID). */
  fills: OrderFill[];
  /** A split order's legs at several venues (order-legs.ts); absent for an order at one venue. */
  legs?: Leg[];
}

export interface OrderFill {
  execId: string;
  qty: number;
  price: number;
  ts: number;
}

/** An ExecutionReport (35=8) as the router reads it. */
export interface Report {
  clOrdId: string;
  origClOrdId?: string;
  venueOrderId: string;
  execId: string;
  /** ExecType (150) and OrdStatus (39), wire values. */
  execType: string;
  ordStatus: string;
  lastQty: number;
  lastPx: number;
  cumQty: number;
  avgPx: number;
  text: string;
  ts: number;
}

export class OrderError extends Error {
  override name = 'OrderError';
}

const STATUS: Record<string, OrderStatus> = {
  '0': 'New',
  '1': 'PartiallyFilled',
  '2': 'Filled',
  '4': 'Canceled',
  '8': 'Rejected',
  A: 'PendingNew',
  '6': 'PendingCancel',
  E: 'PendingReplace',
};

export class Blotter {
  private readonly orders = new Map<string, Order>();
  private readonly byClOrdId = new Map<string, Order>();
  private readonly execIds = new Set<string>();
  private seq = 0;

  constructor(private readonly prefix: string) {}

  get(id: string): Order | undefined {
    return this.orders.get(id) ?? this.byClOrdId.get(id);
  }

  /** A new order, PendingNew until the venue acknowledges it; its ClOrdID is its id. */
  open(req: OrderRequest, ts: number): Order {
    const id = `${this.prefix}-${++this.seq}`;
    const order: Order = {
      ...req,
      id,
      clOrdId: id,
      venueOrderId: null,
      status: 'PendingNew',
      cumQty: 0,
      avgPx: 0,
      before: null,
      pending: null,
      events: [],
      fills: [],
    };
    this.orders.set(id, order);
    this.byClOrdId.set(id, order);
    this.note(order, 'PendingNew', ts, 'sent');
    return order;
  }

  /** A new order split over venues: one leg each, PendingNew, with ClOrdIDs `<id>.L<k>`. */
  openSplit(req: OrderRequest, legs: { venue: string; qty: number }[], ts: number): Order {
    const order = this.open({ ...req, venue: legs.map((l) => l.venue).join('+') }, ts);
    order.legs = legs.map((l, k) => ({
      venue: l.venue,
      clOrdId: `${order.id}.L${k + 1}`,
      venueOrderId: null,
      qty: l.qty,
      cumQty: 0,
      status: 'PendingNew' as const,
      before: null,
    }));
    for (const leg of order.legs) this.byClOrdId.set(leg.clOrdId, order);
    order.events[order.events.length - 1].text =
      `sent in ${legs.length} legs: ${legs.map((l) => `${l.qty} to ${l.venue}`).join(', ')}`;
    return order;
  }

  /**
   * The orders of an earlier run (its journal), as they were: ClOrdIDs, fills and the id sequence
   * carry on, so a venue's resent reports find their orders and count no fill twice.
   */
  restore(orders: readonly Order[]): void {
    for (const order of orders) {
      this.orders.set(order.id, order);
      this.byClOrdId.set(order.id, order);
      this.byClOrdId.set(order.clOrdId, order);
      for (const f of order.fills) this.execIds.add(f.execId);
      for (const leg of order.legs ?? []) this.byClOrdId.set(leg.clOrdId, order);
      const n = Number(order.id.slice(this.prefix.length + 1));
      if (order.id.startsWith(`${this.prefix}-`) && n > this.seq) this.seq = n;
    }
  }

  /**
   * Forgets the orders final before `before` (epoch ms), so a router running for weeks holds about a
   * day's orders, not all it ever saw; returns them. A late resend of a report on one is then unknown.
   */
  evictFinal(before: number): Order[] {
    const gone: Order[] = [];
    for (const [id, o] of this.orders) {
      if (!finalBefore(o, before)) continue;
      this.orders.delete(id);
      for (const f of o.fills) this.execIds.delete(f.execId);
      gone.push(o);
    }
    if (gone.length > 0) for (const [k, o] of this.byClOrdId) if (!this.orders.has(o.id)) this.byClOrdId.delete(k);
    return gone;
  }

  /** Every order, oldest first. */
  all(): IterableIterator<Order> {
    return this.orders.values();
  }

  /**
   * A venue refused an order that has not traded: it goes to `venue` instead under a new ClOrdID
   * (returned), still PendingNew, the refusal noted in its life.
   */
  reroute(order: Order, venue: string, ts: number, why: string): string {
    const clOrdId = `${order.id}.${order.events.length}`;
    order.clOrdId = clOrdId;
    order.venue = venue;
    order.venueOrderId = null;
    this.byClOrdId.set(clOrdId, order);
    this.note(order, 'PendingNew', ts, `${why}; sent to ${venue}`);
    return clOrdId;
  }

  /** A pre-trade refusal or a venue that could not be reached: Rejected before any venue saw it. */
  reject(order: Order, ts: number, text: string): void {
    this.note(order, 'Rejected', ts, text);
  }

  /** Asks to cancel: the new ClOrdID to send as 11 (with the live one as 41). */
  requestCancel(id: string, ts: number): { clOrdId: string; origClOrdId: string; order: Order } {
    const order = this.mustBeOpen(id, 'cancel');
    return this.pend(order, 'PendingCancel', ts, null);
  }

  /** Asks to cancel every open leg of a split order: per leg, its venue and the ClOrdIDs to send. */
  requestCancelLegs(
    id: string,
    ts: number,
  ): { order: Order; legs: { leg: Leg; clOrdId: string; origClOrdId: string }[] } {
    const order = this.mustBeOpen(id, 'cancel');
    const legs = (order.legs ?? []).filter(legIsOpen).map((leg) => {
      const origClOrdId = leg.clOrdId;
      leg.clOrdId = cancelClOrdId(origClOrdId);
      leg.before = leg.status;
      leg.status = 'PendingCancel';
      this.byClOrdId.set(leg.clOrdId, order);
      return { leg, clOrdId: leg.clOrdId, origClOrdId };
    });
    order.before = order.status;
    this.note(order, 'PendingCancel', ts, 'cancel sent');
    return { order, legs };
  }

  /** Asks to replace quantity and price: the new ClOrdID to send (with the live one as 41). */
  requestReplace(
    id: string,
    qty: number,
    price: number | null,
    ts: number,
  ): { clOrdId: string; origClOrdId: string; order: Order } {
    const order = this.mustBeReplaceable(id);
    if (!(qty > order.cumQty))
      throw new OrderError(`order ${order.id}: the new quantity ${qty} must exceed the ${order.cumQty} filled`);
    return this.pend(order, 'PendingReplace', ts, { qty, price });
  }

  /**
   * An ExecutionReport: the order's new state, and the Execution to book if it reports a fill seen
   * for the first time (null otherwise). Unknown ClOrdIDs are the caller's to log (returns null order).
   */
  onReport(r: Report): { order: Order | null; fill: Execution | null } {
    const order =
      this.byClOrdId.get(r.clOrdId) ?? (r.origClOrdId !== undefined ? this.byClOrdId.get(r.origClOrdId) : undefined);
    if (order === undefined) return { order: null, fill: null };
    if (order.legs !== undefined) return this.onLegReport(order, order.legs, r);
    order.venueOrderId = r.venueOrderId;
    const fresh = !this.execIds.has(r.execId);
    this.execIds.add(r.execId);
    let fill: Execution | null = null;
    if (isFill(r) && fresh) {
      fill = execution(order, order.venue, r);
      order.cumQty = r.cumQty;
      order.avgPx = r.avgPx;
      order.fills.push({ execId: r.execId, qty: r.lastQty, price: r.lastPx, ts: r.ts });
    }
    if (!fresh) return { order, fill: null };
    const status = STATUS[r.ordStatus];
    if (r.execType === '5' && order.pending !== null) {
      // Replaced: the order carries its new quantity and price under the new ClOrdID.
      order.qty = order.pending.qty;
      order.price = order.pending.price;
    }
    const settles = r.execType === '4' || r.execType === '5' || isFinal(status);
    if (order.before !== null && !settles) {
      // Still waiting on the cancel or replace: a fill meanwhile changes what a refusal restores.
      if (status !== undefined) order.before = status;
      return { order, fill };
    }
    order.pending = null;
    order.before = null;
    if (status !== undefined) this.note(order, status, r.ts, r.text || describe(r));
    return { order, fill };
  }

  /** A report on one leg of a split order: the leg's state, the order's from all its legs, each fill once. */
  private onLegReport(order: Order, legs: Leg[], r: Report): { order: Order; fill: Execution | null } {
    // A leg's report may still name the ClOrdID its pending cancel replaced.
    const cancelId = cancelClOrdId(r.clOrdId);
    const leg = legs.find((l) => l.clOrdId === r.clOrdId || l.clOrdId === r.origClOrdId || l.clOrdId === cancelId);
    if (leg === undefined || this.execIds.has(r.execId)) return { order, fill: null };
    this.execIds.add(r.execId);
    leg.venueOrderId = r.venueOrderId;
    let fill: Execution | null = null;
    if (isFill(r)) {
      fill = execution(order, leg.venue, r);
      const cum = order.cumQty + r.lastQty;
      order.avgPx = (order.avgPx * order.cumQty + r.lastPx * r.lastQty) / cum;
      order.cumQty = cum;
      leg.cumQty = r.cumQty;
      order.fills.push({ execId: r.execId, qty: r.lastQty, price: r.lastPx, ts: r.ts });
    }
    const status = r.execType === '4' ? 'Canceled' : STATUS[r.ordStatus];
    if (status !== undefined && (leg.status !== 'PendingCancel' || status === 'Canceled' || status === 'Filled')) {
      leg.status = status;
      if (status !== 'PendingCancel') leg.before = null;
    }
    const next = aggregate(legs, order.qty, order.cumQty, order.status === 'PendingCancel');
    if (next !== order.status || fill !== null) this.note(order, next, r.ts, `${leg.venue}: ${r.text || describe(r)}`);
    return { order, fill };
  }

  /** The venue refused a cancel or replace: the order goes back to what it was, under its old ClOrdID. */
  onCancelReject(clOrdId: string, origClOrdId: string, ts: number, text: string): Order | null {
    const order = this.byClOrdId.get(clOrdId) ?? this.byClOrdId.get(origClOrdId);
    if (order?.legs !== undefined) {
      const leg = order.legs.find((l) => l.clOrdId === clOrdId);
      if (leg === undefined || leg.before === null) return order;
      leg.clOrdId = origClOrdId;
      leg.status = leg.before;
      leg.before = null;
      // The order stays PendingCancel while another leg's cancel is out.
      const cancelling = order.legs.some((l) => l.status === 'PendingCancel');
      this.note(order, aggregate(order.legs, order.qty, order.cumQty, cancelling), ts, `${leg.venue} refused: ${text}`);
      return order;
    }
    if (order === undefined || order.before === null) return order ?? null;
    order.clOrdId = origClOrdId;
    order.pending = null;
    const back = order.before;
    order.before = null;
    this.note(order, back, ts, `refused: ${text}`);
    return order;
  }

  /** The order, if it is still open to a cancel or replace (OrderError saying why not otherwise). */
  /** An open order at one venue (a split order's legs cannot be replaced as one). */
  mustBeReplaceable(id: string): Order {
    const order = this.mustBeOpen(id, 'replace');
    if (order.legs !== undefined)
      throw new OrderError(`order ${order.id} is split over venues: cancel it and send a new one instead of a replace`);
    return order;
  }

  mustBeOpen(id: string, what: string): Order {
    const order = this.get(id);
    if (order === undefined) throw new OrderError(`no order ${id}`);
    if (!isOpen(order.status)) throw new OrderError(`order ${order.id} is ${order.status}: too late to ${what}`);
    return order;
  }

  private pend(order: Order, status: 'PendingCancel' | 'PendingReplace', ts: number, pending: Order['pending']) {
    const origClOrdId = order.clOrdId;
    const clOrdId = `${order.id}.${order.events.length}`;
    order.before = order.status;
    order.pending = pending;
    order.clOrdId = clOrdId;
    this.byClOrdId.set(clOrdId, order);
    this.note(order, status, ts, status === 'PendingCancel' ? 'cancel sent' : 'replace sent');
    return { clOrdId, origClOrdId, order };
  }

  private note(order: Order, status: OrderStatus, ts: number, text: string): void {
    order.status = status;
    order.events.push({ ts, status, text });
    if (isFinal(status)) order.pending = null;
  }
}

/** The ClOrdID a split order's leg is cancelled under (its own, marked). */
const cancelClOrdId = (clOrdId: string): string => `${clOrdId}c`;

/** Final, and last changed before `ts` (epoch ms): what a router running for weeks may forget. */
export const finalBefore = (o: Order, ts: number): boolean =>
  isFinal(o.status) && (o.events[o.events.length - 1]?.ts ?? 0) < ts;

const isFill = (r: Report): boolean =>
  (r.execType === 'F' || r.execType === '1' || r.execType === '2') && r.lastQty > 0;

/** The Execution the engine books for a fill reported by `venue` (its id unique per venue). */
function execution(order: Order, venue: string, r: Report): Execution {
  return {
    id: `${venue}:${r.execId}`,
    orderId: order.id,
    portfolio: order.portfolio,
    instrument: order.instrument,
    side: order.side,
    qty: r.lastQty,
    price: r.lastPx,
    venue,
    ts: r.ts,
  };
}

function describe(r: Report): string {
  if (r.lastQty > 0) return `filled ${r.lastQty} at ${r.lastPx}`;
  return { '0': 'accepted', '4': 'canceled', '5': 'replaced', '8': 'rejected' }[r.execType] ?? `ExecType ${r.execType}`;
}
