import t from 'tap';
import { Engine } from '../../../engine/engine.js';
import { applyFrame, decodeFrame, type EncodedFrame, type Frame } from '../../../engine/frames.js';
import { decodeEnvelope, encodeFrameEnvelope, writeFrameEnvelopeHeader } from '../../../streams/envelope.js';
import { applyInputs, engineOptions, seededInputs } from './fixtures.js';

const T0 = Date.parse('2026-11-25T14:00:00Z');

/** A seeded input sequence: ticks on every instrument with some executions between them. */
function drive(engine: Engine, steps: number): void {
  applyInputs(engine, seededInputs({ n: steps, seed: 11, execShare: 0.05, maxStepMs: 7, vol: 0.002 }));
  engine.flush();
}

function run(steps: number): Frame[] {
  const frames: Frame[] = [];
  const engine = new Engine(engineOptions(), (fs) => frames.push(...fs.map((f) => decodeFrame(f))));
  drive(engine, steps);
  return frames;
}

t.test('first frames are snapshots; then seq rises by one per channel', async (t) => {
  const frames = run(5000);
  const seqs = new Map<string, number>();
  for (const f of frames) {
    const prev = seqs.get(f.channel) ?? 0;
    t.equal(f.seq, prev + 1, `${f.channel} consecutive`);
    if (prev === 0) t.equal(f.type, 'snapshot', `${f.channel} starts with a snapshot`);
    seqs.set(f.channel, f.seq);
  }
  for (const ch of [
    'positions:P-USD',
    'positions:P-EUR',
    'exposures:P-USD',
    'exposures:P-EUR',
    'risk:P-USD',
    'risk:P-EUR',
  ]) {
    t.ok((seqs.get(ch) ?? 0) > 3, `${ch} published several frames`);
  }
});

t.test('asOf is the event time of the newest input reflected, and never goes back', async (t) => {
  const frames = run(3000);
  let last = 0;
  for (const f of frames) {
    t.ok(f.asOf >= last);
    last = f.asOf;
  }
  t.ok(last >= T0);
});

t.test('the same inputs give the same frames, bit for bit', async (t) => {
  const a = JSON.stringify(run(4000));
  const b = JSON.stringify(run(4000));
  t.equal(a, b);
  t.not(JSON.stringify(run(3999)), a);
});

t.test('updates applied in order rebuild exactly the state a snapshot publishes', async (t) => {
  const frames: Frame[] = [];
  const engine = new Engine(engineOptions({ snapshotEveryMs: 1e12 }), (fs) =>
    frames.push(...fs.map((f) => decodeFrame(f))),
  );
  drive(engine, 4000);
  const state = new Map<string, Record<string, unknown>>();
  for (const f of frames) state.set(f.channel, applyFrame(state.get(f.channel), f));
  const before = frames.length;
  engine.publishSnapshots();
  const snaps = frames.slice(before).filter((f) => f.type === 'snapshot');
  t.ok(snaps.length >= 4);
  for (const s of snaps) t.same(state.get(s.channel), s.data, `${s.channel} deltas add up to the snapshot`);
  // An update's rows carry only what changed: a tick moves the mark, never the quantity or its cost.
  const rows = frames
    .filter((f) => f.type === 'update' && f.channel.startsWith('positions:'))
    .flatMap((f) => Object.values((f.data as { rows: Record<string, Record<string, number>> }).rows));
  t.ok(rows.length > 100, `${rows.length} update rows`);
  t.ok(
    rows.every((r) => Object.keys(r).length >= 1),
    'no empty row',
  );
  const partial = rows.filter((r) => !('qty' in r));
  t.ok(partial.length > rows.length / 2, `${partial.length} rows without qty or avgCost: moved by ticks`);
  t.ok(
    partial.every((r) => !('instrument' in r)),
    'only a row new to the channel is whole',
  );
});

t.test("owned rows (the gateway's store) merge in place to the same state, and never touch a frame", async (t) => {
  const frames: Frame[] = [];
  const engine = new Engine(engineOptions({ snapshotEveryMs: 2000 }), (fs) =>
    frames.push(...fs.map((f) => decodeFrame(f))),
  );
  drive(engine, 4000);
  const frozen = (v: unknown): unknown => {
    if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) frozen(x);
      Object.freeze(v);
    }
    return v;
  };
  const shared = new Map<string, Record<string, unknown>>();
  const owned = new Map<string, Record<string, unknown>>();
  let snapshots = 0;
  for (const f of frames) {
    frozen(f.data); // a write into any frame's object throws
    shared.set(f.channel, applyFrame(shared.get(f.channel), f));
    owned.set(f.channel, applyFrame(owned.get(f.channel), f, true));
    if (f.type === 'snapshot') snapshots++;
  }
  t.ok(snapshots > 8, `${snapshots} snapshots among ${frames.length} frames`);
  for (const [channel, state] of owned) t.same(state, shared.get(channel), `${channel}: the same state`);
});

t.test('risk frames name method, backend, levels and input sequence', async (t) => {
  const frames = run(3000).filter((f) => f.channel === 'risk:P-USD');
  const last = frames.at(-1)!.data as Record<string, unknown> & {
    var: Record<string, number>;
    es: Record<string, number>;
  };
  t.equal(last.method, 'parametric');
  t.equal(last.backend, 'ts');
  t.same(last.confidence, [0.95, 0.99]);
  t.ok(last.var['99'] > last.var['95'] && last.var['95'] > 0);
  t.ok(last.es['99'] > last.var['99'], 'ES beyond VaR');
  t.ok((last.inputSeq as number) > 0);
});

