// The Kafka side of `Subscription`: one kafkajs consumer in a group, batches handed to `onBatch`
// one partition batch at a time, offsets committed only after `onBatch` has finished (its effects
// are published), so a crash redelivers rather than loses. A batch whose handler fails is retried
// with backoff, never skipped. Rebalances are reported through `onAssign` with what was gained and
// lost; gained partitions stay paused until the handler has rebuilt what it needs for them.

import { randomBytes } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka as KafkaClient } from 'kafkajs';
import type { Logger } from 'pino';
import type {
  Assignment,
  ConsumedMessage,
  ReadRange,
  SubscribeOptions,
  Subscription,
  SubscriptionHealth,
  TopicPartitions,
} from '../bus.js';
import {
  backoffMs,
  bounded,
  errorText,
  isMissingTopic,
  leaveGroup,
  sleep,
  unreachableAfterMs,
  type KafkaSettings,
} from './client.js';

const EMPTY = new Uint8Array(0);

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function group(pairs: Iterable<[string, number]>): TopicPartitions[] {
  const by = new Map<string, number[]>();
  for (const [t, p] of pairs) (by.get(t) ?? by.set(t, []).get(t)!).push(p);
  return [...by].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}

/** kafkajs messages to bus messages: offsets as numbers, header values as strings. */
export function toConsumed(b: EachBatchPayload['batch']): ConsumedMessage[] {
  const out: ConsumedMessage[] = [];
  for (const m of b.messages) {
    if (m.value === null) continue; // a tombstone: compaction's delete marker carries no message
    let headers: Record<string, string> | undefined;
    if (m.headers) {
      headers = {};
      for (const [k, v] of Object.entries(m.headers)) if (v !== undefined) headers[k] = String(v);
    }
    out.push({
      topic: b.topic,
      partition: b.partition,
      offset: Number(m.offset),
      key: m.key === null ? '' : m.key.toString(),
      value: m.value ?? EMPTY,
      headers,
    });
  }
  return out;
}

