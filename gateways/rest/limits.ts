// `GET /v1/limits`: the risk limits this gateway was configured with (config/limits.json), so that
// a client can show how much of each limit a portfolio uses. Entitlement-filtered: a caller sees the
// limits of the portfolios it may see, and the limits that apply to every portfolio (`portfolio`
// "*") only when it may see at least one portfolio. The engine checks the limits (engine/limits.ts);
// this is the configuration it was given, not its state (breaches are the `alerts:` channels).

import type { LimitDef } from '../../engine/limits.js';
import { entitled } from '../identity/identity.js';
import { json, type Route } from '../route.js';
import type { PortfolioInfo } from './portfolios.js';

export const LIMITS_PATH = '/v1/limits';

/** One limit as the reply lists it (only the bounds it has). */
export type LimitInfo = LimitDef;

export interface LimitRouteDeps {
  /** The configured limits (config.limits); none when not given. */
  riskLimits?: readonly LimitDef[];
  /** The configured book: whether a caller sees any portfolio at all. */
  portfolios: readonly PortfolioInfo[];
}

export function limitRoutes(d: LimitRouteDeps): Route[] {
  // Copied once, field by field: a reply carries these fields and no other.
  const rows: LimitInfo[] = (d.riskLimits ?? []).map((l) => ({
    id: l.id,
    portfolio: l.portfolio,
    metric: l.metric,
    ...(l.max !== undefined ? { max: l.max } : {}),
    ...(l.min !== undefined ? { min: l.min } : {}),
    severity: l.severity,
  }));
  return [
    {
      method: 'GET',
      path: LIMITS_PATH,
      auth: true,
      handler: ({ identity }) => {
        const any = d.portfolios.some((p) => entitled(identity.entitlement, p.id));
        return json(
          200,
          rows.filter((l) => (l.portfolio === '*' ? any : entitled(identity.entitlement, l.portfolio))),
        );
      },
    },
  ];
}
