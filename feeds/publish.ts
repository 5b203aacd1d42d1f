// I/O glue from the feeds to the bus. A simulated feed runs on the wall clock: a short timer
// generates the ticks due since start at the configured rate and sends them as `ticks` envelopes,
// one per partition per batch, awaiting each send (never more than one outstanding, so a slow
// consumer slows the feed instead of growing a queue). Fallen more than maxLagMs behind (a bus
// outage), it skips ahead rather than replaying the gap. A replay publishes a file's events, paced.

import { setImmediate as yieldLoop, setTimeout as sleep } from 'node:timers/promises';
import { toRisklineError } from '../errors/catalogue.js';
import type { Execution } from '../engine/model.js';
import { MsgpackWriter } from '../codecs/msgpack.js';
import type { BusMessage, Producer } from '../streams/bus.js';
import { ENVELOPE_VERSION, encodeEnvelope, type Codec, type TickTuple } from '../streams/envelope.js';
import { partitionFor } from '../streams/partitioner.js';
import type { TradeFlow } from './flow.js';
import { eventTime, pace, readReplay, withHeartbeats, type ReplayEvent, type ReplayFormat } from './replay.js';
import { tickColumns, type MarketSimulator, type TickColumns } from './simulator.js';

/**
 * Groups ticks by partition (`partitionFor(instrument, partitions)`, cached per instrument) and
 * encodes one `ticks` envelope per partition per `batchSize` ticks: key = the batch's first
 * instrument, `partition` explicit, ts = the batch's newest event time, seq = the producer's next.
 */
export class TickEncoder {
  /** Next envelope sequence number. */
  seq: number;
  private readonly partitionOf = new Map<string, number>();
  private readonly buckets: TickTuple[][];
  private readonly writer = new MsgpackWriter();
  private partitionByIndex = new Int32Array(0);
  private readonly counts: Int32Array;
  /** Row indices sorted by partition (reused; grows to the largest chunk). */
  private order = new Int32Array(0);
  private idBytes: Uint8Array[] = [];

  constructor(
    readonly partitions: number,
    readonly src: string,
    readonly batchSize = 256,
    readonly codec: Codec = 'msgpack',
    seq = 0,
  ) {
    if (!(Number.isInteger(partitions) && partitions >= 1)) throw new RangeError('partitions must be an integer ≥ 1');
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError('batchSize must be an integer ≥ 1');
    this.seq = seq;
    this.buckets = Array.from({ length: partitions }, () => []);
    this.counts = new Int32Array(partitions);
  }

  partition(instrument: string): number {
    let p = this.partitionOf.get(instrument);
    if (p === undefined) {
      p = partitionFor(instrument, this.partitions);
      this.partitionOf.set(instrument, p);
    }
    return p;
  }

  /** Appends the envelopes for tuples[0..n) to `out`; tuples may be reused once this returns. */
  encode(tuples: readonly TickTuple[], n: number, out: BusMessage[]): BusMessage[] {
    const { buckets, batchSize } = this;
    for (let i = 0; i < n; i++) buckets[this.partition(tuples[i][0])].push(tuples[i]);
    for (let p = 0; p < buckets.length; p++) {
      const bucket = buckets[p];
      for (let a = 0; a < bucket.length; a += batchSize) {
        const body = a === 0 && bucket.length <= batchSize ? bucket : bucket.slice(a, a + batchSize);
        const env = {
          v: ENVELOPE_VERSION,
          type: 'ticks' as const,
          src: this.src,
          ts: body[body.length - 1][1],
          seq: this.seq++,
          body,
        };
        out.push({ key: body[0][0], partition: p, value: encodeEnvelope(env, this.codec) });
      }
      bucket.length = 0;
    }
    return out;
  }

