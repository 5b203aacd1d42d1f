// The engine role as a process starts it: the risk backend loaded (and why better ones were not),
// the valuation time stated, the role started on a bus, its counters registered as Prometheus
// gauges read at scrape time. Compose runs it on the main thread or, through ../threads/, on a
// worker thread of its own: the same code either way.

import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RisklineConfig } from '../../config/schema.js';
import type { EngineOptions } from '../../engine/engine.js';
import { loadRiskBackend } from '../../native/loader.js';
import type { Bus } from '../../streams/bus.js';
import { scrapeGauge } from '../gauges.js';
import { Recorder } from '../recorder.js';
import { simulationOptions } from '../risk-inputs.js';
import type { HistorySource } from '../../engine/risk/risk-model.js';
import type { StoredCloses } from '../../engine/risk/stored-days.js';
import { storedClosesAt } from '../../services/store/history.js';
import { valuationStart } from '../valuation.js';
import { startEngineRole, type EngineRole } from './engine.js';

export function engineOptions(
  config: RisklineConfig,
  backend: EngineOptions['backend'],
  valuationTime: number,
  simulation: EngineOptions['simulation'] = simulationOptions(config),
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
    limitCheckMs: config.engine.limitCheckMs,
    staleAfterMs: config.engine.staleAfterMs ?? undefined,
    risk: {
      confidence: config.risk.confidence,
      horizonDays: config.risk.horizonDays,
      intervalMs: config.risk.intervalMs,
      riskFreeRate: config.risk.riskFreeRate,
    },
    backend,
    dedupeWindow: config.engine.dedupeWindow,
    simulation,
    analytics: config.analytics,
  };
}

/** What starting an engine role needs besides its bus (plain data: it also crosses to a worker thread). */
export interface EngineStart {
  config: RisklineConfig;
  instanceId: string;
  /** Record the engine's inputs and frame digests to this NDJSON file. */
  record: string | null;
  /** The replay file being fed, if any (its first event is the valuation time). */
  replayFile: string | null;
  /** PostgreSQL of the store (this process's, or database.url), for risk.history.fromStore; null: none. */
  databaseUrl?: string | null;
}

/** The engine role at its valuation time, on this thread, with its metrics registered. */
export async function startEngine(o: EngineStart, bus: Bus, registry: Registry, logger: Logger): Promise<EngineRole> {
  const { config, instanceId } = o;
  const { backend, note, skipped } = loadRiskBackend(config.risk.backend, {
    threads: config.risk.threads ?? undefined,
  });
  const passed = skipped.length > 0 ? ` (not taken: ${skipped.join('; ')})` : '';
  logger.info({ backend: backend.name, detail: backend.detail, skipped }, `risk backend: ${note}${passed}`);
  const start = await valuationStart(config, o.replayFile, Date.now());
  logger.info(
    { valuationTime: new Date(start.time).toISOString(), source: start.source },
    'engine: opening book valued at this time until inputs move event time',
  );
  const engine = await startEngineRole({
    bus,
    topics: config.topics,
    engine: engineOptions(config, backend, start.time, await withStoredHistory(o, start.time, logger)),
    logger,
    src: `engine-${instanceId}`,
    recorder: o.record ? new Recorder(o.record, start.time) : null,
    checkpointEvery: config.engine.checkpointEvery,
    checkpointEveryMs: config.engine.checkpointEveryMs,
  });
  registerEngineMetrics(registry, engine);
  return engine;
}

/** How long the engine's start waits on the store for its stored days before going on with the file alone. */
const STORED_DAYS_TIMEOUT_MS = 10_000;

/** The simulation's inputs with, for risk.history.fromStore, the days the store holds after the history file's. */
async function withStoredHistory(o: EngineStart, valuationTime: number, logger: Logger) {
  const sim = simulationOptions(o.config);
  return { ...sim, stored: await storedDays(o, sim.history, valuationTime, logger) };
}

/** The closes of the days the store holds after the history file's, up to the valuation day. */
async function storedDays(
  o: EngineStart,
  file: HistorySource | null,
  valuationTime: number,
  logger: Logger,
): Promise<StoredCloses | null> {
  const h = o.config.risk.history;
  if (h === null || !h.fromStore) return null;
  if (!o.databaseUrl) {
    logger.warn('risk.history.fromStore: no database (no store role here, no database.url): the history file alone');
    return null;
  }
  const fromDay = file === null || file.epochDays.length === 0 ? 0 : file.epochDays[file.epochDays.length - 1];
  const toDay = Math.floor(valuationTime / 86_400_000);
  try {
    const ids = o.config.instruments.map((i) => i.id);
    const stored = await storedClosesAt(o.databaseUrl, ids, fromDay, toDay, STORED_DAYS_TIMEOUT_MS);
    logger.info({ days: stored.days.length }, 'risk history: stored days after the file read from the store');
    return stored;
  } catch (err) {
    logger.warn(
      { err: (err as Error).message },
      'risk.history.fromStore: the store did not answer: the history file alone',
    );
    return null;
  }
}

/** Engine counters read at scrape time: nothing is added to the per-tick path. */
function registerEngineMetrics(registry: Registry, role: EngineRole): void {
  const stat = (name: string, help: string, read: () => number) => scrapeGauge(registry, name, help, read);
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
