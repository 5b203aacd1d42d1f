// The process's bus seen from another thread. A role on a worker thread (the engine, so its
// revaluations never hold up the feed or fan-out) gets a `PortBus`; `BusServer`, on the bus's own thread,
// carries out what it asks. The semantics are the served bus's: a partition's next batch waits until
// the worker's onBatch has settled its last one, so backpressure crosses the boundary; settled()
// counts the worker's members too. Records cross as copies.
//
// Batches of different partitions are pipelined: the served member hands the worker one batch per
// partition without waiting for the worker between them (one port message each), where one round
// trip per batch made a member of 8 tick partitions wait 8 thread wake-ups for one millisecond of
// ticks. The served bus counts a batch consumed once it is handed over; a worker that dies takes the
// process with it (app/threads/host.ts), so nothing is lost that would have been kept.
//
// Invariants: a member's batches reach the worker's onBatch one at a time, in the served bus's order;
// at most one batch per partition is unsettled; a worker's onBatch that throws gets the same batch
// again (on the worker, after the served bus's retry delay), later ones waiting behind it; a worker
// that goes away releases everything it held (its members leave, its sends are refused).

import type {
  Assignment,
  Batch,
  Bus,
  BusHealth,
  BusMessage,
  ConsumedMessage,
  Producer,
  ReadRange,
  StartPosition,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './bus.js';
import { RisklineError } from '../errors/catalogue.js';
import type { Handlers, ThreadRpc } from './thread-rpc.js';

/** How often the served bus's health (read synchronously by /ready on the worker) is sent over. */
export const HEALTH_EVERY_MS = 250;
/** Records of a readToEnd/readRanges per message across the port. */
const VISIT_CHUNK = 1024;

type Seek = [topic: string, partition: number, offset: number];
type SubscribeWire = {
  sub: number;
  group: string;
  topics: string[];
  from?: StartPosition;
  maxBatch?: number;
  commit?: boolean;
  onAssign: boolean;
};
type Hello = { kind: Bus['kind']; partitions: [string, number][]; health: BusHealth; retryMs: number };
/** The in-process bus's retry delay for a failed onBatch, where the served bus does not say. */
const RETRY_MS = 100;

/** A served member's batches handed to the worker and not yet settled there, one at most per partition. */
class Handed {
  private readonly open = new Map<string, () => void>();
  private readonly waits = new Map<string, Promise<void>>();
  /** While the worker retries a failed batch: settled() does not wait for this member (as in process). */
  failing = false;

  get idle(): boolean {
    return this.open.size === 0;
  }

  /** Resolves when the partition has no batch out (at once when it has none), then counts a new one out. */
  async take(key: string): Promise<void> {
    while (this.waits.has(key)) await this.waits.get(key);
    this.waits.set(key, new Promise<void>((resolve) => this.open.set(key, resolve)));
  }

  settle(key: string): void {
    this.open.get(key)?.();
    this.open.delete(key);
    this.waits.delete(key);
  }

  /** Every partition's batch counted settled (the member left, or the worker went away). */
  release(): void {
    for (const key of [...this.open.keys()]) this.settle(key);
  }

  /** Resolves once nothing is out. */
  async drained(): Promise<void> {
    while (this.waits.size > 0) await Promise.all(this.waits.values());
  }
}

const partitionKey = (batch: Pick<Batch, 'topic' | 'partition'>): string => `${batch.topic}\u0000${batch.partition}`;

/** The served side: one per worker, beside the bus it serves. */
export class BusServer {
  private rpc: ThreadRpc | null = null;
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly handed = new Map<number, Handed>();
  private readonly producers = new Map<number, Producer>();
  private readonly timer: NodeJS.Timeout;

  /** `topics`: those the served bus has (ensured by whoever created it), told to the worker up front. */
  constructor(
    private readonly bus: Bus,
    private readonly topics: readonly string[] = [],
  ) {
    this.timer = setInterval(() => this.rpc?.push('health', bus.health()), HEALTH_EVERY_MS);
    this.timer.unref();
  }

  /** The rpc over which the worker is reached (its handlers must include `handlers`). */
  attach(rpc: ThreadRpc): void {
    this.rpc = rpc;
  }

  private hello(): Hello {
    // Other topics' partition counts are learnt as the worker's role ensures them, as over Kafka.
    const retryMs = (this.bus as { retryMs?: number }).retryMs ?? RETRY_MS;
    return {
      kind: this.bus.kind,
      partitions: this.partitionsOf([...this.topics]),
      health: this.bus.health(),
      retryMs,
    };
  }

  private partitionsOf(topics: string[]): [string, number][] {
    const known: [string, number][] = [];
    for (const t of new Set(topics)) {
      try {
        known.push([t, this.bus.partitions(t)]);
      } catch {
        // not created yet: the worker learns it when it ensures the topic
      }
    }
    return known;
  }

  private producer(id: number): Producer {
    let p = this.producers.get(id);
    if (!p) this.producers.set(id, (p = this.bus.producer()));
    return p;
  }

  private rpcOrFail(): ThreadRpc {
    if (!this.rpc) throw new RisklineError('UNAVAILABLE', 'bus server: no worker attached');
    return this.rpc;
  }

  private async subscribe(w: SubscribeWire): Promise<void> {
    const rpc = this.rpcOrFail();
    const handed = new Handed();
    this.handed.set(w.sub, handed);
    const options: SubscribeOptions = {
      group: w.group,
      topics: w.topics,
      from: w.from,
      maxBatch: w.maxBatch,
      commit: w.commit,
      // Handed over, not waited for: the partition's next batch waits in take() instead.
      onBatch: async (batch: Batch) => {
        const key = partitionKey(batch);
        await handed.take(key);
        if (this.handed.get(w.sub) !== handed) return handed.settle(key);
        rpc.push('batch', w.sub, batch);
      },
    };
    if (w.onAssign) {
      options.onAssign = async (change, control) => {
        const seeks = await rpc.call<Seek[]>('assign', w.sub, change);
        for (const [topic, partition, offset] of seeks) control.seek(topic, partition, offset);
      };
    }
    this.subscriptions.set(w.sub, await this.bus.subscribe(options));
  }

  private readonly visitor = (id: number) => {
    let chunk: ConsumedMessage[] = [];
    const flush = () => {
      if (chunk.length > 0) this.rpcOrFail().push('visit', id, chunk);
      chunk = [];
    };
    const visit = (m: ConsumedMessage) => {
      chunk.push(m);
      if (chunk.length >= VISIT_CHUNK) flush();
    };
    return { visit, flush };
  };

  readonly handlers: Handlers = {
    hello: (): Hello => this.hello(),
    ensureTopics: async (topics: TopicSpec[]) => {
      await this.bus.ensureTopics(topics);
      return this.partitionsOf(topics.map((t) => t.name));
    },
    connect: (producer: number) => this.producer(producer).connect(),
    send: (producer: number, topic: string, messages: BusMessage[]) => this.producer(producer).send(topic, messages),
    withdraw: (producer: number, topics: string[], keys: string[]) =>
      this.producers.get(producer)?.withdraw(new Set(topics), new Set(keys)),
    closeProducer: async (producer: number) => {
      await this.producers.get(producer)?.close();
      this.producers.delete(producer);
    },
    subscribe: (w: SubscribeWire) => this.subscribe(w),
    pause: (sub: number) => this.subscriptions.get(sub)?.pause(),
    resume: (sub: number) => this.subscriptions.get(sub)?.resume(),
    unsubscribe: async (sub: number) => {
      const handed = this.handed.get(sub);
      this.handed.delete(sub);
      handed?.release();
      await this.subscriptions.get(sub)?.close();
      this.subscriptions.delete(sub);
    },
    settledBatch: (sub: number, topic: string, partition: number) =>
      this.handed.get(sub)?.settle(partitionKey({ topic, partition })),
    failing: (sub: number, failing: boolean) => {
      const handed = this.handed.get(sub);
      if (handed) handed.failing = failing;
    },
    readToEnd: async (id: number, topic: string, partitions: number[]) => {
      const v = this.visitor(id);
      await this.bus.readToEnd(topic, partitions, v.visit);
      v.flush();
    },
    readRanges: async (id: number, ranges: ReadRange[]) => {
      const v = this.visitor(id);
      await this.bus.readRanges(ranges, v.visit);
      v.flush();
    },
    settled: () => this.settled(),
  };

  /** The served bus settled and no batch out on the worker (what the worker handles may send more). */
  private async settled(): Promise<void> {
    for (;;) {
      await this.bus.settled();
      const out = [...this.handed.values()].filter((h) => !h.idle && !h.failing);
      if (out.length === 0) return;
      await Promise.all(out.map((h) => h.drained()));
    }
  }

  /** Releases what the worker held: its members leave the groups, its producers close. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const h of this.handed.values()) h.release();
    this.handed.clear();
    const subs = [...this.subscriptions.values()];
    const producers = [...this.producers.values()];
    this.subscriptions.clear();
    this.producers.clear();
    await Promise.allSettled([...subs.map((s) => s.close()), ...producers.map((p) => p.close())]);
  }
}

type Member = { options: SubscribeOptions; closed: boolean; queue: Promise<void> };

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Longest run of batches handed to this thread's members before its event loop turns. */
const TURN_EVERY_MS = 10;

/** The bus a worker-thread role gets: every call is carried out by the BusServer on the bus's thread. */
export class PortBus implements Bus {
  readonly kind: Bus['kind'];
  private readonly partitionCount: Map<string, number>;
  private latest: BusHealth;
  private next = 1;
  private readonly members = new Map<number, Member>();
  private readonly visits = new Map<number, { visit: (m: ConsumedMessage) => void; error?: unknown }>();
  private readonly producers = new Set<Producer>();
  /** When this thread's event loop last turned between batches. */
  private turnedAt = performance.now();

  private constructor(
    private readonly rpc: ThreadRpc,
    hello: Hello,
  ) {
    this.kind = hello.kind;
    this.partitionCount = new Map(hello.partitions);
    this.latest = hello.health;
    this.retryMs = hello.retryMs;
  }

  private readonly retryMs: number;

  /** One batch to a member's onBatch, again after retryMs while it throws; then the served side is told. */
  private async deliver(sub: number, m: Member, batch: Batch): Promise<void> {
    for (let failed = false; !m.closed;) {
      try {
        await m.options.onBatch(batch);
        if (failed) this.rpc.push('failing', sub, false);
        break;
      } catch {
        if (!failed) this.rpc.push('failing', sub, true);
        failed = true;
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
    // Node handles up to 1000 waiting port messages in one go, so a bus that always has one ready
    // would keep this thread in that loop (timers, sockets and fan-out checks starved for seconds):
    // after TURN_EVERY_MS of batches, let the event loop turn before the next.
    if (performance.now() - this.turnedAt >= TURN_EVERY_MS) {
      await turn();
      this.turnedAt = performance.now();
    }
    this.rpc.push('settledBatch', sub, batch.topic, batch.partition);
  }

  /** Asks the served bus what it is; `handlers` (given to `rpc`) is filled in for its calls back. */
  static async connect(rpc: ThreadRpc, handlers: Handlers): Promise<PortBus> {
    const bus = new PortBus(rpc, await rpc.call<Hello>('hello'));
    Object.assign(handlers, bus.handlers());
    return bus;
  }

  private handlers(): Handlers {
    return {
      health: (h: BusHealth) => {
        this.latest = h;
      },
      batch: (sub: number, batch: Batch) => {
        const m = this.members.get(sub);
        if (!m || m.closed) return this.rpc.push('settledBatch', sub, batch.topic, batch.partition);
        // In order, one at a time: the next batch (another partition's) waits behind this one.
        m.queue = m.queue.then(() => this.deliver(sub, m, batch));
      },
      assign: async (sub: number, change: Assignment): Promise<Seek[]> => {
        const m = this.members.get(sub);
        const seeks: Seek[] = [];
        if (!m || m.closed || !m.options.onAssign) return seeks;
        await m.options.onAssign(change, {
          seek: (topic, partition, offset) => void seeks.push([topic, partition, offset]),
          holds: () => !m.closed,
        });
        return seeks;
      },
      visit: (id: number, messages: ConsumedMessage[]) => {
        const read = this.visits.get(id);
        if (!read || read.error !== undefined) return;
        try {
          for (const m of messages) read.visit(m);
        } catch (err) {
          read.error = err; // rethrown by read(), as the served bus would have
        }
      },
    };
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    for (const [t, n] of await this.rpc.call<[string, number][]>('ensureTopics', topics)) this.partitionCount.set(t, n);
  }

  partitions(topic: string): number {
    const n = this.partitionCount.get(topic);
    if (n === undefined) throw new RisklineError('UNAVAILABLE', `topic ${topic}: not ensured on this thread's bus`);
    return n;
  }

  producer(): Producer {
    const id = this.next++;
    const { rpc, producers } = this;
    const p: Producer = {
      send: (topic, messages) => rpc.call<void>('send', id, topic, messages),
      // Carried out on the served side after every send posted before it (a port keeps order). The
      // served bus is in process, where nothing waits long enough to be withdrawn: its count is 0.
      withdraw: (topics, keys) => {
        rpc.push('withdraw', id, [...topics], [...keys]);
        return 0;
      },
      connect: () => rpc.call<void>('connect', id),
      close: async () => {
        producers.delete(p);
        await rpc.call<void>('closeProducer', id);
      },
    };
    producers.add(p);
    return p;
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const sub = this.next++;
    const member: Member = { options, closed: false, queue: Promise.resolve() };
    this.members.set(sub, member);
    const { group, topics, from, maxBatch, commit } = options;
    const wire: SubscribeWire = { sub, group, topics, from, maxBatch, commit, onAssign: !!options.onAssign };
    try {
      await this.rpc.call<void>('subscribe', wire);
    } catch (err) {
      this.members.delete(sub);
      throw err;
    }
    return {
      pause: () => this.rpc.push('pause', sub),
      resume: () => this.rpc.push('resume', sub),
      close: async () => {
        if (member.closed) return;
        await this.rpc.call<void>('unsubscribe', sub).catch(() => undefined);
        member.closed = true;
        this.members.delete(sub);
      },
    };
  }

  readToEnd(topic: string, partitions: number[], visit: (m: ConsumedMessage) => void): Promise<void> {
    return this.read(visit, 'readToEnd', topic, partitions);
  }

  readRanges(ranges: ReadRange[], visit: (m: ConsumedMessage) => void): Promise<void> {
    return this.read(visit, 'readRanges', ranges);
  }

  /** The served thread streams the records over in chunks, then replies: the port keeps that order. */
  private async read(visit: (m: ConsumedMessage) => void, op: string, ...args: unknown[]): Promise<void> {
    const id = this.next++;
    const read: { visit: typeof visit; error?: unknown } = { visit };
    this.visits.set(id, read);
    try {
      await this.rpc.call<void>(op, id, ...args);
    } finally {
      this.visits.delete(id);
    }
    if (read.error !== undefined) throw read.error;
  }

  settled(): Promise<void> {
    return this.rpc.call<void>('settled');
  }

  /** The served bus's health as last sent over (at most HEALTH_EVERY_MS old). */
  health(): BusHealth {
    return this.latest;
  }

  /** Leaves every group and closes every producer of this thread; the served bus stays up. */
  async close(): Promise<void> {
    const subs = [...this.members.keys()];
    await Promise.allSettled([
      ...subs.map((sub) => this.rpc.call('unsubscribe', sub)),
      ...[...this.producers].map((p) => p.close()),
    ]);
    for (const m of this.members.values()) m.closed = true;
    this.members.clear();
  }
}
