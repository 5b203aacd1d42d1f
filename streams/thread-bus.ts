// The process's bus seen from another thread. A role on a worker thread (the engine, so its
// revaluations never hold up the feed or fan-out) gets a `PortBus`; `BusServer`, on the bus's own thread,
// carries out what it asks. The semantics are the served bus's: a batch's offsets commit when the
// worker's onBatch settles, and until then the next batch of that member waits, so backpressure
// crosses the boundary; settled() counts the worker's members too. Records cross as copies, and
// the batches of every partition with records cross together (SubscribeOptions.onBatches): one
// round trip per feed round, not one per partition.
//
// Invariants: a batch is handed to the worker's onBatch at most once at a time per member, in the
// served bus's order; a worker's onBatch that throws makes the served bus hand the batch over again;
// a worker that goes away releases everything it held (its members leave, its sends are refused).

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
import { fromWire, toWire, type Handlers, type ThreadRpc, type WireError } from './thread-rpc.js';

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
type Hello = { kind: Bus['kind']; partitions: [string, number][]; health: BusHealth };

/** The served side: one per worker, beside the bus it serves. */
export class BusServer {
  private rpc: ThreadRpc | null = null;
  private readonly subscriptions = new Map<number, Subscription>();
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
    return { kind: this.bus.kind, partitions: this.partitionsOf([...this.topics]), health: this.bus.health() };
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
    const options: SubscribeOptions = {
      group: w.group,
      topics: w.topics,
      from: w.from,
      maxBatch: w.maxBatch,
      commit: w.commit,
      onBatch: (batch: Batch) => rpc.call<void>('batch', w.sub, batch),
      // Every partition's batch in one crossing: a feed round on eight partitions is one round trip.
      onBatches: async (batches: Batch[]) => {
        const [done, error] = await rpc.call<[number, WireError | null]>('batches', w.sub, batches);
        return error === null ? { done } : { done, error: fromWire(error, 'batch') };
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
      await this.subscriptions.get(sub)?.close();
      this.subscriptions.delete(sub);
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
    settled: () => this.bus.settled(),
  };

  /** Releases what the worker held: its members leave the groups, its producers close. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const subs = [...this.subscriptions.values()];
    const producers = [...this.producers.values()];
    this.subscriptions.clear();
    this.producers.clear();
    await Promise.allSettled([...subs.map((s) => s.close()), ...producers.map((p) => p.close())]);
  }
}

type Member = { options: SubscribeOptions; closed: boolean };

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
      batch: async (sub: number, batch: Batch) => {
        const m = this.members.get(sub);
        if (m && !m.closed) await m.options.onBatch(batch);
        await this.turnNowAndThen();
      },
      // Handled in order; [how many, the next one's error] (see SubscribeOptions.onBatches).
      batches: async (sub: number, batches: Batch[]): Promise<[number, WireError | null]> => {
        const m = this.members.get(sub);
        let done = 0;
        try {
          for (; done < batches.length; done++) if (m && !m.closed) await m.options.onBatch(batches[done]);
        } catch (err) {
          return [done, toWire(err)];
        }
        await this.turnNowAndThen();
        return [done, null];
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

  /**
   * An answer lets the served bus send this member's next batches at once. Node handles up to 1000
   * waiting port messages in one go, so a bus that always has one ready would keep this thread in
   * that loop (timers, sockets and fan-out checks starved for seconds): after TURN_EVERY_MS of
   * batches, the answer waits until the event loop has turned.
   */
  private async turnNowAndThen(): Promise<void> {
    if (performance.now() - this.turnedAt < TURN_EVERY_MS) return;
    await turn();
    this.turnedAt = performance.now();
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
    const member: Member = { options, closed: false };
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
