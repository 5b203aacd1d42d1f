// The gateway's Prometheus metrics, registered once per Registry (a second gateway on the same
// registry, as in tests, reuses them). Label children for the hot paths are resolved up front so
// counting a fan-out costs one add, not a label lookup.

import { Counter, Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import { CHANNEL_KINDS, type ChannelKind } from '../engine/frames.js';
import { OPS } from './protocol.js';

export interface GatewayMetrics {
  clients: Gauge;
  framesSent: Record<ChannelKind, { inc(n?: number): void }>;
  clientMessages: Counter<'op'>;
  errors: Counter<'code'>;
  conflations: Counter;
  alertOverflows: Counter;
  lagged: Counter;
  coalesced: Counter;
  busRecords: Counter<'type'>;
  badRecords: Counter<'code'>;
  oversizedFrames: Counter;
  authFailures: Counter<'kind'>;
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** A counter of this registry, registered on first use. */
function counter<L extends string = never>(
  registry: Registry,
  name: string,
  help: string,
  labels: L[] = [],
): Counter<L> {
  return metric(registry, name, () => new Counter<L>({ name, help, labelNames: labels, registers: [registry] }));
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  if (registry.getSingleMetric('process_cpu_user_seconds_total') === undefined)
    collectDefaultMetrics({ register: registry });
  const c = <L extends string = never>(name: string, help: string, labels: L[] = []) =>
    counter(registry, `riskline_gateway_${name}`, help, labels);
  const clients = metric(
    registry,
    'riskline_gateway_clients',
    () => new Gauge({ name: 'riskline_gateway_clients', help: 'WebSocket clients connected', registers: [registry] }),
  );
  const frames = c('frames_sent_total', 'Channel frames sent to WebSocket clients, by channel kind', ['kind']);
  const framesSent = {} as GatewayMetrics['framesSent'];
  for (const kind of CHANNEL_KINDS) {
    framesSent[kind] = frames.labels(kind);
    framesSent[kind].inc(0);
  }
  const clientMessages = c(
    'client_messages_total',
    'Client messages received, by op ("invalid" when it could not be parsed, "rate_limited" when dropped unread over the rate)',
    ['op'],
  );
  for (const op of [...OPS, 'invalid', 'rate_limited']) clientMessages.labels(op).inc(0);
  return {
    clients,
    framesSent,
    clientMessages,
    errors: c('errors_total', 'Error frames and HTTP error responses sent, by catalogue code', ['code']),
    conflations: c(
      'slow_client_conflations_total',
      'Frames not sent to a slow client because its channel was conflated (a snapshot follows when it drains)',
    ),
    alertOverflows: c(
      'event_queue_overflows_total',
      'Slow clients closed with 1013: their queue of alert/order frames and replies passed its bound, or they read nothing for server.maxSlowMs',
    ),
    lagged: c(
      'lagged_clients_total',
      'Times a client was conflated because its ping went unanswered past server.maxLagMs (behind in buffers the server cannot see)',
    ),
    coalesced: c(
      'coalesced_frames_total',
      'State frames replaced by one snapshot of their channel because the gateway read several at once (it was behind the bus)',
    ),
    busRecords: c('bus_records_total', 'Bus records consumed by the gateway, by envelope type', ['type']),
    badRecords: c('bad_records_total', 'Bus records the gateway could not decode or validate, by catalogue code', [
      'code',
    ]),
    oversizedFrames: c(
      'oversized_frames_total',
      'Client frames over server.maxPayloadBytes; each closed its connection with 1009',
    ),
    authFailures: c(
      'auth_failures_total',
      'Refused credentials (upgrades and HTTP requests), by kind; never the token',
      ['kind'],
    ),
  };
}

/** The bytes the gateway holds for its clients, read at scrape time (bounded per client: fanout.ts). */
export function registerBufferedGauge(registry: Registry, read: () => number): void {
  const name = 'riskline_gateway_client_buffered_bytes';
  registry.removeSingleMetric(name);
  new Gauge({
    name,
    help: "Bytes held for WebSocket clients: sockets' unsent bytes, queued alerts/orders/replies, sends held for a round",
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