export class KafkaSubscription implements Subscription {
  private consumer: Consumer | null = null;
  private assigned = new Map<string, [string, number]>();
  /** Partitions gained whose onAssign has not finished: they stay paused. */
  private rebuilding = new Set<string>();
  private assignChain: Promise<void> = Promise.resolve();
  private paused = false;
  private closed = false;
  /** Where an `earliest`/`latest` subscription starts each partition (offsets taken before joining). */
  private startAt: Map<string, string> | null = null;
  /** Next offset per partition of a subscription that commits nothing (kept across a restart). */
  private readonly position = new Map<string, string>();
  private joinedOnce: () => void = () => undefined;
  private readonly firstJoin = new Promise<void>((r) => (this.joinedOnce = r));
  /** Restarts since the last batch handled: the backoff before the next one grows with it. */
  private crashes = 0;
  /** When the cluster last answered a fetch (0: never), and each partition's lag at its last batch. */
  private lastFetchAt = 0;
  private readonly lag = new Map<string, number>();
  private joinedAt = 0;
  /** The member id of the last consumer that joined: it leaves explicitly when a new one replaces it. */
  private memberId: string | null = null;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly settings: KafkaSettings,
    private readonly options: SubscribeOptions,
    private readonly logger: Logger,
    /** Re-creates the catalogue's topics (a broker that came back with empty data has none). */
    private readonly recreateTopics: () => Promise<void> = async () => undefined,
  ) {}

  /** Where this member stands, for /ready and /health. */
  health(now = Date.now()): SubscriptionHealth {
    const fresh = this.lastFetchAt > 0 && now - this.lastFetchAt <= unreachableAfterMs(this.settings);
    const state = this.closed
      ? 'closed'
      : this.consumer === null || this.joinedAt === 0
        ? 'joining'
        : !fresh
          ? 'unreachable'
          : this.rebuilding.size > 0
            ? 'rebuilding'
            : 'consuming';
    let lag = 0;
    for (const k of this.assigned.keys()) lag += this.lag.get(k) ?? 0;
    return {
      group: this.options.group,
      topics: this.options.topics,
      state,
      assigned: this.assigned.size,
      lag,
      lastFetchAgoMs: this.lastFetchAt === 0 ? null : now - this.lastFetchAt,
    };
  }

  /** Connects (retrying while the cluster is unreachable), joins the group and starts consuming. */
  async start(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      const consumer = this.create();
      // Set before joining: the first assignment's handler may finish before run() returns.
      this.consumer = consumer;
      try {
        await consumer.connect();
        await this.leaveAsOldMember();
        // `latest` is the end as of now, not as of the first fetch after the join: records written
        // after subscribe() are not missed. Taken once: a restart keeps the subscription's start.
        const from = this.options.from ?? 'committed';
        if (from !== 'committed') this.startAt ??= await this.offsets(from);
        // With no committed offset (and no start of its own) a group starts at the oldest record.
        await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: 1,
          eachBatch: (payload) => this.eachBatch(payload),
        });
        // Subscribed means joined: the caller may rely on records written from now on being read.
        if (!(await bounded(this.firstJoin, 30_000)))
          this.logger.warn({ group: this.options.group }, 'kafka consumer: no assignment after 30 s; going on');
        await this.assignChain;
        return;
      } catch (err) {
        this.consumer = null;
        await consumer.disconnect().catch(() => undefined);
        const wait = backoffMs(attempt, this.settings.retry);
        this.logger.warn(
          { group: this.options.group, err: errorText(err), retryInMs: wait },
          'kafka consumer: cannot join the group; retrying',
        );
        if (isMissingTopic(err)) await this.recreate();
        await sleep(wait);
      }
    }
  }

  private create(): Consumer {
    const c = this.settings.consumer;
    const consumer = this.kafka.consumer({
      groupId: this.options.group,
      sessionTimeout: c.sessionTimeoutMs,
      rebalanceTimeout: Math.max(c.sessionTimeoutMs, 10_000),
      heartbeatInterval: c.heartbeatMs,
      maxBytesPerPartition: c.maxBytesPerPartition,
      maxWaitTimeInMs: c.maxWaitMs,
      allowAutoTopicCreation: false,
      retry: {
        // Room for a leader moving or a coordinator loading. A broker gone altogether still ends
        // the run (kafkajs gives up on seed brokers it cannot reach): this class then starts a new
        // member, whose old self leaves first (leaveAsOldMember).
        retries: 100,
        initialRetryTime: this.settings.retry.initialMs,
        maxRetryTime: this.settings.retry.maxMs,
        // kafkajs would restart a crashed consumer every initialRetryTime, forever (a crash loop
        // when a topic is gone): restarts are this class's, with backoff and topic re-creation.
        restartOnFailure: async () => false,
      },
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.memberId = e.payload.memberId;
      this.joined(consumer, e.payload.memberAssignment);
    });
    consumer.on(consumer.events.FETCH, () => (this.lastFetchAt = Date.now()));
    consumer.on(consumer.events.CRASH, (e) => {
      if (this.closed) return;
      const wait = backoffMs(this.crashes, this.settings.retry);
      this.logger.warn(
        { group: this.options.group, err: errorText(e.payload.error), restarts: this.crashes, restartInMs: wait },
        'kafka consumer stopped; starting a new member',
      );
      void this.restartFromScratch(consumer, wait, isMissingTopic(e.payload.error));
    });
    return consumer;
  }

  private async restartFromScratch(old: Consumer, wait: number, missingTopic: boolean): Promise<void> {
    if (this.consumer !== old) return;
    this.crashes++;
    this.consumer = null;
    this.joinedAt = 0;
    await old.disconnect().catch(() => undefined);
    this.joined(null, {}); // everything is lost until the new member joins
    if (missingTopic) await this.recreate();
    await sleep(wait);
    await this.start();
  }

  /** A replaced consumer's member leaves the group, so the group need not wait out its session. */
  private async leaveAsOldMember(): Promise<void> {
    const old = this.memberId;
    if (old === null) return;
    if (await leaveGroup(this.kafka, this.options.group, old)) this.memberId = null;
  }

  private async recreate(): Promise<void> {
    try {
      await this.recreateTopics();
    } catch (err) {
      this.logger.warn({ group: this.options.group, err: errorText(err) }, 'kafka: topics could not be re-created yet');
    }
  }

  /** Called synchronously by kafkajs after each join, before fetching resumes. */
  private joined(consumer: Consumer | null, memberAssignment: Record<string, number[]>): void {
    const now = new Map<string, [string, number]>();
    for (const [topic, partitions] of Object.entries(memberAssignment))
      for (const p of partitions) now.set(key(topic, p), [topic, p]);
    const gained = [...now].filter(([k]) => !this.assigned.has(k));
    const lost = [...this.assigned].filter(([k]) => !now.has(k));
    this.assigned = now;
    for (const [k] of lost) this.rebuilding.delete(k);
    // A member that commits nothing resumes every partition where it was, not only gained ones:
    // after kafkajs rejoins on its own (a broker restart), it would otherwise start over.
    if (consumer) this.seekStarts(consumer, this.options.commit === false ? [...now] : gained);
    if (consumer) this.joinedAt = Date.now();
    this.joinedOnce();
    this.logger.info(
      { group: this.options.group, assigned: now.size, gained: gained.length, lost: lost.length },
      'kafka consumer: partitions assigned (a rebalance)',
    );
    if (!this.options.onAssign || (gained.length === 0 && lost.length === 0)) return;
    const change: Assignment = {
      assigned: group(now.values()),
      gained: group(gained.map(([, tp]) => tp)),
      lost: group(lost.map(([, tp]) => tp)),
    };
    if (consumer && change.gained.length > 0) {
      consumer.pause(change.gained);
      for (const [k] of gained) this.rebuilding.add(k);
    }
    // Rebalances are handled in order; a partition gained again later waits for the newest one.
    this.assignChain = this.assignChain.then(() =>
      this.assign(
        consumer,
        change,
        gained.map(([k]) => k),
      ),
    );
  }

  /**
   * A gained partition starts where this subscription left it (one that commits nothing), else at
   * its start position the first time it is assigned; otherwise at the group's committed offset.
   */
  private seekStarts(consumer: Consumer, gained: [string, [string, number]][]): void {
    for (const [k, [topic, partition]] of gained) {
      const offset = this.position.get(k) ?? this.startAt?.get(k);
      if (offset !== undefined) consumer.seek({ topic, partition, offset });
      if (this.options.commit !== false) this.startAt?.delete(k);
    }
  }

  private async assign(consumer: Consumer | null, change: Assignment, gainedKeys: string[]): Promise<void> {
    const seeks: { topic: string; partition: number; offset: string }[] = [];
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        seeks.length = 0;
        await this.options.onAssign!(change, {
          seek: (topic, partition, offset) => seeks.push({ topic, partition, offset: String(offset) }),
          holds: (topic, partition) => this.assigned.has(key(topic, partition)),
        });
        break;
      } catch (err) {
        const wait = backoffMs(attempt, this.settings.retry);
        this.logger.error(
          { group: this.options.group, err: errorText(err), retryInMs: wait },
          'partition takeover failed; retrying',
        );
        await sleep(wait);
      }
    }
    if (!consumer || this.consumer !== consumer || this.closed) return;
    const mine = seeks.filter((s) => this.assigned.has(key(s.topic, s.partition)));
    for (const s of mine) consumer.seek(s);
    // onAssign has settled, so what it read up to is published: commit it, or the group's lag would
    // show records the takeover already applied until the next batch arrives.
    if (this.options.commit !== false && mine.length > 0)
      await consumer
        .commitOffsets(mine)
        .catch((err: unknown) =>
          this.logger.warn({ group: this.options.group, err: errorText(err) }, 'kafka consumer: commit failed'),
        );
    const ready = gainedKeys.filter((k) => this.assigned.has(k) && this.rebuilding.delete(k));
    if (!this.paused && ready.length > 0) consumer.resume(group(ready.map((k) => this.assigned.get(k)!)));
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const k = key(batch.topic, batch.partition);
    if (this.rebuilding.has(k) || batch.messages.length === 0) return;
    const messages = toConsumed(batch);
    const last = Number(batch.lastOffset());
    for (let attempt = 0; messages.length > 0; attempt++) {
      if (!payload.isRunning() || payload.isStale()) return;
      try {
        const r = this.options.onBatch({ topic: batch.topic, partition: batch.partition, messages });
        if (r !== undefined) await r;
        break;
      } catch (err) {
        const wait = backoffMs(attempt, this.settings.retry);
        this.logger.error(
          {
            group: this.options.group,
            topic: batch.topic,
            partition: batch.partition,
            err: errorText(err),
            retryInMs: wait,
          },
          'consumer failed; retrying batch',
        );
        await sleep(wait);
      }
    }
    payload.resolveOffset(String(last));
    this.crashes = 0;
    this.lag.set(k, Math.max(0, Number(batch.highWatermark) - last - 1));
    if (this.options.commit === false) this.position.set(k, String(last + 1));
    else {
      try {
        await payload.commitOffsetsIfNecessary({
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(last + 1) }] }],
        });
      } catch (err) {
        // A rebalance took the partition: its next owner starts from its own rebuild.
        this.logger.warn({ group: this.options.group, err: errorText(err) }, 'kafka consumer: commit failed');
      }
    }
    await payload.heartbeat().catch(() => undefined);
  }

  /** Every partition's oldest retained offset (`earliest`) or end (`latest`), as of now. */
  private async offsets(from: 'earliest' | 'latest'): Promise<Map<string, string>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const out = new Map<string, string>();
      for (const topic of this.options.topics)
        for (const o of await admin.fetchTopicOffsets(topic))
          out.set(key(topic, o.partition), from === 'latest' ? o.high : o.low);
      return out;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  pause(): void {
    this.paused = true;
    this.consumer?.pause(this.options.topics.map((topic) => ({ topic })));
  }

  resume(): void {
    this.paused = false;
    const c = this.consumer;
    if (!c) return;
    c.resume(this.options.topics.map((topic) => ({ topic })));
    if (this.rebuilding.size > 0) c.pause(group([...this.rebuilding].map((k) => this.assigned.get(k)!)));
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.consumer;
    this.consumer = null;
    // stop() waits for the batch in hand (whose offsets it then commits); disconnect leaves the group.
    const half = (this.settings.shutdownTimeoutMs ?? 5000) / 2;
    if (c && !((await bounded(c.stop(), half)) && (await bounded(c.disconnect(), half))))
      this.logger.warn(
        { group: this.options.group },
        'kafka consumer: cluster unreachable at shutdown; left without leaving',
      );
  }
}

