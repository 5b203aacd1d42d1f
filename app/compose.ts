// The one composition module: wires the roles a process runs to the bus it runs on. Roles talk
// only through the bus, so the same roles run together here or spread over processes.

import { simulationOptions } from './risk-inputs.js';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RisklineConfig } from '../config/schema.js';
import type { EngineOptions } from '../engine/engine.js';
import { RisklineError } from '../errors/catalogue.js';
import { loadRiskBackend } from '../native/loader.js';
import { startGateway, type Gateway } from '../gateways/gateway.js';
import { metricsGuardFor, startOpsServer, type OpsServer } from '../gateways/ops.js';
import type { RiskQueries } from '../gateways/what-if.js';
import type { Bus } from '../streams/bus.js';
import { createInProcessBus } from '../streams/inprocess.js';
import { KafkaBus } from '../streams/kafka/bus.js';
import { bounded } from '../streams/kafka/client.js';
import { topicSpecs } from '../streams/topics.js';
import { Recorder } from './recorder.js';
import { startEngineRole, type EngineRole } from './roles/engine.js';
import { startFeedRole, type FeedRole } from './roles/feed.js';
import { localRiskQueries, remoteRiskQueries } from './roles/risk-queries.js';
import { valuationStart } from './valuation.js';

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
}

export interface Running {
  bus: Bus;
  registry: Registry;
  engine: EngineRole | null;
  gateway: Gateway | null;
  feed: FeedRole | null;
  /** The health/metrics server of a process without the gateway role. */
  ops: OpsServer | null;
  close(): Promise<void>;
}

const AVAILABLE_ROLES = new Set(['feed', 'engine', 'gateway']);

export function engineOptions(
  config: RisklineConfig,
  backend: EngineOptions['backend'],
  valuationTime: number,
): EngineOptions {
  return {
    valuationTime,
    instruments: config.instruments,
    portfolios: config.portfolios,
    market: config.market,
    limits: config.limits,
    markSource: config.engine.markSource,
    conflationMs: config.engine.conflationMs,
    snapshotEveryMs: config.engine.snapshotEveryMs,
    risk: {
      confidence: config.risk.confidence,
      horizonDays: config.risk.horizonDays,
      intervalMs: config.risk.intervalMs,
      riskFreeRate: config.risk.riskFreeRate,
    },
    backend,
    dedupeWindow: config.engine.dedupeWindow,
    simulation: simulationOptions(config),
  };
}

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
  for (const role of config.roles) {
    if (!AVAILABLE_ROLES.has(role)) {
      throw new RisklineError(
        'CONFIG_INVALID',
        `roles: "${role}" is not available in this build; available: ${[...AVAILABLE_ROLES].join(', ')}`,
      );
    }
  }
  const bus = createBus(config, logger);
  await bus.ensureTopics(topicSpecs(config.topics));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const instanceId = randomBytes(4).toString('hex');
  const roles = new Set(config.roles);

  let gateway: Gateway | null = null;
  let engine: EngineRole | null = null;
  let feed: FeedRole | null = null;
  let ops: OpsServer | null = null;
  let starting = true;
  const orderly = async () => {
    await feed?.stop();
    await engine?.close();
    await gateway?.close();
    await bus.close();
  };
  // A stop while the cluster is away must still end: what it did not acknowledge was never
  // committed either, so the next start reads it again.
  const stopAll = async () => {
    const limit = config.kafka.shutdownTimeoutMs * 2;
    if (!(await bounded(orderly(), limit)))
      logger.warn(
        { afterMs: limit },
        'stopped without a clean leave: the bus did not answer; unacknowledged work is re-read at the next start',
      );
    await ops?.close();
  };
  try {
    // The gateway asks this process's engine role (once started) what-ifs; none in a gateway-only process.
    const queries = roles.has('engine') ? localRiskQueries(() => engine) : remoteRiskQueries(config.roles);
    ({ gateway, ops } = await startHttp(o, bus, registry, instanceId, () => starting, queries));
    if (roles.has('engine')) engine = await startEngine(o, bus, registry, instanceId);
    if (roles.has('feed')) {
      feed = await startFeedRole({ bus, config, logger, src: `feed-${instanceId}`, replay: o.replay ?? null });
    }
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  starting = false;
  return { bus, registry, engine, gateway, feed, ops, close: stopAll };
}

