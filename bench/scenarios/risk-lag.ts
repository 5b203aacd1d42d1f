// Event-loop lag while the demo engine rebuilds its scenario sets (a day roll of event time:
// historical window, Monte Carlo 1-day and 10-day sets of 10k scenarios, option rows re-priced,
// every position's vectors rebuilt), per backend. Measured by perf_hooks.monitorEventLoopDelay
// (resolution 1 ms) and a 1 ms setInterval probe (lateness of each firing). Limit in the same run:
// the idle loop measured the same way for as long.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { engineOptions } from '../../app/compose.js';
import { loadConfig } from '../../config/load.js';
import { Engine } from '../../engine/engine.js';
import type { BackendName } from '../../native/loader.js';
import { checkTargets, latencyHistogram, type Scenario } from '../harness.js';
import { cpuInfo, loadBackends } from './risk-common.js';

const T0 = Date.parse('2026-11-25T14:30:00Z');
const DAY = 86_400_000;

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** Lag p50/p99/max in ms while `work` runs (started one probe period in), and how long it ran. */
async function lagDuring(work: () => Promise<void>) {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const probe = latencyHistogram();
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    probe.recordValue(Math.max(1, Math.round((now - last - 1) * 1000)));
    last = now;
  }, 1);
  loop.enable();
  await sleep(20);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  await sleep(20);
  loop.disable();
  clearInterval(timer);
  return {
    ms,
    // monitorEventLoopDelay's values include its own 1 ms resolution; report the excess over it.
    loop: {
      p50: Math.max(0, loop.percentile(50) / 1e6 - 1),
      p99: Math.max(0, loop.percentile(99) / 1e6 - 1),
      max: Math.max(0, loop.max / 1e6 - 1),
    },
    probe: {
      p50: probe.getValueAtPercentile(50) / 1000,
      p99: probe.getValueAtPercentile(99) / 1000,
      max: probe.maxValue / 1000,
    },
  };
}

type Lag = Awaited<ReturnType<typeof lagDuring>>;

function flat(prefix: string, l: Lag): Record<string, number> {
  return {
    [`${prefix}_lag_p50_ms`]: l.loop.p50,
    [`${prefix}_lag_p99_ms`]: l.loop.p99,
    [`${prefix}_lag_max_ms`]: l.loop.max,
    [`${prefix}_probe_p99_ms`]: l.probe.p99,
    [`${prefix}_probe_max_ms`]: l.probe.max,
    [`${prefix}_rebuild_ms`]: l.ms,
  };
}

export const riskLag: Scenario = {
  name: 'risk-lag',
  description: 'event-loop lag while the demo engine rebuilds its scenario sets (day roll), per backend, vs idle loop',
  async run({ quick, log }) {
    const rolls = quick ? 1 : 3;
    const config = loadConfig();
    const metrics: Record<string, number> = {};
    const detail: Record<string, unknown> = {};
    let longest = 0;
    for (const name of ['ts', 'cpu', 'gpujs', 'cuda'] as BackendName[]) {
      const { loaded, skipped } = loadBackends([name]);
      if (!loaded.length) {
        detail[name] = skipped[name];
        continue;
      }
      const backend = loaded[0].backend;
      const engine = new Engine(engineOptions(config, backend, T0), () => {});
      await engine.settled(); // the first day's sets
      let day = T0;
      // Each roll is a full recomputation: every set rebuilt and every portfolio's vectors refilled.
      const lag = await lagDuring(async () => {
        for (let r = 0; r < rolls; r++) {
          day += DAY;
          engine.advanceTo(day);
          await engine.settled();
        }
      });
      longest = Math.max(longest, lag.ms);
      Object.assign(metrics, flat(name, lag));
      detail[name] = { backend: backend.detail, threads: backend.threads, rebuildMsPerRoll: lag.ms / rolls };
      log(
        `${name}: ${rolls} rebuild(s) in ${lag.ms.toFixed(0)} ms; lag p50 ${lag.loop.p50.toFixed(2)} ms, ` +
          `p99 ${lag.loop.p99.toFixed(1)} ms, max ${lag.loop.max.toFixed(1)} ms (probe max ${lag.probe.max.toFixed(1)} ms)`,
      );
    }
    const idle = await lagDuring(() => sleep(Math.max(1000, longest)));
    const base = flat('idle', idle);
    delete base.idle_rebuild_ms;
    log(
      `idle: lag p99 ${idle.loop.p99.toFixed(2)} ms, max ${idle.loop.max.toFixed(2)} ms over ${idle.ms.toFixed(0)} ms`,
    );
    return {
      params: {
        book: 'demo (config/)',
        instruments: config.instruments.length,
        positions: config.portfolios.reduce((n, p) => n + p.holdings.length, 0),
        methods: config.risk.methods,
        horizons: config.risk.horizons,
        scenarios: config.risk.monteCarlo.scenarios,
        rolls,
        monitorResolutionMs: 1,
        cpu: cpuInfo(),
        ...detail,
      },
      metrics,
      baseline: { name: 'idle event loop, same measurement (same run)', metrics: base },
      ratio: null,
      targets: checkTargets(metrics, [{ metric: 'cpu_lag_p99_ms', op: '<=', value: 10 }]),
    };
  },
};
