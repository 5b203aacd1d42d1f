// The C++ FIX codec (riskline_cpu's fixParse, fixParseBatch, fixEncode) against the TypeScript
// codec it must be indistinguishable from: the same status, error tag and fields as parseMessage
// on hand-made edge cases and on thousands of random, mutated and made-up messages (fast-check);
// the batch gives what FixFramer + parseMessage give on the same reads, skipped bytes and reasons
// included, however the stream is cut and however small the batch; encode writes encodeFields's
// bytes; and a million parses leave the resident set where it was.
import fc from 'fast-check';
import t from 'tap';
import { FieldList, printable } from '../../../gateways/fix/codec/fields.js';
import { FixFramer } from '../../../gateways/fix/codec/framer.js';
import { FixBatch, fixNative, fixNativeUnavailable } from '../../../gateways/fix/codec/native.js';
import { checksum, parseMessage, ParseStatus } from '../../../gateways/fix/codec/parser.js';
import { encodeFields, ENCODE_BAD_FIELD, ENCODE_NO_ROOM } from '../../../gateways/fix/codec/encode.js';
import { FixWriter } from '../../../gateways/fix/codec/writer.js';
import { cut } from '../../fix/streams.js';

const skip = fixNative ? false : `the native FIX codec cannot run here: ${fixNativeUnavailable}`;
const native = fixNative!;

const SOH = '\x01';
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

/** A message from its body fields, BodyLength and CheckSum computed here the plain way. */
function byHand(body: [number | string, string][], beginString = 'FIX.4.4'): Buffer {
  const text = body.map(([k, v]) => `${k}=${v}${SOH}`).join('');
  const head = `8=${beginString}${SOH}9=${text.length}${SOH}`;
  return latin1(
    `${head}${text}10=${String(checksum(latin1(head + text), 0, head.length + text.length)).padStart(3, '0')}${SOH}`,
  );
}

const EXECUTION_REPORT: [number, string][] = [
  [35, '8'],
  [49, 'VENUE1'],
  [56, 'RISKLINE'],
  [34, '4711'],
  [52, '20261207-09:30:05.123'],
  [37, 'O-20261207-000123'],
  [11, 'C-000042'],
  [17, 'E-20261207-000977'],
  [150, 'F'],
  [39, '1'],
  [55, 'AAPL'],
  [54, '1'],
  [38, '1000'],
  [40, '2'],
  [44, '190.25'],
  [32, '200'],
  [31, '190.24'],
  [151, '800'],
  [14, '200'],
  [6, '190.24'],
  [60, '20261207-09:30:05.121'],
  [1, 'DESK-7'],
];

const tsList = new FieldList();
const nativeList = new FieldList();

/** '' when the native parser agrees with parseMessage on buf[start, end), else what differs. */
function disagreement(buf: Buffer, start: number, end: number, into = nativeList): string {
  const want = { ...parseMessage(buf, start, end, tsList) };
  const got = native.parseMessage(buf, start, end, into);
  const where = `${printable(buf.subarray(start, end)).slice(0, 200)}`;
  if (got.status !== want.status || got.errorTag !== want.errorTag || into.count !== tsList.count)
    return `status/errorTag/count ${got.status}/${got.errorTag}/${into.count}, parseMessage ${want.status}/${want.errorTag}/${tsList.count}: ${where}`;
  for (let i = 0; i < tsList.count; i++)
    if (into.tags[i] !== tsList.tags[i] || into.starts[i] !== tsList.starts[i] || into.ends[i] !== tsList.ends[i])
      return `field ${i}: ${into.tags[i]} [${into.starts[i]}, ${into.ends[i]}) vs ${tsList.tags[i]} [${tsList.starts[i]}, ${tsList.ends[i]}): ${where}`;
  return '';
}

const agrees = (bytes: Buffer | string): string => {
  const b = typeof bytes === 'string' ? latin1(bytes) : bytes;
  return disagreement(b, 0, b.length);
};

