// Real frames for the AsyncAPI test: an engine with every risk part configured (historical and
// Monte Carlo sets, stress, backtests seeded from a history, limits that breach and clear) driven
// through two event days, and the gateway's own frames (channel store snapshots after updates, tick
// frames, a bus alert). Each comes back as the server message a client receives.

import type { AnalyticsSettings } from '../../../engine/analytics/analytics.js';
import { Engine, type EngineOptions, type WhatIf } from '../../../engine/engine.js';
import { decodeFrame, type EncodedFrame, type Frame } from '../../../engine/frames.js';
import type { LimitDef } from '../../../engine/limits.js';
import type { Execution } from '../../../engine/model.js';
import type { StressScenarioInput } from '../../../engine/risk/stress.js';
import { ChannelStore } from '../../../gateways/channels.js';
import { frameMessage, type ServerMessage } from '../../../gateways/protocol.js';
import { CounterRng } from '../../../maths/random.js';
import {
  drive,
  engineOptions,
  instruments,
  portfolios,
  seededInputs,
  simulationOptions,
  T0,
  type Input,
} from '../engine/fixtures.js';

const DAY = 86_400_000;

/** Where a frame came from, for failure messages and for checking that every kind was seen. */
export interface Sent {
  source: 'engine' | 'gateway';
  message: ServerMessage;
}

export interface RealOutput {
  sent: Sent[];
  whatIf: WhatIf;
}

const STRESS: StressScenarioInput[] = [
  {
    id: 'EQ-CRASH',
    name: 'Equities -20%, euro -10%',
    shocks: {
      equity: { US: -0.2 },
      sector: {},
      ratesBp: { USD: 50 },
      creditBp: {},
      sovereignBp: {},
      fx: { EUR: -0.1 },
      vol: {},
      factors: {},
    },
  },
];

/** Gross over 100k breaches P-USD when it buys 1,000 AAPL and clears when it sells them back (see inputs). */
const LIMITS: LimitDef[] = [
  { id: 'gross-cap', portfolio: 'P-USD', metric: 'gross', max: 100_000, severity: 'critical' },
  { id: 'var-cap', portfolio: '*', metric: 'var99', max: 1_000, severity: 'warning' },
];

/** Returns sampled every second so the frames carry every analytics field, a day roll's fees included. */
const ANALYTICS: AnalyticsSettings = {
  intervalMs: 1000,
  intradayWindow: 100,
  dailyWindow: 20,
  daysPerYear: 252,
  riskFreeRate: 0.03,
  sortinoTarget: 0,
  benchmark: 'SPY',
  fees: { dayCount: 'act/365', managementRate: 0.02, performanceRate: 0.2, hurdleRate: 0, crystallisation: 'monthly' },
};

function options(simulation: boolean): EngineOptions {
  if (!simulation) return engineOptions({ limits: LIMITS });
  return engineOptions({
    limits: LIMITS,
    simulation: simulationOptions(500, STRESS),
    analytics: ANALYTICS,
  });
}

const exec = (id: string, side: 'buy' | 'sell', qty: number, ts: number): Execution => ({
  id,
  portfolio: 'P-USD',
  instrument: 'AAPL',
  side,
  qty,
  price: 200,
  ts,
});

