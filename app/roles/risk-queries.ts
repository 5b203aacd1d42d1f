// How the gateway role reaches an engine for questions the stream does not carry (what-if). One
// process with both roles: the engine role's Engine, directly (or over its port when it runs on a
// thread of its own), for the portfolios it owns. A gateway without the engine role: UNAVAILABLE
// saying why. Compose picks; no role branches on transport.
// Planned: a request/reply over the bus to the engine that owns the portfolio's partition.

import { RisklineError } from '../../errors/catalogue.js';
import type { RiskQueries, WhatIf } from '../../gateways/what-if.js';
import type { RoleThread } from '../threads/host.js';
import type { EngineRole } from './engine.js';

const PLANNED = 'asking an engine in another process over the bus is planned, not built';

/**
 * The engine role of this process answers (`role()` is null while it is still starting). A
 * portfolio whose partition another engine process owns is not answered from this engine's stale
 * copy of it.
 */
export function localRiskQueries(role: () => EngineRole | null): RiskQueries {
  return {
    whatIf(portfolio: string, instrument: string, qty: number): WhatIf {
      const r = role();
      if (r === null) throw new RisklineError('UNAVAILABLE', 'what-if: the engine role of this process is starting');
      const port = r.engine.portfolioIndex(portfolio);
      if (port >= 0) {
        const partition = r.ownership.partitionOf[port];
        if (!r.ownership.owns(partition)) {
          throw new RisklineError(
            'UNAVAILABLE',
            `what-if: portfolio ${portfolio} (partition ${partition}) is owned by another engine process; ${PLANNED}`,
          );
        }
      }
      // Unknown portfolio or instrument, a zero qty, sets not built yet: the engine's own errors.
      return r.engine.whatIf(portfolio, instrument, qty);
    },
  };
}

/** The engine role on a thread of its own answers, the same way, over its port. */
export function threadRiskQueries(thread: () => RoleThread | null): RiskQueries {
  return {
    whatIf(portfolio: string, instrument: string, qty: number): Promise<WhatIf> {
      const t = thread();
      if (t === null) throw new RisklineError('UNAVAILABLE', 'what-if: the engine role of this process is starting');
      return t.rpc.call<WhatIf>('whatIf', portfolio, instrument, qty);
    },
  };
}

/** A gateway process without the engine role: every what-if is UNAVAILABLE, naming why. */
export function remoteRiskQueries(roles: readonly string[]): RiskQueries {
  return {
    whatIf(): WhatIf {
      throw new RisklineError(
        'UNAVAILABLE',
        `what-if needs the engine role in the same process as the gateway (this process runs ${roles.join(', ')}); ${PLANNED}`,
      );
    },
  };
}
