// A distributed deployment as an operator runs it, for the failover benchmark and the chaos tests
// that look where users look: engine and gateway processes (`riskline start --roles …`) on a real
// broker, a market fed from here (ticks and executions, deterministic, at a steady pace), a
// WebSocket client subscribed to every portfolio's channels through the gateway, and a reader of
// the frame topics themselves.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../config/load.js';
import type { RisklineConfig } from '../config/schema.js';
import { applyFrame } from '../engine/frames.js';
import type { Execution, Tick } from '../engine/model.js';
import type { Bus, Producer, Subscription } from '../streams/bus.js';
import { decodeEnvelopeAuto, encodeEnvelope } from '../streams/envelope.js';
import { KafkaBus } from '../streams/kafka/bus.js';
import { TOPIC, topicSpecs } from '../streams/topics.js';
import { CounterRng } from '../maths/random.js';
import { eventually } from '../tools/eventually.js';
import { freePort } from '../tools/ports.js';

export { freePort };

// The checkout's root, from dist/bench/ (the benchmark) or bench/ (tests run from source).
const ROOT = new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url);
const CLI = new URL('dist/app/cli.js', ROOT).pathname;
export const T0 = Date.parse('2026-11-25T14:30:00Z');
export const PORTFOLIOS = Array.from({ length: 16 }, (_, k) => `V${String(k).padStart(2, '0')}`);
/** Event time per feed step; the feed sends one step per STEP_MS of wall time. */
export const STEP_MS = 100;

/** A frame as one observer saw it (client: through the gateway; topic: on the bus, with its producer). */
export interface Seen {
  channel: string;
  type: 'snapshot' | 'update';
  seq: number;
  asOf: number;
  at: number;
  src?: string;
  /** The bus record's envelope seq (one sequence per producer): the same record read twice has the same. */
  record?: number;
  data: Record<string, unknown>;
}

/**
 * A deployment's settings directory: 16 USD portfolios with no holdings, no limits, a topic prefix
 * of its own, and the brokers; `kafka` settings are merged over a short session (6 s, the broker's
 * minimum) and a 2 s retry cap.
 */
export function deploymentConfig(
  brokers: string[],
  prefix = `d${randomBytes(4).toString('hex')}.`,
  kafka: Record<string, unknown> = {},
): { config: RisklineConfig; file: string; prefix: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'riskline-deployment-'));
  const topics = JSON.parse(readFileSync(new URL('config/topics.json', ROOT), 'utf8')) as {
    prefix: string;
  };
  topics.prefix = prefix;
  writeFileSync(join(dir, 'topics.json'), JSON.stringify(topics));
  writeFileSync(
    join(dir, 'portfolios.json'),
    JSON.stringify(PORTFOLIOS.map((id) => ({ id, name: id, baseCurrency: 'USD', cash: { USD: 1e8 }, holdings: [] }))),
  );
  writeFileSync(join(dir, 'limits.json'), '[]');
  const file = join(dir, 'riskline.json');
  writeFileSync(
    file,
    JSON.stringify({
      log: { level: 'warn' },
      engine: { valuationTime: new Date(T0).toISOString(), checkpointEvery: 500, checkpointEveryMs: 3000 },
      kafka: {
        brokers,
        consumer: { sessionTimeoutMs: 6000, heartbeatMs: 500 },
        retry: { initialMs: 100, maxMs: 2000 },
        ...kafka,
      },
      files: { topics: 'topics.json', portfolios: 'portfolios.json', limits: 'limits.json' },
    }),
  );
  return { config: loadConfig({ configFile: file, flags: { port: 0 }, env: {} }), file, prefix, dir };
}

/** One `riskline start` child process; its stderr tail is kept for failure messages. */
export class Proc {
  child: ChildProcess | null = null;
  log = '';
  constructor(
    private readonly args: string[],
    readonly name = 'process',
  ) {}
  start(): void {
    // The settings file names the broker: a KAFKA_BROKERS of the test run must not override it.
    const env = { ...process.env };
    delete env.KAFKA_BROKERS;
    const child = spawn(process.execPath, [CLI, 'start', ...this.args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    // CHAOS_LOG_DIR keeps every line of every process, for a failure the tail does not explain.
    const file = process.env.CHAOS_LOG_DIR ? join(process.env.CHAOS_LOG_DIR, `${this.name}.log`) : null;
    child.stderr!.on('data', (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-30_000);
      if (file) appendFileSync(file, d);
    });
    this.child = child;
  }
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const c = this.child;
    if (!c || c.exitCode !== null) return c?.exitCode ?? null;
    const done = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
    c.kill(signal);
    return done;
  }
}

