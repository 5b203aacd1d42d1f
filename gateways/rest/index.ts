// The gateway's REST routes (docs/architecture.md): the portfolios a caller may see, each
// portfolio's positions, exposures and risk as one view, the instruments, the risk limits, the desk's
// alerts with their acknowledgement and assignment, and the
// OpenAPI document, and how the sign-in page should ask for a token (/v1/auth/config). `gatewayHttpRoutes` is the whole table on the gateway's port (operational routes and
// what-if too); the tests check that table against gateways/openapi.yaml both ways, so a route
// added to it and not documented there fails them.

import { opsRoutes, type OpsDeps } from '../ops.js';
import type { Route } from '../route.js';
import { alertRoutes, type AlertRouteDeps } from './alerts.js';
import { whatIfRoute, type RiskQueries } from '../what-if.js';
import { authConfigRoute, type PublicAuthConfig } from './auth-config.js';
import { instrumentRoutes, type InstrumentRouteDeps } from './instruments.js';
import { limitRoutes, type LimitRouteDeps } from './limits.js';
import { loadOpenApi, openApiRoute, type OpenApiDocument } from './openapi.js';
import { portfolioRoutes, type PortfolioRouteDeps } from './portfolios.js';
import { portfolioViewRoutes, type PortfolioViewRouteDeps } from './views.js';

export { alertRoutes, ALERTS_PATH, type AlertRouteDeps } from './alerts.js';
export { AUTH_CONFIG_PATH, authConfigRoute, publicAuthConfig, type PublicAuthConfig } from './auth-config.js';
export {
  instrumentRef,
  instrumentRoutes,
  INSTRUMENTS_PATH,
  type InstrumentInfo,
  type InstrumentRef,
} from './instruments.js';
export { limitRoutes, LIMITS_PATH, type LimitInfo } from './limits.js';
export { loadOpenApi, openApiFile, openApiRoute, OPENAPI_PATH, type OpenApiDocument } from './openapi.js';
export { portfolioRoutes, PORTFOLIOS_PATH, type PortfolioInfo } from './portfolios.js';
export {
  portfolioViewRoutes,
  viewPath,
  viewReply,
  VIEW_KINDS,
  type PortfolioStateSource,
  type PortfolioView,
  type ViewKind,
} from './views.js';

export interface RestDeps
  extends PortfolioRouteDeps, PortfolioViewRouteDeps, InstrumentRouteDeps, LimitRouteDeps, AlertRouteDeps {
  /** The document served at /v1/openapi.json; read from gateways/openapi.yaml when not given. */
  openApi?: OpenApiDocument;
  /** Served at /v1/auth/config for the sign-in page; `{ mode: 'token' }` (a pasted token) when not given. */
  authConfig?: PublicAuthConfig;
}

/** The REST routes; call once at start (the OpenAPI document is read and parsed here). */
export function restRoutes(d: RestDeps): Route[] {
  return [
    ...portfolioRoutes(d),
    ...portfolioViewRoutes(d),
    ...instrumentRoutes(d),
    ...limitRoutes(d),
    ...alertRoutes(d),
    openApiRoute(d.openApi ?? loadOpenApi()),
    authConfigRoute(d.authConfig ?? { mode: 'token' }),
  ];
}

export interface GatewayHttpDeps extends RestDeps {
  ops: OpsDeps;
  riskQueries: RiskQueries;
}

/** Every route on the gateway's port, in match order: operational, REST, what-if. */
export function gatewayHttpRoutes(d: GatewayHttpDeps): Route[] {
  return [...opsRoutes(d.ops), ...restRoutes(d), whatIfRoute(d.riskQueries)];
}
