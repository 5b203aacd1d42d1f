// A distributed deployment as an operator runs it, for the chaos tests that look where users look:
// engine and gateway processes (`riskline start --roles …`) on a real broker, a market fed by the
// test (ticks and executions, deterministic, at a steady pace), and a WebSocket client subscribed
// to every portfolio's channels through the gateway, plus a reader of the frame topics themselves.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { RisklineConfig } from '../../config/schema.js';
import { applyFrame } from '../../engine/frames.js';
import type { Execution } from '../../engine/model.js';
import type { Bus, Producer, Subscription } from '../../streams/bus.js';
import { decodeEnvelopeAuto, encodeEnvelope } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import { CounterRng } from '../../maths/random.js';
import { eventually } from '../eventually.js';
import { kafkaConfig } from '../e2e/kafka/helpers.js';

const CLI = new URL('../../dist/app/cli.js', import.meta.url).pathname;
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
  data: Record<string, unknown>;
}

/** The deployment's settings and book: 16 USD portfolios, no holdings, no limits. */
export function deploymentConfig(brokers?: string[]): { config: RisklineConfig; file: string; prefix: string } {
  const base = kafkaConfig({}, undefined, brokers);
  writeFileSync(
    join(base.dir, 'portfolios.json'),
    JSON.stringify(PORTFOLIOS.map((id) => ({ id, name: id, baseCurrency: 'USD', cash: { USD: 1e8 }, holdings: [] }))),
  );
  writeFileSync(join(base.dir, 'limits.json'), '[]');
  return kafkaConfig(
    {
      engine: { valuationTime: new Date(T0).toISOString(), checkpointEvery: 500, checkpointEveryMs: 3000 },
      files: { portfolios: join(base.dir, 'portfolios.json'), limits: join(base.dir, 'limits.json') },
    },
    base.prefix,
    brokers,
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** One `riskline start` child process; its stderr tail is kept for failure messages. */
export class Proc {
  child: ChildProcess | null = null;
  log = '';
  constructor(private readonly args: string[]) {}
  start(): void {
    const child = spawn(process.execPath, [CLI, 'start', ...this.args], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-30_000)));
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
        const s: Seen = { ...f, at: Date.now(), src: env.src };
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

export interface Tick {
  instrument: string;
  ts: number;
  bid: number;
  ask: number;
  last: number;
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

/** What a client must see on every channel: seq rising (a gap only before a snapshot), asOf never back. */
export function orderViolations(frames: Map<string, Seen[]>): string[] {
  const out: string[] = [];
  for (const [channel, list] of frames) {
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      if (b.seq <= a.seq) out.push(`${channel}: seq ${a.seq} then ${b.seq}${b.src ? ` (${a.src} then ${b.src})` : ''}`);
      else if (b.seq !== a.seq + 1 && b.type !== 'snapshot')
        out.push(`${channel}: gap ${a.seq}→${b.seq} without snapshot`);
      if (b.asOf < a.asOf) out.push(`${channel}: asOf back ${a.asOf - b.asOf} ms at seq ${b.seq}`);
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
