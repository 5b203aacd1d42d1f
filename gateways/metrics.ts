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
  busRecords: Counter<'type'>;
  badRecords: Counter<'code'>;
  oversizedFrames: Counter;
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  if (registry.getSingleMetric('process_cpu_user_seconds_total') === undefined)
    collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const clients = metric(
    registry,
    'riskline_gateway_clients',
    () => new Gauge({ name: 'riskline_gateway_clients', help: 'WebSocket clients connected', registers }),
  );
  const frames = metric(
    registry,
    'riskline_gateway_frames_sent_total',
    () =>
      new Counter({
        name: 'riskline_gateway_frames_sent_total',
        help: 'Channel frames sent to WebSocket clients, by channel kind',
        labelNames: ['kind'],
        registers,
      }),
  );
  const framesSent = {} as GatewayMetrics['framesSent'];
  for (const kind of CHANNEL_KINDS) {
    framesSent[kind] = frames.labels(kind);
    framesSent[kind].inc(0);
  }
  const clientMessages = metric(
    registry,
    'riskline_gateway_client_messages_total',
    () =>
      new Counter({
        name: 'riskline_gateway_client_messages_total',
        help: 'Client messages received, by op ("invalid" when it could not be parsed)',
        labelNames: ['op'],
        registers,
      }),
  );
  for (const op of [...OPS, 'invalid']) clientMessages.labels(op).inc(0);
  const errors = metric(
    registry,
    'riskline_gateway_errors_total',
    () =>
      new Counter({
        name: 'riskline_gateway_errors_total',
        help: 'Error frames and HTTP error responses sent, by catalogue code',
        labelNames: ['code'],
        registers,
      }),
  );
  const conflations = metric(
    registry,
    'riskline_gateway_slow_client_conflations_total',
    () =>
      new Counter({
        name: 'riskline_gateway_slow_client_conflations_total',
        help: 'Frames not sent to a slow client because its channel was conflated (a snapshot follows when it drains)',
        registers,
      }),
  );
  const alertOverflows = metric(
    registry,
    'riskline_gateway_event_queue_overflows_total',
    () =>
      new Counter({
        name: 'riskline_gateway_event_queue_overflows_total',
        help: 'Slow clients closed (1013) because their queue of alert/order frames exceeded its bound',
        registers,
      }),
  );
  const busRecords = metric(
    registry,
    'riskline_gateway_bus_records_total',
    () =>
      new Counter({
        name: 'riskline_gateway_bus_records_total',
        help: 'Bus records consumed by the gateway, by envelope type',
        labelNames: ['type'],
        registers,
      }),
  );
  const badRecords = metric(
    registry,
    'riskline_gateway_bad_records_total',
    () =>
      new Counter({
        name: 'riskline_gateway_bad_records_total',
        help: 'Bus records the gateway could not decode or validate, by catalogue code',
        labelNames: ['code'],
        registers,
      }),
  );
  const oversizedFrames = metric(
    registry,
    'riskline_gateway_oversized_frames_total',
    () =>
      new Counter({
        name: 'riskline_gateway_oversized_frames_total',
        help: 'Client frames over server.maxPayloadBytes; each closed its connection with 1009',
        registers,
      }),
  );
  return {
    clients,
    framesSent,
    clientMessages,
    errors,
    conflations,
    alertOverflows,
    busRecords,
    badRecords,
    oversizedFrames,
  };
}