t.test('limit breaches raise one alert and one clearance, not one per tick', async (t) => {
  const frames: Frame[] = [];
  const engine = new Engine(
    engineOptions({
      limits: [{ id: 'gross-cap', portfolio: 'P-USD', metric: 'gross', max: 1, severity: 'critical' }],
    }),
    (fs) => frames.push(...fs.map((f) => decodeFrame(f))),
  );
  drive(engine, 3000);
  // Every position closed: gross exposure falls to 0, back within the limit.
  const port = engine.portfolioIndex('P-USD');
  let ts = engine.book.now;
  for (const [instrument, qty, price] of engine.checkpoint(port).positions)
    if (qty !== 0)
      engine.execute({
        id: `flat-${instrument}`,
        portfolio: 'P-USD',
        instrument,
        side: qty > 0 ? 'sell' : 'buy',
        qty: Math.abs(qty),
        price,
        ts: ++ts,
      });
  engine.advanceTo(ts + 1000);

  const alerts = frames.filter((f) => f.channel === 'alerts:P-USD');
  const data = alerts.map(
    (f) => f.data as { id: string; state: string; severity: string; limit: string; message: string },
  );
  t.same(
    data.map((a) => [a.id, a.state, a.severity, a.limit]),
    [
      ['gross-cap:P-USD:1:raise', 'breached', 'critical', 'gross-cap'],
      ['gross-cap:P-USD:1:clear', 'cleared', 'info', 'gross-cap'],
    ],
    'one alert, then one clearance',
  );
  t.match(data[0].message, /gross .* above max/);
  t.match(data[1].message, /gross 0\.00 back within 1\.00/);
  const between = frames.filter(
    (f) => f.channel === 'positions:P-USD' && f.asOf > alerts[0].asOf && f.asOf < alerts[1].asOf,
  );
  t.ok(between.length > 10, `${between.length} publications while breached, no alert among them`);
});

t.test('large portfolios publish in several units that still add up to the snapshot', async (t) => {
  const { benchUniverse, BENCH_FACTORS, BENCH_CORRELATIONS } = await import('../../../bench/universe.js');
  const { UNIT_SIZE } = await import('../../../engine/book.js');
  const u = benchUniverse(300, 6000);
  const frames: Frame[] = [];
  const engine = new Engine(
    engineOptions({
      instruments: u.instruments,
      portfolios: u.portfolios,
      market: { factors: BENCH_FACTORS, correlations: BENCH_CORRELATIONS },
      snapshotEveryMs: 1e12,
    }),
    (fs) => frames.push(...fs.map((f) => decodeFrame(f))),
  );
  t.ok(engine.book.portfolioPositions[0].length > 2 * UNIT_SIZE, 'several units per portfolio');
  let ts = T0;
  for (let k = 0; k < 50_000; k++) {
    const i = (k * 7919) % u.instruments.length;
    const m = u.instruments[i].price * (1 + ((k % 13) - 6) * 1e-4);
    engine.tick(i, (ts += 0.5), m * 0.9999, m * 1.0001, m);
  }
  engine.flush();
  const perInterval = new Map<number, number>();
  const state = new Map<string, Record<string, unknown>>();
  const seq = new Map<string, number>();
  for (const f of frames) {
    t.equal(f.seq, (seq.get(f.channel) ?? 0) + 1);
    seq.set(f.channel, f.seq);
    state.set(f.channel, applyFrame(state.get(f.channel), f));
    if (f.channel === 'positions:B0')
      perInterval.set(Math.floor(f.asOf / 100), (perInterval.get(Math.floor(f.asOf / 100)) ?? 0) + 1);
  }
  t.ok(
    [...perInterval.values()].some((n) => n > 1),
    'a portfolio publishes in more than one frame per interval',
  );
  const before = frames.length;
  engine.publishSnapshots();
  for (const s of frames.slice(before).filter((f) => f.type === 'snapshot'))
    t.same(state.get(s.channel), s.data, `${s.channel} adds up`);
});

t.test('a frame prefix: the same frames, each behind its envelope header in one buffer', async (t) => {
  const plain: Uint8Array[] = [];
  drive(new Engine(engineOptions(), (fs) => plain.push(...fs.map((f) => f.bytes))), 3000);
  const wrapped: EncodedFrame[] = [];
  let seq = 0;
  const risky = (channel: string) => channel.startsWith('risk:');
  drive(
    new Engine(
      engineOptions(),
      (fs) => wrapped.push(...fs),
      // Risk frames left unwrapped, as a JSON-codec topic's would be.
      (w, channel, asOf) => (risky(channel) ? false : (writeFrameEnvelopeHeader(w, 'src-1', ++seq, asOf), true)),
    ),
    3000,
  );
  t.equal(wrapped.length, plain.length, 'as many frames');
  t.same(
    wrapped.map((f) => [...f.bytes]),
    plain.map((b) => [...b]),
    'byte for byte the frames written without a prefix',
  );
  let checked = 0;
  for (const f of wrapped) {
    if (risky(f.channel)) {
      t.equal(f.wrapped, undefined, 'no prefix, nothing wrapped');
      continue;
    }
    const env = decodeEnvelope(f.wrapped!);
    // The envelope encodeFrameEnvelope would have written, with the seq the prefix gave it.
    t.same(f.wrapped, encodeFrameEnvelope('src-1', env.seq, f), 'the bytes encodeFrameEnvelope writes');
    t.equal(f.bytes.buffer, f.wrapped!.buffer, 'the frame is a view of the envelope: one copy');
    checked++;
  }
  t.ok(checked > 10);
});
