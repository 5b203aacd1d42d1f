// The gateway role: consumes the engine's frame topics and md.ticks from the bus (its own consumer
// group, from the beginning so it sees the state topics' latest snapshots), keeps every channel's
// state in a ChannelStore, fans frames out over WebSocket, conflates ticks to one frame per
// instrument per `conflationMs`, and serves HTTP on the same port, on uWebSockets.js or node:http.

import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { RisklineError, toRisklineError } from '../errors/catalogue.js';
import { checkFrame, type Frame } from '../engine/frames.js';
import type { LimitDef } from '../engine/limits.js';
import { validateAlert, validateTick, validateTickTuple } from '../engine/validate.js';
import type { Batch, Bus, Subscription } from '../streams/bus.js';
import { decodeEnvelopeAuto, type Envelope } from '../streams/envelope.js';
import { InstrumentBytes, readTickBatch, type TickVisitor } from '../streams/tick-batch.js';
import { isCheckpointKey, TOPIC } from '../streams/topics.js';
import { ChannelStore } from './channels.js';
import { createGatewayMetrics, registerBufferedGauge, type GatewayMetrics } from './metrics.js';
import { notReadyReason, type MetricsGuard } from './ops.js';
import { isEventKind, JSON_SUBPROTOCOL, MSGPACK_SUBPROTOCOL, statusMessage, STREAM_PATH } from './protocol.js';
import { gatewayHttpRoutes, publicAuthConfig, type InstrumentInfo, type PortfolioInfo } from './rest/index.js';
import type { Route } from './route.js';
import { createRouter } from './router.js';
import { authenticatorFor, type Authenticator } from './identity/index.js';
import { SERVER_DEFAULTS, type AuthConfig } from '../config/schema.js';
import { StreamServer, type StreamLimits } from './stream-server.js';
import { startTransport, type Transport, type TransportKind } from './transport/index.js';
import type { OrderEntry } from './orders/entry.js';
import type { RiskQueries } from './what-if.js';

export type { PortfolioInfo } from './rest/index.js';

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