  /**
   * Appends the envelopes for columns[0..n) to `out`, written straight to MessagePack: the same
   * bytes' meaning as `encode` (a `ticks` batch per partition) with no tuple or number objects.
   * `ids` names the instruments the columns' indices refer to.
   */
  encodeColumns(cols: TickColumns, n: number, ids: readonly string[], out: BusMessage[]): BusMessage[] {
    if (this.partitionByIndex.length < ids.length) {
      this.partitionByIndex = Int32Array.from(ids, (id) => this.partition(id));
      // Each id's MessagePack string, written once: a row copies it instead of encoding it.
      const w = new MsgpackWriter();
      this.idBytes = ids.map((id) => w.reset().str(id).take());
    }
    const parts = this.partitionByIndex;
    const idBytes = this.idBytes;
    // One counting sort by partition (stable, so each partition keeps the ticks' order).
    const start = this.counts.fill(0);
    for (let j = 0; j < n; j++) start[parts[cols.instrument[j]]]++;
    for (let p = 0, sum = 0; p < this.partitions; p++) {
      const c = start[p];
      start[p] = sum;
      sum += c;
    }
    if (this.order.length < n) this.order = new Int32Array(n);
    const order = this.order;
    for (let j = 0; j < n; j++) order[start[parts[cols.instrument[j]]]++] = j;
    // start[p] is now the end of partition p's rows, and the start of p + 1's.
    const w = this.writer;
    for (let p = 0, from = 0; p < this.partitions; from = start[p++]) {
      for (let a = from; a < start[p]; a += this.batchSize) {
        const end = Math.min(a + this.batchSize, start[p]);
        let newest = 0;
        for (let k = a; k < end; k++) if (cols.ts[order[k]] > newest) newest = cols.ts[order[k]];
        w.reset().map(6).str('v').num(ENVELOPE_VERSION).str('type').str('ticks').str('src').str(this.src);
        w.str('ts')
          .num(newest)
          .str('seq')
          .num(this.seq++)
          .str('body')
          .array(end - a);
        for (let k = a; k < end; k++) {
          const r = order[k];
          w.array(5)
            .raw(idBytes[cols.instrument[r]])
            .num(cols.ts[r])
            .num(cols.bid[r])
            .num(cols.ask[r])
            .num(cols.last[r]);
        }
        out.push({ key: ids[cols.instrument[order[a]]], partition: p, value: w.take() });
      }
    }
    return out;
  }

  /** One `heartbeat` envelope on partition 0: every engine reads every md.ticks partition. */
  heartbeat(ts: number): BusMessage {
    const env = { v: ENVELOPE_VERSION, type: 'heartbeat' as const, src: this.src, ts, seq: this.seq++, body: null };
    return { key: '', partition: 0, value: encodeEnvelope(env, this.codec) };
  }

  /** One `execution` envelope, keyed by portfolio (the bus picks the partition from the key). */
  execution(e: Execution, codec: Codec = this.codec): BusMessage {
    const env = { v: ENVELOPE_VERSION, type: 'execution' as const, src: this.src, ts: e.ts, seq: this.seq++, body: e };
    return { key: e.portfolio, value: encodeEnvelope(env, codec) };
  }
}

export interface SimulatedFeedOptions {
  producer: Producer;
  topic: string;
  partitions: number;
  simulator: MarketSimulator;
  /** Ticks per second of wall time (normally the simulator's own rate, so event time tracks the clock). */
  ticksPerSecond: number;
  batchSize: number;
  src: string;
  flow?: TradeFlow;
  executionsTopic?: string;
  executionsPerSecond?: number;
  /** Called once with the error that stopped the feed (a failed send, say). */
  onError?: (err: unknown) => void;
  codec?: Codec;
  executionsCodec?: Codec;
  /** Timer period in ms (default 5). */
  intervalMs?: number;
  /** Most ticks generated and sent per round before yielding to the event loop (default 16384). */
  maxChunk?: number;
  /**
   * When the feed falls further behind the clock than this (default 1000 ms), the excess is skipped:
   * neither generated nor sent, and event time jumps over it (see SimulatedFeed.skip).
   */
  maxLagMs?: number;
  /** Told how much event time was skipped (at most once per 10 s; see SimulatedFeed.skip). */
  onSkip?: (ms: number) => void;
  /** Event time between heartbeats sent while no tick is due (a slow tick rate); 0 or unset: none. */
  heartbeatMs?: number;
  /** Sets the simulator's time origin to the wall clock at start (default true). */
  alignClock?: boolean;
  /**
   * Wall clock in ms; tests inject one. The default is the high-resolution clock (performance's
   * time origin plus its monotonic time): a tick due a fraction of a millisecond ago is sent in
   * this round, not the next, and a step of the system clock does not jump the feed's schedule.
   */
  clock?: () => number;
}

