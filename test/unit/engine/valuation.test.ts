// The opening book is valued at the stated valuation time, not at event time 0: option exposures
// and VaR/ES of the first frames equal an independent closed-form computation from the config,
// although no option and no underlying has ticked. Also: what a tick older than the clock does,
// and that every frame says which inputs it reflects.
import t from 'tap';
import { loadConfig } from '../../../config/load.js';
import { Engine } from '../../../engine/engine.js';
import { decodeFrame, type Frame } from '../../../engine/frames.js';
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { engineOptions } from '../../../app/compose.js';
import { openingReference } from '../../reference/delta-normal.js';

const config = loadConfig({ env: {} });
const T = Date.parse('2026-12-01T14:30:00Z');
const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

/** An equity nothing else is priced off: ticking it moves no option, no FX rate. */
function quietEquity(): { id: string; price: number } {
  const underlyings = new Set(config.instruments.flatMap((i) => (i.kind === 'option' ? [i.underlying] : [])));
  const i = config.instruments.find((x) => x.kind === 'equity' && !underlyings.has(x.id))!;
  return { id: i.id, price: i.price };
}

async function openingFrames(): Promise<{ engine: Engine; frames: Frame[] }> {
  const frames: Frame[] = [];
  const engine = new Engine(engineOptions(config, tsBackend, T), (fs) => frames.push(...fs.map((f) => decodeFrame(f))));
  // Inputs wait for the valuation day's scenario sets; the frames are the same either way.
  await engine.settled();
  const q = quietEquity();
  // The first input publishes the book as of the inputs before it: the opening book, at T.
  engine.tick(engine.instrumentIndex(q.id), T + 5, q.price, q.price, q.price);
  await engine.settled();
  return { engine, frames };
}

t.test('opening frames value options at the valuation time (closed form from the config)', async (t) => {
  const { frames } = await openingFrames();
  const reference = openingReference(config, T);
  let options = 0;
  for (const [portfolio, ref] of reference) {
    const positions = frames.find((f) => f.channel === `positions:${portfolio}`)!;
    t.equal(positions.asOf, T, `${portfolio}: the opening snapshot is as of the valuation time`);
    const rows = positions.data.rows as Record<string, { exposure: number; qty: number }>;
    for (const [id, want] of ref.positions) {
      const row = rows[id];
      if (!close(row.exposure, want.exposure))
        t.fail(`${portfolio} ${id}: exposure ${row.exposure}, closed form ${want.exposure}`);
      if (config.instruments.find((i) => i.id === id)!.kind === 'option') options++;
    }
    const risk = frames.find((f) => f.channel === `risk:${portfolio}`)!;
    const data = risk.data as { var: Record<string, number>; es: Record<string, number> };
    // 1e-8: the engine's normal quantile is a rational approximation good to about 1e-9.
    for (const label of Object.keys(ref.var)) {
      t.ok(
        close(data.var[label], ref.var[label], 1e-8),
        `${portfolio} VaR${label} ${data.var[label]} = ${ref.var[label]}`,
      );
      t.ok(close(data.es[label], ref.es[label], 1e-8), `${portfolio} ES${label} ${data.es[label]} = ${ref.es[label]}`);
    }
  }
  t.ok(options > 50, `option rows checked: ${options}`);
});

t.test('every frame carries inputSeq; a risk frame names the state it was computed on', async (t) => {
  const { engine, frames } = await openingFrames();
  for (const f of frames) t.equal(typeof f.inputSeq, 'number', `${f.channel}#${f.seq} has inputSeq`);
  t.ok(
    frames.every((f) => f.inputSeq === 0),
    'the opening frames reflect no input',
  );
  // Trade and tick, then let a risk interval pass: the new risk frame's basis is the last state frames.
  const port = config.portfolios[0].id;
  const holding = config.portfolios[0].holdings[0];
  const inst = config.instruments.find((i) => i.id === holding.instrument)!;
  engine.execute({
    id: 'V1',
    portfolio: port,
    instrument: inst.id,
    side: 'buy',
    qty: 10,
    price: inst.price,
    ts: T + 10,
  });
  const i = engine.instrumentIndex(inst.id);
  engine.tick(i, T + 20, inst.price * 1.01, inst.price * 1.01, inst.price * 1.01);
  frames.length = 0;
  engine.advanceTo(T + 5000);
  await engine.settled();
  const risk = frames.find((f) => f.channel === `risk:${port}`)!;
  t.ok(risk, 'a risk frame after the interval');
  const basis = (risk.data as { basis: { positions: number; exposures: number } }).basis;
  const last = (channel: string) =>
    Math.max(
      ...frames.filter((f) => f.channel === channel && frames.indexOf(f) < frames.indexOf(risk)).map((f) => f.seq),
    );
  t.equal(basis.positions, last(`positions:${port}`), 'basis names the newest positions frame before it');
  t.equal(basis.exposures, last(`exposures:${port}`), 'basis names the newest exposures frame before it');
  const moment = frames.filter((f) => f.channel.endsWith(`:${port}`));
  t.ok(
    moment.every((f) => f.inputSeq === engine.stats.inputSeq),
    'one publication, one inputSeq',
  );
  t.equal(engine.stats.inputSeq, 3, 'two ticks and one execution');
});

t.test("a tick older than its instrument's newest mark is refused; older than the clock, applied", async (t) => {
  const { engine } = await openingFrames();
  const q = quietEquity();
  const i = engine.instrumentIndex(q.id);
  t.equal(engine.tick(i, T + 3, q.price * 2, q.price * 2, q.price * 2), false, 'stale: refused');
  t.equal(engine.stats.staleTicks, 1, 'and counted');
  t.equal(engine.book.mark[i], q.price, 'the newer mark stands');
  const other = config.instruments.find((x) => x.kind === 'equity' && x.id !== q.id)!;
  const k = engine.instrumentIndex(other.id);
  engine.tick(engine.instrumentIndex(q.id), T + 100, q.price, q.price, q.price);
  t.equal(
    engine.tick(k, T + 50, other.price * 1.1, other.price * 1.1, other.price * 1.1),
    true,
    'older than the clock, newest for its instrument',
  );
  t.equal(engine.book.now, T + 100, 'the clock never moves backwards');
  t.ok(close(engine.book.mark[k], other.price * 1.1), 'its mark applies');
  t.equal(engine.stats.inputSeq, 4, 'a refused tick still counts as an input');
});