/** A scripted breach and clearance, seeded trading on both portfolios, then the next event day. */
function inputs(): Input[] {
  const shift = (x: Input): Input =>
    'tick' in x
      ? { tick: [x.tick[0], x.tick[1] + 10_000, x.tick[2], x.tick[3], x.tick[4]] }
      : { exec: { ...x.exec, ts: x.exec.ts + 10_000 } };
  const seeded = seededInputs({ n: 1500, seed: 11, execShare: 0.08, maxStepMs: 200, vol: 0.002 }).map(shift);
  const end = Math.max(...seeded.map((x) => ('tick' in x ? x.tick[1] : x.exec.ts)));
  return [
    // P-USD opens with 20k gross: 1,000 AAPL more breach the 100k cap, selling them back clears it.
    { exec: exec('BREACH', 'buy', 1_000, T0 + 1_000) },
    { tick: ['AAPL', T0 + 3_000, 201.9, 202.1, 202] },
    { exec: exec('CLEAR', 'sell', 1_000, T0 + 5_000) },
    { tick: ['AAPL', T0 + 7_000, 199.9, 200.1, 200] },
    ...seeded,
    // The next event day: the day roll feeds the backtests and builds new sets.
    { tick: ['MSFT', end + 1_000, 399.9, 400.1, 400] },
    { tick: ['AAPL', T0 + DAY + 60_000, 203.9, 204.1, 204] },
    { tick: ['SAP.DE', T0 + DAY + 65_000, 150.9, 151.1, 151] },
  ];
}

/** Every frame an engine publishes, decoded as the gateway receives them off the bus. */
async function engineFrames(simulation: boolean): Promise<{ frames: Frame[]; engine: Engine }> {
  const frames: Frame[] = [];
  const engine = new Engine(options(simulation), (fs: EncodedFrame[]) => frames.push(...fs.map(decodeFrame)));
  // Opening frames before the valuation day's sets are in: risk with provenance only.
  engine.flush();
  await drive(engine, inputs());
  engine.flush();
  engine.publishSnapshots();
  return { frames, engine };
}

/** The gateway's view: engine frames through the channel store, its snapshots, ticks and a bus alert. */
function gatewayFrames(frames: Frame[]): ServerMessage[] {
  const store = new ChannelStore({
    portfolios: portfolios.map((p) => p.id),
    instruments: instruments.map((i) => i.id),
  });
  const out: ServerMessage[] = [];
  const channels = new Set<string>();
  for (const f of frames) {
    // Snapshots are taken mid-stream too, so merged state after updates is checked.
    if (store.accept(f) === 'applied') channels.add(f.channel);
    const merged = store.snapshot(f.channel);
    if (merged !== null && f.seq % 7 === 0) out.push(frameMessage(merged));
  }
  for (const c of channels) out.push(frameMessage(store.snapshot(c)!));
  const rng = new CounterRng(3);
  for (let k = 0; k < 40; k++) {
    const inst = instruments[k % instruments.length];
    const m = inst.price * (1 + (rng.uniform() - 0.5) * 0.01);
    store.tick(inst.id, T0 + k * 10, m * 0.9999, m * 1.0001, m);
    if (k % 13 === 12)
      store.flushTicks(
        () => true,
        (f) => out.push(frameMessage(f)),
      );
  }
  store.flushTicks(
    () => true,
    (f) => out.push(frameMessage(f)),
  );
  out.push(frameMessage(store.snapshot('ticks:AAPL')!));
  const alert = store.acceptAlert({
    id: 'desk-stop:P-EUR:1:raise',
    portfolio: 'P-EUR',
    limit: 'desk-stop',
    state: 'breached',
    severity: 'warning',
    message: 'loss 12.00k below min -10.00k (desk-stop)',
    value: -12_000,
    threshold: -10_000,
    ts: T0 + 5_000,
  });
  out.push(frameMessage(alert), frameMessage(store.snapshot('alerts:P-EUR')!));
  return out;
}

/** Every frame a client could receive from a run with and without simulation, and a real what-if answer. */
export async function realOutput(): Promise<RealOutput> {
  const sent: Sent[] = [];
  let whatIf: WhatIf | null = null;
  for (const simulation of [true, false]) {
    const { frames, engine } = await engineFrames(simulation);
    for (const f of frames) sent.push({ source: 'engine', message: frameMessage(f) });
    for (const m of gatewayFrames(frames)) sent.push({ source: 'gateway', message: m });
    if (simulation) whatIf = engine.whatIf('P-USD', 'MSFT', 250);
  }
  return { sent, whatIf: whatIf! };
}
