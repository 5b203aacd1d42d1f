// Engine core alone: ticks already decoded, applied to a book of 10k positions, with exposures
// and P&L kept current and frames published every conflation interval of event time.
// Baseline: the floor of the same work — a typed-array loop that, for each tick, walks the same
// positions and multiplies quantity by price — measured in the same run.

import { Engine } from '../../engine/engine.js';
import { checkTargets, latencyHistogram, percentiles, type Scenario } from '../harness.js';
import { BENCH_START, benchEngineOptions, benchUniverse } from '../universe.js';

const EVENT_RATE = 2_000_000; // ticks per second of event time, the target rate: a publication every 200k ticks

function ticksFor(instruments: number, count: number, prices: Float64Array) {
  const idx = new Int32Array(count);
  const bid = new Float64Array(count);
  const ask = new Float64Array(count);
  let s = 12345;
  const px = Float64Array.from(prices);
  for (let k = 0; k < count; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const i = s % instruments;
    px[i] *= 1 + ((s >>> 8) / 16777216 - 0.5) * 0.001;
    idx[k] = i;
    bid[k] = px[i] * 0.9999;
    ask[k] = px[i] * 1.0001;
  }
  return { idx, bid, ask };
}

function runOne(instruments: number, positions: number, count: number) {
  const u = benchUniverse(instruments, positions);
  let frames = 0;
  const engine = new Engine(benchEngineOptions(u), (fs) => (frames += fs.length));
  const prices = Float64Array.from(u.instruments, (i) => i.price);
  const { idx, bid, ask } = ticksFor(u.instruments.length, count, prices);
  const t0ms = BENCH_START;
  const dt = 1000 / EVENT_RATE;
  // Warm-up on a prefix so the measured run is JIT-compiled code.
  const warm = Math.min(200_000, count >> 2);
  for (let k = 0; k < warm; k++) engine.tick(idx[k], t0ms + k * dt, bid[k], ask[k], bid[k]);
  const start = process.hrtime.bigint();
  for (let k = 0; k < count; k++) engine.tick(idx[k], t0ms + (warm + k) * dt, bid[k], ask[k], ask[k]);
  const ns = Number(process.hrtime.bigint() - start);

  // Per-tick latency in ns (tick in → positions, P&L and exposures updated), sampled every 64th
  // tick; it includes hrtime's own cost (~50 ns) and the publications that fall on a sample.
  const h = latencyHistogram();
  const base = t0ms + (warm + count) * dt;
  for (let k = 0; k < Math.min(count, 400_000); k++) {
    if ((k & 63) === 0) {
      const a = process.hrtime.bigint();
      engine.tick(idx[k], base + k * dt, bid[k], ask[k], bid[k]);
      h.recordValue(Math.max(1, Number(process.hrtime.bigint() - a)));
    } else engine.tick(idx[k], base + k * dt, bid[k], ask[k], bid[k]);
  }

  // Floor: the same positions touched per tick, one multiply-add each.
  const lists = engine.book.byInstrument.map((l) => Int32Array.from(l));
  const qty = engine.book.pQty;
  const value = new Float64Array(qty.length);
  const f0 = process.hrtime.bigint();
  for (let k = 0; k < count; k++) {
    const list = lists[idx[k]];
    const m = (bid[k] + ask[k]) * 0.5;
    for (let j = 0; j < list.length; j++) value[list[j]] += qty[list[j]] * m;
  }
  const floorNs = Number(process.hrtime.bigint() - f0);
  return {
    ticksPerSec: (count / ns) * 1e9,
    floorPerSec: (count / floorNs) * 1e9 + (value[0] === 1e300 ? 1 : 0),
    frames,
    positions: engine.book.positions,
    latency: percentiles(h, 'tick_to_exposure', 'ns'),
  };
}

export const engineCore: Scenario = {
  name: 'engine-core',
  description: 'engine alone: decoded ticks → marks, P&L, exposures; 10k positions over 1k and 10k instruments',
  async run({ quick, log }) {
    const count = quick ? 1_000_000 : 5_000_000;
    const a = runOne(1_000, 10_000, count);
    log(`1k instruments: ${(a.ticksPerSec / 1e6).toFixed(2)}M ticks/s (floor ${(a.floorPerSec / 1e6).toFixed(1)}M)`);
    const b = runOne(10_000, 10_000, count);
    log(`10k instruments: ${(b.ticksPerSec / 1e6).toFixed(2)}M ticks/s (floor ${(b.floorPerSec / 1e6).toFixed(1)}M)`);
    const metrics = {
      ticks_per_s_1k: a.ticksPerSec,
      ticks_per_s_10k: b.ticksPerSec,
      ...Object.fromEntries(Object.entries(a.latency).map(([k, v]) => [`${k}_1k`, v])),
      ...Object.fromEntries(Object.entries(b.latency).map(([k, v]) => [`${k}_10k`, v])),
    };
    return {
      params: {
        ticks: count,
        positions: 10_000,
        instruments: [1_000, 10_000],
        eventRate: EVENT_RATE,
        conflationMs: 100,
        framesPublished1k: a.frames,
      },
      metrics,
      baseline: {
        name: 'typed-array revalue floor',
        metrics: { ticks_per_s_1k: a.floorPerSec, ticks_per_s_10k: b.floorPerSec },
      },
      ratio: a.ticksPerSec / a.floorPerSec,
      targets: checkTargets(metrics, [{ metric: 'ticks_per_s_1k', op: '>=', value: 2_000_000 }]),
    };
  },
};