export interface FeedStats {
  ticks: number;
  executions: number;
  /** Envelopes sent. */
  messages: number;
  /** Milliseconds of event time skipped (never generated) because the feed was behind by more than maxLagMs. */
  skippedMs: number;
  /** The error that stopped the feed, if one did. */
  error: string | null;
  /** Event time of the newest tick or heartbeat sent (epoch ms; the start, before any). */
  eventTime: number;
}

export interface FeedHandle {
  stop(): Promise<void>;
  stats(): FeedStats;
}

export function startSimulatedFeed(o: SimulatedFeedOptions): FeedHandle {
  const feed = new SimulatedFeed(o);
  const stopper = new AbortController();
  const intervalMs = o.intervalMs ?? 5;
  const loop = (async () => {
    try {
      while (!feed.stopped) {
        // Rounds start every intervalMs (not intervalMs after the last one ended): a tick waits at
        // most one interval (plus the timer's lateness) to be sent.
        const began = performance.now();
        const more = await feed.round();
        if (feed.stopped) break;
        const wait = began + intervalMs - performance.now();
        if (more || wait <= 0) await yieldLoop();
        else await sleep(wait, undefined, { signal: stopper.signal }).catch(() => undefined);
      }
    } catch (err) {
      feed.stopped = true;
      feed.stats.error = toRisklineError(err).message;
      o.onError?.(err);
    }
  })();

  return {
    async stop() {
      feed.stopped = true;
      stopper.abort();
      await loop;
    },
    stats: () => ({ ...feed.stats, eventTime: feed.eventTime }),
  };
}

const highResolutionNow = (): number => performance.timeOrigin + performance.now();

/** How far a simulated feed may fall behind the wall clock before it skips ahead (see SimulatedFeed.skip). */
export const DEFAULT_MAX_LAG_MS = 1000;

/** Skips are reported at most this often (wall ms): once per outage, a line per 10 s under overload. */
const SKIP_REPORT_MS = 10_000;

/**
 * The rounds of a simulated feed: tick k is due once the wall clock has passed `base` by k+1 tick
 * intervals (of the feed's rate); executions and heartbeats follow the same clock.
 */
class SimulatedFeed {
  readonly stats: Omit<FeedStats, 'eventTime'> = { ticks: 0, executions: 0, messages: 0, skippedMs: 0, error: null };
  stopped = false;
  private readonly clock: () => number;
  private readonly sim: MarketSimulator;
  private readonly tps: number;
  private readonly eps: number;
  private readonly maxChunk: number;
  private readonly maxLagTicks: number;
  private readonly encoder: TickEncoder;
  private readonly columns: TickColumns;
  private readonly tuples: TickTuple[] = [];
  private readonly messages: BusMessage[] = [];
  /** Wall time tick 0 was due from; moves forward by what a skip leaves out. */
  private base: number;
  /** Event time of the newest tick or heartbeat sent (the start, before any). */
  private sentTs: number;
  get eventTime(): number {
    return this.sentTs;
  }
  private unreportedMs = 0;
  private reportedAt = -Infinity;

  constructor(private readonly o: SimulatedFeedOptions) {
    this.clock = o.clock ?? highResolutionNow;
    this.sim = o.simulator;
    this.tps = o.ticksPerSecond;
    if (!(this.tps > 0 && this.tps < Infinity)) throw new RangeError('ticksPerSecond must be a positive number');
    this.eps = o.flow && o.executionsTopic ? (o.executionsPerSecond ?? 0) : 0;
    this.maxChunk = o.maxChunk ?? 16384;
    this.maxLagTicks = Math.ceil((this.tps * (o.maxLagMs ?? DEFAULT_MAX_LAG_MS)) / 1000);
    this.encoder = new TickEncoder(o.partitions, o.src, o.batchSize, o.codec ?? 'msgpack');
    this.columns = tickColumns(this.maxChunk);
    this.base = this.clock();
    if (o.alignClock !== false) this.sim.setOrigin(this.base);
    this.sentTs = this.sim.now;
  }

  /** Sends what is due; true when more is already due (the caller yields, then comes back). */
  async round(): Promise<boolean> {
    const now = this.clock();
    let due = Math.floor(((now - this.base) * this.tps) / 1000);
    const behind = due - this.stats.ticks - this.maxLagTicks;
    if (behind > 0) due -= this.skip(behind, now);
    let more = false;
    if (due > this.stats.ticks) more = await this.sendTicks(due);
    else await this.heartbeat(now);
    if (this.eps > 0 && !this.stopped) more = (await this.sendExecutions(now)) || more;
    return more;
  }

