import { Packr } from 'msgpackr';
import t from 'tap';
import { RisklineError } from '../../../errors/catalogue.js';
import { encodeEnvelope } from '../../../streams/envelope.js';
import { InstrumentBytes } from '../../../codecs/msgpack-cursor.js';
import { readTickBatch, type TickVisitor } from '../../../streams/tick-batch.js';

const ids = ['AAPL', 'MSFT', 'EURUSD', 'Ünïcode-ID'];
const index = (id: string) => ids.indexOf(id);

function collect(bytes: Uint8Array) {
  const ticks: [number, number, number, number, number][] = [];
  const bad: [number, string, string][] = [];
  const visitor: TickVisitor = {
    tick: (...a) => void ticks.push(a),
    bad: (k, _s, _e, err: RisklineError) => void bad.push([k, err.code, err.message]),
  };
  const n = readTickBatch(bytes, new InstrumentBytes(index), visitor);
  return { n, ticks, bad };
}
const envelope = (body: unknown, extra: Record<string, unknown> = {}) =>
  encodeEnvelope({ v: 1, type: 'ticks', src: 'feed', ts: 1, seq: 7, body, ...extra } as never);

t.test('reads every tick of a batch as numbers with the instrument resolved', async (t) => {
  const r = collect(
    envelope([
      ['AAPL', 1795000000000, 200.5, 200.6, 200.55],
      ['Ünïcode-ID', 5, 1, 1, 1],
      ['EURUSD', 1795000000001, 1.1, 1.1001, 1.10005],
    ]),
  );
  t.equal(r.n, 3);
  t.same(r.ticks, [
    [0, 1795000000000, 200.5, 200.6, 200.55],
    [3, 5, 1, 1, 1],
    [2, 1795000000001, 1.1, 1.1001, 1.10005],
  ]);
  t.same(r.bad, []);
});

t.test('bad tuples are reported one by one with field-level reasons; the batch goes on', async (t) => {
  const r = collect(
    envelope([
      ['AAPL', 1, 2, 1, 1.5],
      ['NOPE', 1, 1, 2, 1.5],
      ['AAPL', 1, 'x', 2, 1.5],
      ['AAPL', 1, 1, 2],
      [42, 1, 1, 2, 1.5],
      ['MSFT', 1, -1, 2, 1],
      'junk',
      ['MSFT', 2, 10, 11, 10.5],
    ]),
  );
  t.equal(r.n, 8);
  t.same(r.ticks, [[1, 2, 10, 11, 10.5]]);
  t.same(
    r.bad.map(([k, code]) => [k, code]),
    [
      [0, 'INVALID_TICK'],
      [1, 'UNKNOWN_INSTRUMENT'],
      [2, 'INVALID_TICK'],
      [3, 'INVALID_TICK'],
      [4, 'INVALID_TICK'],
      [5, 'INVALID_TICK'],
      [6, 'INVALID_TICK'],
    ],
  );
  t.match(r.bad[0][2], /^ticks\[0\]: ask: expected a price >= bid 2/);
  t.match(r.bad[1][2], /^ticks\[1\]: unknown instrument "NOPE"/);
  t.match(r.bad[2][2], /^ticks\[2\]: bid: expected a number/);
  // The same words as the generic decoder's (engine/validate), however the tick arrived.
  t.match(r.bad[5][2], /^ticks\[5\]: bid: expected a positive number, received -1$/);
});

t.test('anything that is not a v1 msgpack ticks envelope falls back (-1) before visiting', async (t) => {
  t.equal(collect(encodeEnvelope({ v: 1, type: 'tick', src: 's', ts: 1, seq: 1, body: { instrument: 'AAPL' } })).n, -1);
  t.equal(collect(envelope([['AAPL', 1, 1, 2, 1.5]], { v: 2 })).n, -1);
  t.equal(collect(encodeEnvelope({ v: 1, type: 'ticks', src: 's', ts: 1, seq: 1, body: [] }, 'json')).n, -1);
  t.equal(collect(new Uint8Array([0x92, 1, 2])).n, -1);
  t.equal(collect(new Uint8Array([])).n, -1);
  t.equal(collect(envelope({ not: 'an array' })).n, -1);
  // Envelope fields the generic decoder requires, missing or mistyped: it gives the reason.
  const tuples = [['AAPL', 1, 1, 2, 1.5]];
  t.equal(collect(envelope(tuples, { src: 42 })).n, -1, 'src not a string');
  t.equal(collect(envelope(tuples, { src: undefined })).n, -1, 'src missing');
  t.equal(collect(envelope(tuples, { ts: 'now' })).n, -1, 'ts not a number');
  t.equal(collect(envelope(tuples, { ts: Infinity })).n, -1, 'ts not finite');
  t.equal(collect(envelope(tuples, { seq: '7' })).n, -1, 'seq not a number');
  t.equal(collect(envelope(tuples, { seq: undefined })).n, -1, 'seq missing');
});

t.test('keys in any order, and every msgpack number encoding', async (t) => {
  const packr = new Packr({ useRecords: false });
  // Hand-built: body first, odd extra key, ints of several widths and a float32.
  const bytes = packr.pack({
    body: [['MSFT', 1795000000000, 300, 301, 300.5]],
    extra: { nested: [1, 'x', null, true] },
    seq: 1,
    ts: 1,
    src: 's',
    type: 'ticks',
    v: 1,
  });
  t.same(collect(bytes).ticks, [[1, 1795000000000, 300, 301, 300.5]]);
  const f32 = new Uint8Array([...packr.pack({ v: 1, type: 'ticks', body: [] }).subarray(0, 0)]);
  t.equal(f32.length, 0);
  // A fixstr: its 0xa0|length header, then the bytes.
  const str = (x: string) => [0xa0 | x.length, ...Buffer.from(x)];
  // prettier-ignore
  const raw = Uint8Array.from([
    0x86, // a map of 6 keys
    ...str('v'), 0x01,
    ...str('src'), ...str('s'),
    ...str('ts'), 0xcd, 0x01, 0x00, // uint16 256
    ...str('seq'), 0x01,
    ...str('type'), ...str('ticks'),
    ...str('body'), 0x91, 0x95, // [[ five fields ]]
    ...str('AAPL'),
    0xcf, 0, 0, 0x01, 0xa2, 0x1d, 0x6e, 0x2e, 0x00, // uint64 ts
    0xcd, 0x01, 0x00, // uint16 bid 256
    0xca, 0x43, 0x81, 0, 0, // float32 ask 258
    0x7f, // positive fixint last 127
  ]);
  t.same(collect(raw).ticks, [[0, 0x1a21d6e2e00, 256, 258, 127]]);
});

t.test('instrument ids are looked up by bytes, decoded once each', async (t) => {
  let resolved = 0;
  const table = new InstrumentBytes((id) => (resolved++, ids.indexOf(id)));
  const enc = new TextEncoder();
  for (let k = 0; k < 5000; k++) {
    const id = enc.encode(k % 2 ? 'AAPL' : `X${k % 1000}`);
    table.lookup(id, 0, id.length);
  }
  t.equal(resolved, 501, 'one resolve per distinct id, growing the table as needed');
  const aapl = enc.encode('xxAAPLyy');
  t.equal(table.lookup(aapl, 2, 6), 0);
  t.equal(table.lookup(new Uint8Array([0xff, 0xfe]), 0, 2), -1, 'bytes that are not UTF-8 are simply unknown');
});