t.test('hand cases: every status, the edges of tags, lengths and checksums', { skip }, async (t) => {
  const er = byHand(EXECUTION_REPORT);
  const text = er.toString('latin1');
  const cases: [string, Buffer | string][] = [
    ['an ExecutionReport', er],
    [
      'a Heartbeat',
      byHand([
        [35, '0'],
        [49, 'A'],
        [56, 'B'],
        [34, '1'],
        [52, '20261207-09:30:05'],
      ]),
    ],
    [
      'FIXT.1.1',
      byHand(
        [
          [35, 'A'],
          [98, '0'],
          [108, '30'],
        ],
        'FIXT.1.1',
      ),
    ],
    ['a wrong CheckSum', text.replace(/10=\d{3}/, '10=000')],
    ['a wrong BodyLength', text.replace(/9=\d+/, '9=1')],
    ['BodyLength with a sign', text.replace(/9=(\d+)/, '9=-$1')],
    [
      'BodyLength with leading zeros',
      byHand(EXECUTION_REPORT)
        .toString('latin1')
        .replace(/9=(\d+)/, '9=000$1'),
    ],
    ['an empty BodyLength', text.replace(/9=\d+/, '9=')],
    ['BeginString missing', text.replace('8=FIX.4.4\x01', '')],
    [
      'MsgType third missing',
      byHand([
        [49, 'A'],
        [35, '0'],
      ]),
    ],
    ['three fields only', `8=FIX.4.4${SOH}9=5${SOH}35=0${SOH}`],
    ['an empty value', byHand([...EXECUTION_REPORT.slice(0, 6), [58, '']])],
    [
      'an empty MsgType',
      byHand([
        [35, ''],
        [49, 'A'],
      ]),
    ],
    [
      'a tag with a letter',
      byHand([
        [35, '0'],
        ['5x8', 'a'],
      ]),
    ],
    [
      'tag 0',
      byHand([
        [35, '0'],
        [0, 'a'],
      ]),
    ],
    [
      'a tag of leading zeros',
      byHand([
        [35, '0'],
        ['0058', 'a'],
      ]),
    ],
    [
      'a ten-digit tag that wraps to int32 8',
      byHand([
        [35, '0'],
        [4294967304, 'a'],
      ]),
    ],
    [
      'a ten-digit tag that wraps negative',
      byHand([
        [35, '0'],
        [2147483648, 'a'],
      ]),
    ],
    [
      'an eleven-digit tag',
      byHand([
        [35, '0'],
        ['12345678901', 'a'],
      ]),
    ],
    [
      'an empty value and a bad tag: the first in order',
      byHand([
        [35, '0'],
        ['x', 'a'],
        [58, ''],
      ]),
    ],
    [
      'a bad tag and an empty value',
      byHand([
        [35, '0'],
        [58, ''],
        ['x', 'a'],
      ]),
    ],
    [
      'a value holding =',
      byHand([
        [35, '0'],
        [58, 'a=b==c'],
      ]),
    ],
    ['no = in a field', text.replace('55=AAPL', '55AAPL')],
    ['= first in a field', text.replace('55=AAPL', '=AAPL')],
    ['SOH inside a tag', text.replace('55=AAPL', '5\x015=AAPL')],
    ['no SOH at the end', er.subarray(0, er.length - 1)],
    ['a trailing tag with no =', Buffer.concat([er, latin1('123')])],
    ['bytes after the trailer', Buffer.concat([er, latin1('58=x\x01')])],
    ['CheckSum of two digits', text.replace(/10=\d{3}/, '10=12')],
    ['CheckSum with a letter', text.replace(/10=\d{3}/, '10=1a2')],
    ['CheckSum -00 (minus zero equals zero)', `8=FIX.4.4${SOH}9=5${SOH}35=0${SOH}10=-00${SOH}`],
    ['CheckSum tag with a leading zero', text.replace('\x0110=', '\x01010=')],
    ['empty input', ''],
    ['one SOH', SOH],
    ['BeginString alone', `8=FIX.4.4${SOH}`],
  ];
  for (const [name, bytes] of cases) t.equal(agrees(bytes), '', name);

  const buf = Buffer.concat([latin1('garbage'), er, er]);
  t.equal(disagreement(buf, 7 + er.length, buf.length), '', 'a message in the middle of a larger buffer');
  t.equal(native.parseMessage(er, 0, er.length, nativeList).status, ParseStatus.Ok);
  t.equal(nativeList.get(55), 'AAPL', 'the fields are views over the buffer, as parseMessage gives');

  const many = byHand([[35, '0'], ...Array.from({ length: 700 }, (_, i): [number, string] => [1000 + i, `v${i}`])]);
  const fresh = new FieldList();
  t.equal(disagreement(many, 0, many.length, fresh), '', '700 fields: the list grows and the parse is retried');
  t.equal(fresh.count, 704);
  const manyBroken = Buffer.concat([many.subarray(0, many.length - 1), latin1('x')]);
  t.equal(disagreement(manyBroken, 0, manyBroken.length, new FieldList()), '', 'and when it is garbled past 256');

  t.throws(
    () => native.parseMessage(er, 0, er.length + 1, nativeList),
    /fixParse: argument 1/,
    'an end past the buffer',
  );
  t.throws(() => native.parseMessage(er, 5, 4, nativeList), /fixParse/, 'start after end');
  t.equal(native.checksum(er, 0, er.length - 7), Number(text.slice(-4, -1)), 'checksum');
});