  /**
   * Leaves out `ticks` ticks the feed is too far behind to send (after a bus outage, say): the wall
   * clock's schedule and the simulator's event time both move past them, so event time is back within
   * maxLagMs of the clock at once instead of replaying the gap at full speed and staying behind. The
   * market evolves over the gap in one draw per instrument. Returns `ticks`.
   */
  private skip(ticks: number, now: number): number {
    const ms = (ticks * 1000) / this.tps;
    this.base += ms;
    this.sim.skip(ticks * this.sim.tickIntervalMs);
    this.stats.skippedMs += ms;
    this.unreportedMs += ms;
    if (now - this.reportedAt >= SKIP_REPORT_MS) {
      this.o.onSkip?.(this.unreportedMs);
      this.unreportedMs = 0;
      this.reportedAt = now;
    }
    return ticks;
  }

  private async sendTicks(due: number): Promise<boolean> {
    const { sim, encoder, messages } = this;
    const k = Math.min(due - this.stats.ticks, this.maxChunk);
    if (encoder.codec === 'msgpack') {
      sim.fillColumns(this.columns, k);
      encoder.encodeColumns(this.columns, k, sim.ids, messages);
    } else {
      sim.fill(this.tuples, k);
      encoder.encode(this.tuples, k, messages);
    }
    this.stats.messages += messages.length;
    await this.o.producer.send(this.o.topic, messages);
    messages.length = 0;
    this.stats.ticks += k;
    this.sentTs = sim.now;
    return due > this.stats.ticks;
  }

  /**
   * A quiet round (a slow tick rate) sends a heartbeat at the newest conflation boundary passed since
   * the last tick, as a replay does inside a gap, so the engine publishes on time. Event time now is
   * the next tick's, less the wall time until it is due (scaled by simulator to feed rate).
   */
  private async heartbeat(now: number): Promise<void> {
    const every = this.o.heartbeatMs ?? 0;
    if (every <= 0) return;
    const nextDue = this.base + ((this.stats.ticks + 1) * 1000) / this.tps;
    const eventNow = this.sim.nextTime - ((nextDue - now) * this.tps * this.sim.tickIntervalMs) / 1000;
    const boundary = Math.floor(eventNow / every) * every;
    if (boundary <= this.sentTs) return;
    this.sentTs = boundary;
    this.stats.messages++;
    await this.o.producer.send(this.o.topic, [this.encoder.heartbeat(boundary)]);
  }

  private async sendExecutions(now: number): Promise<boolean> {
    const dueE = Math.floor(((now - this.base) * this.eps) / 1000);
    const k = Math.min(dueE - this.stats.executions, 1024);
    if (k <= 0) return false;
    const { messages } = this;
    for (let i = 0; i < k; i++)
      messages.push(this.encoder.execution(this.o.flow!.next(this.sim.now), this.o.executionsCodec));
    this.stats.messages += k;
    await this.o.producer.send(this.o.executionsTopic!, messages);
    messages.length = 0;
    this.stats.executions += k;
    return dueE > this.stats.executions;
  }
}

export interface ReplayToBusOptions {
  producer: Producer;
  file: string;
  format?: ReplayFormat;
  topic: string;
  partitions: number;
  /** Where executions go; without it they are counted in `skipped` and not published. */
  executionsTopic?: string;
  src: string;
  /** 1 = real time, 10 = ten times faster, Infinity = as fast as possible (default). */
  speed?: number;
  batchSize?: number;
  codec?: Codec;
  executionsCodec?: Codec;
  signal?: AbortSignal;
  /** Frame digests recorded in the file (they are not published). */
  onFrame?: (frame: Extract<ReplayEvent, { kind: 'frame' }>) => void;
  /** Event time between the heartbeats added inside quiet gaps (see withHeartbeats); 0: none. */
  heartbeatMs?: number;
  /**
   * Awaited before event time moves on and before the stream switches between ticks and
   * executions (Bus.settled): what was sent before is applied before what follows, so the engine
   * sees the file's order at any speed.
   */
  settle?: () => Promise<void>;
}

export interface ReplayStats {
  ticks: number;
  executions: number;
  frames: number;
  skipped: number;
  messages: number;
}

