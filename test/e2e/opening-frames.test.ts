// The opening frames a user sees, through the real composition: `riskline start` (simulated market)
// and `riskline replay` of a file whose options never tick. Both publish the opening book as of the
// valuation time, with option exposures and VaR/ES equal to an independent closed form computed
// from the config (test/reference/delta-normal.ts), before any option or underlying has ticked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { startRiskline, type Running } from '../../app/compose.js';
import type { RisklineConfig } from '../../config/schema.js';
import type { Frame } from '../../engine/frames.js';
import { decodeEnvelope } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import { openingReference } from '../reference/delta-normal.js';
import { testConfig } from './helpers.js';

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

/** Each channel's first frame (seq 1) on a frame topic, read from the oldest retained record. */
async function firstFrames(running: Running, config: RisklineConfig, topic: string): Promise<Map<string, Frame>> {
  const name = config.topics.prefix + topic;
  const partitions = Array.from({ length: running.bus.partitions(name) }, (_, k) => k);
  const out = new Map<string, Frame>();
  await running.bus.readToEnd(name, partitions, (m) => {
    if (m.key.startsWith('checkpoint:')) return;
    const f = decodeEnvelope(m.value).body as Frame;
    if (f.seq === 1) out.set(f.channel, f);
  });
  return out;
}

/** What checkOpening asserts with (tap's Test). */
type Asserts = Pick<typeof t, 'same' | 'ok' | 'equal'>;

function checkOpening(t: Asserts, config: RisklineConfig, positions: Map<string, Frame>, risk: Map<string, Frame>) {
  for (const p of config.portfolios) {
    const pos = positions.get(`positions:${p.id}`)!;
    const ref = openingReference(config, pos.asOf).get(p.id)!;
    const rows = pos.data.rows as Record<string, { exposure: number }>;
    const wrong = [...ref.positions.values()].filter((r) => !close(rows[r.instrument].exposure, r.exposure, 1e-9));
    t.same(
      wrong.map((r) => r.instrument),
      [],
      `${p.id}: every opening exposure equals the closed form`,
    );
    const data = risk.get(`risk:${p.id}`)!.data as { var: Record<string, number>; es: Record<string, number> };
    t.equal(risk.get(`risk:${p.id}`)!.asOf, pos.asOf, `${p.id}: risk as of the same moment`);
    for (const label of Object.keys(ref.var)) {
      t.ok(close(data.var[label], ref.var[label], 1e-8), `${p.id} VaR${label} ${data.var[label]} ≈ ${ref.var[label]}`);
      t.ok(close(data.es[label], ref.es[label], 1e-8), `${p.id} ES${label} ${data.es[label]} ≈ ${ref.es[label]}`);
    }
  }
}

t.test('riskline start: the opening frames are the opening book at the valuation time', async (t) => {
  const config: RisklineConfig = { ...testConfig(), roles: ['feed', 'engine'] };
  const before = Date.now();
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }) });
  t.teardown(() => running.close());
  const positions = await firstFrames(running, config, TOPIC.positions);
  const risk = await firstFrames(running, config, TOPIC.risk);
  const asOf = positions.get(`positions:${config.portfolios[0].id}`)!.asOf;
  t.ok(asOf >= before && asOf <= Date.now(), 'valued at the wall clock at start (the simulator starts there)');
  checkOpening(t, config, positions, risk);
});

t.test("riskline replay of a file whose options never tick: the same, at the file's first event", async (t) => {
  const config: RisklineConfig = { ...testConfig(), roles: ['feed', 'engine'] };
  const underlyings = new Set(config.instruments.flatMap((i) => (i.kind === 'option' ? [i.underlying] : [])));
  const quiet = config.instruments.find((i) => i.kind === 'equity' && !underlyings.has(i.id))!;
  const T = Date.parse('2026-12-01T14:30:00Z');
  const file = join(t.testdir({}), 'quiet.ndjson');
  const ticks = [0, 250, 500].map((d) =>
    JSON.stringify({ instrument: quiet.id, ts: T + d, bid: quiet.price, ask: quiet.price, last: quiet.price }),
  );
  writeFileSync(file, ticks.join('\n') + '\n');
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }), replay: { file, speed: Infinity } });
  t.teardown(() => running.close());
  await running.feed!.done;
  await running.bus.settled();
  const positions = await firstFrames(running, config, TOPIC.positions);
  const risk = await firstFrames(running, config, TOPIC.risk);
  t.equal(positions.get(`positions:${config.portfolios[0].id}`)!.asOf, T, "valued at the file's first event");
  checkOpening(t, config, positions, risk);
});
