// The gateway's HTTP routing, independent of the server that carries it: a table of routes
// (method + path with `:params`), 404 and 405 (with Allow), authentication of routes that need it,
// and every failure as the catalogue's JSON error. A route's reply is returned, never written.

import type { Logger } from 'pino';
import { RisklineError, toRisklineError } from '../errors/catalogue.js';
import { NOBODY, type Identity } from './identity/identity.js';
import type { GatewayMetrics } from './metrics.js';
import { errorReply, type HttpReply, type HttpRequest, type Route } from './route.js';

/** Resolves the caller of a request from its credentials; rejects with UNAUTHORIZED. */
export type Authenticate = (req: Pick<HttpRequest, 'header' | 'url' | 'remoteAddress'>) => Promise<Identity>;

export interface RouterOptions {
  routes: readonly Route[];
  authenticate: Authenticate;
  logger: Logger;
  metrics?: Pick<GatewayMetrics, 'errors'>;
}

interface Compiled {
  route: Route;
  segments: string[];
}

function match(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.startsWith(':')) {
      if (parts[i] === '') return null;
      try {
        params[s.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        return null;
      }
    } else if (s !== parts[i]) return null;
  }
  return params;
}

export type Router = (req: HttpRequest) => Promise<HttpReply>;

export function createRouter(o: RouterOptions): Router {
  const table: Compiled[] = o.routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  const fail = (err: RisklineError, headers?: Record<string, string>): HttpReply => {
    o.metrics?.errors.labels(err.code).inc();
    return errorReply(err, headers);
  };
  return async (req) => {
    const parts = req.url.pathname.split('/').slice(1);
    let found: { route: Route; params: Record<string, string> } | null = null;
    const allowed: string[] = [];
    for (const c of table) {
      const params = match(c.segments, parts);
      if (params === null) continue;
      if (c.route.method === req.method) {
        found = { route: c.route, params };
        break;
      }
      allowed.push(c.route.method);
    }
    if (found === null) {
      if (allowed.length === 0) return fail(new RisklineError('NOT_FOUND', `no route for ${req.url.pathname}`));
      const msg = `${req.method} is not allowed on ${req.url.pathname}; use ${allowed.join(', ')}`;
      return fail(new RisklineError('METHOD_NOT_ALLOWED', msg), { allow: allowed.join(', ') });
    }
    const { route, params } = found;
    try {
      const identity = route.auth === true ? await o.authenticate(req) : NOBODY;
      return await route.handler({ req, params, identity });
    } catch (err) {
      const e = toRisklineError(err);
      if (e.code === 'INTERNAL') o.logger.error({ err, path: req.url.pathname }, 'HTTP handler failed');
      return fail(e);
    }
  };
}
