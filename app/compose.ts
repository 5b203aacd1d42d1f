// The one composition module: wires the roles a process runs to the bus it runs on. Roles talk
// only through the bus, so the same roles run together here or spread over processes.

import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import type { RisklineConfig } from '../config/schema.js';
import { RisklineError } from '../errors/catalogue.js';
import { startGateway, type Gateway } from '../gateways/gateway.js';
import { metricsGuardFor, startOpsServer, type OpsServer } from '../gateways/ops.js';
import { webRoutes } from '../gateways/web-assets.js';
import type { Bus } from '../streams/bus.js';
import { createInProcessBus } from '../streams/inprocess.js';
import { KafkaBus } from '../streams/kafka/bus.js';
import { bounded } from '../streams/kafka/client.js';
import { topicSpecs } from '../streams/topics.js';
import { scrapeGauge } from './gauges.js';
import type { EngineRole } from './roles/engine.js';
import { startEngine, type EngineStart } from './roles/engine-start.js';
import { startAlertsRole, type AlertsRole } from './roles/alerts.js';
import { startFeedRole, type FeedRole } from './roles/feed.js';
import { localRiskQueries, remoteRiskQueries, threadRiskQueries, type EngineQueries } from './roles/risk-queries.js';
import { startRouterRole, type RouterRole } from './roles/router.js';
import { startStoreRole, type StoreRole, type StoreStatus } from './roles/store.js';
import { startVenueRole, type VenueRole } from './roles/venue.js';
import { startRoleThread, type RoleThread } from './threads/host.js';
import { MergedRegistry } from './threads/metrics.js';

export { engineOptions } from './roles/engine-start.js';

export interface StartOptions {
  config: RisklineConfig;
  logger: Logger;
  /** Record the engine's inputs and frame digests to this NDJSON file. */
  record?: string | null;
  /** Feed from a replay file instead of the simulator. */
  replay?: { file: string; speed: number } | null;
  /**
   * A process without the gateway role still serves /health, /ready and /metrics on the server
   * port (default true; a replay run beside `riskline start` turns it off).
   */
  opsServer?: boolean;
  /**
   * May the engine run on a thread of its own (where config.engine.ownThread allows: other roles
   * beside it, the in-process bus)? Default true; a replay keeps it here to read its counters.
   */
  engineThread?: boolean;
  /**
   * May the bus, with the roles beside the gateway, run on a thread of their own (where
   * config.bus.ownThread allows: the gateway and other roles, the in-process bus, no replay)?
   * Default true.
   */
  busThread?: boolean;
}

export interface Running {
  bus: Bus;
  registry: Registry;
  /** The engine role when it runs on this thread (null on its own thread: see `engineThread`). */
  engine: EngineRole | null;
  /** The engine role's thread, when it has one beside this thread. */
  engineThread: RoleThread | null;
  /** The thread of the bus and the roles beside the gateway, when they have one (see `busThread`). */
  coreThread: RoleThread | null;
  gateway: Gateway | null;
  feed: FeedRole | null;
  /** The order router, when this thread runs it. */
  router: RouterRole | null;
  /** The venue simulator, when this thread runs it. */
  venue: VenueRole | null;
  /** The store, when this thread runs it. */
  store: StoreRole | null;
  /** The health/metrics server of a process without the gateway role. */
  ops: OpsServer | null;
  close(): Promise<void>;
}

const AVAILABLE_ROLES = new Set(['feed', 'engine', 'gateway', 'router', 'venue', 'store', 'alerts']);
/** Roles that run on the gateway's thread when the others go to a core thread (their routes are the gateway's). */
const BESIDE_GATEWAY = new Set(['gateway', 'router']);

/** Kafka when brokers are configured, else the in-process bus. */
function createBus(config: RisklineConfig, logger: Logger): Bus {
  const { brokers, ...kafka } = config.kafka;
  if (brokers) return new KafkaBus({ brokers, ...kafka }, logger.child({ bus: 'kafka' }));
  return createInProcessBus({
    queueCapacity: config.bus.queueCapacity,
    queueBytes: config.bus.queueBytes,
    maxBatch: config.bus.maxBatch,
    onError: (err, batch, group) =>
      logger.error({ err, topic: batch.topic, partition: batch.partition, group }, 'consumer failed; retrying batch'),
  });
}