// Values with the bytes that matter to the grammar now and then.
const value = fc.string({ minLength: 0, maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'));
const tag = fc.oneof(
  fc.integer({ min: 1, max: 9999 }),
  fc.constantFrom(8, 9, 10, 35, 0, 2147483647, 2147483648, 4294967304),
);
const body = fc.array(fc.tuple(tag, value), { maxLength: 40 });
const interesting = fc.oneof(
  fc.constantFrom(0x01, 0x3d, 0x30, 0x31, 0x38, 0x39, 0x2d, 0x41),
  fc.integer({ min: 0, max: 255 }),
);
const damage = fc.array(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), interesting, fc.constantFrom('set', 'insert', 'delete')),
  { minLength: 1, maxLength: 6 },
);

function damaged(bytes: Buffer, hits: [number, number, string][]): Buffer {
  const b = [...bytes];
  for (const [where, byte, how] of hits) {
    const i = Math.floor(where * b.length);
    if (how === 'set') b[i] = byte;
    else if (how === 'insert') b.splice(i, 0, byte);
    else b.splice(i, 1);
  }
  return Buffer.from(b);
}

const asBody = ([type, fields]: [string, [number, string][]]): [number, string][] => [[35, type], ...fields];
const message = fc.tuple(fc.constantFrom('0', 'D', '8', 'AE', ''), body).map(asBody);

t.test('random messages agree with parseMessage', { skip }, async (t) => {
  fc.assert(
    fc.property(message, (m) => agrees(byHand(m)) === ''),
    { numRuns: 3000 },
  );
  t.pass('3,000 random messages');
});

t.test('mutated messages agree with parseMessage', { skip }, async (t) => {
  const er = byHand(EXECUTION_REPORT);
  fc.assert(
    fc.property(fc.oneof(fc.constant(EXECUTION_REPORT), message), damage, (m, hits) => {
      const bytes = damaged(m === EXECUTION_REPORT ? er : byHand(m), hits);
      return agrees(bytes) === '';
    }),
    { numRuns: 5000 },
  );
  t.pass('5,000 damaged messages');
});

t.test('made-up byte soups agree with parseMessage', { skip }, async (t) => {
  const piece = fc.oneof(
    fc.constantFrom('8=FIX.4.4', '9=', '35=', '10=', '=', SOH, '-', '0', '00', '10=000', '8=', '9=12'),
    fc.stringMatching(/^[0-9]{1,12}$/),
    value,
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => agrees(pieces.join('')) === ''),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => agrees(Buffer.from(bytes)) === ''),
    { numRuns: 2000 },
  );
  t.pass('5,000 soups');
});

/** What FixFramer + parseMessage report over these reads, one line per event. */
function viaFramer(reads: Buffer[], maxMessageBytes: number): { events: string[]; pending: number } {
  const framer = new FixFramer(maxMessageBytes);
  const f = new FieldList();
  const events: string[] = [];
  for (const r of reads)
    framer.push(
      r,
      (b, s, e) => {
        const p = parseMessage(b, s, e, f);
        events.push(JSON.stringify(['message', b.toString('latin1', s, e), p.status, p.errorTag, f.entries()]));
      },
      (why, skipped) => events.push(JSON.stringify(['garbled', why, skipped])),
    );
  return { events, pending: framer.pending };
}

