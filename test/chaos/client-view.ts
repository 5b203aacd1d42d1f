// One run of the deployment of ./deployment.ts with a fault or none, checked where users look: the
// WebSocket client's frames (seq rising, a gap only before a snapshot, asOf never back), the frame
// topics themselves (one publisher per channel at any moment), and the client's final view of every
// portfolio against an engine that saw the same market in one process, without faults.
import type { Test } from 'tap';
import { engineOptions } from '../../app/compose.js';
import { Engine } from '../../engine/engine.js';
import { applyFrame, decodeFrame } from '../../engine/frames.js';
import { tsBackend } from '../../engine/risk/ts-backend.js';
import type { KafkaBus } from '../../streams/kafka/bus.js';
import { eventually } from '../eventually.js';
import { testBus } from '../e2e/kafka/helpers.js';
import {
  deploymentConfig,
  freePort,
  longestSilence,
  Market,
  orderViolations,
  PORTFOLIOS,
  Proc,
  sendHeartbeat,
  sendStep,
  STEP_MS,
  T0,
  ViewClient,
  watchTopics,
  type Seen,
} from './deployment.js';

export interface Fault {
  /** Feed step at which it strikes, and what it does; returns the wall-clock moments to measure from. */
  at: number;
  strike(d: Processes): Promise<Record<string, number>>;
}

export interface Processes {
  engines: Proc[];
  gateway: Proc;
  enginePorts: number[];
}

export interface RunResult {
  moments: Record<string, number>;
  /** The feed's event time at wall-clock moments (one entry per step sent). */
  feed: { at: number; now: number }[];
  client: ViewClient;
  topics: Map<string, Seen[]>;
}

const STEPS = 250;
const FILLS_PER_STEP = 3;

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

export async function runDeployment(t: Test, fault: Fault | null, brokers?: string[]): Promise<RunResult> {
  const { config, file, prefix } = deploymentConfig(brokers);
  const bus: KafkaBus = await testBus(config);
  const gatewayPort = await freePort();
  const enginePorts = [await freePort(), await freePort()];
  const engines = enginePorts.map((p) => new Proc(['--config', file, '--roles', 'engine', '--port', String(p)]));
  const gateway = new Proc(['--config', file, '--roles', 'gateway', '--port', String(gatewayPort)]);
  const procs: Processes = { engines, gateway, enginePorts };
  const topics = new Map<string, Seen[]>();
  const client = new ViewClient(
    gatewayPort,
    PORTFOLIOS.flatMap((id) => [`positions:${id}`, `exposures:${id}`, `risk:${id}`]),
  );
  t.teardown(async () => {
    client.close();
    await Promise.all([...engines, gateway].map((p) => p.kill()));
    await watcher.close();
    await bus.close();
  });
  const logs = () => [...engines, gateway].map((p, k) => `--- process ${k}\n${p.log.slice(-4000)}`).join('\n');

  engines[0].start();
  engines[1].start();
  gateway.start();
  const watcher = await watchTopics(bus, prefix, topics);
  try {
    await Promise.all([
      ready(enginePorts[0], 'engine 0'),
      ready(enginePorts[1], 'engine 1'),
      ready(gatewayPort, 'gateway'),
    ]);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logs()}`, { cause: err });
  }
  await client.connect();

  const usd = config.instruments.filter((i) => i.kind === 'equity' && i.currency === 'USD').slice(0, 12);
  const market = new Market(usd, 7);
  const moments: Record<string, number> = {};
  const feed: RunResult['feed'] = [];
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
  const end = market.now + config.risk.intervalMs + STEP_MS;
  await sendHeartbeat(bus, prefix, end);

  const reference = referenceView(config, market, end);
  try {
    await eventually(
      () => (mismatches(client.state, reference).length === 0 ? true : undefined),
      60_000,
      "the client's final view to equal the reference",
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}: ${mismatches(client.state, reference).slice(0, 5).join('; ')}\n${logs()}`,
      { cause: err },
    );
  }
  t.same(
    orderViolations(client.frames),
    [],
    'client: seq rises on every channel, gaps only before a snapshot, asOf never back',
  );
  t.same(
    orderViolations(topics),
    [],
    'topics: one publisher per channel (seq never repeats or steps back), asOf never back',
  );
  t.equal(client.state.size, PORTFOLIOS.length * 3, 'the client holds every channel');
  return { moments, feed, client, topics };
}

/** Every channel's final data from one engine fed the same market without faults. */
function referenceView(
  config: ReturnType<typeof deploymentConfig>['config'],
  market: Market,
  end: number,
): Map<string, Record<string, unknown>> {
  const view = new Map<string, Record<string, unknown>>();
  const engine = new Engine(engineOptions(config, tsBackend, T0), (frames) => {
    for (const f of frames.map((x) => decodeFrame(x))) view.set(f.channel, applyFrame(view.get(f.channel), f));
  });
  // The market again, step by step: executions per portfolio in the order they were sent.
  const replay = new Market(
    config.instruments.filter((i) => i.kind === 'equity' && i.currency === 'USD').slice(0, 12),
    7,
  );
  for (let step = 1; step <= STEPS; step++) {
    const s = replay.next(step === STEPS ? 0 : FILLS_PER_STEP);
    for (const tk of s.ticks) engine.tick(engine.instrumentIndex(tk.instrument), tk.ts, tk.bid, tk.ask, tk.last);
    for (const e of s.executions) engine.execute(e);
  }
  if (replay.now !== market.now) throw new Error('the reference market diverged from the one sent');
  engine.advanceTo(end);
  return view;
}

/** Fields that name where a frame sits in its own run (seqs of its basis), not what it says. */
const RUN_SPECIFIC = new Set(['basis', 'inputSeq']);

/**
 * Where two views differ: numbers within a part in 1e-9 of each other agree (totals are kept
 * incrementally, so the order inputs arrived in moves their last bits), everything else exactly.
 */
function differences(path: string, a: unknown, b: unknown, out: string[]): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) out.push(`${path}: got ${a} want ${b}`);
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a !== b) out.push(`${path}: got ${JSON.stringify(a)} want ${JSON.stringify(b)}`);
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (RUN_SPECIFIC.has(k) && path.startsWith('risk:')) continue;
    differences(`${path}.${k}`, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
  }
}

function mismatches(got: Map<string, Record<string, unknown>>, want: Map<string, Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [channel, data] of want) differences(channel, got.get(channel), data, out);
  return out;
}

/** The pause a client saw around a moment: the longest silence of any channel in the window. */
export function pauseAround(r: RunResult, from: number, windowMs: number): number {
  return longestSilence(r.client.frames, from - 1000, from + windowMs);
}
