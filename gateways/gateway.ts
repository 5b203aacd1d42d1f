// The gateway role: consumes the engine's frame topics and md.ticks from the bus (its own consumer
// group, from the beginning so it sees the state topics' latest snapshots), keeps every channel's
// state in a ChannelStore, fans frames out over WebSocket, conflates ticks to one frame per
// instrument per `conflationMs`, and serves HTTP on the same port, on uWebSockets.js or node:http.

import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { RisklineError } from '../errors/catalogue.js';
import type { LimitDef } from '../engine/limits.js';
import type { Batch, Bus, Subscription } from '../streams/bus.js';
import { TOPIC } from '../streams/topics.js';
import { ChannelStore } from './channels.js';
import { createGatewayMetrics, registerBufferedGauge, type GatewayMetrics } from './metrics.js';
import { notReadyReason, type MetricsGuard } from './ops.js';
import { JSON_SUBPROTOCOL, MSGPACK_SUBPROTOCOL, statusMessage, STREAM_PATH } from './protocol.js';
import { gatewayHttpRoutes, publicAuthConfig, type InstrumentInfo, type PortfolioInfo } from './rest/index.js';
import type { Route } from './route.js';
import { createRouter } from './router.js';
import { authenticatorFor, type Authenticator } from './identity/index.js';
import { SERVER_DEFAULTS, type AuthConfig } from '../config/schema.js';
import { StreamServer, type StreamLimits } from './stream-server.js';
import { startTransport, type Transport, type TransportKind } from './transport/index.js';
import type { OrderEntry } from './orders/entry.js';
import type { RiskQueries } from './what-if.js';
import { AlertDeskFeed } from './alerts/desk-feed.js';
import { Ingest } from './ingest.js';

export type { PortfolioInfo } from './rest/index.js';
export { COALESCE_AT, COALESCE_SPAN_MS } from './ingest.js';

export interface GatewayOptions {
  bus: Bus;
  /** Facts of the process's other roles for /health and /ready (the store's state, say). */
  details?: () => Record<string, unknown>;
  topicPrefix: string;
  host: string;
  port: number;
  /** uWebSockets.js (default) or node:http + ws. */
  transport?: TransportKind;
  maxPayloadBytes: number;
  slowClientBufferBytes: number;
  /** A client that reads nothing this long is closed with 1013 (default 60 s). */
  maxSlowMs?: number;
  /** A client whose ping is unanswered this long is conflated (default 500). */
  maxLagMs?: number;
  /** A WebSocket silent this long is closed (default 120 s). */
  idleTimeoutS?: number;
  /** Largest HTTP body read at all (default 1 MiB). */
  maxBodyBytes?: number;
  limits?: Partial<StreamLimits>;
  conflationMs: number;
  /** How callers are identified (gateways/identity/): refused at start (CONFIG_INVALID) when unsafe for `host`. */
  auth: AuthConfig;
  /** /metrics: behind a token, or open (only on loopback: ops.ts metricsGuardFor). */
  metricsGuard: MetricsGuard;
  portfolios: PortfolioInfo[];
  instruments: InstrumentInfo[];
  /** The configured risk limits, served at GET /v1/limits (none when not given). */
  riskLimits?: readonly LimitDef[];
  registry: Registry;
  logger: Logger;
  groupId?: string;
  /** Alert/order frames a slow client may have queued before it is closed with 1013. */
  eventQueueLimit?: number;
  /** How often the bus's health is checked for the clients' `status` message (default 1 s). */
  statusEveryMs?: number;
  /** True while the process is still starting its other roles (/ready is 503 meanwhile). */
  starting?: () => boolean;
  /** The roles of this process (reported by /health). */
  roles?: readonly string[];
  /** Extra HTTP routes (later issues); matched after the built-in ones. */
  routes?: Route[];
  /** Answers the WebSocket's risk queries (what-if); without it they are UNAVAILABLE. */
  riskQueries?: RiskQueries;
  /** Takes the WebSocket's order ops (the router role of this process); without it they are UNAVAILABLE. */
  orders?: OrderEntry;
  /** Alerts the desk's book holds (default 10,000; the oldest of ended episodes leave first). */
  alertDeskCapacity?: number;
}

