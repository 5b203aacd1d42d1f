import { unpack } from 'msgpackr';
import t from 'tap';
import { encodeStr, MsgpackWriter } from '../../../codecs/msgpack.js';
import { CounterRng } from '../../../maths/random.js';

const roundTrip = (v: unknown) => unpack(new MsgpackWriter().value(v).take());

t.test('numbers decode to exactly what was written', async (t) => {
  const values = [
    0,
    1,
    127,
    128,
    255,
    256,
    65535,
    65536,
    2 ** 32 - 1,
    2 ** 32,
    1795000000000,
    2 ** 53 - 1,
    -1,
    -32,
    -33,
    -128,
    -129,
    -32768,
    -(2 ** 31),
    -(2 ** 31) - 1,
    -1795000000000,
    0.1,
    -2.5,
    1e-300,
    1e300,
    Infinity,
    -Infinity,
  ];
  for (const v of values) t.equal(roundTrip(v), v, String(v));
  t.ok(Object.is(roundTrip(-0), -0), '-0 stays -0');
  t.ok(Number.isNaN(roundTrip(NaN)), 'NaN stays NaN');
  t.equal(typeof roundTrip(1795000000000), 'number', 'epoch ms is a number, never a BigInt');
});

t.test('strings of every header width, cached or not, ASCII or not', async (t) => {
  const w = new MsgpackWriter();
  const strings = [
    '',
    'a',
    'x'.repeat(31),
    'x'.repeat(32),
    'é'.repeat(20),
    'x'.repeat(255),
    'x'.repeat(256),
    'ü'.repeat(40000),
    'AAPL',
    'AAPL',
  ];
  w.array(strings.length);
  for (const s of strings) w.str(s);
  t.same(unpack(w.take()), strings);
});

t.test('maps, arrays, nesting, raw values and the reused buffer', async (t) => {
  const obj = {
    channel: 'positions:P1',
    seq: 3,
    data: { rows: { AAPL: { qty: 10, px: 1.5 } }, list: [1, 'two', null, true, false], skip: undefined },
  };
  t.same(roundTrip(obj), {
    channel: 'positions:P1',
    seq: 3,
    data: { rows: { AAPL: { qty: 10, px: 1.5 } }, list: [1, 'two', null, true, false] },
  });
  const w = new MsgpackWriter();
  const inner = new MsgpackWriter().value({ a: 1 }).take();
  const first = w.reset().map(1).str('body').raw(inner).take();
  t.same(unpack(first), { body: { a: 1 } });
  const big = Array.from({ length: 70000 }, (_, i) => i);
  t.same(unpack(w.reset().value(big).take()), big, 'the buffer grows past 64 KiB');
  t.same(unpack(first), { body: { a: 1 } }, 'taken bytes are a copy the next message cannot change');
  t.throws(() => new MsgpackWriter().value(() => 1), TypeError);
});

t.test('random JSON-like values round-trip', async (t) => {
  const rng = new CounterRng(99);
  const rnd = () => rng.uniform();
  const gen = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.3) return Math.floor(rnd() * 2 ** 34) - 2 ** 33;
    if (r < 0.45) return rnd() * 1e6 - 5e5;
    if (r < 0.6) return 'k' + Math.floor(rnd() * 1000) + 'ß'.repeat(Math.floor(rnd() * 3));
    if (r < 0.65) return null;
    if (r < 0.8) return Array.from({ length: Math.floor(rnd() * 20) }, () => gen(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 20) }, (_, i) => [`f${i}`, gen(depth + 1)]));
  };
  let bad = 0;
  for (let k = 0; k < 500; k++) {
    const v = gen(0);
    if (JSON.stringify(roundTrip(v)) !== JSON.stringify(v)) bad++;
  }
  t.equal(bad, 0);
});

t.test("encodeStr is the writer's string, at every header width; keyBytes counts as a key", async (t) => {
  for (const s of ['', 'qty', 'x'.repeat(31), 'é'.repeat(16), 'y'.repeat(255), 'z'.repeat(256), 'w'.repeat(70_000)]) {
    const mine = encodeStr(s);
    t.same(Buffer.from(mine), Buffer.from(new MsgpackWriter().str(s).take()), `${s.length} chars: the same bytes`);
    t.equal(unpack(mine), s, `${s.length} chars: decodes to the string`);
  }
  const w = new MsgpackWriter().openMap();
  w.keyBytes(encodeStr('mark'))
    .num(1.5)
    .keyBytes(encodeStr('a'.repeat(40)))
    .raw(encodeStr('long value'))
    .closeMap();
  t.same(unpack(w.take()), { mark: 1.5, ['a'.repeat(40)]: 'long value' }, 'a map of raw keys and a raw value');
});
