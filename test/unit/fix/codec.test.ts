// The FIX codec: messages written by FixWriter parse back field for field; BodyLength and CheckSum
// match values worked out by hand from the specification's definitions; the framer finds the same
// messages however a stream is cut (one byte at a time, several messages per read) and skips
// garbage, bad lengths and bad trailers without losing the messages around them.
import t from 'tap';
import { FieldList, printable } from '../../../gateways/fix/codec/fields.js';
import { FixFramer } from '../../../gateways/fix/codec/framer.js';
import { checksum, isGarbled, parseMessage, ParseStatus } from '../../../gateways/fix/codec/parser.js';
import { FixWriter } from '../../../gateways/fix/codec/writer.js';

const SOH = '\x01';
/** A message from its fields, BodyLength and CheckSum computed here the plain way (independently of the writer). */
function byHand(beginString: string, body: [number, string][]): Buffer {
  const text = body.map(([k, v]) => `${k}=${v}${SOH}`).join('');
  const head = `8=${beginString}${SOH}9=${Buffer.byteLength(text, 'latin1')}${SOH}`;
  let sum = 0;
  for (const b of Buffer.from(head + text, 'latin1')) sum += b;
  return Buffer.from(`${head}${text}10=${String(sum % 256).padStart(3, '0')}${SOH}`, 'latin1');
}

const T0 = Date.UTC(2026, 11, 7, 9, 30, 5, 123);
const order: [number, string][] = [
  [35, 'D'],
  [49, 'RISKLINE'],
  [56, 'VENUE1'],
  [34, '12'],
  [52, '20261207-09:30:05.123'],
  [11, 'C-1'],
  [55, 'AAPL'],
  [54, '1'],
  [60, '20261207-09:30:05.123'],
  [38, '100'],
  [40, '2'],
  [44, '190.25'],
];

t.test('FixWriter writes what a hand-built message holds, BodyLength and CheckSum included', async (t) => {
  const w = new FixWriter();
  const out = w
    .begin('D')
    .str(49, 'RISKLINE')
    .str(56, 'VENUE1')
    .int(34, 12)
    .time(52, T0)
    .str(11, 'C-1')
    .str(55, 'AAPL')
    .str(54, '1')
    .time(60, T0)
    .int(38, 100)
    .str(40, '2')
    .num(44, 190.25)
    .finish();
  t.equal(printable(out), printable(byHand('FIX.4.4', order)));
  t.throws(() => w.begin('D').str(58, `a${SOH}b`), /SOH/, 'a value holding SOH is refused');
  t.equal(printable(w.begin('0').num(44, 0.000001).finish()).split('|')[3], '44=0.000001', 'no exponent in a price');
});

t.test('parseMessage reads every field and checks BodyLength and CheckSum', async (t) => {
  const msg = byHand('FIX.4.4', order);
  const f = new FieldList();
  t.equal(parseMessage(msg, 0, msg.length, f).status, ParseStatus.Ok);
  t.same(f.entries(), [
    [8, 'FIX.4.4'],
    [9, String(msg.indexOf('10=') - msg.indexOf('35='))],
    ...order,
    [10, msg.toString('latin1', msg.length - 4, msg.length - 1)],
  ]);
  t.equal(f.int(34), 12);
  t.equal(f.copy().get(55), 'AAPL', 'a copy outlives the buffer');
  const bad = (s: string) => {
    const b = Buffer.from(s, 'latin1');
    return parseMessage(b, 0, b.length, f).status;
  };
  const text = msg.toString('latin1');
  t.equal(bad(text.replace(/10=\d{3}/, '10=000')), ParseStatus.GarbledCheckSum, 'a wrong CheckSum is garbled');
  t.equal(bad(text.replace(/9=\d+/, '9=1')), ParseStatus.GarbledBodyLength, 'a wrong BodyLength is garbled');
  t.equal(bad(text.replace('8=FIX.4.4\x019=', '9=')), ParseStatus.GarbledHeader, 'BeginString must come first');
  const empty = byHand('FIX.4.4', [...order.slice(0, 6), [58, '']]);
  t.equal(parseMessage(empty, 0, empty.length, f).status, ParseStatus.EmptyValue, 'a tag without a value');
  t.equal(f.get(35), 'D', 'is well framed: the session can reject it');
  const badTag = byHand('FIX.4.4', [...order.slice(0, 6), [0, 'x']]);
  t.equal(parseMessage(badTag, 0, badTag.length, f).status, ParseStatus.BadTag, 'tag 0');
  t.ok(isGarbled(ParseStatus.GarbledCheckSum) && !isGarbled(ParseStatus.EmptyValue));
  // The specification's definition: the sum of every byte up to the checksum field, modulo 256.
  const heartbeat = '8=FIX.4.4\x019=5\x0135=0\x01';
  t.equal(
    checksum(Buffer.from(heartbeat, 'latin1'), 0, heartbeat.length),
    [...heartbeat].reduce((a, c) => a + c.charCodeAt(0), 0) % 256,
  );
});

