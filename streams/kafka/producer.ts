// The Kafka side of `Producer`: sends from every caller are gathered for `lingerMs` (or until
// `batchBytes`) and go out as one idempotent produce request, one request in flight at a time, so
// order per partition holds across callers and retries. Nothing is dropped: a batch that fails is
// retried with backoff until it is written or the producer is closed, and each caller's promise
// settles only then — that is the backpressure a slow or absent cluster exerts. After an indefinite
// failure (a timed-out request whose outcome is unknown) the kafkajs producer is replaced, not
// reused, as Kafka's own failure analyses advise; the idempotent sequence restarts with it.

import type { Kafka as KafkaClient, Message, Producer as KafkaJsProducer, TopicMessages } from 'kafkajs';
import kafkajs from 'kafkajs';
import type { Logger } from 'pino';
import type { BusMessage, Producer } from '../bus.js';
import { partitionFor } from '../partitioner.js';
import {
  backoffMs,
  bounded,
  errorText,
  isIndefinite,
  isProducerStateError,
  isRetriable,
  sleep,
  type KafkaSettings,
} from './client.js';

const { CompressionTypes, Partitioners } = kafkajs;

/** A record's share of a produce request: value, key, and Kafka's per-record framing (generous). */
const recordBytes = (value: number, key: number): number => value + key + 64;

interface Pending {
  topic: string;
  messages: Message[];
  bytes: number;
  resolve(): void;
  reject(err: Error): void;
}

