// The venue simulator's matching side: FIX order entry (NewOrderSingle, OrderCancelRequest,
// OrderCancelReplaceRequest) from any number of sessions onto one price-time-priority book per
// instrument (book.ts), answered with ExecutionReports and OrderCancelRejects as an exchange would;
// and house liquidity quoted around the market (`quote`), so client orders have something to trade
// against. The session layer and the sockets are the caller's (gateways/fix/session).

import type { FieldList } from '../codec/fields.js';
import type { FixWriter } from '../codec/writer.js';
import { CxlRejReason, ExecType, OrdRejReason, OrdStatus } from '../generated/fix44.js';
import type { FixSession } from '../session/session.js';
import { OrderBook, type Fill, type Side } from './book.js';

/** An order as the venue keeps it; `house` orders are the venue's own liquidity (no reports). */
interface VenueOrder {
  orderId: string;
  clOrdId: string;
  session: FixSession | null;
  symbol: string;
  side: Side;
  ordType: string;
  orderQty: number;
  price: number | null;
  cumQty: number;
  /** Sum of price × quantity filled, for the average price. */
  notional: number;
  status: string;
}

const HOUSE = 'HOUSE';

export interface QuoteShape {
  /** Price levels a side. */
  levels: number;
  /** Quantity at each level. */
  qty: number;
  /** Distance between levels, as a fraction of the price. */
  step: number;
}

export class Venue {
  private readonly books = new Map<string, OrderBook>();
  private readonly orders = new Map<string, VenueOrder>();
  /** (session, ClOrdID) → order id: ClOrdIDs are unique per session. */
  private readonly byClOrdId = new Map<FixSession, Map<string, string>>();
  private readonly house = new Map<string, string[]>();
  private nextOrder = 0;
  private nextExec = 0;

