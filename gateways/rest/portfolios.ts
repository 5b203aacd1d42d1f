// `GET /v1/portfolios`: the portfolios a caller may see (id, name, base currency). Rows the caller
// is not entitled to are left out, not refused: a desk learns nothing of other desks' books.

import { entitled } from '../identity/identity.js';
import { json, type Route } from '../route.js';

export const PORTFOLIOS_PATH = '/v1/portfolios';

export interface PortfolioInfo {
  id: string;
  name: string;
  baseCurrency: string;
}

export interface PortfolioRouteDeps {
  /** The configured book (config.portfolios), in the order it is listed. */
  portfolios: readonly PortfolioInfo[];
}

export function portfolioRoutes(d: PortfolioRouteDeps): Route[] {
  // Copied once: the rows a caller sees never carry more than these three fields.
  const rows = d.portfolios.map((p) => ({ id: p.id, name: p.name, baseCurrency: p.baseCurrency }));
  return [
    {
      method: 'GET',
      path: PORTFOLIOS_PATH,
      auth: true,
      handler: ({ identity }) =>
        json(
          200,
          rows.filter((p) => entitled(identity.entitlement, p.id)),
        ),
    },
  ];
}