/** Everything the framer yields for a stream cut into the given reads. */
function frames(reads: Buffer[], max?: number): { messages: string[]; garbled: string[] } {
  const framer = new FixFramer(max);
  const messages: string[] = [];
  const garbled: string[] = [];
  for (const r of reads)
    framer.push(
      r,
      (buf, s, e) => messages.push(buf.toString('latin1', s, e)),
      (why) => garbled.push(why),
    );
  return { messages, garbled };
}

t.test('the framer yields whole messages however the stream is cut', async (t) => {
  const a = byHand('FIX.4.4', order);
  const b = byHand('FIX.4.4', [
    [35, '0'],
    [49, 'X'],
    [56, 'Y'],
    [34, '2'],
    [52, '20261207-09:30:05'],
  ]);
  const stream = Buffer.concat([a, b, a]);
  const want = [a, b, a].map((m) => m.toString('latin1'));
  t.same(frames([stream]).messages, want, 'three in one read');
  t.same(frames([...stream].map((x) => Buffer.from([x]))).messages, want, 'one byte per read');
  for (let cut = 1; cut < stream.length; cut += 7)
    t.same(frames([stream.subarray(0, cut), stream.subarray(cut)]).messages, want, `cut at ${cut}`);
});

t.test('the framer skips garbage and bad messages and keeps the ones around them', async (t) => {
  const a = byHand('FIX.4.4', order);
  const junk = Buffer.from('hello\x01world', 'latin1');
  const wrongLength = Buffer.from(a.toString('latin1').replace(/9=\d+/, '9=9'), 'latin1');
  const huge = Buffer.from('8=FIX.4.4\x019=99999999\x0135=D\x01', 'latin1');
  const { messages, garbled } = frames([Buffer.concat([junk, a, wrongLength, a, huge, a])], 4096);
  t.same(
    messages,
    [a, a, a].map((m) => m.toString('latin1')),
    'each good message, once',
  );
  t.ok(garbled.length >= 3, `garbage reported: ${garbled.join('; ')}`);
  t.match(garbled.join(';'), /over the 4096 limit/, 'an oversized BodyLength is refused, not waited for');
  const f = new FixFramer(4096);
  for (let i = 0; i < 1000; i++)
    f.push(
      Buffer.alloc(1000, 0x41),
      () => t.fail('no message'),
      () => undefined,
    );
  t.ok(f.pending < 16, `a stream with no message start holds at most a few bytes (${f.pending})`);
});

t.test('the framer refuses a body whose last byte is not SOH, though 10=nnn sits where BodyLength says', async (t) => {
  const a = byHand('FIX.4.4', order);
  const text = a.toString('latin1');
  const at = text.lastIndexOf('\x0110=');
  const damaged = Buffer.from(text.slice(0, at) + '\x00' + text.slice(at + 1), 'latin1');
  const { messages, garbled } = frames([Buffer.concat([damaged, a])]);
  t.same(messages, [text], 'only the whole message comes out');
  t.match(garbled[0], /no CheckSum \(10\) where BodyLength says/, 'the damaged one is reported');
});