export interface Gateway {
  port: number;
  /** Which server carries it. */
  transport: Transport['kind'];
  /** That server in words ("uWebSockets.js 20.30.0 (native)"), for the start banner. */
  server: string;
  /** How callers are identified, in words (the open-on-loopback warning included). */
  auth: string;
  /** Exposed for other edges (HTTP routes of later issues) and tests. */
  store: ChannelStore;
  close(): Promise<void>;
}

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const logger = o.logger.child({ role: 'gateway' });
  const metrics = createGatewayMetrics(o.registry);
  const authenticator = authenticatorFor(o.auth, o.host, {
    subprotocols: [MSGPACK_SUBPROTOCOL, JSON_SUBPROTOCOL],
    onFailure: (reason, kind) => {
      metrics.authFailures.labels(kind).inc();
      logger.warn({ kind, reason }, 'refused credentials');
    },
  });
  const store = new ChannelStore({
    portfolios: o.portfolios.map((p) => p.id),
    instruments: o.instruments.map((i) => i.id),
  });
  const group = o.groupId ?? `gateway-${randomBytes(4).toString('hex')}`;
  const alerts = new AlertDeskFeed(o.bus, o.topicPrefix, group, logger, o.alertDeskCapacity);
  const streams = new StreamServer({
    store,
    metrics,
    logger,
    maxPayloadBytes: o.maxPayloadBytes,
    slowClientBufferBytes: o.slowClientBufferBytes,
    maxSlowMs: o.maxSlowMs,
    maxLagMs: o.maxLagMs,
    authenticateUpgrade: (req) => authenticator.authenticateUpgrade(req.header, req.url),
    open: authenticator.mode === 'open',
    limits: o.limits,
    eventQueueLimit: o.eventQueueLimit,
    riskQueries: o.riskQueries,
    orders: o.orders,
    alerts: alerts.entry,
  });
  registerBufferedGauge(o.registry, () => streams.bufferedBytes());
  const ingest = new Ingest(store, streams, alerts, metrics, logger, Math.max(1, o.conflationMs));
  const subscriptions: Subscription[] = [];
  const timers: NodeJS.Timeout[] = [];
  let transport: Transport | null = null;
  const stop = async () => {
    for (const timer of timers) clearInterval(timer);
    ingest.close();
    for (const sub of subscriptions) await sub.close();
    streams.close();
    await transport?.close();
    await alerts.close();
  };
  try {
    subscriptions.push(...(await subscribe(o, group, (b) => ingest.batch(b))));
    timers.push(watchBus(o.bus, streams, logger, o.statusEveryMs ?? 1000));
    transport = await serve(o, streams, store, authenticator, metrics, logger, alerts);
  } catch (err) {
    await stop();
    throw new RisklineError(
      'UNAVAILABLE',
      `gateway could not start on ${o.host}:${o.port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const port = transport.port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  logger.info(
    { ws: `ws://${shown}:${port}${STREAM_PATH}`, http: `http://${shown}:${port}`, group, server: transport.detail },
    `gateway listening: connect to ws://${shown}:${port}${STREAM_PATH}`,
  );
  logger.info({ auth: authenticator.mode }, authenticator.banner);
  let closed: Promise<void> | null = null;
  return {
    port,
    transport: transport.kind,
    server: transport.detail,
    auth: authenticator.banner,
    store,
    close: () => (closed ??= stop().then(() => logger.info('gateway closed'))),
  };
}

