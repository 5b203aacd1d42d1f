// One run of the deployment of bench/deployment.ts with a fault or none, checked where users look:
// the WebSocket client's frames (seq rising, a gap only before a snapshot, asOf never back), the
// frame topics themselves (one publisher per channel at any moment), and the client's final view
// of every portfolio against an engine that saw the same market in one process, without faults.
import type { Test } from 'tap';
import { engineOptions } from '../../app/compose.js';
import {
  FILLS_PER_STEP,
  Market,
  marketInstruments,
  orderViolations,
  PORTFOLIOS,
  runDeployment,
  STEPS,
  T0,
  type Fault,
  type Run,
  type Seen,
} from '../../bench/deployment.js';
import { Engine } from '../../engine/engine.js';
import { applyFrame, decodeFrame } from '../../engine/frames.js';
import { tsBackend } from '../../engine/risk/ts-backend.js';
import { brokers as testBrokers } from '../e2e/kafka/helpers.js';
import { eventually } from '../eventually.js';

export { caughtUpAfter, freshAfter, pauseAround, ready } from '../../bench/deployment.js';

/** Runs the deployment and checks it; the processes stop at the test's teardown. */
export async function checkedRun(t: Test, fault: Fault | null, brokers = testBrokers()): Promise<Run> {
  const r = await runDeployment(fault, brokers);
  t.teardown(() => r.close());
  const reference = referenceView(r);
  const tails = () =>
    r
      .logs()
      .map((l, k) => `--- process ${k}\n${l.slice(-4000)}`)
      .join('\n');
  try {
    await eventually(
      () => (mismatches(r.client.state, reference).length === 0 ? true : undefined),
      60_000,
      "the client's final view to equal the reference",
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}: ${mismatches(r.client.state, reference).slice(0, 5).join('; ')}\n${lastFrames(r)}\n${tails()}`,
      { cause: err },
    );
  }
  t.same(
    orderViolations(r.client.frames),
    [],
    'client: seq rises on every channel, gaps only before a snapshot, asOf never back',
  );
  const late: string[] = [];
  const left = orderViolations(r.topics, late);
  t.same(left, [], 'topics: one publisher per channel (seq never repeats or steps back), asOf never back');
  if (left.length > 0) {
    const errors = r
      .logs()
      .flatMap((l, k) => l.split('\n').map((line) => `process ${k}: ${line}`))
      .filter((line) => /"level":50|refused|error/i.test(line));
    t.comment(`the processes' errors: ${errors.slice(-20).join('\n') || 'none'}`);
  }
  if (late.length > 0)
    t.comment(`a former owner's in-flight frames landed after the takeover (readers skip them): ${late.join('; ')}`);
  t.equal(r.client.state.size, PORTFOLIOS.length * 3, 'the client holds every channel');
  return r;
}

/** The newest frame of a few channels as the client and the topics saw them (for a failure message). */
function lastFrames(r: Run): string {
  const tail = (l: Seen[] | undefined) => {
    const f = l?.at(-1);
    return f
      ? `seq ${f.seq} asOf ${f.asOf - T0} ${f.type} at ${f.at}${f.src ? ` from ${f.src}` : ''} (${l!.length})`
      : 'none';
  };
  return ['positions:V00', 'positions:V01', 'risk:V00']
    .map((c) => `${c}: client ${tail(r.client.frames.get(c))}; topic ${tail(r.topics.get(c))}`)
    .join('\n');
}

/** Every channel's final data from one engine fed the same market, step by step, without faults. */
function referenceView(r: Run): Map<string, Record<string, unknown>> {
  const view = new Map<string, Record<string, unknown>>();
  const engine = new Engine(engineOptions(r.config, tsBackend, T0), (frames) => {
    for (const f of frames.map((x) => decodeFrame(x))) view.set(f.channel, applyFrame(view.get(f.channel), f));
  });
  const replay = new Market(marketInstruments(r.config), 7);
  for (let step = 1; step <= STEPS; step++) {
    const s = replay.next(step === STEPS ? 0 : FILLS_PER_STEP);
    for (const tk of s.ticks) engine.tick(engine.instrumentIndex(tk.instrument), tk.ts, tk.bid, tk.ask, tk.last);
    for (const e of s.executions) engine.execute(e);
  }
  if (replay.now !== r.market.now) throw new Error('the reference market diverged from the one sent');
  engine.advanceTo(replay.now + r.config.risk.intervalMs + 100);
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
