// The Bus on Apache Kafka: topics from the catalogue, one kafkajs client per process, producers
// and group subscriptions from ./producer and ./consumer. Partition counts are read from the
// cluster, so keys map to the partitions that really exist.

import type { Admin, Kafka as KafkaClient } from 'kafkajs';
import type { Logger } from 'pino';
import {
  busHealth,
  type Bus,
  type BusHealth,
  type ConsumedMessage,
  type Producer,
  type ReadRange,
  type SubscribeOptions,
  type Subscription,
  type TopicSpec,
} from '../bus.js';
import { ensureKafkaTopics } from './admin.js';
import { backoffMs, createKafkaClient, errorText, sleep, unreachableAfterMs, type KafkaSettings } from './client.js';
import { KafkaSubscription, readRanges } from './consumer.js';
import { KafkaProducer } from './producer.js';

export class KafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  readonly client: KafkaClient;
  private readonly partitionCount = new Map<string, number>();
  private readonly producers = new Set<KafkaProducer>();
  private readonly subscriptions = new Set<KafkaSubscription>();
  /** The catalogue last ensured: re-created when the cluster comes back without it. */
  private catalogue: TopicSpec[] = [];
  private closed = false;

  constructor(
    readonly settings: KafkaSettings,
    private readonly logger: Logger,
  ) {
    this.client = createKafkaClient(settings, logger);
  }

  /** Creates or checks the catalogue's topics, retrying while the cluster is unreachable. */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.catalogue = topics;
    for (let attempt = 0; !this.closed; attempt++) {
      const admin: Admin = this.client.admin();
      try {
        await admin.connect();
        const found = await ensureKafkaTopics(admin, topics);
        for (const [name, n] of found) this.partitionCount.set(name, n);
        this.logger.info({ brokers: this.settings.brokers, topics: topics.length }, 'kafka: topics ready');
        return;
      } catch (err) {
        if ((err as { code?: string }).code === 'CONFIG_INVALID') throw err;
        const wait = backoffMs(attempt, this.settings.retry);
        this.logger.warn(
          { brokers: this.settings.brokers, err: errorText(err), attempt, retryInMs: wait },
          'kafka: cluster unreachable; retrying',
        );
        await sleep(wait);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
  }

  partitions(topic: string): number {
    const n = this.partitionCount.get(topic);
    if (n === undefined) throw new Error(`topic ${topic} is not in the catalogue this bus was given`);
    return n;
  }

  producer(): Producer {
    const p = new KafkaProducer(this.client, this.settings, (t) => this.partitions(t), this.logger);
    this.producers.add(p);
    const close = p.close.bind(p);
    p.close = async () => {
      this.producers.delete(p);
      await close();
    };
    return p;
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const s = new KafkaSubscription(this.client, this.settings, options, this.logger, () =>
      this.ensureTopics(this.catalogue),
    );
    this.subscriptions.add(s);
    await s.start();
    return s;
  }

  readToEnd(topic: string, partitions: number[], visit: (m: ConsumedMessage) => void): Promise<void> {
    return this.readRanges(
      partitions.map((partition) => ({ topic, partition })),
      visit,
    );
  }

  readRanges(ranges: ReadRange[], visit: (m: ConsumedMessage) => void): Promise<void> {
    return readRanges(this.client, this.settings, ranges, visit);
  }

  /** Over Kafka: this process's producers' sends so far, acknowledged (no cross-partition order to wait for). */
  async settled(): Promise<void> {
    await Promise.all([...this.producers].map((p) => p.settled()));
  }

  health(): BusHealth {
    const now = Date.now();
    const limit = unreachableAfterMs(this.settings);
    const failing = [...this.producers].filter((p) => p.failingSince > 0 && now - p.failingSince > limit).length;
    return busHealth(
      this.kind,
      [...this.subscriptions].map((s) => s.health(now)),
      failing,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.subscriptions) await s.close();
    for (const p of [...this.producers]) await p.close();
  }
}
