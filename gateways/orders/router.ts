// The order router: an order from any entry point (HTTP, WebSocket, a FIX client) is checked
// before trade against the live engine, given a ClOrdID and sent to a venue by the routing policy
// over the venue's FIX session; the venue's reports drive the order's life in the blotter, each
// fill is published to orders.executions (so positions and risk move), and every change of an
// order is journalled and published to its portfolio's `orders:<portfolio>` channel.
//
// Invariants:
// - an order that fails a pre-trade check never reaches a venue: it is Rejected with every failed
//   check's reason, which is what the client sees;
// - an order is journalled before its NewOrderSingle is written, so a killed router restarts
//   knowing every order a venue may report on (the FIX store has the messages themselves);
// - a fill is published once per ExecID, however many times a resend brings its report back.

import type { Execution } from '../../engine/model.js';
import type { PretradeView } from '../../engine/engine.js';
import { legSizes } from '../../engine/order-legs.js';
import type { Blotter, Order, Report } from '../../engine/orders.js';
import { pretrade, type PretradeResult } from '../../engine/pretrade.js';
import { RisklineError } from '../../errors/catalogue.js';
import type { FieldList } from '../fix/codec/fields.js';
import { ExecType } from '../fix/generated/fix44.js';
import type { FixWriter } from '../fix/codec/writer.js';
import type { Body } from '../fix/session/session.js';
import type { LimitsOf } from './limits.js';
import type { RoutingPolicy } from './policy.js';

/** What a client asks for: quantity unsigned, side separate, as FIX does. */
export interface OrderTicket {
  portfolio: string;
  instrument: string;
  side: 'buy' | 'sell';
  qty: number;
  /** Limit price, or null for a market order. */
  price: number | null;
  /** Set for an order from a FIX client (fix-clients.ts). */
  client?: { session: string; clOrdId: string };
}

/** The pre-trade answer shown to a client before (or instead of) sending. */
export interface PretradeAnswer extends PretradeResult {
  /** The live inputs it judged, with the inputSeq and asOf they were read at. */
  view: PretradeView;
}

/** A venue's FIX session as the router uses it. */
export interface VenueLink {
  readonly id: string;
  /** Logged on: orders can be sent now. */
  up(): boolean;
  send(msgType: 'D' | 'F' | 'G', body: Body): void;
}

/** Where the router's output goes: the bus (orders.executions and the order channels) and its journal. */
export interface OrderSink {
  execution(e: Execution): void;
  order(o: Order): void;
}

export interface RouterOptions {
  blotter: Blotter;
  policy: RoutingPolicy;
  links: ReadonlyMap<string, VenueLink>;
  /** The live engine's view for a pre-trade check (throws UNKNOWN_PORTFOLIO, UNKNOWN_INSTRUMENT, UNAVAILABLE). */
  view(portfolio: string, instrument: string, qty: number): PretradeView | Promise<PretradeView>;
  limits: LimitsOf;
  sink: OrderSink;
  now?: () => number;
  /** A report for no order of ours (logged by the caller). */
  onUnknown?(venue: string, clOrdId: string): void;
}

export class OrderRouter {
  private readonly now: () => number;

