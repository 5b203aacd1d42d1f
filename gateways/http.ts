// HTTP on the gateway's port: a small route table (method + path pattern with `:params`), JSON
// errors from the one catalogue, and the first gateway route, /v1/portfolios (/health, /ready and
// /metrics come from ./ops.ts). Later
// routes (portfolio state, orders, the terminal's static page) are added as entries in the table.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ERRORS, RisklineError, errorBody, toRisklineError } from '../errors/catalogue.js';
import { authenticate, entitled, type Entitlement } from './auth.js';
import type { GatewayMetrics } from './metrics.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The caller's entitlement (only resolved on routes with `auth: true`; otherwise '*'). */
  entitlement: Entitlement;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/v1/portfolios/:id/positions`: literal segments and `:name` parameters. */
  path: string;
  /** Needs a bearer token when a JWT secret is configured. */
  auth?: boolean;
  handler(ctx: RouteContext): void | Promise<void>;
}

export interface HttpOptions {
  routes: Route[];
  jwtSecret: string | null;
  logger: Logger;
  metrics?: GatewayMetrics;
}

interface Compiled {
  route: Route;
  segments: string[];
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Reads a request body as JSON, at most `limit` bytes (PAYLOAD_TOO_LARGE past it, told by
 * content-length before reading when it can be); BAD_REQUEST when it is empty or not JSON.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () => new RisklineError('PAYLOAD_TOO_LARGE', `request bodies here are limited to ${limit} bytes`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge();
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // The rest is drained, not read (destroying the request would lose the 413 with the socket).
      req.off('data', onData).off('end', onEnd);
      req.resume();
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData).on('end', onEnd).once('error', reject);
  });
  if (text.trim() === '') throw new RisklineError('BAD_REQUEST', 'request body: expected JSON, received nothing');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RisklineError('BAD_REQUEST', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

function sendError(res: ServerResponse, err: RisklineError, headers: Record<string, string> = {}): void {
  const extra = err.code === 'UNAUTHORIZED' ? { 'www-authenticate': 'Bearer realm="riskline"', ...headers } : headers;
  sendJson(res, ERRORS[err.code].http, errorBody(err), extra);
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

/** The request listener for node:http: routes, 404 and 405 (with Allow), errors as JSON. */
export function createHttpHandler(o: HttpOptions): RequestListener {
  const table: Compiled[] = o.routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  const fail = (res: ServerResponse, err: RisklineError, headers?: Record<string, string>): void => {
    o.metrics?.errors.labels(err.code).inc();
    sendError(res, err, headers);
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').slice(1);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    let found: { route: Route; params: Record<string, string> } | null = null;
    const allowed: string[] = [];
    for (const c of table) {
      const params = match(c.segments, parts);
      if (params === null) continue;
      if (c.route.method === method) {
        found = { route: c.route, params };
        break;
      }
      allowed.push(c.route.method);
    }
    if (found === null) {
      if (allowed.length > 0) {
        fail(
          res,
          new RisklineError(
            'METHOD_NOT_ALLOWED',
            `${req.method} is not allowed on ${url.pathname}; use ${allowed.join(', ')}`,
          ),
          {
            allow: allowed.join(', '),
          },
        );
      } else {
        fail(res, new RisklineError('NOT_FOUND', `no route for ${url.pathname}`));
      }
      return;
    }
    const { route, params } = found;
    void (async () => {
      try {
        const entitlement = route.auth === true ? await authenticate(o.jwtSecret, req, url) : '*';
        await route.handler({ req, res, url, params, entitlement });
      } catch (err) {
        const e = toRisklineError(err);
        if (e.code === 'INTERNAL') o.logger.error({ err, path: url.pathname }, 'HTTP handler failed');
        if (!res.headersSent) fail(res, e);
        else res.destroy();
      }
    })();
  };
}

export interface PortfolioInfo {
  id: string;
  name: string;
  baseCurrency: string;
}

export interface GatewayRouteDeps {
  portfolios: readonly PortfolioInfo[];
}

/** The gateway's own routes (operational ones come from ./ops.ts); the table is the extension point for later issues. */
export function gatewayRoutes(d: GatewayRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/portfolios',
      auth: true,
      handler: ({ res, entitlement }) =>
        sendJson(
          res,
          200,
          d.portfolios
            .filter((p) => entitled(entitlement, p.id))
            .map((p) => ({ id: p.id, name: p.name, baseCurrency: p.baseCurrency })),
        ),
    },
  ];
}
