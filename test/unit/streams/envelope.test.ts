// The envelope codec's rules that docs/wire-format.md promises to non-Node producers.
import t from 'tap';
import { decodeEnvelope, decodeEnvelopeAuto, encodeEnvelope } from '../../../streams/envelope.js';

/** A MessagePack envelope written by hand, as another language's library would. */
function envelopeWith(ts: Uint8Array): Uint8Array {
  const str = (s: string) => [0xa0 | s.length, ...new TextEncoder().encode(s)];
  return new Uint8Array([
    0x86,
    ...str('v'),
    0x01,
    ...str('type'),
    ...str('heartbeat'),
    ...str('src'),
    ...str('py'),
    ...str('ts'),
    ...ts,
    ...str('seq'),
    0x07,
    ...str('body'),
    0x80,
  ]);
}

t.test('64-bit integers (Python msgpack, msgpack-java packLong) decode to plain numbers', async (t) => {
  const ms = 1795617000250;
  const u64 = new Uint8Array(9);
  u64[0] = 0xcf;
  new DataView(u64.buffer).setBigUint64(1, BigInt(ms));
  const i64 = new Uint8Array(9);
  i64[0] = 0xd3;
  new DataView(i64.buffer).setBigInt64(1, BigInt(ms));
  for (const bytes of [u64, i64]) {
    const env = decodeEnvelope(envelopeWith(bytes));
    t.equal(env.ts, ms);
    t.equal(typeof env.ts, 'number');
  }
});

t.test('undefined is written as nil, never as a msgpackr extension', async (t) => {
  const bytes = encodeEnvelope({ v: 1, type: 'heartbeat', src: 'x', ts: 1, seq: 1, body: { fees: undefined } });
  t.notOk(bytes.includes(0xd4), 'no fixext1');
  t.same(decodeEnvelope(bytes).body, { fees: null });
});

t.test('what is not an envelope is refused with DECODE_FAILED', async (t) => {
  const good = encodeEnvelope({ v: 1, type: 'heartbeat', src: 'x', ts: 1, seq: 1, body: {} });
  const json = new TextEncoder().encode('{"v":1,"type":"heartbeat","src":"x","ts":1,"seq":1,"body":{}}');
  t.throws(() => decodeEnvelope(new Uint8Array([...good, 0xc0])), { code: 'DECODE_FAILED' }, 'trailing bytes');
  t.throws(() => decodeEnvelopeAuto(new Uint8Array([0x20, ...json])), { code: 'DECODE_FAILED' }, 'a leading space');
  t.throws(() => decodeEnvelopeAuto(new Uint8Array([0xef, 0xbb, 0xbf, ...json])), { code: 'DECODE_FAILED' }, 'a BOM');
  t.equal(decodeEnvelopeAuto(json).type, 'heartbeat', 'the same JSON without them decodes');
});