/** The WebSocket client of a risk manager watching every portfolio: every frame kept, state folded. */
export class ViewClient {
  readonly frames = new Map<string, Seen[]>();
  readonly state = new Map<string, Record<string, unknown>>();
  private ws: WebSocket | null = null;
  constructor(
    private readonly port: number,
    private readonly channels: string[],
  ) {}

  async connect(): Promise<void> {
    await eventually(
      async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${this.port}/v1/stream`);
        const ok = await new Promise<boolean>((r) => ws.once('open', () => r(true)).once('error', () => r(false)));
        if (!ok) return undefined;
        this.ws = ws;
        return true;
      },
      30_000,
      'the gateway to accept WebSocket clients',
    );
    this.ws!.on('message', (raw) => this.onMessage(JSON.parse(raw.toString()) as Record<string, unknown>));
    this.ws!.send(JSON.stringify({ op: 'subscribe', id: 1, channels: this.channels }));
  }

  private onMessage(m: Record<string, unknown>): void {
    if (m.type !== 'snapshot' && m.type !== 'update') return;
    const f: Seen = {
      channel: m.channel as string,
      type: m.type,
      seq: m.seq as number,
      asOf: m.asOf as number,
      at: Date.now(),
      data: m.data as Record<string, unknown>,
    };
    (this.frames.get(f.channel) ?? this.frames.set(f.channel, []).get(f.channel)!).push(f);
    this.state.set(f.channel, applyFrame(this.state.get(f.channel), f));
  }

  close(): void {
    this.ws?.close();
  }
}

/** Reads every frame on the frame topics as it is appended, with the engine that wrote it. */
export async function watchTopics(bus: Bus, prefix: string, seen: Map<string, Seen[]>): Promise<Subscription> {
  return bus.subscribe({
    group: `${prefix}watch`,
    topics: [TOPIC.positions, TOPIC.exposures, TOPIC.risk, TOPIC.alerts].map((t) => prefix + t),
    from: 'earliest',
    commit: false,
    onBatch(batch) {
      for (const m of batch.messages) {
        if (m.key.startsWith('checkpoint:')) continue;
        const env = decodeEnvelopeAuto(m.value);
        if (env.type !== 'frame') continue;
        const f = env.body as Seen;
        const s: Seen = { ...f, at: Date.now(), src: env.src, record: env.seq };
        (seen.get(f.channel) ?? seen.set(f.channel, []).get(f.channel)!).push(s);
      }
    },
  });
}

/** The market the test feeds: per step, one tick for each instrument and a few executions. */
export class Market {
  private readonly rng: CounterRng;
  readonly executions: Execution[] = [];
  /** Event time of the newest step sent. */
  now = T0;
  private step = 0;
  private readonly px: number[];

  constructor(
    private readonly instruments: { id: string; price: number }[],
    seed: number,
  ) {
    this.rng = new CounterRng(seed);
    this.px = instruments.map((i) => i.price);
  }

  /** The records of the next step: ticks on md.ticks, executions on orders.executions. */
  next(fills: number): { ticks: Tick[]; executions: Execution[] } {
    this.step++;
    const ts = T0 + this.step * STEP_MS;
    this.now = ts;
    const ticks = this.instruments.map((inst, k) => {
      this.px[k] = Math.round(this.px[k] * (1 + (this.rng.uniform() - 0.5) * 0.002) * 100) / 100;
      return { instrument: inst.id, ts, bid: this.px[k] - 0.01, ask: this.px[k] + 0.01, last: this.px[k] };
    });
    const executions: Execution[] = [];
    for (let j = 0; j < fills; j++) {
      const k = Math.floor(this.rng.uniform() * this.instruments.length);
      executions.push({
        id: `X${this.step}-${j}`,
        portfolio: PORTFOLIOS[Math.floor(this.rng.uniform() * PORTFOLIOS.length)],
        instrument: this.instruments[k].id,
        side: this.rng.uniform() < 0.5 ? 'buy' : 'sell',
        qty: 1 + Math.floor(this.rng.uniform() * 50),
        price: this.px[k],
        ts,
      });
    }
    this.executions.push(...executions);
    return { ticks, executions };
  }
}

let envSeq = 0;
const envelope = (type: 'tick' | 'execution' | 'heartbeat', ts: number, body: unknown) =>
  encodeEnvelope({ v: 1, type, src: 'chaos-feed', ts, seq: ++envSeq, body });

/** Sends one step: ticks keyed by instrument, executions keyed by portfolio (waits while the broker is away). */
export async function sendStep(
  producer: Producer,
  prefix: string,
  step: { ticks: Tick[]; executions: Execution[] },
): Promise<void> {
  await Promise.all([
    producer.send(
      prefix + TOPIC.ticks,
      step.ticks.map((t) => ({ key: t.instrument, value: envelope('tick', t.ts, t) })),
    ),
    producer.send(
      prefix + TOPIC.executions,
      step.executions.map((e) => ({ key: e.portfolio, value: envelope('execution', e.ts, e) })),
    ),
  ]);
}

/** A heartbeat on every md.ticks partition: event time moves on, so what is due (risk) is published. */
export async function sendHeartbeat(bus: Bus, prefix: string, ts: number): Promise<void> {
  const producer = bus.producer();
  const topic = prefix + TOPIC.ticks;
  const n = bus.partitions(topic);
  await producer.send(
    topic,
    Array.from({ length: n }, (_, partition) => ({ key: 'hb', partition, value: envelope('heartbeat', ts, {}) })),
  );
  await producer.close();
}

/** How long after a takeover a former owner's produce request may still land (in flight at the rebalance). */
export const LATE_FRAME_MS = 1000;

/**
 * What a client must see on every channel: seq rising (a gap only before a snapshot), asOf never
 * back. On a frame topic (frames with `src`), a former owner's frame that was on the wire when it
 * lost the partition may land just after the new owner's snapshot, below it in seq and asOf: the
 * contract allows it and readers skip it (docs/wire-format.md, "One publisher per portfolio"), so
 * it goes to `late`, not to the violations, when it lands within LATE_FRAME_MS of the handover.
 */
export function orderViolations(frames: Map<string, Seen[]>, late: string[] = []): string[] {
  const out: string[] = [];
  for (const [channel, list] of frames) {
    const former = new Map<string, number>(); // a former publisher → when the next one took over
    let a = list[0];
    for (let i = 1; i < list.length; i++) {
      const b = list[i];
      // The same record twice (a producer's retry after the broker took it but its answer was lost:
      // Kafka's at-least-once without idempotence) is not a second publisher; readers skip it by seq.
      if (b.record !== undefined && b.src === a.src && b.record === a.record && b.seq === a.seq) continue;
      const handover = b.src === undefined ? undefined : former.get(b.src);
      if (handover !== undefined && b.seq < a.seq && b.asOf <= a.asOf && b.at - handover <= LATE_FRAME_MS) {
        late.push(
          `${channel}: seq ${b.seq} from ${b.src} ${b.at - handover} ms after ${a.src} took over at seq ${a.seq}`,
        );
        continue;
      }
      if (b.seq <= a.seq)
        out.push(
          `${channel}: seq ${a.seq} ${a.type} then ${b.seq} ${b.type}${b.src ? ` (${a.src} then ${b.src}, ${b.at - a.at} ms apart, asOf ${a.asOf} then ${b.asOf})` : ''}`,
        );
      else if (b.seq !== a.seq + 1 && b.type !== 'snapshot')
        out.push(`${channel}: gap ${a.seq}→${b.seq} without snapshot`);
      if (b.asOf < a.asOf) out.push(`${channel}: asOf back ${a.asOf - b.asOf} ms at seq ${b.seq}`);
      if (b.src !== undefined && a.src !== undefined && b.src !== a.src) former.set(a.src, b.at);
      a = b;
    }
  }
  return out;
}

/** The longest a channel went without a frame over [from, to] (wall time), across channels, in ms. */
export function longestSilence(frames: Map<string, Seen[]>, from: number, to: number): number {
  let worst = 0;
  for (const list of frames.values()) {
    let last = from;
    for (const f of list) {
      if (f.at < from) continue;
      if (f.at > to) break;
      worst = Math.max(worst, f.at - last);
      last = f.at;
    }
    worst = Math.max(worst, Math.min(to, Date.now()) - last);
  }
  return worst;
}

/** A fault that strikes at a feed step; returns the wall-clock moments to measure from. */
export interface Fault {
  at: number;
  strike(d: Processes): Promise<Record<string, number>>;
}

export interface Processes {
  engines: Proc[];
  gateway: Proc;
  enginePorts: number[];
  gatewayPort: number;
}

export interface Run {
  config: RisklineConfig;
  prefix: string;
  bus: KafkaBus;
  procs: Processes;
  client: ViewClient;
  /** Frames on the topics, with their writers. */
  topics: Map<string, Seen[]>;
  market: Market;
  /** The feed's event time at wall-clock moments (one entry per step sent). */
  feed: { at: number; now: number }[];
  moments: Record<string, number>;
  /** Each process's log tail (engines, then the gateway). */
  logs(): string[];
  close(): Promise<void>;
}

export const STEPS = 250;
export const FILLS_PER_STEP = 3;
/** The instruments the market trades: the first 12 USD equities of the configured universe. */
export const marketInstruments = (config: RisklineConfig) =>
  config.instruments.filter((i) => i.kind === 'equity' && i.currency === 'USD').slice(0, 12);

/** Waits until a process answers /ready with 200. */
export async function ready(port: number, what: string, timeoutMs = 60_000): Promise<void> {
  await eventually(
    async () => {
      const r = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null);
      return r?.status === 200 ? true : undefined;
    },
    timeoutMs,
    `${what} to be ready`,
  );
}

/**
 * Starts two engines and a gateway, connects the client, feeds STEPS steps at STEP_MS (the fault
 * strikes at its step, the feed going on meanwhile; sends wait while the broker is away), then a
 * heartbeat a risk interval past the last step. The processes keep running until close().
 */
export async function runDeployment(fault: Fault | null, brokers: string[]): Promise<Run> {
  const { config, file, prefix } = deploymentConfig(brokers);
  const bus = new KafkaBus({ ...config.kafka, brokers: config.kafka.brokers! }, pino({ level: 'silent' }));
  await bus.ensureTopics(topicSpecs(config.topics));
  const gatewayPort = await freePort();
  const enginePorts = [await freePort(), await freePort()];
  const engines = enginePorts.map(
    (p, k) => new Proc(['--config', file, '--roles', 'engine', '--port', String(p)], `engine${k}`),
  );
  const gateway = new Proc(['--config', file, '--roles', 'gateway', '--port', String(gatewayPort)], 'gateway');
  const procs: Processes = { engines, gateway, enginePorts, gatewayPort };
  const topics = new Map<string, Seen[]>();
  const client = new ViewClient(
    gatewayPort,
    PORTFOLIOS.flatMap((id) => [`positions:${id}`, `exposures:${id}`, `risk:${id}`]),
  );
  const all = [...engines, gateway];
  const logs = () => all.map((p) => p.log);
  let watcher: Subscription | null = null;
  const close = async () => {
    client.close();
    await Promise.all(all.map((p) => p.kill()));
    await watcher?.close();
    await bus.close();
  };
  try {
    for (const p of all) p.start();
    watcher = await watchTopics(bus, prefix, topics);
    await Promise.all([
      ready(enginePorts[0], 'engine 0'),
      ready(enginePorts[1], 'engine 1'),
      ready(gatewayPort, 'gateway'),
    ]);
    await client.connect();
  } catch (err) {
    await close();
    const tails = all.map((p) => `--- ${p.name}\n${p.log.slice(-4000)}`).join('\n');
    throw new Error(`${(err as Error).message}\n${tails}`, { cause: err });
  }
  const market = new Market(marketInstruments(config), 7);
  const moments: Record<string, number> = {};
  const feed: Run['feed'] = [];
  const producer = bus.producer();
  let striking: Promise<void> = Promise.resolve();
  const started = Date.now();
  for (let step = 1; step <= STEPS; step++) {
    if (fault && step === fault.at) striking = fault.strike(procs).then((m) => void Object.assign(moments, m));
    await sendStep(producer, prefix, market.next(step === STEPS ? 0 : FILLS_PER_STEP));
    feed.push({ at: Date.now(), now: market.now });
    const wait = started + step * STEP_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await producer.close();
  await striking;
  moments.feedEnd = Date.now();
  // Event time moves past the last step by a risk interval: the final risk is due everywhere.
  await sendHeartbeat(bus, prefix, market.now + config.risk.intervalMs + STEP_MS);
  return { config, prefix, bus, procs, client, topics, market, feed, moments, logs, close };
}

/** The pause a client saw around a moment: the longest silence of any channel from 1 s before it. */
export function pauseAround(r: Pick<Run, 'client'>, from: number, windowMs: number): number {
  return longestSilence(r.client.frames, from - 1000, from + windowMs);
}

/** Per channel, the first frame at or after `from` (wall time); the latest of those, less `from`. */
export function freshAfter(r: Pick<Run, 'client'>, from: number): number {
  let worst = 0;
  for (const list of r.client.frames.values()) {
    const first = list.find((f) => f.at >= from);
    if (first) worst = Math.max(worst, first.at - from);
  }
  return worst;
}

/** From `from`, how long until every channel's frames carry event time within 1 s of the feed's clock. */
export function caughtUpAfter(r: Pick<Run, 'client' | 'feed'>, from: number): number {
  const feedAt = (at: number) => {
    let now = r.feed[0].now;
    for (const f of r.feed) if (f.at <= at) now = f.now;
    return now;
  };
  let worst = 0;
  for (const list of r.client.frames.values()) {
    const first = list.find((f) => f.at >= from && f.asOf >= feedAt(f.at) - 1000);
    if (first) worst = Math.max(worst, first.at - from);
  }
  return worst;
}