/** The same through parseBatch, the reads appended to one buffer as they come. */
function viaBatch(reads: Buffer[], maxMessageBytes: number, batch: FixBatch): { events: string[]; pending: number } {
  const all = Buffer.concat(reads);
  const f = new FieldList();
  const events: string[] = [];
  let head = 0;
  let end = 0;
  for (const r of reads) {
    end += r.length;
    for (;;) {
      const n = native.parseBatch(all, head, end, batch, maxMessageBytes);
      for (let i = 0; i < n; i++) {
        if (!batch.isMessage(i)) {
          events.push(JSON.stringify(['garbled', batch.garbled(i), batch.length(i)]));
          continue;
        }
        const p = batch.load(i, f);
        const s = batch.offset(i);
        events.push(
          JSON.stringify([
            'message',
            all.toString('latin1', s, s + batch.length(i)),
            p.status,
            p.errorTag,
            f.entries(),
          ]),
        );
      }
      if (n === 0) break;
      head = batch.consumed;
    }
  }
  return { events, pending: end - head };
}

t.test('the batch gives what FixFramer + parseMessage give, however the stream is cut', { skip }, async (t) => {
  const big = new FixBatch();
  const tiny = new FixBatch(2, 4);
  const er = byHand(EXECUTION_REPORT);
  const stream = fc.array(
    fc.oneof(
      { weight: 4, arbitrary: message.map((m) => byHand(m)) },
      { weight: 2, arbitrary: fc.constant(er) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: fc.constantFrom(latin1('8=FIX'), latin1('8=FIX.4.4\x019=999999\x01'), latin1('8=F')) },
    ),
    { minLength: 1, maxLength: 8 },
  );
  fc.assert(
    fc.property(
      stream,
      fc.option(damage, { nil: undefined }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      fc.constantFrom(64 * 1024, 300, 64),
      (parts, hits, at, max) => {
        const whole = Buffer.concat(parts);
        const bytes = hits ? damaged(whole, hits) : whole;
        const reads = cut(bytes, at);
        const want = viaFramer(reads, max);
        for (const batch of [big, tiny]) {
          const got = viaBatch(reads, max, batch);
          if (JSON.stringify(got) !== JSON.stringify(want))
            throw new Error(
              `batch of ${batch.records.length / 6}:\n${got.events.join('\n')}\nvs framer:\n${want.events.join('\n')}`,
            );
        }
        return true;
      },
    ),
    { numRuns: 2000 },
  );
  t.pass('2,000 streams, each through a batch of 1,024 records and one of 2 records and 4 fields');
});

t.test('a batch of a thousand ExecutionReports', { skip }, async (t) => {
  const er = byHand(EXECUTION_REPORT);
  const buf = Buffer.concat(Array.from({ length: 1000 }, () => er));
  const batch = new FixBatch();
  t.equal(native.parseBatch(buf, 0, buf.length, batch), 1000);
  t.equal(batch.consumed, buf.length);
  t.equal(batch.out[2], 1000 * (EXECUTION_REPORT.length + 3), 'every field stored');
  const f = new FieldList();
  t.equal(batch.load(999, f).status, ParseStatus.Ok);
  t.equal(f.get(17), 'E-20261207-000977');
  t.equal(native.parseBatch(buf, 0, buf.length - 1, batch), 999, 'the last one incomplete');
  t.equal(batch.consumed, buf.length - er.length);
});

t.test('encode writes what encodeFields writes, and FixWriter, and it parses back', { skip }, async (t) => {
  const begin = latin1('FIX.4.4');
  const w = new FixWriter();
  const field = fc.tuple(
    fc.integer({ min: -2, max: 99999 }),
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'a\x01b', '=')),
  );
  fc.assert(
    fc.property(
      fc.array(field, { maxLength: 30 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 0, max: 20 }),
      (fields, msgTypeFirst, room, pad) => {
        const body: [number, string][] = msgTypeFirst ? [[35, 'D'], ...fields] : fields;
        // SOH after the values: a 16-byte read past a value must not take them for the value's.
        const values = Buffer.concat([latin1(body.map(([, v]) => v).join('')), Buffer.alloc(pad, 1)]);
        const tags = Int32Array.from(body, ([k]) => k);
        const starts = new Int32Array(body.length);
        const ends = new Int32Array(body.length);
        let at = 0;
        body.forEach(([, v], i) => {
          starts[i] = at;
          ends[i] = at += Buffer.byteLength(v, 'latin1');
        });
        const a = Buffer.alloc(room + 3);
        const b = Buffer.alloc(room + 3);
        const n = encodeFields(begin, values, tags, starts, ends, 0, body.length, a, 3);
        const m = native.encode(begin, values, tags, starts, ends, 0, body.length, b, 3);
        // After an error the room the message would take holds nothing useful; past it, nothing moves.
        if (n !== m || (n > 0 && !a.equals(b))) throw new Error(`encodeFields ${n}, native ${m}`);
        if (n > 0 && b.subarray(3 + n).some((x) => x !== 0)) throw new Error('bytes past the message were written');
        if (b.subarray(0, 3).some((x) => x !== 0)) throw new Error('bytes before outStart were written');
        if (body.length === 0 || !msgTypeFirst || body.some(([k]) => k <= 0)) return n === ENCODE_BAD_FIELD;
        if (n === ENCODE_NO_ROOM) return true;
        if (body.some(([, v]) => v.includes(SOH))) return n === ENCODE_BAD_FIELD;
        const bytes = b.subarray(3, 3 + n);
        w.begin('D');
        for (const [k, v] of body.slice(1)) w.str(k, v);
        const f = new FieldList();
        return (
          bytes.equals(w.finish()) &&
          parseMessage(bytes, 0, n, f).status ===
            (body.some(([, v]) => v === '') ? ParseStatus.EmptyValue : ParseStatus.Ok)
        );
      },
    ),
    { numRuns: 3000 },
  );
  t.pass('3,000 field lists');
});