/** Bad records are logged on the 1st, then every LOG_EVERY-th. */
const LOG_EVERY = 1000;

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
  });
  registerBufferedGauge(o.registry, () => streams.bufferedBytes());
  const ingest = new Ingest(store, streams, metrics, logger, Math.max(1, o.conflationMs));
  const group = o.groupId ?? `gateway-${randomBytes(4).toString('hex')}`;
  const subscriptions: Subscription[] = [];
  const timers: NodeJS.Timeout[] = [];
  let transport: Transport | null = null;
  const stop = async () => {
    for (const timer of timers) clearInterval(timer);
    ingest.close();
    for (const sub of subscriptions) await sub.close();
    streams.close();
    await transport?.close();
  };
  try {
    subscriptions.push(...(await subscribe(o, group, (b) => ingest.batch(b))));
    timers.push(watchBus(o.bus, streams, logger, o.statusEveryMs ?? 1000));
    transport = await serve(o, streams, store, authenticator, metrics, logger);
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
): Promise<Transport> {
  const started = await startTransport(o.transport ?? SERVER_DEFAULTS.transport, {
    host: o.host,
    port: o.port,
    maxBodyBytes: o.maxBodyBytes ?? SERVER_DEFAULTS.maxBodyBytes,
    http: createRouter({
      routes: httpRoutes(o, streams, store, authenticator),
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

/** A channel with this many state frames in one bus batch, spanning COALESCE_SPAN_MS, goes out as one snapshot (see Ingest). */
export const COALESCE_AT = 3;
/**
 * ...and their event times this far apart: the gateway is engine intervals behind, not reading a large
 * portfolio's publication units (each its own frame, staggered across the interval) as they come.
 */
export const COALESCE_SPAN_MS = 250;

/**
 * Decodes bus records into the store and the fan-out; a bad record is counted, never fatal. State
 * frames go out once the batch is read: a channel with COALESCE_AT or more in one batch whose event
 * times span COALESCE_SPAN_MS (the gateway was engine intervals behind the bus; Kafka's fetches may
 * hold two in the normal course, and a portfolio of many publication units sends several frames an
 * interval) sends one snapshot at the newest seq instead, so a gateway that fell behind catches up rather than
 * queue (its clients' data would age by the queue). Alerts and orders all go out.
 */
class Ingest {
  private bad = 0;
  /** When ticks last went out (performance.now()), and the flush waiting for conflationMs to pass. */
  private flushedAt = -Infinity;
  private trailing: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** State frames applied in the batch being read, by channel, in order. */
  private readonly held = new Map<string, Frame[]>();
  private readonly records = new Map<string, { inc(): void }>();
  /** Tick batches take the engine's zero-allocation reader; known instruments only. */
  private readonly ids: InstrumentBytes;
  private readonly visitor: TickVisitor;
  private badTicks = 0;

  constructor(
    private readonly store: ChannelStore,
    private readonly streams: StreamServer,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
    /** Ticks go out at most once per instrument per this many ms. */
    private readonly conflationMs: number,
  ) {
    // The reader resolves ids through the store, so its indices are the store's tick slots.
    this.ids = new InstrumentBytes((id) => store.indexOf(id));
    this.visitor = {
      tick: (i, ts, bid, ask, last) => store.tickAt(i, ts, bid, ask, last),
      bad: () => void this.badTicks++,
    };
  }

  batch(batch: Batch): void {
    this.streams.beginRound();
    try {
      for (const m of batch.messages) {
        // Engine checkpoints share state.positions with the frames; they are for engines only.
        if (isCheckpointKey(m.key)) continue;
        try {
          this.badTicks = 0;
          const n = readTickBatch(m.value, this.ids, this.visitor);
          if (n >= 0) {
            this.count('ticks');
            // The engine dead-letters bad ticks with their reasons; here they are counted.
            if (this.badTicks > 0) throw new RisklineError('INVALID_TICK', `${this.badTicks} of ${n} ticks rejected`);
            continue;
          }
          this.record(decodeEnvelopeAuto(m.value));
        } catch (err) {
          this.reject(err, batch.topic, m.partition, m.offset);
        }
      }
      this.publishHeld();
      if (this.store.ticksPending) this.ticksRead();
    } finally {
      this.held.clear();
      this.streams.endRound();
    }
  }

  private publishHeld(): void {
    for (const [channel, frames] of this.held) {
      if (frames.length < COALESCE_AT || frames[frames.length - 1].asOf - frames[0].asOf < COALESCE_SPAN_MS) {
        for (const f of frames) this.streams.publish(f);
        continue;
      }
      const snapshot = this.store.snapshot(channel);
      if (snapshot !== null) this.streams.publish(snapshot);
      this.metrics.coalesced.inc(frames.length - 1);
    }
  }

  /**
   * Ticks go out once the batches already waiting on this turn of the event loop are read (one feed
   * round arrives as a batch per partition, back to back) when conflationMs has passed since the
   * last flush, so no timer's wait is added to a tick's latency; else when it has passed.
   */
  private ticksRead(): void {
    if (this.immediate !== null) return;
    const wait = this.flushedAt + this.conflationMs - performance.now();
    if (wait <= 0) {
      // A timer a busy loop made late is overtaken: the flush goes now instead.
      if (this.trailing !== null) clearTimeout(this.trailing);
      this.trailing = null;
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.flushTicks();
      });
    } else
      this.trailing ??= setTimeout(() => {
        this.trailing = null;
        this.flushTicks();
      }, wait);
  }

  close(): void {
    if (this.trailing) clearTimeout(this.trailing);
    if (this.immediate) clearImmediate(this.immediate);
    this.trailing = null;
    this.immediate = null;
  }

  flushTicks(): void {
    this.flushedAt = performance.now();
    this.streams.beginRound();
    try {
      this.store.flushTicks(
        (ch) => this.streams.hasSubscribers(ch),
        (f) => this.streams.publish(f),
      );
    } finally {
      this.streams.endRound();
    }
  }

  /** Counts a bus record by message type (labelled counters cached: no lookup per record). */
  private count(type: string): void {
    let counter = this.records.get(type);
    if (counter === undefined) this.records.set(type, (counter = this.metrics.busRecords.labels(type)));
    counter.inc();
  }

  private record(env: Envelope): void {
    this.count(env.type);
    switch (env.type) {
      case 'ticks': {
        // A batch the fast reader passed on (JSON): the engine's validation, the same known instruments.
        if (!Array.isArray(env.body)) throw new RisklineError('INVALID_TICK', 'ticks body must be an array');
        this.badTicks = 0;
        env.body.forEach((tuple: unknown, k) => {
          try {
            const [id, ts, bid, ask, last] = validateTickTuple(tuple, `ticks[${k}]`);
            const i = this.store.indexOf(id);
            if (i >= 0) this.store.tickAt(i, ts, bid, ask, last);
            else this.badTicks++;
          } catch {
            this.badTicks++;
          }
        });
        if (this.badTicks > 0)
          throw new RisklineError('INVALID_TICK', `${this.badTicks} of ${env.body.length} ticks rejected`);
        return;
      }
      case 'tick': {
        const t = validateTick(env.body);
        const i = this.store.indexOf(t.instrument);
        if (i < 0) throw new RisklineError('UNKNOWN_INSTRUMENT', `unknown instrument ${JSON.stringify(t.instrument)}`);
        this.store.tickAt(i, t.ts, t.bid, t.ask, t.last);
        return;
      }
      case 'frame': {
        const frame = checkFrame(env.body);
        const outcome = this.store.accept(frame);
        if (outcome === 'applied') this.hold(frame);
        else if (outcome === 'gap') {
          const had = this.store.get(frame.channel)?.seq ?? 0;
          this.logger.warn(
            { channel: frame.channel, seq: frame.seq, had },
            'seq gap: channel waits for the next snapshot',
          );
        } else if (outcome === 'rejected') throw new RisklineError('DECODE_FAILED', `frame channel ${frame.channel}`);
        return;
      }
      case 'alert': {
        const a = validateAlert(env.body, 'alert record');
        if (!this.store.hasPortfolio(a.portfolio))
          throw new RisklineError('DECODE_FAILED', `alert record: portfolio: no such portfolio ${a.portfolio}`);
        this.streams.publish(this.store.acceptAlert(a));
        return;
      }
      case 'order': {
        const order = env.body as { id?: unknown; portfolio?: unknown } | null;
        if (
          order === null ||
          typeof order !== 'object' ||
          typeof order.id !== 'string' ||
          typeof order.portfolio !== 'string'
        )
          throw new RisklineError('DECODE_FAILED', 'order record: expected an order {id, portfolio, ...}');
        if (!this.store.hasPortfolio(order.portfolio))
          throw new RisklineError('DECODE_FAILED', `order record: portfolio: no such portfolio ${order.portfolio}`);
        this.streams.publish(this.store.acceptOrder({ ...order, id: order.id, portfolio: order.portfolio }, env.ts));
        return;
      }
      default:
        return; // heartbeats and other roles' records are not the gateway's
    }
  }

  /** Events go out at once; state frames when the batch is read (see the class). */
  private hold(frame: Frame): void {
    if (isEventKind(this.store.get(frame.channel)!.kind)) return this.streams.publish(frame);
    const held = this.held.get(frame.channel);
    if (held === undefined) this.held.set(frame.channel, [frame]);
    else held.push(frame);
  }

  private reject(err: unknown, topic: string, partition: number, offset: number): void {
    const e = toRisklineError(err);
    this.metrics.badRecords.labels(e.code).inc();
    if (this.bad++ % LOG_EVERY === 0) {
      this.logger.warn(
        { topic, partition, offset, code: e.code, reason: e.message, badRecords: this.bad },
        `skipped a bad bus record (logging 1 in ${LOG_EVERY})`,
      );
    }
  }
}
