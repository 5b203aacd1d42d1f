// Streaming Monte Carlo VaR per tick (docs/risk.md; engine/risk/simulation.ts): a portfolio of
// 1,000 positions on 1,000 instruments with one 10,000-scenario set installed; each engine.tick,
// with the touched position applied at once (the engine defers it to the next risk read), moves
// the portfolio's P&L vectors by the position's change (one 10k row, plus the FX translation row
// for a non-USD instrument), timed one by one on one core; then the re-read
// (`measures`: currencies combined, VaR/ES by selection). Limit in the same run: a plain
// Float64Array axpy of one 10k row of a same-size matrix, the memory traffic a tick cannot avoid.

import type { BackendName } from '../../native/loader.js';
import { checkTargets, latencyHistogram, type Scenario } from '../harness.js';
import { BENCH_START } from '../universe.js';
import { cpuInfo, lcg, monteCarloEngine, monteCarloSettings } from './risk-common.js';

const POSITIONS = 1_000;
const SCENARIOS = 10_000;

const settings = monteCarloSettings(SCENARIOS, [0.95, 0.99]);

const us = (ns: number): number => ns / 1000;

function summary(h: ReturnType<typeof latencyHistogram>, prefix: string): Record<string, number> {
  return {
    [`${prefix}_p50_us`]: us(h.getValueAtPercentile(50)),
    [`${prefix}_p99_us`]: us(h.getValueAtPercentile(99)),
    [`${prefix}_max_us`]: us(h.maxValue),
  };
}

/** Ticks on random instruments, each moving its price by up to ±0.05 % (so every tick changes an exposure). */
function tickStream(prices: Float64Array, count: number) {
  const rnd = lcg(99);
  const px = Float64Array.from(prices);
  const idx = new Int32Array(count);
  const mid = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const i = Math.floor(rnd() * px.length);
    px[i] *= 1 + (rnd() - 0.5) * 0.001;
    idx[k] = i;
    mid[k] = px[i];
  }
  return { idx, mid };
}

async function runBackend(name: BackendName, ticks: number, reads: number) {
  const set = await monteCarloEngine(name, POSITIONS, settings);
  if ('skipped' in set) return { skipped: set.skipped };
  const { backend, u, engine, sim } = set;
  const { idx, mid } = tickStream(
    Float64Array.from(u.instruments, (i) => i.price),
    ticks * 2,
  );
  const dt = 0.001; // 1 µs of event time per tick: publications (every 100 ms) stay in the tail, as live
  let ts = BENCH_START + 1;
  for (let k = 0; k < ticks; k++, ts += dt) engine.tick(idx[k], ts, mid[k] * 0.9999, mid[k] * 1.0001, mid[k]);
  const h = latencyHistogram();
  for (let k = ticks; k < 2 * ticks; k++, ts += dt) {
    const a = process.hrtime.bigint();
    engine.tick(idx[k], ts, mid[k] * 0.9999, mid[k] * 1.0001, mid[k]);
    // The engine applies touched positions when the portfolio's risk is read; here after every tick.
    sim.applyTouched();
    h.recordValue(Math.max(1, Number(process.hrtime.bigint() - a)));
  }
  const r = latencyHistogram();
  for (let k = 0; k < reads; k++) {
    const a = process.hrtime.bigint();
    sim.measures(0);
    r.recordValue(Math.max(1, Number(process.hrtime.bigint() - a)));
  }
  const rowsPerTick = u.instruments.reduce((n, i) => n + (i.currency === 'USD' ? 1 : 2), 0) / u.instruments.length;
  return { backend: backend.detail, tick: summary(h, `${name}_tick`), read: summary(r, `${name}_read`), rowsPerTick };
}

/** The limit: y += a·x over one random 10k row of a (1,000 + currencies) × 10k matrix, timed like a tick. */
function axpyFloor(count: number) {
  const rows = POSITIONS + 5;
  const m = new Float64Array(rows * SCENARIOS);
  const rnd = lcg(5);
  for (let x = 0; x < m.length; x += 97) m[x] = rnd();
  const y = new Float64Array(SCENARIOS);
  const h = latencyHistogram();
  for (let k = 0; k < 2 * count; k++) {
    const off = Math.floor(rnd() * rows) * SCENARIOS;
    const w = rnd();
    const a = process.hrtime.bigint();
    for (let s = 0; s < SCENARIOS; s++) y[s] += w * m[off + s];
    if (k >= count) h.recordValue(Math.max(1, Number(process.hrtime.bigint() - a)));
  }
  return { metrics: summary(h, 'axpy_row'), checksum: y[0] };
}

export const riskIncremental: Scenario = {
  name: 'risk-incremental',
  description: 'per-tick streaming MC VaR update, 1k positions × 10k scenarios, one core, vs a 10k-row axpy',
  async run({ quick, log }) {
    const ticks = quick ? 20_000 : 200_000;
    const reads = quick ? 500 : 5_000;
    const metrics: Record<string, number> = {};
    const detail: Record<string, unknown> = {};
    for (const name of ['ts', 'cpu', 'gpujs', 'cuda'] as BackendName[]) {
      const r = await runBackend(name, ticks, reads);
      if ('skipped' in r) {
        detail[name] = r.skipped;
        continue;
      }
      Object.assign(metrics, r.tick, r.read);
      detail[name] = { backend: r.backend, rowsPerTick: r.rowsPerTick };
      log(
        `${name}: tick p50 ${r.tick[`${name}_tick_p50_us`].toFixed(1)} µs, p99 ${r.tick[`${name}_tick_p99_us`].toFixed(1)} µs; ` +
          `re-read p50 ${r.read[`${name}_read_p50_us`].toFixed(0)} µs (${r.rowsPerTick.toFixed(2)} rows per tick)`,
      );
    }
    const floor = axpyFloor(ticks / 4);
    const base = floor.metrics;
    log(`axpy of one 10k row: p50 ${base.axpy_row_p50_us.toFixed(1)} µs, p99 ${base.axpy_row_p99_us.toFixed(1)} µs`);
    return {
      params: {
        positions: POSITIONS,
        scenarios: SCENARIOS,
        sets: 1,
        threads: 1,
        ticksTimed: ticks,
        reads,
        cpu: cpuInfo(),
        ...detail,
      },
      metrics,
      baseline: { name: 'Float64Array axpy of one 10k-scenario row (same run)', metrics: base },
      ratio: metrics.cpu_tick_p99_us ? metrics.cpu_tick_p99_us / base.axpy_row_p99_us : null,
      targets: checkTargets(metrics, [{ metric: 'cpu_tick_p99_us', op: '<=', value: 50 }]),
    };
  },
};
