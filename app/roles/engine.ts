// The engine role: bus records in, engine calls, frames out to the state topics. Thin glue around
// the pure engine: decoding, validation, routing bad records to the DLQ with their reason, and
// publishing each conflation cycle's frames as one batch per topic. Two subscriptions: every
// engine process reads all of md.ticks (every portfolio needs every mark), while orders.executions
// is split across the engine group; ./ownership.ts decides which portfolios are this process's.

import type { Logger } from 'pino';
import { Engine, type EngineOptions } from '../../engine/engine.js';
import { RisklineError, toRisklineError } from '../../errors/catalogue.js';
import type { EncodedFrame } from '../../engine/frames.js';
import { validateExecution, validateTick, validateTickTuple } from '../../engine/validate.js';
import type { Batch, Bus, BusMessage, ConsumedMessage, Subscription } from '../../streams/bus.js';
import {
  decodeEnvelopeAuto,
  encodeEnvelope,
  encodeFrameEnvelope,
  writeFrameEnvelopeHeader,
  type Codec,
  unpackValue,
  type Envelope,
} from '../../streams/envelope.js';
import { TOPIC, type TopicConfig } from '../../streams/topics.js';
import { dlqMessage } from '../../streams/dlq.js';
import { InstrumentBytes, readTickBatch, type TickVisitor } from '../../streams/tick-batch.js';
import type { Recorder } from '../recorder.js';
import { PortfolioOwnership } from './ownership.js';

export interface EngineRoleOptions {
  bus: Bus;
  topics: TopicConfig;
  engine: EngineOptions;
  logger: Logger;
  /** Producer id written into envelopes. */
  src: string;
  recorder?: Recorder | null;
  /** Called after each record is applied, with the ticks it carried (benchmarks measure with it). */
  onApplied?: (message: ConsumedMessage, ticks: number) => void;
  /** Checkpoint cadence (see config `engine`). */
  checkpointEvery?: number;
  checkpointEveryMs?: number;
  /** Frame bytes the tick reader may leave unacknowledged before it waits (default 8 MiB). */
  maxUnackedFrameBytes?: number;
}

/** Frame bytes the tick reader may leave unacknowledged before it waits (a slow bus slows input). */
const MAX_UNACKED_FRAME_BYTES = 8 * 1024 * 1024;

/** The engine consumer group of a deployment: `riskline.engine` for the default prefix. */
export const engineGroup = (prefix: string): string => `${prefix}engine`;

export interface EngineRole {
  engine: Engine;
  ownership: PortfolioOwnership;
  stats(): { dlq: number; lastInputTs: number; checkpoints: number; publishFailures: number };
  close(): Promise<void>;
}

/** The topic each kind of channel publishes to. */
const FRAME_TOPIC = {
  positions: TOPIC.positions,
  exposures: TOPIC.exposures,
  risk: TOPIC.risk,
  alerts: TOPIC.alerts,
} as const;