/** Where each wanted partition's read starts and ends (its high watermark when the read began). */
interface Span {
  topic: string;
  partition: number;
  start: number;
  end: number;
}

/** The non-empty spans of `ranges` as of now: from each range's offset (or the oldest) to the end. */
async function spans(kafka: KafkaClient, ranges: ReadRange[]): Promise<Map<string, Span>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out = new Map<string, Span>();
    for (const topic of new Set(ranges.map((r) => r.topic))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      for (const r of ranges) {
        const o = r.topic === topic ? offsets.find((x) => x.partition === r.partition) : undefined;
        if (o === undefined) continue;
        const start = Math.max(Number(o.low), r.from ?? 0);
        const end = Number(o.high);
        if (end > start) out.set(key(topic, r.partition), { topic, partition: r.partition, start, end });
      }
    }
    return out;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * A one-off consumer outside any lasting group, reading each range from its offset to its end as
 * of the call (one consumer for all ranges: a group join is the slow part of a read).
 */
export async function readRanges(
  kafka: KafkaClient,
  settings: KafkaSettings,
  ranges: ReadRange[],
  visit: (m: ConsumedMessage) => void,
): Promise<void> {
  const want = await spans(kafka, ranges);
  if (want.size === 0) return;
  const consumer = kafka.consumer({
    groupId: `riskline-reader-${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: settings.consumer.maxWaitMs,
    maxBytesPerPartition: settings.consumer.maxBytesPerPartition,
  });
  await consumer.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      // A retriable failure (a leader moving) restarts the reader in place; anything else ends the read.
      consumer.on(consumer.events.CRASH, (e) => {
        if (!e.payload.restart) reject(e.payload.error);
      });
      // Each wanted partition starts at its own offset; the others are never fetched.
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        for (const [topic, partitions] of Object.entries(e.payload.memberAssignment))
          for (const partition of partitions) {
            const w = want.get(key(topic, partition));
            if (w) consumer.seek({ topic, partition, offset: String(w.start) });
            else consumer.pause([{ topic, partitions: [partition] }]);
          }
      });
      consumer
        .subscribe({ topics: [...new Set([...want.values()].map((w) => w.topic))], fromBeginning: true })
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachBatch: async ({ batch, pause }) => {
              const w = want.get(key(batch.topic, batch.partition));
              if (w === undefined) return void pause();
              for (const m of toConsumed(batch)) if (m.offset >= w.start && m.offset < w.end) visit(m);
              if (Number(batch.lastOffset()) >= w.end - 1) {
                want.delete(key(batch.topic, batch.partition));
                pause();
                if (want.size === 0) resolve();
              }
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
