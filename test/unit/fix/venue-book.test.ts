// The venue's order book against a reference written the plain way (every resting order in one
// list, the best found by a scan of price then arrival): the same fills, at the same prices, in the
// same order, and the same book after thousands of random submits, cancels and replaces.
import t from 'tap';
import { OrderBook, type Side } from '../../../gateways/fix/venue/book.js';
import { CounterRng } from '../../../maths/random.js';

interface Ref {
  id: string;
  side: Side;
  price: number;
  qty: number;
  seq: number;
}

class ReferenceBook {
  orders: Ref[] = [];
  seq = 0;
  submit(id: string, side: Side, qty: number, price: number | null): [string, number, number][] {
    const fills: [string, number, number][] = [];
    let left = qty;
    for (;;) {
      const candidates = this.orders.filter(
        (o) => o.side !== side && (price === null || (side === 'buy' ? o.price <= price : o.price >= price)),
      );
      if (left <= 0 || candidates.length === 0) break;
      candidates.sort((a, b) => (side === 'buy' ? a.price - b.price : b.price - a.price) || a.seq - b.seq);
      const m = candidates[0];
      const q = Math.min(left, m.qty);
      m.qty -= q;
      left -= q;
      fills.push([m.id, m.price, q]);
      if (m.qty === 0) this.orders = this.orders.filter((o) => o !== m);
    }
    if (left > 0 && price !== null) this.orders.push({ id, side, price, qty: left, seq: ++this.seq });
    return fills;
  }
  cancel(id: string): boolean {
    const had = this.orders.some((o) => o.id === id);
    this.orders = this.orders.filter((o) => o.id !== id);
    return had;
  }
  replace(id: string, qty: number, price: number): [string, number, number][] | null {
    const o = this.orders.find((x) => x.id === id);
    if (!o) return null;
    if (price === o.price && qty <= o.qty) {
      if (qty <= 0) this.cancel(id);
      else o.qty = qty;
      return [];
    }
    this.cancel(id);
    return this.submit(id, o.side, qty, price);
  }
  depth(side: Side): [number, number][] {
    const by = new Map<number, number>();
    for (const o of this.orders.filter((x) => x.side === side)) by.set(o.price, (by.get(o.price) ?? 0) + o.qty);
    return [...by].sort((a, b) => (side === 'buy' ? b[0] - a[0] : a[0] - b[0]));
  }
}

t.test('price-time priority by hand', async (t) => {
  const b = new OrderBook('AAPL');
  b.submit('s1', 'sell', 100, 101);
  b.submit('s2', 'sell', 50, 100);
  b.submit('s3', 'sell', 70, 100);
  const { fills, rested } = b.submit('b1', 'buy', 150, 101);
  t.same(
    fills.map((f) => [f.maker.id, f.price, f.qty]),
    [
      ['s2', 100, 50],
      ['s3', 100, 70],
      ['s1', 101, 30],
    ],
    'best price first, then oldest, at the resting price',
  );
  t.equal(rested, null, 'filled in full');
  t.same(b.depth('sell'), [[101, 70]]);
  t.same(
    b.submit('m1', 'buy', 500, null).fills.map((f) => f.qty),
    [70],
    'a market order takes what there is',
  );
  t.equal(b.bestAsk(), null, 'and its rest is cancelled, not rested');
  t.equal(b.bestBid(), null);
  b.submit('b2', 'buy', 10, 99);
  b.submit('b3', 'buy', 10, 99);
  b.replace('b2', 5, 99);
  t.same(
    b.submit('s4', 'sell', 6, 99).fills.map((f) => [f.maker.id, f.qty]),
    [
      ['b2', 5],
      ['b3', 1],
    ],
    'a smaller quantity keeps its place',
  );
  b.submit('b4', 'buy', 1, 99);
  b.replace('b3', 20, 99);
  t.equal(b.get('b3')!.qty, 20);
  t.same(
    b.submit('s5', 'sell', 21, 99).fills.map((f) => f.maker.id),
    ['b4', 'b3'],
    'a bigger quantity goes to the back',
  );
  t.equal(b.cancel('nope'), null);
  t.throws(() => b.submit('x', 'buy', 1, 1) && b.submit('x', 'buy', 1, 1), /already in the book/);
});

t.test('random order flow: the same fills and book as the reference', async (t) => {
  const rng = new CounterRng(20261207);
  const u = () => rng.uniform();
  for (let run = 0; run < 20; run++) {
    const book = new OrderBook('X');
    const ref = new ReferenceBook();
    const ids: string[] = [];
    for (let k = 0; k < 600; k++) {
      const r = u();
      const side: Side = u() < 0.5 ? 'buy' : 'sell';
      const price = 95 + Math.floor(u() * 11);
      const qty = 1 + Math.floor(u() * 50);
      if (r < 0.6 || ids.length === 0) {
        const id = `o${run}-${k}`;
        ids.push(id);
        const market = u() < 0.05;
        const got = book.submit(id, side, qty, market ? null : price).fills.map((f) => [f.maker.id, f.price, f.qty]);
        const want = ref.submit(id, side, qty, market ? null : price);
        if (JSON.stringify(got) !== JSON.stringify(want))
          return t.fail(`run ${run} step ${k}: fills ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      } else if (r < 0.8) {
        const id = ids[Math.floor(u() * ids.length)];
        if ((book.cancel(id) !== null) !== ref.cancel(id)) return t.fail(`run ${run} step ${k}: cancel ${id}`);
      } else {
        const id = ids[Math.floor(u() * ids.length)];
        const got = book.replace(id, qty, price)?.fills.map((f) => [f.maker.id, f.price, f.qty]) ?? null;
        const want = ref.replace(id, qty, price);
        if (JSON.stringify(got) !== JSON.stringify(want)) return t.fail(`run ${run} step ${k}: replace ${id}`);
      }
      const bb = book.bestBid();
      const ba = book.bestAsk();
      if (bb !== null && ba !== null && bb >= ba) return t.fail(`run ${run} step ${k}: crossed ${bb} >= ${ba}`);
    }
    t.same(book.depth('buy', 100), ref.depth('buy'), `run ${run}: bids`);
    t.same(book.depth('sell', 100), ref.depth('sell'), `run ${run}: asks`);
  }
});
