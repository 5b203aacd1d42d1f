// The operational endpoints every Riskline process serves: /health (alive, with what it knows of
// the bus), /ready (503 until the bus answers and every subscription consumes: connected, its
// partitions assigned and rebuilt; and until the role's own state is in) and /metrics, behind a
// guard. A process with the gateway role serves them on the gateway's port; any other process (an
// engine or a feed alone) on a small server of its own, which is also the "separate address" form
// of the metrics guard.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { RisklineError } from '../errors/catalogue.js';
import type { Bus, BusHealth } from '../streams/bus.js';
import { isLoopback } from './identity/loopback.js';
import { json, type HttpRequest, type Route } from './route.js';
import { createRouter } from './router.js';
import { startNodeTransport } from './transport/node.js';

/**
 * Who may read /metrics. `token`: callers sending `Authorization: Bearer <token>` (compared in
 * constant time); null when none is configured, and then every scrape is refused, saying how to set
 * one. `open`: anyone who reaches the address (loopback, or a listener kept off the public network).
 */
export type MetricsGuard = { token: string | null } | { open: true };

export interface OpsDeps {
  startedAt: number;
  roles: readonly string[];
  bus: Pick<Bus, 'health'>;
  registry: Registry;
  metricsGuard: MetricsGuard;
  /** Role-specific facts added to /health (the gateway's clients and newest tick). */
  details?: () => Record<string, unknown>;
  /** True until every role of the process has started: /ready is 503 meanwhile. */
  starting?: () => boolean;
  /** Why the role's own state is not ready yet (the gateway's store, say), or null once it is. */
  notReady?: () => string | null;
}

/** Why a process is not ready, in one line (null: ready). */
export function notReadyReason(h: BusHealth): string | null {
  if (h.ready) return null;
  const waiting = h.subscriptions.filter((s) => s.state !== 'consuming').map((s) => `${s.group} ${s.state}`);
  if (h.producersFailing > 0) waiting.push(`${h.producersFailing} producer(s) failing to send`);
  return waiting.join('; ') || 'bus not connected';
}

/**
 * The guard for /metrics on a listener at `host`: the configured token (server.metricsToken) when
 * there is one; else open on loopback only, and refused elsewhere until a token is set.
 */
export function metricsGuardFor(token: string | null, host: string): MetricsGuard {
  if (token !== null) return { token };
  return isLoopback(host) ? { open: true } : { token: null };
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Equal digests of equal length: neither the token's bytes nor its length leak through timing. */
function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Throws UNAUTHORIZED unless the request may read /metrics under `guard`. */
export function checkMetricsGuard(guard: MetricsGuard, req: Pick<HttpRequest, 'header'>): void {
  if ('open' in guard) return;
  if (guard.token === null) {
    throw new RisklineError(
      'UNAUTHORIZED',
      '/metrics on this address needs a token: set server.metricsToken (RISKLINE_METRICS_TOKEN) and send it as a bearer token',
    );
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
  if (m === null) throw new RisklineError('UNAUTHORIZED', '/metrics needs Authorization: Bearer <metrics token>');
  if (!sameToken(m[1], guard.token)) throw new RisklineError('UNAUTHORIZED', '/metrics: wrong metrics token');
}

export function opsRoutes(d: OpsDeps): Route[] {
  const state = () => {
    const bus = d.bus.health();
    const starting = d.starting?.() ?? false;
    const reason = starting ? 'starting: not every role runs yet' : (notReadyReason(bus) ?? d.notReady?.() ?? null);
    const body = {
      status: starting ? 'starting' : bus.connected ? 'ok' : 'degraded',
      ready: reason === null,
      uptimeS: Math.round((Date.now() - d.startedAt) / 1000),
      roles: d.roles,
      ...d.details?.(),
      bus,
    };
    return { body, reason };
  };
  return [
    // Liveness: 200 while the process runs; the body says whether the bus answers.
    { method: 'GET', path: '/health', handler: () => json(200, state().body) },
    {
      method: 'GET',
      path: '/ready',
      handler: () => {
        const { body, reason } = state();
        return reason === null ? json(200, body) : json(503, { ...body, reason });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async ({ req }) => {
        checkMetricsGuard(d.metricsGuard, req);
        return {
          status: 200,
          headers: { 'content-type': d.registry.contentType, 'cache-control': 'no-store' },
          body: await d.registry.metrics(),
        };
      },
    },
  ];
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * /health, /ready and /metrics on host:port, for a process without the gateway role, on the same
 * router and node:http transport as the gateway. /metrics is open here unless a guard is given.
 */
export async function startOpsServer(
  deps: Omit<OpsDeps, 'metricsGuard'> & { metricsGuard?: MetricsGuard; host: string; port: number; logger: Logger },
): Promise<OpsServer> {
  const router = createRouter({
    routes: opsRoutes({ ...deps, metricsGuard: deps.metricsGuard ?? { open: true } }),
    // No operational route needs a caller's identity.
    authenticate: () => Promise.reject(new RisklineError('UNAUTHORIZED', 'no route here takes a token')),
    logger: deps.logger,
  });
  try {
    const transport = await startNodeTransport({ host: deps.host, port: deps.port, http: router, maxBodyBytes: 0 });
    return { port: transport.port, close: () => transport.close() };
  } catch (err) {
    throw new RisklineError(
      'UNAVAILABLE',
      `health/metrics server could not start on ${deps.host}:${deps.port}: ${(err as Error).message} (set --port)`,
      { cause: err },
    );
  }
}
