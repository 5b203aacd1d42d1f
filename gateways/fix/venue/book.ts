// A limit order book for one instrument with price-time priority, as an exchange matches: an
// incoming order trades against the best opposite price first and, at one price, the oldest
// resting order first, always at the resting order's price; what is left of a limit order rests,
// what is left of a market order is cancelled. A cancel removes what rests; a replace keeps the
// order's place when only its quantity goes down, and sends it to the back when its price changes
// or its quantity goes up.
//
// Invariants: bids sorted high to low, asks low to high, no empty level kept, the book never
// crossed after a call returns (best bid < best ask).

export type Side = 'buy' | 'sell';

export interface Resting {
  id: string;
  side: Side;
  price: number;
  /** Quantity still resting. */
  qty: number;
  /** Arrival order, for priority. */
  seq: number;
}

export interface Fill {
  /** The resting order traded against. */
  maker: Resting;
  price: number;
  qty: number;
}

interface Level {
  price: number;
  orders: Resting[];
  /** Index of the first live order in `orders` (filled ones are skipped, compacted now and then). */
  head: number;
}

export class OrderBook {
  private readonly bids: Level[] = [];
  private readonly asks: Level[] = [];
  private readonly byId = new Map<string, Resting>();
  private seq = 0;

  constructor(readonly instrument: string) {}

  /**
   * Matches an incoming order (price null: a market order) and rests what a limit order has left.
   * Returns the fills, in the order they happened, and the order as it rests (null if nothing rests).
   */
  submit(id: string, side: Side, qty: number, price: number | null): { fills: Fill[]; rested: Resting | null } {
    if (this.byId.has(id)) throw new Error(`order ${id} is already in the book`);
    const fills: Fill[] = [];
    let left = qty;
    const opposite = side === 'buy' ? this.asks : this.bids;
    while (left > 0 && opposite.length > 0) {
      const level = opposite[0];
      if (price !== null && (side === 'buy' ? level.price > price : level.price < price)) break;
      left = this.take(level, left, fills);
      if (level.head === level.orders.length) opposite.shift();
    }
    if (left <= 0 || price === null) return { fills, rested: null };
    const rested: Resting = { id, side, price, qty: left, seq: ++this.seq };
    this.rest(rested);
    return { fills, rested };
  }

  /** Removes a resting order; what it had left, or null if it does not rest here. */
  cancel(id: string): Resting | null {
    const o = this.byId.get(id);
    if (o === undefined) return null;
    this.byId.delete(id);
    const levels = o.side === 'buy' ? this.bids : this.asks;
    const at = this.levelIndex(levels, o.price, o.side);
    const level = levels[at];
    const k = level.orders.indexOf(o, level.head);
    level.orders.splice(k, 1);
    if (level.head >= level.orders.length) levels.splice(at, 1);
    return o;
  }

  /**
   * A resting order's new quantity still to fill, and price. It keeps its place when the price holds
   * and the quantity does not grow; else it goes to the back (and may trade, if the price now crosses).
   * Null when the order does not rest here.
   */
  replace(id: string, qty: number, price: number): { fills: Fill[]; rested: Resting | null } | null {
    const o = this.byId.get(id);
    if (o === undefined) return null;
    if (price === o.price && qty <= o.qty) {
      if (qty <= 0) this.cancel(id);
      else o.qty = qty;
      return { fills: [], rested: qty > 0 ? o : null };
    }
    this.cancel(id);
    return this.submit(id, o.side, qty, price);
  }

  get(id: string): Resting | undefined {
    return this.byId.get(id);
  }

  bestBid(): number | null {
    return this.bids[0]?.price ?? null;
  }

  bestAsk(): number | null {
    return this.asks[0]?.price ?? null;
  }

  /** Price and total quantity of the first `n` levels of a side, best first. */
  depth(side: Side, n = 5): [price: number, qty: number][] {
    return (side === 'buy' ? this.bids : this.asks).slice(0, n).map((l) => {
      let q = 0;
      for (let i = l.head; i < l.orders.length; i++) q += l.orders[i].qty;
      return [l.price, q];
    });
  }

  /** Trades `left` against a level's orders, oldest first; returns what is left to fill. */
  private take(level: Level, left: number, fills: Fill[]): number {
    while (left > 0 && level.head < level.orders.length) {
      const maker = level.orders[level.head];
      const qty = Math.min(left, maker.qty);
      maker.qty -= qty;
      left -= qty;
      fills.push({ maker, price: level.price, qty });
      if (maker.qty === 0) {
        this.byId.delete(maker.id);
        level.head++;
      }
    }
    // Filled orders at the front are dropped in one splice once they are many.
    if (level.head > 32 && level.head * 2 > level.orders.length) {
      level.orders.splice(0, level.head);
      level.head = 0;
    }
    return left;
  }

  private rest(o: Resting): void {
    this.byId.set(o.id, o);
    const levels = o.side === 'buy' ? this.bids : this.asks;
    let lo = 0;
    let hi = levels.length;
    // First level not better than o.price (bids descending, asks ascending).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const better = o.side === 'buy' ? levels[mid].price > o.price : levels[mid].price < o.price;
      if (better) lo = mid + 1;
      else hi = mid;
    }
    if (lo < levels.length && levels[lo].price === o.price) levels[lo].orders.push(o);
    else levels.splice(lo, 0, { price: o.price, orders: [o], head: 0 });
  }

  private levelIndex(levels: Level[], price: number, side: Side): number {
    let lo = 0;
    let hi = levels.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = levels[mid].price;
      if (p === price) return mid;
      if (side === 'buy' ? p > price : p < price) lo = mid + 1;
      else hi = mid - 1;
    }
    throw new Error(`no ${side} level at ${price}`);
  }
}
