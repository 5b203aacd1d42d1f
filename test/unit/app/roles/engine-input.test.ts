// The engine role's input part: records of every form into engine calls, and every way a record
// can be bad into the DLQ with its reason, while the good records (and good ticks of a batch) apply.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DeadLetters } from '../../../../app/roles/dead-letters.js';
import { InputApplier, type InputOptions } from '../../../../app/roles/engine-input.js';
import { Recorder } from '../../../../app/recorder.js';
import type { EncodedFrame } from '../../../../engine/frames.js';
import type { BusMessage, ConsumedMessage } from '../../../../streams/bus.js';
import { DLQ_HEADERS } from '../../../../streams/dlq.js';
import { decodeEnvelope, encodeEnvelope } from '../../../../streams/envelope.js';
import { env, EXECUTIONS, newEngine, record, silent, T0, TICKS } from './fixtures.js';

/** An input part on a fresh engine; its DLQ records and applied-callbacks collected. */
function input(o: Partial<InputOptions> = {}) {
  const frames: EncodedFrame[] = [];
  const engine = newEngine((fs) => void frames.push(...fs));
  const dlq: BusMessage[] = [];
  const applied: [ConsumedMessage, number][] = [];
  const deadLetters = new DeadLetters(() => dlq, silent);
  const applier = new InputApplier({
    engine,
    executionsTopic: EXECUTIONS,
    deadLetters,
    admits: () => true,
    onApplied: (m, n) => void applied.push([m, n]),
    ...o,
  });
  const reason = (k: number) => [dlq[k].headers?.[DLQ_HEADERS.code], dlq[k].headers?.[DLQ_HEADERS.reason]];
  return { engine, applier, dlq, applied, deadLetters, reason, frames };
}

const exec = (id: string, qty: number, portfolio = 'GLOBAL-MACRO') => ({
  id,
  portfolio,
  instrument: 'MSFT',
  side: 'buy',
  qty,
  price: 400,
  ts: T0 + 1000,
});

t.test('a msgpack ticks batch: every tick applied, its count reported, event time moved', async (t) => {
  const { engine, applier, applied, dlq } = input();
  const aapl = engine.instrumentIndex('AAPL');
  const m = record(
    TICKS,
    env('ticks', [
      ['AAPL', T0 + 10, 250, 250.2, 250.1],
      ['MSFT', T0 + 20, 400, 400.4, 400.2],
    ]),
  );
  t.equal(applier.apply(m), -1, 'ticks change no portfolio by themselves');
  t.equal(engine.book.mark[aapl], 250.1);
  t.equal(engine.stats.ticks, 2);
  t.same(applied, [[m, 2]]);
  t.equal(applier.lastInputTs, T0 + 20);
  t.equal(dlq.length, 0);
});

t.test('one bad tick of a batch is dead-lettered alone, as a JSON tick with its reason', async (t) => {
  for (const codec of ['msgpack', 'json'] as const) {
    const { engine, applier, dlq, reason } = input();
    const m = record(
      TICKS,
      env(
        'ticks',
        [
          ['AAPL', T0 + 1, 250, 250.2, 250.1],
          ['AAPL', T0 + 2, 'oops', 250.2, 250.1],
          ['NOPE', T0 + 3, 1, 2, 1.5],
          ['MSFT', T0 + 4, 400, 400.4, 400.2],
        ],
        codec,
      ),
      17,
    );
    applier.apply(m);
    t.equal(engine.stats.ticks, 2, `${codec}: the two good ticks applied`);
    t.equal(dlq.length, 2, `${codec}: the two bad ones dead-lettered`);
    t.match(reason(0), ['INVALID_TICK', /ticks\[1\]: bid: expected/]);
    t.match(reason(1), ['UNKNOWN_INSTRUMENT', /ticks\[2\]: unknown instrument "NOPE"/]);
    t.same(decodeEnvelope(dlq[0].value, 'json').body, ['AAPL', T0 + 2, 'oops', 250.2, 250.1], 'the tuple itself');
    t.equal(dlq[0].headers?.[DLQ_HEADERS.offset], '17', 'named by the record it came in');
  }
});

