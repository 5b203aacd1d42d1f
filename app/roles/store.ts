// The store role: ticks, executions, risk snapshots, positions and exposures state, alerts and orders
// from the bus into PostgreSQL
// (services/store/), at least once from the bus and stored once; bars rolled up from the ticks by a
// job. Batches are written in order through one queue. While the database is away (or its
// migrations have not run yet) the records go to a spill file on disk instead, their offsets
// committed once they are flushed there, so the feed and the engine never wait on the database; a
// drain retries with backoff and, the database back, writes the spill in order, one transaction at
// a time between new batches, and starts over. Only a spill past `database.spillMaxBytes` holds the
// consumer (and then the bus's backpressure applies). A record the database refuses as data (not a
// connection problem) goes to the DLQ with the reason; the rest of its batch is stored.

import type { Logger } from 'pino';
import pg from 'pg';
import { Gauge, Counter, type Registry } from 'prom-client';
import type { RisklineConfig } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';
import { rollUpBars } from '../../services/store/bars.js';
import { isSnapshotRecord } from '../../services/store/book-state.js';
import { migrate } from '../../services/store/migrate.js';
import { TickSink } from '../../services/store/sink.js';
import { SpillFile } from '../../services/store/spill.js';
import { StoreReader, StoreRows } from '../../services/store/rows.js';
import type { Batch, Bus, ConsumedMessage, Producer, Subscription } from '../../streams/bus.js';
import { dlqMessage } from '../../streams/dlq.js';
import { TOPIC } from '../../streams/topics.js';
import { startPostgres, type PostgresServer } from '../../tools/postgres/server.js';

export type StoreState = 'connecting' | 'writing' | 'spilling' | 'paused';

/** What /health and /ready say of the store (it never makes the process unready: the rest goes on). */
export interface StoreStatus {
  state: StoreState;
  reason: string | null;
  spilledRecords: number;
  spillBytes: number;
}

export interface StoreRole {
  /** The database it writes to (the embedded server's, or database.url). */
  readonly url: string;
  /** Writing, spilling or paused, why not writing (the database's last error), and what is spilled. */
  status(): StoreStatus;
  stats(): { ticks: number; executions: number; duplicates: number; dlq: number };
  /** The bars of what was stored since the last roll-up, now (also every `database.barsEveryMs`). */
  rollUp(): Promise<void>;
  /** Retention and closed days' indexes now (also run every `database.maintenanceEveryMs`). */
  maintain(): Promise<void>;
  /** Resolves once nothing is spilled and every batch handed over so far is in the database. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreRoleOptions {
  bus: Bus;
  config: RisklineConfig;
  logger: Logger;
  registry: Registry;
  /** Called with the server started for `database.embedded` (tests and the banner read its URL). */
  onServer?: (s: PostgresServer) => void;
}

/** One group for every store process of a deployment: each record is stored by one of them. */
export const storeGroup = (prefix: string): string => `${prefix}store`;

const RETRY_FIRST_MS = 250;
/** Records read back from the spill per transaction. */
const DRAIN_RECORDS = 400;

/** SQLSTATE classes that mean "this data", not "this connection": 22 data exception, 23 integrity. */
const isDataError = (err: unknown): boolean => /^2[23]/.test(String((err as { code?: unknown }).code ?? ''));

export async function startStoreRole(o: StoreRoleOptions): Promise<StoreRole> {
  const { config, bus } = o;
  const db = config.database;
  const logger = o.logger.child({ role: 'store' });
  let server: PostgresServer | null = null;
  if (db.embedded) {
    server = await startPostgres({ dir: db.dir, port: db.port ?? undefined });
    o.onServer?.(server);
    logger.info({ url: server.url, dir: db.dir }, 'store: embedded PostgreSQL started');
  }
  const url = server?.url ?? db.url;
  if (url === null)
    throw new RisklineError(
      'CONFIG_INVALID',
      'database.url: the store role needs a PostgreSQL URL (--database, DATABASE_URL) or database.embedded',
    );
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 });
  // A connection the server ends (a restart, a failover) errors on the client in hand too, not only
  // on idle ones: the write it was doing fails and is retried; the event itself must not go unheard.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', (err) => logger.warn({ err: err.message }, 'store: database connection lost'));
  const writer = new StoreWriter(pool, bus.producer(), config, logger, o.registry);
  const stateTopics = new Set([TOPIC.positions, TOPIC.exposures].map((t) => config.topics.prefix + t));
  let sub: Subscription | null = null;
  try {
    await writer.start();
    sub = await bus.subscribe({
      group: storeGroup(config.topics.prefix),
      topics: [
        TOPIC.ticks,
        TOPIC.executions,
        TOPIC.risk,
        TOPIC.positions,
        TOPIC.exposures,
        TOPIC.alerts,
        TOPIC.orderEvents,
      ].map((t) => config.topics.prefix + t),
      from: 'earliest',
      maxBatch: DRAIN_RECORDS,
      // Of the positions and exposures frames only snapshots are kept: updates go no further (book-state.ts).
      onBatch: (b) =>
        writer.onBatch(
          stateTopics.has(b.topic) ? { ...b, messages: b.messages.filter((m) => isSnapshotRecord(m.value)) } : b,
        ),
    });
  } catch (err) {
    await writer.close();
    await pool.end().catch(() => undefined);
    await server?.stop();
    throw err;
  }
  return {
    url,
    status: () => ({
      state: writer.state,
      reason: writer.reason,
      spilledRecords: writer.spill.records,
      spillBytes: writer.spill.bytes,
    }),
    maintain: () => writer.maintain(),
    rollUp: () => writer.rollUp(),
    stats: () => ({ ...writer.counts }),
    drained: () => writer.drained(),
    async close() {
      await sub?.close();
      await writer.close();
      await pool.end().catch(() => undefined);
      await server?.stop();
    },
  };
}