t.test('encodeBatch writes what encode writes, back to back', { skip }, async (t) => {
  const begin = latin1('FIX.4.4');
  const er = byHand(EXECUTION_REPORT);
  const f = new FieldList();
  parseMessage(er, 0, er.length, f);
  // The parsed ExecutionReport's body (fields 2 .. n-2) re-encoded five times from the same views.
  const messages = Int32Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 2 : f.count - 3));
  const out = Buffer.alloc(4096);
  const lengths = new Int32Array(5);
  t.equal(native.encodeBatch(begin, er, f.tags, f.starts, f.ends, messages, 5, out, 0, lengths), 5);
  t.same([...lengths], Array(5).fill(er.length));
  t.ok(out.subarray(0, 5 * er.length).equals(Buffer.concat(Array(5).fill(er))), 'five copies of the original');
  const small = Buffer.alloc(2 * er.length + 10);
  t.equal(
    native.encodeBatch(begin, er, f.tags, f.starts, f.ends, messages, 5, small, 0, lengths),
    2,
    'stops when full',
  );
  t.equal(lengths[2], ENCODE_NO_ROOM);
  t.throws(
    () => native.encodeBatch(begin, er, f.tags, f.starts, f.ends, Int32Array.of(2, 999), 1, out, 0, lengths),
    /fixEncodeBatch/,
    'fields past the arrays are refused before any byte is read',
  );
});

t.test('a million parses leave the resident set where it was', { skip }, async (t) => {
  const er = byHand(EXECUTION_REPORT);
  const f = new FieldList();
  const buf = Buffer.concat(Array.from({ length: 1000 }, () => er));
  const batch = new FixBatch();
  const run = (n: number) => {
    for (let i = 0; i < n; i++) native.parseMessage(er, 0, er.length, f);
    for (let i = 0; i < n / 1000; i++) native.parseBatch(buf, 0, buf.length, batch);
  };
  run(200_000);
  const before = process.memoryUsage().rss;
  run(1_000_000);
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  t.ok(grown < 8, `RSS grew ${grown.toFixed(1)} MB over 1M single and 1M batched parses (limit 8 MB)`);
});
