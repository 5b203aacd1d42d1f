// Seeded demo trade flow: a desk trading around its book, so the demo's positions move. Each call
// picks a portfolio, one of its holdings, a side (leaning back towards the opening position, so
// the book drifts but does not run away), a quantity proportional to the holding, and fills at
// the simulator's current ask (buy) or bid (sell). Deterministic for a seed and call sequence.

import { RisklineError } from '../errors/catalogue.js';
import type { Execution, PortfolioDef, Side } from '../engine/model.js';
import { CounterRng } from '../maths/random.js';

/** Where prices come from; MarketSimulator fits. NaN means unknown (the holding's price is used). */
export interface QuoteSource {
  bid(instrument: string): number;
  ask(instrument: string): number;
}

export interface TradeFlowOptions {
  portfolios: PortfolioDef[];
  prices: QuoteSource;
  seed: number;
  /** Generator stream of the seed (default 3; the simulator uses 1 and 2). */
  stream?: number;
  /** Trade size as a fraction of the holding's |qty|, drawn uniformly in [min, max] (default 0.01–0.1). */
  minFraction?: number;
  maxFraction?: number;
  /** Fees in basis points of qty × price (contract multipliers not applied; default 0: no `fees` field). */
  feeBps?: number;
  /** Inserted in ids (`P1-<runId>-F7`) so that separate runs do not produce the same ids. */
  runId?: string;
}

const FLOW_STREAM = 3;

interface Slot {
  portfolio: string;
  instrument: string;
  opening: number;
  position: number;
  price: number;
}

export class TradeFlow {
  private readonly rng: CounterRng;
  private readonly prices: QuoteSource;
  /** Portfolios with at least one holding, with their holdings as slots. */
  private readonly books: { id: string; slots: Slot[]; n: number }[];
  private readonly minFraction: number;
  private readonly maxFraction: number;
  private readonly feeBps: number;
  private readonly infix: string;
  private total = 0;

  constructor(o: TradeFlowOptions) {
    this.rng = new CounterRng(o.seed, o.stream ?? FLOW_STREAM);
    this.prices = o.prices;
    this.minFraction = o.minFraction ?? 0.01;
    this.maxFraction = o.maxFraction ?? 0.1;
    if (!(this.minFraction > 0 && this.maxFraction >= this.minFraction)) {
      throw new RangeError('trade flow: expected 0 < minFraction <= maxFraction');
    }
    this.feeBps = o.feeBps ?? 0;
    this.infix = o.runId ? `-${o.runId}` : '';
    this.books = o.portfolios
      .filter((p) => p.holdings.length > 0)
      .map((p) => ({
        id: p.id,
        n: 0,
        slots: p.holdings.map((h) => ({
          portfolio: p.id,
          instrument: h.instrument,
          opening: h.qty,
          position: h.qty,
          price: h.price,
        })),
      }));
    if (this.books.length === 0)
      throw new RisklineError(
        'CONFIG_INVALID',
        'simulator.executionsPerSecond: the trade flow trades configured holdings, and no portfolio has any (set it to 0, or give a portfolio holdings)',
      );
  }

  /** Executions generated so far. */
  get count(): number {
    return this.total;
  }

  /** The next execution, stamped with event time `ts`. */
  next(ts: number): Execution {
    const rng = this.rng;
    const book = this.books[rng.int(this.books.length)];
    const slot = book.slots[rng.int(book.slots.length)];
    const size = Math.abs(slot.opening);
    // Probability of buying: ½ at the opening position, towards 0.1/0.9 as the position moves a
    // full opening size away from it.
    const drift = Math.max(-1, Math.min(1, (slot.position - slot.opening) / size));
    const side: Side = rng.uniform() < 0.5 - 0.4 * drift ? 'buy' : 'sell';
    const raw = size * rng.range(this.minFraction, this.maxFraction);
    const qty = raw >= 1 ? Math.round(raw) : raw;
    const quoted = side === 'buy' ? this.prices.ask(slot.instrument) : this.prices.bid(slot.instrument);
    const price = quoted > 0 ? quoted : slot.price;
    slot.position += side === 'buy' ? qty : -qty;
    book.n++;
    this.total++;
    const exec: Execution = {
      id: `${book.id}${this.infix}-F${book.n}`,
      portfolio: book.id,
      instrument: slot.instrument,
      side,
      qty,
      price,
      ts,
    };
    if (this.feeBps > 0) exec.fees = (qty * price * this.feeBps) / 10000;
    return exec;
  }
}