class StoreWriter {
  state: StoreState = 'connecting';
  reason: string | null = null;
  readonly spill: SpillFile;
  readonly counts = { ticks: 0, executions: 0, duplicates: 0, dlq: 0 };
  private readonly reader: StoreReader;
  private readonly sink: TickSink;
  private readonly rows = new StoreRows();
  private queue: Promise<void> = Promise.resolve();
  private migrated = false;
  private backoff = RETRY_FIRST_MS;
  private timer: NodeJS.Timeout | null = null;
  /** Bytes of the spill already written to PostgreSQL by the drain in progress. */
  private drainAt = 0;
  private readonly upkeep: NodeJS.Timeout;
  private readonly barsTimer: NodeJS.Timeout;
  private closed = false;
  private readonly dlqTopic: string;
  private readonly metrics: { state: Gauge; rows: Counter; spillBytes: Gauge };

  constructor(
    private readonly pool: pg.Pool,
    private readonly producer: Producer,
    private readonly config: RisklineConfig,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    const ids = config.instruments.map((i) => i.id);
    this.reader = new StoreReader(ids, config.database.riskEveryMs);
    this.sink = new TickSink(ids, config.database.write);
    this.spill = new SpillFile(config.database.spillDir);
    this.dlqTopic = config.topics.prefix + TOPIC.dlq;
    this.upkeep = setInterval(() => void this.maintain(), config.database.maintenanceEveryMs);
    this.upkeep.unref();
    this.barsTimer = setInterval(() => void this.rollUp(), config.database.barsEveryMs);
    this.barsTimer.unref();
    this.metrics = {
      state: new Gauge({
        name: 'riskline_store_writing',
        help: 'Whether the store writes to PostgreSQL (1) or spills to disk because it cannot (0)',
        registers: [registry],
      }),
      rows: new Counter({
        name: 'riskline_store_rows_total',
        help: 'Rows the store wrote to PostgreSQL, by table',
        labelNames: ['table'],
        registers: [registry],
      }),
      spillBytes: new Gauge({
        name: 'riskline_store_spill_bytes',
        help: 'Bytes of bus records waiting on disk for PostgreSQL',
        registers: [registry],
        collect: () => this.metrics.spillBytes.set(this.spill.bytes),
      }),
    };
  }

  /** Migrates, then drains what a previous run spilled; a database that is away starts the retries. */
  async start(): Promise<void> {
    await this.serial(() => this.drainStep());
  }

  onBatch(batch: Batch): Promise<void> {
    return this.admit().then(() => this.serial(() => this.take(batch.messages)));
  }