  constructor(private readonly o: RouterOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The pre-trade checks of a ticket against the live book; nothing is sent. */
  async check(t: OrderTicket): Promise<PretradeAnswer> {
    const qty = signed(t);
    const view = await this.o.view(t.portfolio, t.instrument, qty);
    const result = pretrade(
      { portfolio: t.portfolio, instrument: t.instrument, qty, price: t.price },
      view,
      this.o.limits(t.portfolio, view.usdPerBase),
    );
    return { ...result, view };
  }

  /**
   * Checks a ticket and, if it passes, sends it to the first venue of its route that is up. The order
   * comes back in any case: Rejected (with why) when a check failed or no venue could take it.
   */
  async submit(t: OrderTicket): Promise<{ order: Order; pretrade: PretradeAnswer }> {
    const answer = await this.check(t);
    const ts = this.now();
    const route = this.o.policy.venuesFor(t.instrument);
    const split = this.o.policy.split;
    const up = route.filter((v) => this.o.links.get(v)?.up());
    if (answer.ok && split !== null && t.qty >= split.minQty && up.length >= 2) {
      const sizes = legSizes(t.qty, Math.min(up.length, split.maxVenues));
      if (sizes.length >= 2)
        return this.submitSplit(
          t,
          sizes.map((qty, k) => ({ venue: up[k], qty })),
          answer,
          ts,
        );
    }
    const venue = up[0] ?? route[0] ?? '';
    const order = this.o.blotter.open({ ...t, venue }, ts);
    if (!answer.ok) {
      const why = answer.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`);
      this.o.blotter.reject(order, ts, `pre-trade: ${why.join('; ')}`);
    } else if (venue === '' || !this.o.links.get(venue)?.up()) {
      const text = route.length === 0 ? `no venue trades ${t.instrument}` : `no venue connected (${route.join(', ')})`;
      this.o.blotter.reject(order, ts, text);
    }
    this.o.sink.order(order);
    if (order.status === 'PendingNew') this.sendNew(order);
    return { order, pretrade: answer };
  }

  /** An order sent in legs, one NewOrderSingle per venue. */
  private submitSplit(
    t: OrderTicket,
    legs: { venue: string; qty: number }[],
    pretrade: PretradeAnswer,
    ts: number,
  ): { order: Order; pretrade: PretradeAnswer } {
    const order = this.o.blotter.openSplit({ ...t, venue: '' }, legs, ts);
    this.o.sink.order(order);
    for (const leg of order.legs!) this.sendNew(order, leg.venue, leg.clOrdId, leg.qty);
    return { order, pretrade };
  }

  /** Asks the venue to cancel an open order (OrderError when it is not open). */
  cancel(id: string): Order {
    const open = this.o.blotter.mustBeOpen(id, 'cancel');
    if (open.legs !== undefined) return this.cancelLegs(id);
    const link = this.linkUp(open.venue);
    const { clOrdId, origClOrdId, order } = this.o.blotter.requestCancel(id, this.now());
    this.o.sink.order(order);
    this.sendCancel(link, order, origClOrdId, clOrdId, order.qty);
    return order;
  }

  /** Cancels every open leg of a split order at its venue. */
  private cancelLegs(id: string): Order {
    const { order, legs } = this.o.blotter.requestCancelLegs(id, this.now());
    this.o.sink.order(order);
    for (const { leg, clOrdId, origClOrdId } of legs) {
      const link = this.o.links.get(leg.venue);
      // A leg whose venue is down is cancelled when the session comes back (the venue answers the resend).
      if (link === undefined || !link.up()) continue;
      this.sendCancel(link, order, origClOrdId, clOrdId, leg.qty);
    }
    return order;
  }

  /** An OrderCancelRequest for `origClOrdId` under the new `clOrdId`. */
  private sendCancel(link: VenueLink, order: Order, origClOrdId: string, clOrdId: string, qty: number): void {
    link.send('F', (w) =>
      w
        .str(41, origClOrdId)
        .str(11, clOrdId)
        .str(1, order.portfolio)
        .str(55, order.instrument)
        .str(54, order.side === 'buy' ? '1' : '2')
        .time(60, this.now())
        .num(38, qty),
    );
  }

  /** Asks the venue to change an open order's quantity and price (checked before trade as a new order would be). */
  async replace(id: string, qty: number, price: number | null): Promise<{ order: Order; pretrade: PretradeAnswer }> {
    const current = this.o.blotter.mustBeReplaceable(id);
    const link = this.linkUp(current.venue);
    // The change is judged as what it adds: the extra quantity at the new price.
    const extra = qty - current.qty;
    const answer = await this.check({ ...current, qty: Math.max(Math.abs(extra), 1e-9), price });
    if (extra > 0 && !answer.ok) {
      const why = answer.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`);
      throw new RisklineError('BAD_REQUEST', `replace refused before trade: ${why.join('; ')}`);
    }
    const { clOrdId, origClOrdId, order } = this.o.blotter.requestReplace(id, qty, price, this.now());
    this.o.sink.order(order);
    link.send('G', (w) => this.orderBody(w.str(41, origClOrdId), order, clOrdId, qty, price));
    return { order, pretrade: answer };
  }