t.test('single ticks, JSON or msgpack, and their bad forms', async (t) => {
  const { engine, applier, dlq, reason } = input();
  const aapl = engine.instrumentIndex('AAPL');
  applier.apply(record(TICKS, env('tick', { instrument: 'AAPL', ts: T0 + 5, bid: 251, ask: 251.2 }, 'json')));
  t.equal(engine.book.mark[aapl], 251.1, 'last defaults to the mid');
  applier.apply(record(TICKS, env('tick', { instrument: 'NOPE', ts: T0 + 6, bid: 1, ask: 2 })));
  applier.apply(record(TICKS, new TextEncoder().encode('not an envelope')));
  applier.apply(record(TICKS, encodeEnvelope({ v: 9, type: 'tick', src: 'x', ts: T0, seq: 1, body: {} })));
  applier.apply(record(TICKS, env('ticks', { not: 'an array' }, 'json')));
  t.match(reason(0), ['UNKNOWN_INSTRUMENT', /unknown instrument "NOPE"/]);
  t.match(reason(1), ['DECODE_FAILED', /not valid msgpack/]);
  t.match(reason(2), ['UNSUPPORTED_VERSION', /v=9/]);
  t.match(reason(3), ['INVALID_TICK', /ticks body must be an array/]);
  t.same(
    dlq.map((m) => m.value.length > 0),
    [true, true, true, true],
    'whole records are kept as they came',
  );
});

t.test('executions: applied on their topic when admitted, returning their portfolio', async (t) => {
  const admitted: [number, number][] = [];
  let admit = true;
  const { engine, applier, dlq, reason } = input({
    admits: (port, m) => (admitted.push([port, m.offset]), admit),
  });
  const port = engine.portfolioIndex('GLOBAL-MACRO');
  const pos = engine.book.position(port, engine.instrumentIndex('MSFT'));
  const before = engine.book.pQty[pos];
  t.equal(applier.apply(record(EXECUTIONS, env('execution', exec('e1', 5)), 3)), port);
  t.equal(engine.book.pQty[pos], before + 5);
  t.same(admitted, [[port, 3]], 'ownership was asked with the record');
  t.equal(applier.lastInputTs, T0 + 1000);
  admit = false;
  t.equal(applier.apply(record(EXECUTIONS, env('execution', exec('e2', 5)), 4)), -1, 'not admitted: skipped');
  t.equal(engine.book.pQty[pos], before + 5);
  t.equal(applier.apply(record(TICKS, env('execution', exec('e3', 5)))), -1);
  t.match(reason(0), ['DECODE_FAILED', /executions belong on .*orders\.executions, not .*md\.ticks/]);
  applier.apply(record(EXECUTIONS, env('execution', { ...exec('e4', 5), qty: -1 })));
  t.equal(dlq.length, 2, 'an invalid execution is dead-lettered');
  t.equal(engine.stats.executions, 1);
});

t.test(
  'heartbeats let event time pass (frames due by then go out) and are recorded; other types do not belong',
  async (t) => {
    const file = join(mkdtempSync(join(tmpdir(), 'riskline-input-')), 'rec.ndjson');
    const recorder = new Recorder(file, T0);
    const { applier, reason, frames } = input({ recorder });
    const beat = (ts: number) => applier.apply(record(TICKS, env('heartbeat', {}, 'msgpack', ts)));
    beat(T0);
    const opening = frames.length;
    t.ok(opening > 0, 'the first heartbeat publishes the opening frames');
    beat(T0 + 1);
    t.equal(frames.length, opening, 'nothing is due within the conflation interval');
    beat(T0 + 5000);
    t.ok(frames.length > opening, 'a heartbeat past it publishes what is due');
    t.equal(applier.apply(record(TICKS, env('frame', {}))), -1);
    t.match(reason(0), ['DECODE_FAILED', /message type frame does not belong on .*md\.ticks/]);
    await recorder.close();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l));
    t.same(
      lines.filter((l) => l.type === 'heartbeat').map((l) => l.ts),
      [T0, T0 + 1, T0 + 5000],
      'every heartbeat recorded, in order',
    );
  },
);

t.test('dead letters are counted', async (t) => {
  const { applier, deadLetters } = input();
  for (let i = 0; i < 25; i++) applier.apply(record(TICKS, new Uint8Array([0xc1])));
  t.equal(deadLetters.count, 25);
});