  constructor(
    readonly id: string,
    /** Instruments traded here (others are rejected as unknown symbols). */
    private readonly instruments: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The session layer's application callback: order entry. */
  onMessage(session: FixSession, msgType: string, f: FieldList): void {
    if (msgType === 'D') this.newOrder(session, f);
    else if (msgType === 'F') this.cancel(session, f);
    else if (msgType === 'G') this.replace(session, f);
    else session.send('j', (w) => w.int(45, f.int(34)).str(372, msgType).int(380, 3).str(58, 'not order entry'));
  }

  /** The house's quotes around the market: the last ones withdrawn, `levels` each side from bid and ask. */
  quote(symbol: string, bid: number, ask: number, shape: QuoteShape = { levels: 5, qty: 1000, step: 0.0005 }): void {
    const book = this.book(symbol);
    for (const id of this.house.get(symbol) ?? []) {
      book.cancel(id);
      this.orders.delete(id);
    }
    const ids: string[] = [];
    for (let k = 0; k < shape.levels; k++) {
      for (const [side, px] of [
        ['buy', bid * (1 - k * shape.step)],
        ['sell', ask * (1 + k * shape.step)],
      ] as [Side, number][]) {
        // House quotes never cross a client's resting order: they rest only where the book is not crossed.
        const best = side === 'buy' ? book.bestAsk() : book.bestBid();
        const price = roundPrice(px);
        if (best !== null && (side === 'buy' ? price >= best : price <= best)) continue;
        const order = this.open(null, HOUSE, symbol, side, '2', shape.qty, price);
        book.submit(order.orderId, side, shape.qty, price);
        ids.push(order.orderId);
      }
    }
    this.house.set(symbol, ids);
  }

  depth(symbol: string, side: Side, n = 5): [number, number][] {
    return this.book(symbol).depth(side, n);
  }

  // ---- order entry -----------------------------------------------------------------------------

  private newOrder(session: FixSession, f: FieldList): void {
    const clOrdId = f.get(11)!;
    const symbol = f.get(55)!;
    const side: Side = f.get(54) === '1' ? 'buy' : 'sell';
    const ordType = f.get(40)!;
    const qty = Number(f.get(38));
    const price = ordType === '1' ? null : Number(f.get(44));
    const refused = this.refusal(session, clOrdId, symbol, f.get(54)!, ordType, qty, price);
    const order = this.open(session, clOrdId, symbol, side, ordType, qty, price);
    if (refused !== null) {
      order.status = OrdStatus.Rejected;
      this.orders.delete(order.orderId);
      return this.report(order, ExecType.Rejected, null, (w) => w.str(103, refused[0]).str(58, refused[1]));
    }
    this.clOrdIds(session).set(clOrdId, order.orderId);
    this.report(order, ExecType.New, null);
    const { fills, rested } = this.book(symbol).submit(order.orderId, side, qty, price);
    this.trade(order, fills);
    if (rested === null && order.cumQty < order.orderQty) {
      // A market order's unfilled rest is cancelled (nothing left to trade against).
      order.status = OrdStatus.Canceled;
      this.report(order, ExecType.Canceled, null, (w) => w.str(58, 'no more liquidity'));
    }
  }

  /** Why a new order cannot be taken: [OrdRejReason, text], or null. */
  private refusal(
    session: FixSession,
    clOrdId: string,
    symbol: string,
    side: string,
    ordType: string,
    qty: number,
    price: number | null,
  ): [string, string] | null {
    if (this.clOrdIds(session).has(clOrdId)) return [OrdRejReason.DuplicateOrder, `ClOrdID ${clOrdId} already used`];
    if (!this.instruments.has(symbol)) return [OrdRejReason.UnknownSymbol, `${symbol} is not traded here`];
    if (side !== '1' && side !== '2') return [OrdRejReason.Other, `Side ${side}: only buy (1) and sell (2)`];
    if (ordType !== '1' && ordType !== '2')
      return [OrdRejReason.UnsupportedOrderCharacteristic, `OrdType ${ordType}: market (1) or limit (2)`];
    if (!(qty > 0) || !Number.isFinite(qty)) return [OrdRejReason.IncorrectQuantity, `OrderQty ${qty}`];
    if (price !== null && !(price > 0)) return [OrdRejReason.Other, `a limit order needs a positive Price (44)`];
    return null;
  }

  private cancel(session: FixSession, f: FieldList): void {
    const order = this.find(session, f.get(41)!);
    const reject = (reason: string, text: string) => this.cancelReject(session, f, '1', order, reason, text);
    if (order === undefined) return reject(CxlRejReason.UnknownOrder, `no order ${f.get(41)}`);
    if (!this.live(order)) return reject(CxlRejReason.TooLateToCancel, `order ${order.clOrdId} is ${order.status}`);
    this.book(order.symbol).cancel(order.orderId);
    this.rename(session, order, f.get(11)!);
    order.status = OrdStatus.Canceled;
    this.report(order, ExecType.Canceled, null, (w) => w.str(41, f.get(41)!));
  }

  private replace(session: FixSession, f: FieldList): void {
    const order = this.find(session, f.get(41)!);
    const reject = (reason: string, text: string) => this.cancelReject(session, f, '2', order, reason, text);
    if (order === undefined) return reject(CxlRejReason.UnknownOrder, `no order ${f.get(41)}`);
    if (!this.live(order)) return reject(CxlRejReason.TooLateToCancel, `order ${order.clOrdId} is ${order.status}`);
    const qty = Number(f.get(38));
    const price = f.has(44) ? Number(f.get(44)) : order.price;
    if (!(qty > order.cumQty) || price === null || !(price > 0))
      return reject(
        CxlRejReason.Other,
        `OrderQty ${qty} must exceed the ${order.cumQty} filled, with a positive Price`,
      );
    const moved = this.book(order.symbol).replace(order.orderId, qty - order.cumQty, price)!;
    this.rename(session, order, f.get(11)!);
    order.orderQty = qty;
    order.price = price;
    order.status = order.cumQty > 0 ? OrdStatus.PartiallyFilled : OrdStatus.New;
    this.report(order, ExecType.Replace, null, (w) => w.str(41, f.get(41)!));
    this.trade(order, moved.fills);
  }

  // ---- trades and reports ------------------------------------------------------------------------

  /** The taker's fills and, for each, the maker's (house makers get none). */
  private trade(taker: VenueOrder, fills: Fill[]): void {
    for (const fill of fills) {
      this.fill(taker, fill.qty, fill.price);
      const maker = this.orders.get(fill.maker.id);
      if (maker !== undefined) this.fill(maker, fill.qty, fill.price);
    }
  }

  private fill(o: VenueOrder, qty: number, price: number): void {
    o.cumQty += qty;
    o.notional += qty * price;
    o.status = o.cumQty >= o.orderQty ? OrdStatus.Filled : OrdStatus.PartiallyFilled;
    this.report(o, ExecType.Trade, { qty, price });
    if (o.status === OrdStatus.Filled && o.session === null) this.orders.delete(o.orderId);
  }

  private report(
    o: VenueOrder,
    execType: string,
    last: { qty: number; price: number } | null,
    extra?: (w: FixWriter) => void,
  ): void {
    if (o.session === null || !o.session.loggedOn) return;
    o.session.send('8', (w) => {
      w.str(37, o.orderId)
        .str(11, o.clOrdId)
        .str(17, `${this.id}-E${++this.nextExec}`)
        .str(150, execType)
        .str(39, o.status);
      w.str(55, o.symbol)
        .str(54, o.side === 'buy' ? '1' : '2')
        .num(38, o.orderQty)
        .str(40, o.ordType);
      if (o.price !== null) w.num(44, o.price);
      if (last !== null) w.num(32, last.qty).num(31, last.price);
      const leaves = this.live(o) ? o.orderQty - o.cumQty : 0;
      w.num(151, leaves)
        .num(14, o.cumQty)
        .num(6, o.cumQty > 0 ? o.notional / o.cumQty : 0)
        .time(60, this.now());
      extra?.(w);
    });
  }

  private cancelReject(
    session: FixSession,
    f: FieldList,
    to: '1' | '2',
    o: VenueOrder | undefined,
    reason: string,
    text: string,
  ): void {
    session.send('9', (w) =>
      w
        .str(37, o?.orderId ?? 'NONE')
        .str(11, f.get(11)!)
        .str(41, f.get(41)!)
        .str(39, o?.status ?? OrdStatus.Rejected)
        .str(434, to)
        .str(102, reason)
        .str(58, text),
    );
  }

  // ---- bookkeeping -------------------------------------------------------------------------------

  private open(
    session: FixSession | null,
    clOrdId: string,
    symbol: string,
    side: Side,
    ordType: string,
    qty: number,
    price: number | null,
  ): VenueOrder {
    const order: VenueOrder = {
      orderId: `${this.id}-${++this.nextOrder}`,
      clOrdId,
      session,
      symbol,
      side,
      ordType,
      orderQty: qty,
      price,
      cumQty: 0,
      notional: 0,
      status: OrdStatus.New,
    };
    this.orders.set(order.orderId, order);
    return order;
  }

  private live(o: VenueOrder): boolean {
    return o.status === OrdStatus.New || o.status === OrdStatus.PartiallyFilled;
  }

  private find(session: FixSession, clOrdId: string): VenueOrder | undefined {
    const id = this.clOrdIds(session).get(clOrdId);
    return id === undefined ? undefined : this.orders.get(id);
  }

  /** A cancel or replace names the order by its new ClOrdID from then on. */
  private rename(session: FixSession, o: VenueOrder, clOrdId: string): void {
    this.clOrdIds(session).set(clOrdId, o.orderId);
    o.clOrdId = clOrdId;
  }

  private clOrdIds(session: FixSession): Map<string, string> {
    let m = this.byClOrdId.get(session);
    if (m === undefined) this.byClOrdId.set(session, (m = new Map()));
    return m;
  }

  private book(symbol: string): OrderBook {
    let b = this.books.get(symbol);
    if (b === undefined) this.books.set(symbol, (b = new OrderBook(symbol)));
    return b;
  }
}

/** Prices to six significant places: quotes are computed, and a level is one exact price. */
const roundPrice = (p: number): number => Number(p.toPrecision(6));