  get(id: string): Order | undefined {
    return this.o.blotter.get(id);
  }

  /** Every order, oldest first. */
  orders(): IterableIterator<Order> {
    return this.o.blotter.all();
  }

  /** A venue session's application message: ExecutionReport or OrderCancelReject. */
  onVenueMessage(venue: string, msgType: string, f: FieldList): void {
    if (msgType === '8') return this.onReport(venue, f);
    if (msgType === '9') {
      const order = this.o.blotter.onCancelReject(f.get(11) ?? '', f.get(41) ?? '', this.now(), f.get(58) ?? 'refused');
      if (order === null) return this.o.onUnknown?.(venue, f.get(11) ?? '');
      this.o.sink.order(order);
    }
  }

  private onReport(venue: string, f: FieldList): void {
    const r: Report = {
      clOrdId: f.get(11) ?? '',
      origClOrdId: f.get(41),
      venueOrderId: f.get(37) ?? '',
      execId: f.get(17) ?? '',
      execType: f.get(150) ?? '',
      ordStatus: f.get(39) ?? '',
      lastQty: Number(f.get(32) ?? 0),
      lastPx: Number(f.get(31) ?? 0),
      cumQty: Number(f.get(14) ?? 0),
      avgPx: Number(f.get(6) ?? 0),
      text: f.get(58) ?? '',
      ts: this.now(),
    };
    const order = this.o.blotter.get(r.clOrdId) ?? (r.origClOrdId ? this.o.blotter.get(r.origClOrdId) : undefined);
    if (order !== undefined && r.execType === ExecType.Rejected && this.reroute(order, venue, r.text)) return;
    const { order: updated, fill } = this.o.blotter.onReport(r);
    if (updated === null) return this.o.onUnknown?.(venue, r.clOrdId);
    // The fill first: whoever reads the order's new state finds its execution already published.
    if (fill !== null) this.o.sink.execution(fill);
    this.o.sink.order(updated);
  }

  /** A refused order that has not traded goes to the next venue of its route that is up, if any. */
  private reroute(order: Order, venue: string, text: string): boolean {
    if (order.status !== 'PendingNew' || order.cumQty > 0 || order.venue !== venue) return false;
    const route = this.o.policy.venuesFor(order.instrument);
    const next = route.slice(route.indexOf(venue) + 1).find((v) => this.o.links.get(v)?.up());
    if (next === undefined) return false;
    this.o.blotter.reroute(order, next, this.now(), `${venue} rejected: ${text || 'no reason given'}`);
    this.o.sink.order(order);
    this.sendNew(order);
    return true;
  }

  private sendNew(order: Order, venue = order.venue, clOrdId = order.clOrdId, qty = order.qty): void {
    this.linkUp(venue).send('D', (w) => this.orderBody(w, order, clOrdId, qty, order.price));
  }

  /** The fields a NewOrderSingle and an OrderCancelReplaceRequest share, from ClOrdID on. */
  private orderBody(w: FixWriter, order: Order, clOrdId: string, qty: number, price: number | null): void {
    w.str(11, clOrdId)
      .str(1, order.portfolio)
      .str(21, '1')
      .str(55, order.instrument)
      .str(54, order.side === 'buy' ? '1' : '2')
      .time(60, this.now())
      .num(38, qty)
      .str(40, price === null ? '1' : '2');
    if (price !== null) w.num(44, price);
  }

  private linkUp(venue: string): VenueLink {
    const link = this.o.links.get(venue);
    if (link === undefined || !link.up())
      throw new RisklineError('UNAVAILABLE', `venue ${venue || '(none)'} is not connected; try again`);
    return link;
  }
}

const signed = (t: OrderTicket): number => (t.side === 'buy' ? t.qty : -t.qty);
