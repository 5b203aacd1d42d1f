// Simulator → in-process bus (msgpack `ticks` envelopes) → engine role → live book, end to end.
// Throughput: as fast as the pipeline goes. Latency: at a paced 100k ticks/s, from the feed handing
// a batch to the bus to the engine having applied it (exposures current); the conflation delay
// before frames go out is a setting (reported in params), not part of this figure.
// Baseline, same run: msgpack decode alone of the same envelopes — the ceiling of any consumer.

import { decodeEnvelope } from '../../streams/envelope.js';
import { createInProcessBus } from '../../streams/inprocess.js';
import { checkTargets, type Scenario } from '../harness.js';
import { BATCH, benchTopics, measurePaced, measureThroughput, PARTITIONS } from '../pipeline.js';

const bus = () => createInProcessBus({ queueCapacity: 4096, maxBatch: 256 });

async function pipeline(ticks: number) {
  const a = await measureThroughput(bus(), benchTopics('bench.'), ticks, { window: 1, drainOutputs: true });
  // Ceiling: decoding the same envelopes, nothing else.
  let decoded = 0;
  const d0 = process.hrtime.bigint();
  for (let rep = 0; rep < 20; rep++)
    for (const m of a.records.slice(0, 2048)) decoded += (decodeEnvelope(m.value).body as unknown[]).length;
  const decodeNs = Number(process.hrtime.bigint() - d0);
  return { ticksPerSec: a.ticksPerSec, decodePerSec: (decoded / decodeNs) * 1e9 };
}

const paced = (seconds: number, rate: number) =>
  measurePaced(bus(), benchTopics('bench.'), seconds, rate, { drainOutputs: true });

export const busPipeline: Scenario = {
  name: 'bus-pipeline',
  description: 'simulator → in-process bus (msgpack envelopes) → engine; 10k positions over 1k instruments',
  async run({ quick, log }) {
    const ticks = quick ? 2_000_000 : 10_000_000;
    const a = await pipeline(ticks);
    log(
      `throughput ${(a.ticksPerSec / 1e6).toFixed(2)}M ticks/s end to end; msgpack decode alone ${(a.decodePerSec / 1e6).toFixed(2)}M/s`,
    );
    const b = await paced(quick ? 5 : 30, 100_000);
    log(
      `at 100k ticks/s: p99 ${b.latency.tick_to_state_p99_us} µs (achieved ${(b.achievedRate / 1e3).toFixed(0)}k ticks/s)`,
    );
    const metrics = { ticks_per_s: a.ticksPerSec, paced_ticks_per_s: b.achievedRate, ...b.latency };
    return {
      params: {
        ticks,
        instruments: 1_000,
        positions: 10_000,
        partitions: PARTITIONS,
        batchSize: BATCH,
        pacedRate: 100_000,
        conflationMs: 100,
      },
      metrics,
      baseline: { name: 'msgpack decode of the same envelopes', metrics: { ticks_per_s: a.decodePerSec } },
      ratio: a.ticksPerSec / a.decodePerSec,
      targets: checkTargets(metrics, [
        { metric: 'ticks_per_s', op: '>=', value: 1_000_000 },
        { metric: 'tick_to_state_p99_us', op: '<=', value: 1000 },
      ]),
    };
  },
};