export async function startRiskline(o: StartOptions): Promise<Running> {
  const { config, logger } = o;
  checkRoles(config.roles);
  if (coreThreadApplies(o)) return startBesideCoreThread(o);
  const bus = createBus(config, logger);
  const topics = topicSpecs(config.topics);
  await bus.ensureTopics(topics);
  const registry = new MergedRegistry();
  collectDefaultMetrics({ register: registry });
  const instanceId = randomBytes(4).toString('hex');
  const roles = new Set(config.roles);

  let gateway: Gateway | null = null;
  let engine: EngineRole | null = null;
  let engineThread: RoleThread | null = null;
  let feed: FeedRole | null = null;
  let router: RouterRole | null = null;
  let venue: VenueRole | null = null;
  let store: StoreRole | null = null;
  let alerts: AlertsRole | null = null;
  let ops: OpsServer | null = null;
  let starting = true;
  const orderly = async () => {
    await router?.close();
    await alerts?.close();
    await store?.close();
    await venue?.close();
    await feed?.stop();
    await engine?.close();
    await engineThread?.close();
    await gateway?.close();
    await bus.close();
  };
  const stopAll = async () => {
    await stopBounded(o, orderly);
    await ops?.close();
  };
  const ownThread = engineOnOwnThread(o, bus);
  try {
    const queries = riskQueries(config.roles, ownThread, { thread: () => engineThread, local: () => engine });
    if (roles.has('venue')) venue = await startVenueRole({ bus, config, logger, instanceId });
    if (roles.has('store')) store = await startStoreRole({ bus, config, logger, registry });
    if (roles.has('alerts')) alerts = await startAlertsRole({ bus, config, logger, registry });
    if (roles.has('router'))
      router = await startRouterRole({ bus, config, logger, src: `router-${instanceId}`, queries });
    const details = () => (store === null ? {} : { store: store.status() });
    ({ gateway, ops } = await startHttp(o, bus, registry, instanceId, () => starting, queries, router, details));
    const start = engineStart(o, instanceId, store);
    if (ownThread) {
      engineThread = await startRoleThread(
        { role: 'engine', start },
        { serve: { bus, topics: topics.map((t) => t.name) }, logger },
      );
      registry.include(engineThread.metrics);
    } else if (roles.has('engine')) engine = await startEngine(start, bus, registry, logger);
    if (roles.has('feed')) {
      feed = await startFeedRole({ bus, config, logger, src: `feed-${instanceId}`, replay: o.replay ?? null });
      registerFeedMetrics(registry, feed);
    }
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  starting = false;
  return {
    bus,
    registry,
    engine,
    engineThread,
    coreThread: null,
    gateway,
    feed,
    router,
    venue,
    store,
    ops,
    close: stopAll,
  };
}

/** What the engine role starts from: its recording, replay file and the store its history may read. */
function engineStart(o: StartOptions, instanceId: string, store: StoreRole | null): EngineStart {
  const replayFile = o.replay?.file ?? null;
  const databaseUrl = store?.url ?? o.config.database.url;
  return { config: o.config, instanceId, record: o.record ?? null, replayFile, databaseUrl };
}

/** Where the gateway and the router ask what-ifs: this process's engine role (once started), on its thread or here, or none. */
function riskQueries(
  roles: readonly string[],
  ownThread: boolean,
  engine: { thread: () => RoleThread | null; local: () => EngineRole | null },
) {
  if (!roles.includes('engine')) return remoteRiskQueries(roles);
  return ownThread ? threadRiskQueries(engine.thread) : localRiskQueries(engine.local);
}

function checkRoles(roles: readonly string[]): void {
  for (const role of roles) {
    if (!AVAILABLE_ROLES.has(role)) {
      throw new RisklineError(
        'CONFIG_INVALID',
        `roles: "${role}" is not available in this build; available: ${[...AVAILABLE_ROLES].join(', ')}`,
      );
    }
  }
}

/** The engine beside other roles on the in-process bus; over Kafka a takeover asks its own client synchronously. */
function engineOnOwnThread(o: StartOptions, bus: Bus): boolean {
  const roles = o.config.roles;
  return (
    roles.includes('engine') &&
    roles.length > 1 &&
    o.config.engine.ownThread &&
    o.engineThread !== false &&
    bus.kind === 'inprocess'
  );
}

/** The gateway with other roles on the in-process bus (and no replay): they go to a core thread. */
function coreThreadApplies(o: StartOptions): boolean {
  const { config } = o;
  return (
    config.roles.includes('gateway') &&
    config.roles.length > 1 &&
    config.bus.ownThread &&
    o.busThread !== false &&
    !o.replay &&
    !config.kafka.brokers
  );
}

/**
 * Runs an orderly stop within twice the Kafka shutdown timeout. A stop while the cluster is away must
 * still end: what it did not acknowledge was never committed either, so the next start reads it again.
 */
async function stopBounded(o: StartOptions, orderly: () => Promise<void>): Promise<void> {
  const limit = o.config.kafka.shutdownTimeoutMs * 2;
  if (!(await bounded(orderly(), limit)))
    o.logger.warn(
      { afterMs: limit },
      'stopped without a clean leave: the bus did not answer; unacknowledged work is re-read at the next start',
    );
}

/**
 * The gateway alone on this thread; the bus, feed and engine on a core thread, composed there as a
 * process without the gateway would be. Fan-out, however busy, then never holds up the ticks the
 * engine reads, and the gateway reads the bus through its port like any other member.
 */
async function startBesideCoreThread(o: StartOptions): Promise<Running> {
  const { config, logger } = o;
  const roles = config.roles.filter((r) => !BESIDE_GATEWAY.has(r));
  const core = await startRoleThread(
    { role: 'core', start: { config: { ...config, roles }, record: o.record ?? null } },
    { logger },
  );
  const bus = core.bus!;
  const registry = new MergedRegistry();
  collectDefaultMetrics({ register: registry });
  registry.include(core.metrics);
  let gateway: Gateway | null = null;
  let router: RouterRole | null = null;
  const instanceId = randomBytes(4).toString('hex');
  const stopAll = () =>
    stopBounded(o, async () => {
      if (poll !== null) clearInterval(poll);
      await router?.close();
      await gateway?.close();
      await core.close();
    });
  // The store, when it runs on the core thread, is asked for its state every half second: /ready answers at once.
  let storeStatus: StoreStatus | null = null;
  const poll = config.roles.includes('store')
    ? setInterval(() => {
        core.rpc.call<StoreStatus | null>('storeStatus').then(
          (s) => void (storeStatus = s),
          () => undefined,
        );
      }, 500)
    : null;
  poll?.unref();
  try {
    const queries = threadRiskQueries(() => core);
    if (config.roles.includes('router'))
      router = await startRouterRole({ bus, config, logger, src: `router-${instanceId}`, queries });
    const details = () => (storeStatus === null ? {} : { store: storeStatus });
    ({ gateway } = await startHttp(o, bus, registry, instanceId, () => false, queries, router, details));
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  return {
    bus,
    registry,
    engine: null,
    engineThread: null,
    coreThread: core,
    gateway,
    feed: null,
    router,
    venue: null,
    store: null,
    ops: null,
    close: stopAll,
  };
}

/** The gateway role on the server port, or else (unless turned off) the health/metrics server there. */
async function startHttp(
  o: StartOptions,
  bus: Bus,
  registry: Registry,
  instanceId: string,
  starting: () => boolean,
  queries: EngineQueries,
  router: RouterRole | null,
  details: () => Record<string, unknown>,
): Promise<{ gateway: Gateway | null; ops: OpsServer | null }> {
  const { config, logger } = o;
  const common = { bus, registry, logger, roles: config.roles, starting, details };
  if (config.roles.includes('gateway')) {
    const server = config.server;
    const gateway = await startGateway({
      ...common,
      topicPrefix: config.topics.prefix,
      host: server.host,
      port: server.port,
      transport: server.transport,
      maxPayloadBytes: server.maxPayloadBytes,
      slowClientBufferBytes: server.slowClientBufferBytes,
      maxSlowMs: server.maxSlowMs,
      maxLagMs: server.maxLagMs,
      idleTimeoutS: server.idleTimeoutS,
      maxBodyBytes: server.maxBodyBytes,
      limits: server.limits,
      conflationMs: server.tickConflationMs ?? config.engine.conflationMs,
      auth: config.auth,
      metricsGuard: metricsGuardFor(server.metricsToken, server.host),
      portfolios: config.portfolios.map((p) => ({ id: p.id, name: p.name, baseCurrency: p.baseCurrency })),
      instruments: config.instruments,
      riskLimits: config.limits,
      groupId: `riskline-gateway-${instanceId}`,
      riskQueries: queries,
      orders: router?.entry,
      // The order routes of this process's router, and the live risk terminal at `/`.
      routes: [...(router?.routes ?? []), ...webRoutes(undefined, config.auth)],
    });
    return { gateway, ops: null };
  }
  if (o.opsServer === false) return { gateway: null, ops: null };
  const ops = await startOpsServer({
    ...common,
    startedAt: Date.now(),
    host: config.server.host,
    port: config.server.port,
    metricsGuard: metricsGuardFor(config.server.metricsToken, config.server.host),
  });
  return { gateway: null, ops };
}

/** The feed's progress, read at scrape time: the engine's event time is judged against it. */
function registerFeedMetrics(registry: Registry, feed: FeedRole): void {
  const stat = (name: string, help: string, field: string) =>
    scrapeGauge(registry, name, help, () => {
      const v = feed.stats()[field];
      return typeof v === 'number' ? v : NaN;
    });
  stat('riskline_feed_ticks_total', 'Ticks the feed has published', 'ticks');
  stat(
    'riskline_feed_event_time_ms',
    'Event time of the newest tick or heartbeat the feed sent (epoch ms)',
    'eventTime',
  );
}
