// The pre-trade check alone (engine/pretrade.ts), VaR impact included: a portfolio of 1,000
// positions with one 10,000-scenario Monte Carlo set installed, random linear orders (an equity of
// the book, a random signed quantity), each timed from the order to the verdict: the engine's
// pre-trade view (the router's path: VaR and ES before and after, docs/risk.md) and the seven
// checks, on one core. Limit in
// the same run: one risk read of the same portfolio (`measures`: the VaR/ES selection over the
// 10k scenarios), which a what-if has to do twice.

import { pretrade, type PretradeLimits } from '../../engine/pretrade.js';
import type { BackendName } from '../../native/loader.js';
import { checkTargets, latencyHistogram, type Scenario } from '../harness.js';
import { cpuInfo, lcg, monteCarloEngine, monteCarloSettings } from './risk-common.js';

const POSITIONS = 1_000;
const SCENARIOS = 10_000;

const settings = monteCarloSettings(SCENARIOS, [0.99]);

const LIMITS: PretradeLimits = {
  restricted: new Set(['EQ13']),
  maxQuantity: 1e6,
  maxNotional: 1e9,
  collarPct: 0.05,
  maxPosition: 1e7,
  maxGross: Infinity,
  maxIncrementalVar: Infinity,
  maxVar: Infinity,
};

const summary = (h: ReturnType<typeof latencyHistogram>, prefix: string): Record<string, number> => ({
  [`${prefix}_p50_us`]: h.getValueAtPercentile(50) / 1000,
  [`${prefix}_p99_us`]: h.getValueAtPercentile(99) / 1000,
  [`${prefix}_max_us`]: h.maxValue / 1000,
});

async function runBackend(name: BackendName, orders: number) {
  const set = await monteCarloEngine(name, POSITIONS, settings);
  if ('skipped' in set) return { skipped: set.skipped };
  const { backend, u, engine, sim } = set;
  const portfolio = u.portfolios[0].id;
  const equities = u.instruments.filter((i) => i.kind === 'equity');
  const rnd = lcg(11);
  const check = latencyHistogram();
  const read = latencyHistogram();
  let refused = 0;
  for (let k = 0; k < 2 * orders; k++) {
    const inst = equities[Math.floor(rnd() * equities.length)];
    const qty = Math.round((rnd() - 0.5) * 2000) || 1;
    const a = process.hrtime.bigint();
    // The router's path: the engine's pre-trade view (mark, position, gross, VaR 99 % 1-day before
    // and after from one set), then the seven checks.
    const view = engine.pretradeView(portfolio, inst.id, qty);
    const r = pretrade({ portfolio, instrument: inst.id, qty, price: inst.price * 1.001 }, view, LIMITS);
    if (!r.ok) refused++;
    const b = process.hrtime.bigint();
    sim.measures(0);
    const c = process.hrtime.bigint();
    if (k < orders) continue; // the first half warms the JIT
    check.recordValue(Math.max(1, Number(b - a)));
    read.recordValue(Math.max(1, Number(c - b)));
  }
  return {
    backend: backend.detail,
    check: summary(check, `${name}_pretrade`),
    read: summary(read, `${name}_read`),
    refused,
  };
}

export const pretradeBench: Scenario = {
  name: 'pretrade',
  description: 'pre-trade check with the VaR impact of a linear order, 1k positions × 10k scenarios, one core',
  async run({ quick, log }) {
    const orders = quick ? 500 : 5_000;
    const metrics: Record<string, number> = {};
    const base: Record<string, number> = {};
    const detail: Record<string, unknown> = {};
    for (const name of ['ts', 'cpu'] as BackendName[]) {
      const r = await runBackend(name, orders);
      if ('skipped' in r) {
        detail[name] = r.skipped;
        continue;
      }
      Object.assign(metrics, r.check);
      Object.assign(base, r.read);
      detail[name] = { backend: r.backend, refusedByRestrictedList: r.refused };
      log(
        `${name}: pre-trade p50 ${r.check[`${name}_pretrade_p50_us`].toFixed(1)} µs, p99 ${r.check[`${name}_pretrade_p99_us`].toFixed(1)} µs; ` +
          `one risk read p50 ${r.read[`${name}_read_p50_us`].toFixed(1)} µs`,
      );
    }
    return {
      params: {
        positions: POSITIONS,
        scenarios: SCENARIOS,
        ordersTimed: orders,
        threads: 1,
        cpu: cpuInfo(),
        ...detail,
      },
      metrics,
      baseline: {
        name: 'one risk read of the same portfolio (VaR/ES selection over 10k scenarios), same run',
        metrics: base,
      },
      ratio:
        metrics.cpu_pretrade_p99_us && base.cpu_read_p99_us ? metrics.cpu_pretrade_p99_us / base.cpu_read_p99_us : null,
      targets: checkTargets(metrics, [{ metric: 'cpu_pretrade_p99_us', op: '<=', value: 100 }]),
    };
  },
};