/**
 * Publishes a replay file: ticks in `ticks` envelopes (batched per partition), executions as
 * `execution` envelopes keyed by portfolio, heartbeats (recorded, and those added inside quiet
 * gaps) as `heartbeat` envelopes. Pending records are sent, and `settle` awaited, whenever event
 * time moves on or the stream switches topic, so the engine applies them in the file's order.
 */
// Unlike the simulated feed, a replay never skips: it is deterministic. A bus outage blocks the send
// it is in; afterwards it resumes at that record, and a paced replay sends the records whose time
// has passed without waiting (pace keeps its schedule from the first event) until it is back on it.
export async function replayToBus(o: ReplayToBusOptions): Promise<ReplayStats> {
  const out = new ReplaySender(o);
  const source = readReplay(o.file, { format: o.format });
  const events = pace(o.heartbeatMs ? withHeartbeats(source, o.heartbeatMs) : source, {
    speed: o.speed ?? Infinity,
    signal: o.signal,
    onWait: () => out.flush(),
  });
  for await (const e of events) await out.add(e);
  await out.flush();
  return out.stats;
}

/** The pending records of a replay and the rule for when they go out (see replayToBus). */
class ReplaySender {
  readonly stats: ReplayStats = { ticks: 0, executions: 0, frames: 0, skipped: 0, messages: 0 };
  private readonly encoder: TickEncoder;
  private readonly ticks: TickTuple[] = [];
  private readonly execs: BusMessage[] = [];
  private readonly flushAt: number;
  /** Event time and topic of the last record queued: a change flushes (and settles, see add). */
  private lastTs = NaN;
  private lastTopic = '';
  private unsettled = false;

  constructor(private readonly o: ReplayToBusOptions) {
    this.encoder = new TickEncoder(o.partitions, o.src, o.batchSize ?? 256, o.codec ?? 'msgpack');
    this.flushAt = this.encoder.batchSize * o.partitions;
  }

  async add(e: ReplayEvent): Promise<void> {
    if (e.kind === 'frame') {
      this.stats.frames++;
      return this.o.onFrame?.(e);
    }
    if (e.kind === 'start') return;
    if (e.kind === 'execution' && this.o.executionsTopic === undefined) {
      this.stats.skipped++;
      return;
    }
    const ts = eventTime(e)!;
    const topic = e.kind === 'execution' ? this.o.executionsTopic! : this.o.topic;
    // Without settle, only a topic switch flushes: batches stay full, order holds per partition.
    if (topic !== this.lastTopic || (this.o.settle !== undefined && ts !== this.lastTs)) await this.settle();
    this.lastTs = ts;
    this.lastTopic = topic;
    if (e.kind === 'tick') {
      const t = e.tick;
      this.ticks.push([t.instrument, t.ts, t.bid, t.ask, t.last]);
      if (this.ticks.length >= this.flushAt) await this.flushTicks();
    } else if (e.kind === 'execution') {
      const codec = this.o.executionsCodec ?? this.o.codec ?? 'msgpack';
      this.execs.push(this.encoder.execution(e.execution, codec));
      this.stats.executions++;
      if (this.execs.length >= this.encoder.batchSize) await this.flushExecs();
    } else {
      await this.flushTicks();
      await this.send(this.o.topic, [this.encoder.heartbeat(e.ts)]);
    }
  }

  async flush(): Promise<void> {
    await this.flushTicks();
    await this.flushExecs();
  }

  private async settle(): Promise<void> {
    await this.flush();
    if (!this.unsettled || this.o.settle === undefined) return;
    this.unsettled = false;
    await this.o.settle();
  }

  private async flushTicks(): Promise<void> {
    if (this.ticks.length === 0) return;
    const msgs = this.encoder.encode(this.ticks, this.ticks.length, []);
    this.stats.ticks += this.ticks.length;
    this.ticks.length = 0;
    await this.send(this.o.topic, msgs);
  }

  private async flushExecs(): Promise<void> {
    if (this.execs.length > 0) await this.send(this.o.executionsTopic!, this.execs.splice(0, this.execs.length));
  }

  private async send(topic: string, msgs: BusMessage[]): Promise<void> {
    this.stats.messages += msgs.length;
    this.unsettled = true;
    await this.o.producer.send(topic, msgs);
  }
}
