// The pre-trade limits of each portfolio (engine/pretrade.ts PretradeLimits), from config: the
// per-order limits of orders.pretrade, and the portfolio's gross and VaR 99 % limits from
// config/limits.json (its own, else the "*" one). Firm-wide notional and incremental-VaR limits are
// in US dollars, turned into the portfolio's base currency at the live rate of the check; a
// portfolio's own overrides are in its base currency. An order may add at most maxIncrementalVar of
// VaR, and the VaR after it must stay within the portfolio's VaR limit.

import type { LimitDef, OrdersConfig } from '../../config/schema.js';
import type { PretradeLimits } from '../../engine/pretrade.js';

/** The limits of `portfolio`, with `usdPerBase` the dollars per unit of its base currency now. */
export type LimitsOf = (portfolio: string, usdPerBase: number) => PretradeLimits;

export function pretradeLimits(config: OrdersConfig['pretrade'], limits: readonly LimitDef[]): LimitsOf {
  const restricted = new Set(config.restricted);
  const maxOf = (portfolio: string, metric: LimitDef['metric']): number => {
    const own = limits.find((l) => l.portfolio === portfolio && l.metric === metric && l.max !== undefined);
    const all = limits.find((l) => l.portfolio === '*' && l.metric === metric && l.max !== undefined);
    return (own ?? all)?.max ?? Infinity;
  };
  const fixed = new Map<string, Omit<PretradeLimits, 'maxNotional' | 'maxIncrementalVar'>>();
  return (portfolio, usdPerBase) => {
    let l = fixed.get(portfolio);
    if (l === undefined) {
      const o = config.portfolios[portfolio] ?? {};
      l = {
        restricted,
        maxQuantity: o.maxQuantity ?? config.maxQuantity,
        collarPct: config.collarPct,
        maxPosition: o.maxPosition ?? config.maxPosition,
        maxGross: maxOf(portfolio, 'gross'),
        maxVar: maxOf(portfolio, 'var99'),
      };
      fixed.set(portfolio, l);
    }
    const o = config.portfolios[portfolio] ?? {};
    const inBase = (usd: number | null) => (usd === null ? Infinity : usd / usdPerBase);
    return {
      ...l,
      maxNotional: o.maxNotional ?? inBase(config.maxNotional),
      maxIncrementalVar: o.maxIncrementalVar ?? inBase(config.maxIncrementalVar),
    };
  };
}
