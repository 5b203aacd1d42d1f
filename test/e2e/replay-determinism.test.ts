// One file gives one set of frames: a replay at --speed 1 and the same replay as fast as possible
// publish identical frames (digests of every frame, in order), because event time moves only with
// the file's inputs (heartbeats inside quiet gaps are made from the file) and the feed settles the
// bus between event times, so the engine applies the file in its order at any speed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { startRiskline } from '../../app/compose.js';
import type { RisklineConfig } from '../../config/schema.js';
import { CounterRng } from '../../maths/random.js';
import { testConfig } from './helpers.js';

const config: RisklineConfig = { ...testConfig(), roles: ['feed', 'engine'] };
const dir = t.testdir({});
const T0 = Date.parse('2026-11-25T14:30:00Z');

/** ~2.4 s of event time: ticks on 40 instruments (options' underlyings and FX among them), a few trades, a 900 ms gap. */
function writeReplay(file: string): void {
  const rng = new CounterRng(7);
  const names = config.instruments.filter((i) => i.kind !== 'option').slice(0, 40);
  const lines: string[] = [];
  let ts = T0;
  for (let k = 0; k < 1500; k++) {
    ts += k === 700 ? 900 : Math.floor(rng.uniform() * 2);
    const inst = names[Math.floor(rng.uniform() * names.length)];
    const mid = inst.price * (1 + (rng.uniform() - 0.5) * 0.01);
    lines.push(JSON.stringify({ instrument: inst.id, ts, bid: mid * 0.9999, ask: mid * 1.0001, last: mid }));
    if (k % 150 === 75) {
      const p = config.portfolios[k % config.portfolios.length];
      const h = p.holdings[k % p.holdings.length];
      const side = k % 300 === 75 ? 'buy' : 'sell';
      lines.push(
        JSON.stringify({
          type: 'execution',
          id: `D${k}`,
          portfolio: p.id,
          instrument: h.instrument,
          side,
          qty: 7,
          price: h.price,
          ts,
        }),
      );
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

async function replayFrames(file: string, speed: number, record: string): Promise<string[]> {
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }), record, replay: { file, speed } });
  await running.feed!.done;
  await running.bus.settled();
  await running.close();
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"frame"'));
}

t.test('a replay at speed 1 and at max gives identical frames', async (t) => {
  const file = join(dir, 'market.ndjson');
  writeReplay(file);
  const slow = await replayFrames(file, 1, join(dir, 'slow.ndjson'));
  const fast = await replayFrames(file, Infinity, join(dir, 'fast.ndjson'));
  t.ok(slow.length > 200, `frames published: ${slow.length}`);
  t.equal(fast.length, slow.length, 'as many frames');
  const first = slow.findIndex((l, k) => l !== fast[k]);
  t.equal(
    first,
    -1,
    first < 0 ? 'every frame identical' : `first difference at frame ${first}: ${slow[first]} / ${fast[first]}`,
  );
  const firstTs = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]).ts;
  const start = JSON.parse(readFileSync(join(dir, 'fast.ndjson'), 'utf8').split('\n')[1]);
  t.same(start, { type: 'start', ts: firstTs }, "the recording starts at the valuation time: the file's first event");
});
