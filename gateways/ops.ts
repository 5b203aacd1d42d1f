// The operational endpoints every Riskline process serves: /health (alive, with what it knows of
// the bus), /ready (503 until the bus answers and every subscription consumes: connected, its
// partitions assigned and rebuilt) and /metrics. A process with the gateway role serves them on the
// gateway's port; any other process (an engine or a feed alone) on a small server of its own.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { RisklineError } from '../errors/catalogue.js';
import type { Bus, BusHealth } from '../streams/bus.js';
import { createHttpHandler, sendJson, type Route } from './http.js';

export interface OpsDeps {
  startedAt: number;
  roles: readonly string[];
  bus: Pick<Bus, 'health'>;
  registry: Registry;
  /** Role-specific facts added to /health (the gateway's clients and newest tick). */
  details?: () => Record<string, unknown>;
  /** True until every role of the process has started: /ready is 503 meanwhile. */
  starting?: () => boolean;
}

/** Why a process is not ready, in one line (null: ready). */
export function notReadyReason(h: BusHealth): string | null {
  if (h.ready) return null;
  const waiting = h.subscriptions.filter((s) => s.state !== 'consuming').map((s) => `${s.group} ${s.state}`);
  if (h.producersFailing > 0) waiting.push(`${h.producersFailing} producer(s) failing to send`);
  return waiting.join('; ') || 'bus not connected';
}

export function opsRoutes(d: OpsDeps): Route[] {
  const body = () => {
    const bus = d.bus.health();
    const starting = d.starting?.() ?? false;
    return {
      status: starting ? 'starting' : bus.connected ? 'ok' : 'degraded',
      ready: bus.ready && !starting,
      uptimeS: Math.round((Date.now() - d.startedAt) / 1000),
      roles: d.roles,
      ...d.details?.(),
      bus,
    };
  };
  return [
    // Liveness: 200 while the process runs; the body says whether the bus answers.
    { method: 'GET', path: '/health', handler: ({ res }) => sendJson(res, 200, body()) },
    {
      method: 'GET',
      path: '/ready',
      handler: ({ res }) => {
        const b = body();
        const reason = b.status === 'starting' ? 'starting: not every role runs yet' : notReadyReason(b.bus);
        sendJson(res, reason === null ? 200 : 503, reason === null ? b : { ...b, reason });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async ({ res }) => {
        const text = await d.registry.metrics();
        res.writeHead(200, { 'content-type': d.registry.contentType, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      },
    },
  ];
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** /health, /ready and /metrics on host:port, for a process without the gateway role. */
export async function startOpsServer(
  deps: OpsDeps & { host: string; port: number; logger: Logger },
): Promise<OpsServer> {
  const server: Server = createServer(
    createHttpHandler({ routes: opsRoutes(deps), jwtSecret: null, logger: deps.logger }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new RisklineError(
          'UNAVAILABLE',
          `health/metrics server could not start on ${deps.host}:${deps.port}: ${err.message} (set --port)`,
        ),
      ),
    );
    server.listen(deps.port, deps.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
