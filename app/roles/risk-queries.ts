// How the gateway role reaches an engine for questions the stream does not carry (what-if). One
// process with both roles: the engine role's Engine, directly (or over its port when it runs on a
// thread of its own), for the portfolios it owns. A gateway without the engine role: UNAVAILABLE
// saying why. Compose picks; no role branches on transport.
// Planned: a request/reply over the bus to the engine that owns the portfolio's partition.

import { RisklineError } from '../../errors/catalogue.js';
import type { PretradeView } from '../../engine/engine.js';
import type { RiskQueries, WhatIf } from '../../gateways/what-if.js';
import type { RoleThread } from '../threads/host.js';
import type { EngineRole } from './engine.js';

const PLANNED = 'asking an engine in another process over the bus is planned, not built';

/** What roles beside an engine ask it: the gateway's what-if, the order router's pre-trade view. */
export interface EngineQueries extends RiskQueries {
  /** Throws (or rejects with) RisklineError UNKNOWN_PORTFOLIO, UNKNOWN_INSTRUMENT or UNAVAILABLE. */
  pretradeView(portfolio: string, instrument: string, qty: number): PretradeView | Promise<PretradeView>;
}

/** The ops a thread serves for the engine it runs (the main thread's `threadRiskQueries` calls them). */
export const engineQueryHandlers = (q: EngineQueries) => ({
  whatIf: (p: string, i: string, n: number) => q.whatIf(p, i, n),
  pretradeView: (p: string, i: string, n: number) => q.pretradeView(p, i, n),
});

/**
 * The engine role of this process answers (`role()` is null while it is still starting). A
 * portfolio whose partition another engine process owns is not answered from this engine's stale
 * copy of it.
 */
export function localRiskQueries(role: () => EngineRole | null): EngineQueries {
  const owning = (what: string, portfolio: string): EngineRole => {
    const r = role();
    if (r === null) throw new RisklineError('UNAVAILABLE', `${what}: the engine role of this process is starting`);
    const port = r.engine.portfolioIndex(portfolio);
    if (port >= 0) {
      const partition = r.ownership.partitionOf[port];
      if (!r.ownership.owns(partition)) {
        throw new RisklineError(
          'UNAVAILABLE',
          `${what}: portfolio ${portfolio} (partition ${partition}) is owned by another engine process; ${PLANNED}`,
        );
      }
    }
    return r;
  };
  return {
    // Unknown portfolio or instrument, a zero qty, sets not built yet: the engine's own errors.
    whatIf: (portfolio: string, instrument: string, qty: number): WhatIf =>
      owning('what-if', portfolio).engine.whatIf(portfolio, instrument, qty),
    pretradeView: (portfolio: string, instrument: string, qty: number): PretradeView =>
      owning('pre-trade', portfolio).engine.pretradeView(portfolio, instrument, qty),
  };
}

/** The engine role on a thread of its own answers, the same way, over its port. */
export function threadRiskQueries(thread: () => RoleThread | null): EngineQueries {
  const call = <T>(op: 'whatIf' | 'pretradeView', what: string, ...args: [string, string, number]): Promise<T> => {
    const t = thread();
    if (t === null) throw new RisklineError('UNAVAILABLE', `${what}: the engine role of this process is starting`);
    return t.rpc.call<T>(op, ...args);
  };
  return {
    whatIf: (portfolio, instrument, qty) => call<WhatIf>('whatIf', 'what-if', portfolio, instrument, qty),
    pretradeView: (portfolio, instrument, qty) =>
      call<PretradeView>('pretradeView', 'pre-trade', portfolio, instrument, qty),
  };
}

/** A gateway process without the engine role: every what-if is UNAVAILABLE, naming why. */
export function remoteRiskQueries(roles: readonly string[]): EngineQueries {
  const none = (what: string) => (): never => {
    throw new RisklineError(
      'UNAVAILABLE',
      `${what} needs the engine role in the same process (this process runs ${roles.join(', ')}); ${PLANNED}`,
    );
  };
  return { whatIf: none('what-if'), pretradeView: none('pre-trade') };
}