export async function startEngineRole(o: EngineRoleOptions): Promise<EngineRole> {
  const { bus, topics, logger } = o;
  const name = (t: string) => topics.prefix + t;
  const positionsTopic = name(TOPIC.positions);
  const executionsTopic = name(TOPIC.executions);
  const codecOf = (physical: string): Codec =>
    topics.topics[physical.slice(topics.prefix.length) as keyof typeof topics.topics]?.codec ?? 'msgpack';
  const producer = bus.producer();
  /** What the current cycle publishes, per topic; sent together by flushOutbound. */
  const outbound = new Map<string, BusMessage[]>();
  const queue = (topic: string): BusMessage[] => outbound.get(topic) ?? outbound.set(topic, []).get(topic)!;
  let seq = 0;
  let dlqCount = 0;
  let publishFailures = 0;
  let lastInputAt = 0;
  const recorder = o.recorder ?? null;

  // Where each channel's frames go, resolved on its first frame: per frame, one lookup and no
  // string slicing (a portfolio has four channels).
  const routes = new Map<string, { topic: string; codec: Codec; key: string }>();
  const routeOf = (channel: string) => {
    let r = routes.get(channel);
    if (r === undefined) {
      const colon = channel.indexOf(':');
      const topic = name(FRAME_TOPIC[channel.slice(0, colon) as keyof typeof FRAME_TOPIC]);
      r = { topic, codec: codecOf(topic), key: channel.slice(colon + 1) };
      routes.set(channel, r);
    }
    return r;
  };
  const engine = new Engine(
    o.engine,
    (frames: EncodedFrame[]) => {
      for (const f of frames) {
        recorder?.frame(f);
        const r = routeOf(f.channel);
        queue(r.topic).push({ key: r.key, value: f.wrapped ?? encodeFrameEnvelope(o.src, ++seq, f, r.codec) });
      }
    },
    // A msgpack topic's envelope header is written by the engine ahead of the frame, in the same
    // buffer: the frame's bytes are copied out of the writer once, not twice.
    (w, channel, asOf) => {
      if (routeOf(channel).codec !== 'msgpack') return false;
      writeFrameEnvelopeHeader(w, o.src, ++seq, asOf);
      return true;
    },
  );

  const dlqTopic = name(TOPIC.dlq);
  const toDlq = (m: ConsumedMessage, err: RisklineError, value: Uint8Array = m.value): void => {
    dlqCount++;
    if (dlqCount <= 10 || dlqCount % 1000 === 0)
      logger.warn({ code: err.code, topic: m.topic, offset: m.offset, dlq: dlqCount }, err.message);
    queue(dlqTopic).push(dlqMessage(m, err, value));
  };

  const applyTick = (i: number, ts: number, bid: number, ask: number, last: number): void => {
    recorder?.tick(engine.instruments.ids[i], ts, bid, ask, last);
    engine.tick(i, ts, bid, ask, last);
    lastInputAt = ts;
  };
  /** One bad tick of a batch goes to the DLQ on its own, as a JSON `tick`; the rest of the batch applies. */
  const badTick = (m: ConsumedMessage, k: number, tuple: unknown, err: RisklineError): void =>
    toDlq(m, err, encodeEnvelope({ v: 1, type: 'tick', src: 'dlq', ts: 0, seq: k, body: tuple }, 'json'));

  /** A `ticks` batch the fast reader passed on (a JSON one, say): validated tuple by tuple. */
  const applyTicks = (m: ConsumedMessage, body: unknown): void => {
    if (!Array.isArray(body)) {
      throw new RisklineError('INVALID_TICK', `ticks body must be an array of [instrument, ts, bid, ask, last]`);
    }
    body.forEach((tuple: unknown, k) => {
      try {
        const [instrument, ts, bid, ask, last] = validateTickTuple(tuple, `ticks[${k}]`);
        const i = engine.instrumentIndex(instrument);
        if (i < 0)
          throw new RisklineError(
            'UNKNOWN_INSTRUMENT',
            `ticks[${k}]: unknown instrument ${JSON.stringify(instrument)}`,
          );
        applyTick(i, ts, bid, ask, last);
      } catch (err) {
        badTick(m, k, tuple, toRisklineError(err));
      }
    });
  };

  // Tick batches take the zero-allocation path; anything else, the generic decoder.
  const ids = new InstrumentBytes((id) => engine.instrumentIndex(id));
  let current: ConsumedMessage;
  /** Portfolio the record being applied changed (-1: none), for checkpoint bookkeeping. */
  let changedPort = -1;
  const visitor: TickVisitor = {
    tick: applyTick,
    bad: (k, start, end, err) => badTick(current, k, unpackValue(current.value.subarray(start, end)), err),
  };

  const apply = (m: ConsumedMessage): void => {
    try {
      current = m;
      const ticks = readTickBatch(m.value, ids, visitor);
      if (ticks >= 0) return o.onApplied?.(m, ticks);
      // JSON envelopes are accepted on any topic: generic clients (kcat, scripts) write JSON.
      const env = decodeEnvelopeAuto(m.value);
      applyEnvelope(m, env);
      o.onApplied?.(m, env.type === 'ticks' && Array.isArray(env.body) ? env.body.length : 0);
    } catch (err) {
      toDlq(m, toRisklineError(err));
    }
  };

  const applyEnvelope = (m: ConsumedMessage, env: Envelope): void => {
    switch (env.type) {
      case 'ticks':
        return applyTicks(m, env.body);
      case 'tick': {
        const t = validateTick(env.body);
        const i = engine.instrumentIndex(t.instrument);
        if (i < 0) throw new RisklineError('UNKNOWN_INSTRUMENT', `unknown instrument ${JSON.stringify(t.instrument)}`);
        return applyTick(i, t.ts, t.bid, t.ask, t.last);
      }
      case 'execution': {
        if (m.topic !== executionsTopic)
          throw new RisklineError('DECODE_FAILED', `executions belong on ${executionsTopic}, not ${m.topic}`);
        const e = validateExecution(env.body);
        const port = engine.portfolioIndex(e.portfolio);
        // Unknown portfolios fall through to the engine, which names them in the DLQ reason.
        if (port >= 0 && !ownership.admits(port, m)) return;
        engine.execute(e);
        recorder?.execution(e);
        lastInputAt = e.ts;
        changedPort = port;
        return;
      }
      case 'heartbeat':
        recorder?.heartbeat(env.ts);
        engine.advanceTo(env.ts);
        return;
      default:
        throw new RisklineError('DECODE_FAILED', `message type ${env.type} does not belong on ${m.topic}`);
    }
  };

  // Every producer writes its sends in call order (the Bus contract), so a cycle's frames go
  // straight to it: chaining each flush behind the previous one's acknowledgement would hold the
  // tick reader to one produce round trip per flush, which over Kafka is the whole latency budget.
  let sending: Promise<unknown> = Promise.resolve();
  let unackedBytes = 0;
  const maxUnacked = o.maxUnackedFrameBytes ?? MAX_UNACKED_FRAME_BYTES;
  const flushOutbound = (): Promise<void> | undefined => {
    if (outbound.size === 0) return undefined;
    const sends: Promise<void>[] = [];
    for (const [topic, messages] of outbound) {
      let bytes = 0;
      for (const m of messages) bytes += m.value.length;
      unackedBytes += bytes;
      // The transport retries whatever can succeed; what cannot (a record over the broker's size
      // limit) is reported and passed over: frames heal at the next snapshot.
      sends.push(
        producer
          .send(topic, messages)
          .catch((err: unknown) => {
            publishFailures++;
            logger.error(
              { topic, records: messages.length, err: (err as Error).message },
              'engine: publication refused',
            );
          })
          .finally(() => (unackedBytes -= bytes)),
      );
    }
    outbound.clear();
    // Settles once this cycle's frames, and so every earlier one's, are acknowledged.
    const cycle = Promise.all(sends).then(() => undefined);
    sending = cycle;
    return cycle;
  };

  const ownership = new PortfolioOwnership({
    engine,
    bus,
    executionsTopic,
    stateTopic: positionsTopic,
    stateCodec: codecOf(positionsTopic),
    src: o.src,
    logger,
    checkpointEvery: o.checkpointEvery ?? 5000,
    checkpointEveryMs: o.checkpointEveryMs ?? 10_000,
  });
  /** Checkpoints go after the frames of the same cycle, before the offsets they cover are committed. */
  const queueCheckpoints = (all: boolean): void => {
    const due = ownership.checkpointsDue(all);
    if (due.length > 0) queue(positionsTopic).push(...due);
  };
  const executions: Subscription = await bus.subscribe({
    // One group per deployment (the topic prefix names it): engines of another prefix on the same
    // cluster never rebalance this one.
    group: engineGroup(topics.prefix),
    topics: [executionsTopic],
    fromBeginning: true,
    onAssign: async (change, control) => {
      await ownership.onAssign(change, control);
      // Taken-over portfolios publish a full snapshot now, not at the next input (recorded as a
      // heartbeat, so a replay publishes the same).
      if (engine.book.now > 0) {
        recorder?.heartbeat(engine.book.now);
        engine.advanceTo(engine.book.now);
      }
      await flushOutbound();
    },
    onBatch(batch: Batch) {
      if (!ownership.owns(batch.partition)) return undefined;
      for (const m of batch.messages) {
        if (!ownership.fresh(m)) continue;
        changedPort = -1;
        apply(m);
        ownership.done(m, changedPort);
      }
      queueCheckpoints(false);
      return flushOutbound();
    },
  });
  // Ticks: every partition, no committed position (a restarted engine starts at the live edge;
  // checkpoints carry the marks of what it holds).
  let ticks: Subscription;
  try {
    ticks = await bus.subscribe({
      group: `${engineGroup(topics.prefix)}-ticks-${o.src}`,
      topics: [name(TOPIC.ticks)],
      fromBeginning: bus.kind === 'inprocess',
      commit: false,
      onBatch(batch: Batch) {
        for (const m of batch.messages) apply(m);
        // No offsets wait on ticks, so their frames need not be acknowledged before the next batch
        // (the producer keeps their order); unacknowledged bytes are the bound.
        const sent = flushOutbound();
        return sent !== undefined && unackedBytes > maxUnacked ? sent : undefined;
      },
    });
  } catch (err) {
    await executions.close();
    throw err;
  }

  // A quiet market still gets its last changes published: after a conflation interval without
  // input, event time is advanced by one interval (recorded, so a replay does the same).
  const conflationMs = o.engine.conflationMs;
  let idleSince = lastInputAt;
  const idle = setInterval(() => {
    if (lastInputAt === 0) return;
    if (lastInputAt !== idleSince) {
      idleSince = lastInputAt;
      return;
    }
    const ts = engine.book.now + conflationMs;
    recorder?.heartbeat(ts);
    engine.advanceTo(ts);
    idleSince = lastInputAt = ts;
    void flushOutbound();
  }, conflationMs);
  idle.unref();

  return {
    engine,
    ownership,
    stats: () => ({ dlq: dlqCount, lastInputTs: lastInputAt, checkpoints: ownership.checkpoints, publishFailures }),
    async close() {
      clearInterval(idle);
      await ticks.close();
      await executions.close();
      engine.flush();
      // A clean stop leaves checkpoints of everything changed, so the next owner replays nothing.
      queueCheckpoints(true);
      await flushOutbound();
      await sending;
      await producer.close();
      await recorder?.close();
    },
  };
}