/** The configured server (uWS, or ws where uWS cannot run, said in the log) carrying the routes and the stream. */
async function serve(
  o: GatewayOptions,
  streams: StreamServer,
  store: ChannelStore,
  authenticator: Authenticator,
  metrics: GatewayMetrics,
  logger: Logger,
  alerts: AlertDeskFeed,
): Promise<Transport> {
  const started = await startTransport(o.transport ?? SERVER_DEFAULTS.transport, {
    host: o.host,
    port: o.port,
    maxBodyBytes: o.maxBodyBytes ?? SERVER_DEFAULTS.maxBodyBytes,
    http: createRouter({
      routes: httpRoutes(o, streams, store, authenticator, alerts),
      authenticate: (req) => authenticator.authenticate(req.header, req.url),
      logger,
      metrics,
    }),
    stream: {
      path: STREAM_PATH,
      handlers: streams.handlers,
      maxPayloadBytes: o.maxPayloadBytes,
      tooLargeReason: tooLargeReason(o.maxPayloadBytes),
      idleTimeoutS: o.idleTimeoutS ?? SERVER_DEFAULTS.idleTimeoutS,
    },
  });
  streams.attach(started.transport.hub);
  if (started.fellBack !== null)
    logger.warn({ reason: started.fellBack }, `uWebSockets.js cannot run here (${started.fellBack}); serving with ws`);
  return started.transport;
}

/** The close reason for an oversized frame: the catalogue code and the limit (well under 123 bytes). */
function tooLargeReason(limit: number): string {
  const err = new RisklineError('PAYLOAD_TOO_LARGE', `frames are limited to ${limit} bytes`);
  return `${err.code}: ${err.message}`;
}

/** A gateway with no engine to ask: what-if is UNAVAILABLE. */
const NO_RISK_QUERIES: RiskQueries = {
  whatIf: () => {
    throw new RisklineError('UNAVAILABLE', 'what-if is not served by this gateway');
  },
};

/** HTTP on the gateway's port: the table gateways/openapi.yaml documents (ops, REST, what-if), then later issues'. */
function httpRoutes(
  o: GatewayOptions,
  streams: StreamServer,
  store: ChannelStore,
  authenticator: Authenticator,
  alerts: AlertDeskFeed,
): Route[] {
  const table = gatewayHttpRoutes({
    ops: {
      startedAt: Date.now(),
      roles: o.roles ?? ['gateway'],
      bus: o.bus,
      registry: o.registry,
      details: () => ({ clients: streams.clientCount, lastTickAsOf: store.lastTickAsOf, ...o.details?.() }),
      starting: o.starting,
      metricsGuard: o.metricsGuard,
    },
    store,
    portfolios: o.portfolios,
    instruments: o.instruments,
    riskLimits: o.riskLimits,
    riskQueries: o.riskQueries ?? NO_RISK_QUERIES,
    alerts: alerts.entry,
    authConfig: publicAuthConfig(o.auth, authenticator.mode === 'verified'),
  });
  return [...table, ...(o.routes ?? [])];
}

/**
 * Every gateway reads every partition (a group of its own, nothing committed): the state topics
 * from the beginning, so it holds the latest state of every portfolio; ticks from the live edge.
 */
async function subscribe(o: GatewayOptions, group: string, onBatch: (b: Batch) => void): Promise<Subscription[]> {
  const stateTopics = [TOPIC.positions, TOPIC.exposures, TOPIC.risk, TOPIC.alerts, TOPIC.orderEvents].map(
    (t) => o.topicPrefix + t,
  );
  const state = await o.bus.subscribe({ group, topics: stateTopics, from: 'earliest', commit: false, onBatch });
  try {
    const ticks = [o.topicPrefix + TOPIC.ticks];
    return [
      state,
      await o.bus.subscribe({ group: `${group}-ticks`, topics: ticks, from: 'latest', commit: false, onBatch }),
    ];
  } catch (err) {
    await state.close();
    throw err;
  }
}

/** Tells clients when the bus goes away and comes back (their data is stale meanwhile). */
function watchBus(bus: Bus, streams: StreamServer, logger: Logger, everyMs: number): NodeJS.Timeout {
  let stale = false;
  return setInterval(() => {
    const h = bus.health();
    if (h.connected === !stale) return;
    stale = !h.connected;
    const reason = stale ? (notReadyReason(h) ?? 'bus unreachable') : null;
    logger.warn(
      { stale, reason },
      stale ? 'bus unreachable: clients told their data is stale' : 'bus back: data fresh again',
    );
    streams.status(statusMessage(stale, Date.now(), reason));
  }, everyMs).unref();
}