  /** Holds the consumer while the spill is over its limit (the only time the store slows the bus). */
  private async admit(): Promise<void> {
    while (!this.closed && this.spill.bytes >= this.config.database.spillMaxBytes) {
      this.state = 'paused';
      await new Promise((r) => setTimeout(r, this.backoff));
    }
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async take(messages: ConsumedMessage[]): Promise<void> {
    if (this.spill.empty && this.migrated) {
      try {
        await this.write(messages);
        return this.writing();
      } catch (err) {
        this.failed(err);
      }
    }
    this.spill.append(messages.map((m) => m.value));
    this.schedule();
  }

  /** Writes records as one transaction; a data error splits them so only the refused ones go to the DLQ. */
  private async write(messages: readonly Pick<ConsumedMessage, 'value'>[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await this.writeWith(client, messages);
    } finally {
      client.release();
    }
  }

  private writing(): void {
    this.state = 'writing';
    this.reason = null;
    this.metrics.state.set(1);
  }

  private async writeWith(client: pg.PoolClient, messages: readonly Pick<ConsumedMessage, 'value'>[]): Promise<void> {
    this.rows.clear();
    for (const m of messages) this.reader.read(m, this.rows);
    try {
      const r = await this.sink.write(client, this.rows);
      this.reader.stored(this.rows);
      this.counts.ticks += r.ticks;
      this.counts.executions += r.executions;
      this.counts.duplicates += r.duplicates;
      for (const table of ['ticks', 'executions', 'risk', 'states', 'alerts', 'alertActions', 'orders'] as const)
        this.metrics.rows.inc({ table }, r[table]);
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (messages.length > 1) {
        for (const m of messages) await this.writeWith(client, [m]);
        return;
      }
      await this.deadLetter(messages[0], err as Error);
    }
  }

  private async deadLetter(m: Pick<ConsumedMessage, 'value'>, err: Error): Promise<void> {
    this.counts.dlq++;
    const reason = new RisklineError('INVALID_TICK', `the database refused the record: ${err.message}`);
    this.logger.warn({ dlq: this.counts.dlq }, reason.message);
    const at = { topic: 'store', partition: 0, offset: -1, key: '', value: m.value, ts: Date.now() } as ConsumedMessage;
    await this.producer.send(this.dlqTopic, [dlqMessage(at, reason, m.value)]);
  }

  private failed(err: unknown): void {
    const message = (err as Error).message;
    if (this.state !== 'spilling')
      this.logger.warn({ err: message }, 'store: PostgreSQL unavailable; spilling to disk');
    this.state = 'spilling';
    this.reason = message;
    this.metrics.state.set(0);
  }

  private schedule(delayMs = this.backoff): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.serial(() => this.drainStep()).catch((err: unknown) => {
        // A database whose migrations do not fit this build: say so, keep spilling, look again later.
        this.logger.error({ err: (err as Error).message }, 'store: cannot use the database');
        this.failed(err);
        this.schedule();
      });
    }, delayMs);
  }

  /** Migrations if not yet run, then one transaction of the spill; reschedules itself until the spill is empty. */
  private async drainStep(): Promise<void> {
    try {
      if (!this.migrated) {
        const client = await this.pool.connect();
        try {
          const applied = await migrate(client);
          if (applied.length > 0) this.logger.info({ applied }, 'store: migrations applied');
        } finally {
          client.release();
        }
        this.migrated = true;
      }
      if (!this.spill.empty) {
        // One transaction a step, then the queue's turn: batches that came meanwhile (spilled behind) are
        // taken in between, so a long drain never holds the consumer, and through it the feed.
        const values: Pick<ConsumedMessage, 'value'>[] = [];
        const next = this.spill.read(this.drainAt, DRAIN_RECORDS, (value) => values.push({ value }));
        await this.write(values);
        this.drainAt = next;
        this.backoff = RETRY_FIRST_MS;
        if (this.drainAt < this.spill.bytes) return this.schedule(0);
        this.logger.info({ records: this.spill.records }, 'store: spilled records written to PostgreSQL');
        this.spill.clear();
        this.drainAt = 0;
      }
      this.writing();
      this.backoff = RETRY_FIRST_MS;
    } catch (err) {
      if (err instanceof RisklineError && err.code === 'CONFIG_INVALID') throw err; // a migration problem: no retry helps
      this.failed(err);
      this.backoff = Math.min(this.config.database.retryMaxMs, this.backoff * 2);
      this.schedule();
    }
  }

  /** The bars of what was stored since the last roll-up, through the write queue; skipped while the database is away. */
  rollUp(): Promise<void> {
    return this.serial(async () => {
      if (this.state !== 'writing') return;
      try {
        const client = await this.pool.connect();
        try {
          await rollUpBars(client);
        } finally {
          client.release();
        }
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'store: bars roll-up failed; it runs again later');
      }
    });
  }

  /**
   * Drops the days of ticks past retention and indexes the closed ones, through the same queue as the
   * writes; skipped while the database is away (the next run catches up).
   */
  maintain(): Promise<void> {
    return this.serial(async () => {
      if (this.state !== 'writing') return;
      const retentionMs = this.config.database.retention.ticksDays * 86_400_000;
      try {
        const client = await this.pool.connect();
        try {
          const now = Date.now();
          const dropped = await this.sink.partitions.dropOlderThan(client, now, retentionMs);
          const indexed = await this.sink.partitions.indexClosedDays(client, now);
          const { riskDays, ticksDays, barsDays } = this.config.database.retention;
          const older = (table: string, days: number) =>
            client.query(`delete from ${table} where bucket < now() - make_interval(days => $1)`, [days]);
          await older('risk_snapshots', riskDays);
          await older('state_snapshots', riskDays);
          await older('bars_1s', ticksDays);
          await client.query(`delete from tick_batches where ts < now() - make_interval(days => $1)`, [ticksDays]);
          await older('bars_1m', barsDays);
          if (dropped.length + indexed.length > 0) this.logger.info({ dropped, indexed }, 'store: maintenance');
        } finally {
          client.release();
        }
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'store: maintenance failed; it runs again later');
      }
    });
  }

  async drained(): Promise<void> {
    for (;;) {
      await this.queue;
      if (this.spill.empty && this.state === 'writing') return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.upkeep);
    clearInterval(this.barsTimer);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.queue;
    this.spill.close();
  }
}
