// What the engine role publishes, and the flow control around it. Records are gathered per topic
// over one cycle (one input batch) and sent as one batch per topic. Sends go straight to the
// producer, which keeps their order (the Bus contract): chaining each cycle behind the previous
// one's acknowledgement would hold the tick reader to one produce round trip per cycle, which
// over Kafka is the whole latency budget. Instead, unacknowledged bytes are bounded.

import type { Logger } from 'pino';
import type { BusMessage, Producer } from '../../streams/bus.js';

/** Frame bytes the tick reader may leave unacknowledged before it waits (a slow bus slows input). */
export const MAX_UNACKED_BYTES = 8 * 1024 * 1024;

export class Outbound {
  /** This cycle's records per topic, sent together by flush(). */
  private readonly cycle = new Map<string, BusMessage[]>();
  /** The newest flush: it settles after every earlier one (sends are acknowledged in order). */
  private sending: Promise<void> = Promise.resolve();
  /** Bytes sent and not yet acknowledged. */
  unackedBytes = 0;
  /** Sends the bus refused outright (a record over the broker's size limit, say). */
  failures = 0;

  constructor(
    private readonly producer: Producer,
    private readonly logger: Logger,
    private readonly maxUnackedBytes = MAX_UNACKED_BYTES,
    /** Told of each send the bus refused outright, with its records (the engine re-bases their channels). */
    private readonly onRefused: (topic: string, messages: BusMessage[]) => void = () => undefined,
  ) {}

  /** The cycle's batch for `topic` (records pushed to it go out with the next flush). */
  to(topic: string): BusMessage[] {
    let q = this.cycle.get(topic);
    if (q === undefined) this.cycle.set(topic, (q = []));
    return q;
  }

  /**
   * Sends the cycle's batches, one per topic in the order they were first queued. Returns a promise
   * that settles once they, and so every earlier cycle's, are acknowledged (or refused); undefined
   * when nothing was queued.
   */
  flush(): Promise<void> | undefined {
    if (this.cycle.size === 0) return undefined;
    const sends: Promise<void>[] = [];
    for (const [topic, messages] of this.cycle) sends.push(this.send(topic, messages));
    this.cycle.clear();
    const cycle = Promise.all(sends).then(() => undefined);
    this.sending = cycle;
    return cycle;
  }

  /** flush(), whose promise is returned only while unacknowledged bytes are over the bound (the caller waits). */
  flushBounded(): Promise<void> | undefined {
    const sent = this.flush();
    return sent !== undefined && this.unackedBytes > this.maxUnackedBytes ? sent : undefined;
  }

  /**
   * Drops records to `topics` under `keys` that are not on the bus yet: this cycle's, and those
   * the producer still holds (a portfolio this engine no longer owns must not be published late).
   */
  withdraw(topics: ReadonlySet<string>, keys: ReadonlySet<string>): number {
    let dropped = 0;
    for (const [topic, records] of this.cycle) {
      if (!topics.has(topic)) continue;
      const kept = records.filter((m) => !keys.has(m.key));
      dropped += records.length - kept.length;
      records.splice(0, records.length, ...kept);
    }
    return dropped + this.producer.withdraw(topics, keys);
  }

  /**
   * Sends `messages` to `topic` after everything flushed so far and resolves once they are on the
   * bus; a refusal rejects (the caller's step is retried) instead of reaching onRefused.
   */
  sendAcked(topic: string, messages: BusMessage[]): Promise<void> {
    this.flush();
    const sent = this.unacked(messages, this.producer.send(topic, messages));
    this.sending = Promise.all([this.sending, sent.catch(() => undefined)]).then(() => undefined);
    return sent;
  }

  /** Counts `messages`' bytes as unacknowledged until `sent` settles. */
  private unacked(messages: BusMessage[], sent: Promise<void>): Promise<void> {
    let bytes = 0;
    for (const m of messages) bytes += m.value.length;
    this.unackedBytes += bytes;
    return sent.finally(() => (this.unackedBytes -= bytes));
  }

  /** Sets the producer up ahead of the first frames (see Producer.connect). */
  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Settles once everything flushed so far is acknowledged (or refused). */
  acknowledged(): Promise<void> {
    return this.sending;
  }

  /** Flushes what is queued, waits for every acknowledgement and closes the producer. */
  async close(): Promise<void> {
    await this.flush();
    await this.sending;
    await this.producer.close();
  }

  private send(topic: string, messages: BusMessage[]): Promise<void> {
    // The transport retries whatever can succeed; what cannot (a record over the broker's size
    // limit) is reported and handed to onRefused, which re-bases the channels it held.
    return this.unacked(messages, this.producer.send(topic, messages)).catch((err: unknown) => {
      this.failures++;
      this.logger.error(
        { topic, records: messages.length, err: (err as Error).message },
        'engine: publication refused',
      );
      this.onRefused(topic, messages);
    });
  }
}