export class KafkaProducer implements Producer {
  private client: KafkaJsProducer | null = null;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** Sends called, and sends settled (in call order: batches are delivered oldest first). */
  private called = 0;
  private done = 0;
  private settleWaiters: { upTo: number; resolve(): void }[] = [];
  /** Replacements after indefinite failures (exposed for tests and metrics). */
  replaced = 0;
  /** When the current run of failed attempts began (0: the last request went through); read by health. */
  failingSince = 0;
  /** Keys withdrawn while a batch was being delivered: dropped from its requests before each attempt. */
  private withdrawnInFlight: { topics: ReadonlySet<string>; keys: ReadonlySet<string> } | null = null;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly settings: KafkaSettings,
    private readonly partitions: (topic: string) => number,
    private readonly logger: Logger,
  ) {}

  send(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('producer is closed'));
    if (messages.length === 0) return Promise.resolve();
    this.called++;
    const n = this.partitions(topic);
    let bytes = 0;
    const out: Message[] = messages.map((m) => {
      bytes += recordBytes(m.value.length, m.key.length);
      return {
        key: m.key,
        value: Buffer.from(m.value.buffer, m.value.byteOffset, m.value.length),
        partition: m.partition ?? partitionFor(m.key, n),
        headers: m.headers,
      };
    });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages: out, bytes, resolve, reject });
      this.queuedBytes += bytes;
      if (this.queuedBytes >= this.settings.producer.batchBytes) this.kick();
      else if (this.timer === null && this.flushing === null)
        this.timer = setTimeout(() => this.kick(), this.settings.producer.lingerMs);
    });
  }

  private kick(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing === null && this.queue.length > 0)
      this.flushing = this.drain().finally(() => {
        this.flushing = null;
        // Sends that arrived after the drain's last look must not wait for a later caller.
        if (this.queue.length > 0) this.kick();
      });
  }

  /** Sends queued batches, oldest first, one request at a time, until the queue is empty. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      // A withdrawal made before this batch was taken has filtered it already (it was queued).
      this.withdrawnInFlight = null;
      const err = await this.deliver(batch);
      for (const p of batch) {
        if (err) p.reject(err);
        else p.resolve();
      }
      this.done += batch.length;
      if (this.settleWaiters.length > 0) this.wakeSettled();
    }
  }

  withdraw(topics: ReadonlySet<string>, keys: ReadonlySet<string>): number {
    let dropped = 0;
    for (const p of this.queue) {
      if (!topics.has(p.topic)) continue;
      const kept = p.messages.filter((m) => !keys.has(m.key as string));
      dropped += p.messages.length - kept.length;
      p.messages = kept;
    }
    // The request being retried holds older records still: it drops them before its next attempt.
    if (this.flushing !== null) this.withdrawnInFlight = { topics, keys };
    return dropped;
  }

  /** Settles once every send called so far is acknowledged or refused. */
  settled(): Promise<void> {
    if (this.done === this.called) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ upTo: this.called, resolve }));
  }

  private wakeSettled(): void {
    this.settleWaiters = this.settleWaiters.filter((w) => (w.upTo <= this.done ? (w.resolve(), false) : true));
  }

  private takeBatch(): Pending[] {
    const limit = this.settings.producer.batchBytes;
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || bytes + this.queue[n].bytes <= limit)) bytes += this.queue[n++].bytes;
    this.queuedBytes -= bytes;
    return this.queue.splice(0, n);
  }

  /**
   * Writes one batch as produce requests of at most `batchBytes` each (a broker refuses a record
   * batch above its message.max.bytes), in order; retries each until written. Returns the error
   * only for a non-retriable failure.
   */
  private async deliver(batch: Pending[]): Promise<Error | null> {
    const limit = this.settings.producer.batchBytes;
    let request = new Map<string, TopicMessages>();
    let bytes = 0;
    for (const p of batch) {
      for (const m of p.messages) {
        const size = recordBytes((m.value as Buffer).length, (m.key as string).length);
        if (bytes > 0 && bytes + size > limit) {
          const err = await this.request([...request.values()]);
          if (err) return err;
          request = new Map();
          bytes = 0;
        }
        const t = request.get(p.topic) ?? request.set(p.topic, { topic: p.topic, messages: [] }).get(p.topic)!;
        t.messages.push(m);
        bytes += size;
      }
    }
    return bytes > 0 ? this.request([...request.values()]) : null;
  }

  private async request(topicMessages: TopicMessages[]): Promise<Error | null> {
    const compression = this.settings.producer.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    for (let attempt = 0; ; attempt++) {
      try {
        const client = await this.connected();
        // Checked once connected, just before the request goes: connecting can take seconds.
        topicMessages = this.withoutWithdrawn(topicMessages);
        if (topicMessages.length === 0) return null;
        await client.sendBatch({ topicMessages, acks: -1, compression });
        this.failingSince = 0;
        if (attempt > 0) this.logger.info({ attempts: attempt + 1 }, 'kafka producer: delivered after retrying');
        return null;
      } catch (err) {
        if (this.failingSince === 0) this.failingSince = Date.now();
        const stale = isProducerStateError(err);
        if (!stale && !isRetriable(err) && !isIndefinite(err)) return err as Error;
        const wait = backoffMs(attempt, this.settings.retry);
        if (stale) {
          this.logger.warn(
            { err: errorText(err), retryInMs: wait },
            'kafka producer: the broker refused its sequence state; replacing the producer before retrying',
          );
          await this.replace();
        } else if (isIndefinite(err)) {
          this.logger.warn(
            { err: errorText(err), retryInMs: wait },
            'kafka producer: request outcome unknown; replacing the producer before retrying',
          );
          await this.replace();
        } else {
          this.logger.warn(
            { err: errorText(err), attempt, retryInMs: wait },
            'kafka producer: cluster unreachable; retrying',
          );
        }
        if (this.closed && attempt > 3)
          return new Error(`producer closed while the cluster was unreachable: ${errorText(err)}`);
        await sleep(wait);
      }
    }
  }

  /** Connects (retrying while the cluster is unreachable) without sending anything. */
  async connect(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.connected();
        return;
      } catch (err) {
        if (!isRetriable(err)) throw err;
        await sleep(backoffMs(attempt, this.settings.retry));
      }
    }
  }

  /** The request less what was withdrawn since its batch was taken. */
  private withoutWithdrawn(topicMessages: TopicMessages[]): TopicMessages[] {
    if (this.withdrawnInFlight === null) return topicMessages;
    const { topics, keys } = this.withdrawnInFlight;
    for (const t of topicMessages)
      if (topics.has(t.topic)) t.messages = t.messages.filter((m) => !keys.has(m.key as string));
    return topicMessages.filter((t) => t.messages.length > 0);
  }

  private async connected(): Promise<KafkaJsProducer> {
    if (this.client) return this.client;
    const client = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Every message carries its partition (murmur2, as Java's client): kafkajs' own is not used.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 3, initialRetryTime: this.settings.retry.initialMs, maxRetryTime: this.settings.retry.maxMs },
    });
    try {
      await client.connect();
    } catch (err) {
      await client.disconnect().catch(() => undefined);
      throw err;
    }
    this.client = client;
    return client;
  }

  private async replace(): Promise<void> {
    const old = this.client;
    this.client = null;
    this.replaced++;
    await old?.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.kick();
    while (this.flushing) await this.flushing;
    if (this.client) await bounded(this.client.disconnect(), 5000);
    this.client = null;
  }
}