/** The gateway role on the server port, or else (unless turned off) the health/metrics server there. */
async function startHttp(
  o: StartOptions,
  bus: Bus,
  registry: Registry,
  instanceId: string,
  starting: () => boolean,
  queries: RiskQueries,
): Promise<{ gateway: Gateway | null; ops: OpsServer | null }> {
  const { config, logger } = o;
  const common = { bus, registry, logger, roles: config.roles, starting };
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
      idleTimeoutS: server.idleTimeoutS,
      maxBodyBytes: server.maxBodyBytes,
      limits: server.limits,
      conflationMs: server.tickConflationMs ?? config.engine.conflationMs,
      auth: config.auth,
      metricsGuard: metricsGuardFor(server.metricsToken, server.host),
      portfolios: config.portfolios.map((p) => ({ id: p.id, name: p.name, baseCurrency: p.baseCurrency })),
      instruments: config.instruments,
      groupId: `riskline-gateway-${instanceId}`,
      riskQueries: queries,
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

/** The engine role at its valuation time, with its metrics registered. */
async function startEngine(o: StartOptions, bus: Bus, registry: Registry, instanceId: string): Promise<EngineRole> {
  const { config, logger } = o;
  const { backend, note, skipped } = loadRiskBackend(config.risk.backend, {
    threads: config.risk.threads ?? undefined,
  });
  const passed = skipped.length > 0 ? ` (not taken: ${skipped.join('; ')})` : '';
  logger.info({ backend: backend.name, detail: backend.detail, skipped }, `risk backend: ${note}${passed}`);
  const start = await valuationStart(config, o.replay?.file ?? null, Date.now());
  logger.info(
    { valuationTime: new Date(start.time).toISOString(), source: start.source },
    'engine: opening book valued at this time until inputs move event time',
  );
  const engine = await startEngineRole({
    bus,
    topics: config.topics,
    engine: engineOptions(config, backend, start.time),
    logger,
    src: `engine-${instanceId}`,
    recorder: o.record ? new Recorder(o.record, start.time) : null,
    checkpointEvery: config.engine.checkpointEvery,
    checkpointEveryMs: config.engine.checkpointEveryMs,
  });
  registerEngineMetrics(registry, engine);
  return engine;
}

/** Engine counters read at scrape time: nothing is added to the per-tick path. */
function registerEngineMetrics(registry: Registry, role: EngineRole): void {
  const stat = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  const s = role.engine.stats;
  stat('riskline_engine_ticks_total', 'Ticks applied by the engine', () => s.ticks);
  stat('riskline_engine_executions_total', 'Executions applied (duplicates excluded)', () => s.executions);
  stat(
    'riskline_engine_duplicate_executions_total',
    'Executions ignored as already applied',
    () => s.duplicateExecutions,
  );
  stat('riskline_engine_frames_total', 'Frames published', () => s.frames);
  stat(
    'riskline_engine_stale_ticks_total',
    "Ticks refused as older than their instrument's newest mark (dead-lettered as STALE_TICK)",
    () => s.staleTicks,
  );
  stat('riskline_engine_positions', 'Positions held', () => role.engine.book.positions);
  stat('riskline_engine_dlq_total', 'Records sent to the dead-letter topic', () => role.stats().dlq);
  stat(
    'riskline_engine_publish_failures_total',
    'Publications the bus refused outright (a record over the broker limit)',
    () => role.stats().publishFailures,
  );
  stat('riskline_engine_checkpoints_total', 'Portfolio checkpoints written', () => role.stats().checkpoints);
  stat(
    'riskline_engine_event_time_ms',
    'Event time of the newest input applied (epoch ms)',
    () => role.engine.book.now,
  );
}
