// Pre-trade checks: whether an order may go to a venue, judged against the live book before it
// leaves, each check named with its value and its limit so the client sees exactly why. Pure: the
// caller (the order router) hands in the order, the instrument's last mark, the portfolio's current
// position and exposures, and the incremental VaR of the trade from the risk backend (what-if).
//
// Checks, in order (all run; the order is refused if any fails):
//   restricted   the instrument is on the restricted list;
//   quantity     |qty| ≤ maxQuantity;
//   notional     |qty| × price × instrument multiplier, in the book's currency, ≤ maxNotional;
//   collar       a limit price within collarPct of the last mark (a market order: a mark must exist);
//   position     |position after the fill| ≤ maxPosition (per instrument, in units);
//   gross        gross exposure after the fill ≤ the portfolio's gross limit (a buy of a long adds, a
//                reducing trade subtracts: |position + qty| − |position|, times the unit value);
//   var          the order's incremental 1-day VaR 99 % ≤ maxIncrementalVar, and VaR after ≤ the VaR limit.

export interface PretradeLimits {
  restricted: ReadonlySet<string>;
  maxQuantity: number;
  maxNotional: number;
  /** Fraction: 0.05 lets a limit price sit 5 % either side of the mark. */
  collarPct: number;
  maxPosition: number;
  /** Gross exposure limit of the portfolio (base currency), Infinity for none. */
  maxGross: number;
  /** Largest VaR a single order may add (base currency). */
  maxIncrementalVar: number;
  /** VaR limit of the portfolio after the trade (base currency), Infinity for none. */
  maxVar: number;
}

export interface PretradeOrder {
  portfolio: string;
  instrument: string;
  /** Signed: positive buys. */
  qty: number;
  /** Limit price, or null for a market order. */
  price: number | null;
}

export interface PretradeState {
  /** Last mark of the instrument (its quote currency), NaN if it has none yet. */
  mark: number;
  /** Base-currency value of one unit at the mark (mark × multiplier × FX), for notional and exposure. */
  unitValue: number;
  /** Units held now. */
  position: number;
  /** Gross exposure now (base currency). */
  gross: number;
  /** VaR 99 % 1-day before and after the trade, from the risk backend's what-if; null when not available. */
  varBefore: number | null;
  varAfter: number | null;
}

export interface Check {
  name: 'restricted' | 'quantity' | 'notional' | 'collar' | 'position' | 'gross' | 'var';
  ok: boolean;
  value: number;
  limit: number;
  /** Why, in words, when it failed. */
  reason: string;
}

export interface PretradeResult {
  ok: boolean;
  checks: Check[];
  /** The VaR the order adds (after − before), NaN when unknown. */
  incrementalVar: number;
}

/** A check; its reason is written only when it fails (number formatting is the costly part). */
const check = (name: Check['name'], value: number, limit: number, reason: () => string): Check => ({
  name,
  ok: value <= limit,
  value,
  limit,
  reason: value <= limit ? '' : reason(),
});

export function pretrade(order: PretradeOrder, state: PretradeState, limits: PretradeLimits): PretradeResult {
  const units = Math.abs(order.qty);
  const refPrice = order.price ?? state.mark;
  const unitValueAtPrice =
    Number.isFinite(state.mark) && state.mark !== 0 ? (state.unitValue * refPrice) / state.mark : NaN;
  const notional = units * unitValueAtPrice;
  const after = state.position + order.qty;
  const grossAfter = state.gross + (Math.abs(after) - Math.abs(state.position)) * Math.abs(state.unitValue);
  // |price − mark| / mark: a price exactly at the collar's edge is inside it.
  const collar = !Number.isFinite(state.mark)
    ? Infinity
    : order.price === null
      ? 0
      : Math.abs(order.price - state.mark) / state.mark;
  const incremental = state.varAfter !== null && state.varBefore !== null ? state.varAfter - state.varBefore : NaN;
  const checks: Check[] = [
    check(
      'restricted',
      limits.restricted.has(order.instrument) ? 1 : 0,
      0,
      () => `${order.instrument} is on the restricted list`,
    ),
    check(
      'quantity',
      units,
      limits.maxQuantity,
      () => `quantity ${units} is over the ${limits.maxQuantity} allowed per order`,
    ),
    check(
      'notional',
      Number.isFinite(notional) ? notional : Infinity,
      limits.maxNotional,
      () => `notional ${round(notional)} is over ${limits.maxNotional}`,
    ),
    check('collar', collar, limits.collarPct, () =>
      Number.isFinite(state.mark)
        ? `price ${order.price} is ${pct(collar)} from the mark ${state.mark}, outside ±${pct(limits.collarPct)}`
        : `no mark for ${order.instrument} yet`,
    ),
    check(
      'position',
      Math.abs(after),
      limits.maxPosition,
      () => `the position would be ${after}, over ${limits.maxPosition}`,
    ),
    check(
      'gross',
      grossAfter,
      limits.maxGross,
      () => `gross exposure would be ${round(grossAfter)}, over ${limits.maxGross}`,
    ),
    varCheck(state, incremental, limits),
  ];
  return { ok: checks.every((c) => c.ok), checks, incrementalVar: incremental };
}

/** The VaR the order adds, and the VaR after it, each within its limit; unknown VaR fails (the order cannot be judged). */
function varCheck(state: PretradeState, incremental: number, limits: PretradeLimits): Check {
  if (!Number.isFinite(incremental) || state.varAfter === null)
    return {
      name: 'var',
      ok: false,
      value: NaN,
      limit: limits.maxIncrementalVar,
      reason: 'the VaR impact is not available yet (scenario sets building)',
    };
  if (state.varAfter > limits.maxVar)
    return {
      name: 'var',
      ok: false,
      value: state.varAfter,
      limit: limits.maxVar,
      reason: `VaR after the order would be ${round(state.varAfter)}, over the ${limits.maxVar} limit`,
    };
  return check(
    'var',
    incremental,
    limits.maxIncrementalVar,
    () => `the order adds ${round(incremental)} of VaR, over ${limits.maxIncrementalVar}`,
  );
}

const round = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : String(x));
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
