// The gateway's in-place frame reader against the generic path it stands in for: decodeEnvelope +
// checkFrame + applyFrame(ownRows) on the same records give the same frame, the same merged state
// and the same bytes to a MessagePack client; records it must not take come back null.
import { Packr } from 'msgpackr';
import t from 'tap';
import { FrameStrings, PackedFrame, readFrameRecord, readServerFrame } from '../../../codecs/frame-record.js';
import { MsgpackWriter } from '../../../codecs/msgpack.js';
import { applyFrame, checkFrame, type Frame } from '../../../engine/frames.js';
import { decodeServerMessage, encodeFrame, encodeServerMessage } from '../../../gateways/protocol.js';
import { CounterRng } from '../../../maths/random.js';
import { decodeEnvelope, writeFrameEnvelopeHeader } from '../../../streams/envelope.js';

const rng = new CounterRng(2026);
const rnd = () => rng.uniform();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const packr = new Packr({ useRecords: false, variableMapSize: true });
const ids = Array.from({ length: 40 }, (_, i) => `TX${String(i).padStart(5, '0')}`);
const FIELDS = ['mark', 'marketValue', 'unrealizedPnl', 'exposure', 'qty', 'avgPrice', 'instrument', '__proto__'];

function number(): number {
  return pick([
    () => Math.floor(rnd() * 300) - 50,
    () => (rnd() - 0.5) * 1e6,
    () => 1795000000000 + Math.floor(rnd() * 1e6),
    () => -(2 ** 40) - Math.floor(rnd() * 1000),
    () => 2 ** 33 + 7,
    () => 65_000 + Math.floor(rnd() * 1000),
  ])();
}

function scalar(): unknown {
  const r = rnd();
  if (r < 0.6) return number();
  if (r < 0.7) return pick(ids);
  if (r < 0.75) return null;
  if (r < 0.8) return rnd() < 0.5;
  if (r < 0.85) return 'x'.repeat(70 + Math.floor(rnd() * 40)); // past the string table's length
  if (r < 0.9) return [number(), pick(ids), [1, 2]];
  return { nested: number(), deeper: { k: pick(ids) } };
}

function row(): Record<string, unknown> {
  // fromEntries makes `__proto__` an own key, as a decoder reading one from the wire would see it.
  return Object.fromEntries(FIELDS.filter(() => rnd() < 0.5).map((f) => [f, scalar()]));
}

function section(): unknown {
  const r = rnd();
  if (r < 0.05) return null;
  if (r < 0.1) return [row(), null, row()]; // a keyed section as an array merges by index
  const out: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) out[pick(ids)] = rnd() < 0.15 ? null : rnd() < 0.1 ? number() : row();
  return out;
}

function data(): Record<string, unknown> {
  const out: Record<string, unknown> = { portfolio: 'P-1', baseCurrency: 'USD' };
  if (rnd() < 0.7) out.totals = { nav: number(), positions: Math.floor(rnd() * 100) };
  for (const s of ['rows', 'byInstrument', 'bySector', 'byCurrency']) if (rnd() < 0.6) out[s] = section();
  if (rnd() < 0.2) out.note = scalar();
  return out;
}

function frame(type: Frame['type'], seq: number): Frame {
  return { channel: 'positions:P-1', type, seq, asOf: 1795000000000 + seq, inputSeq: 10 * seq, data: data() };
}

/** A frame record as the engine role writes one: its envelope header, then the frame's own bytes. */
function record(f: Frame | Record<string, unknown>, src = 'engine-1'): Uint8Array {
  const w = new MsgpackWriter();
  writeFrameEnvelopeHeader(w, src, 1, (f as Frame).asOf ?? 0);
  return w.raw(packr.pack(f)).take();
}

const clone = <T>(v: T): T => structuredClone(v);

t.test('same frame, same merged state and same client bytes as the generic path', async (t) => {
  const strings = new FrameStrings();
  let generic: Record<string, unknown> | undefined;
  let packed: Record<string, unknown> | undefined;
  let merged = 0;
  for (let seq = 1; seq <= 400; seq++) {
    const f = frame(seq % 50 === 1 ? 'snapshot' : 'update', seq);
    const bytes = record(f);
    const reference = checkFrame(decodeEnvelope(bytes).body);
    const read = readFrameRecord(bytes, strings);
    if (read === null) return t.fail(`seq ${seq}: a standard frame record was refused`);
    t.strictSame(
      [read.channel, read.type, read.seq, read.asOf, read.inputSeq],
      [reference.channel, reference.type, reference.seq, reference.asOf, reference.inputSeq],
    );
    t.strictSame(read.data, reference.data, `seq ${seq}: data`);
    t.strictSame(
      decodeServerMessage(encodeFrame(read, 'msgpack'), true),
      decodeServerMessage(encodeFrame(reference, 'msgpack'), true),
      `seq ${seq}: what a MessagePack client gets`,
    );
    generic = applyFrame(generic, reference, true);
    // The store's call: applyFrame merges a packed update from its bytes (into the same state object).
    const before = packed;
    packed = applyFrame(packed, read, true);
    if (read.type === 'update' && before !== undefined) {
      t.equal(packed, before, `seq ${seq}: merged in place`);
      merged++;
    }
    if (seq % 10 === 0) t.strictSame(clone(packed), clone(generic), `seq ${seq}: merged state`);
  }
  t.ok(merged > 300, 'updates merged from the bytes');
  t.strictSame(clone(packed), clone(generic));
  t.equal(Object.getPrototypeOf(packed!.rows), Object.prototype, 'no key set a prototype');
});

t.test('a held row is written in place; a new or replaced one is a fresh object', async (t) => {
  const strings = new FrameStrings();
  const state = applyFrame(undefined, frame('snapshot', 1), true);
  state.rows = { A: { mark: 1, qty: 5 } };
  const held = (state.rows as Record<string, object>).A;
  const update = { ...frame('update', 2), data: { rows: { A: { mark: 2 }, B: { mark: 3 } } } };
  readFrameRecord(record(update), strings)!.mergeInto(state);
  t.equal((state.rows as Record<string, object>).A, held, 'the row held is the same object');
  t.strictSame(state.rows, { A: { mark: 2, qty: 5 }, B: { mark: 3 } });
  const removal = { ...frame('update', 3), data: { rows: { A: null } } };
  readFrameRecord(record(removal), strings)!.mergeInto(state);
  t.strictSame(state.rows, { B: { mark: 3 } });
});

t.test('records the generic path must read come back null, before any state is touched', async (t) => {
  const strings = new FrameStrings();
  const base = frame('update', 2);
  const refused: [string, Uint8Array][] = [
    ['a non-ASCII string', record({ ...base, data: { rows: { A: { note: 'Société' } } } })],
    ['a non-ASCII channel', record({ ...base, channel: 'positions:Société' })],
    ['an integer map key', record({ ...base, data: { rows: new Map([[1, { mark: 1 }]]) } })],
    ['bin', record({ ...base, data: { rows: { A: { blob: Buffer.from([1, 2]) } } } })],
    ['ext (a timestamp)', record({ ...base, data: { at: new Date(0) } })],
    ['data not a map', record({ ...base, data: [1, 2] })],
    ['type neither snapshot nor update', record({ ...base, type: 'delta' })],
    ['no inputSeq', record({ channel: base.channel, type: 'update', seq: 2, asOf: 5, data: {} })],
    ['seq not a number', record({ ...base, seq: '2' })],
    ['bytes after the envelope', Uint8Array.from([...record(base), 0xc0])],
    ['cut short', record(base).subarray(0, record(base).length - 3)],
    ['a tick batch', packr.pack({ v: 1, type: 'ticks', src: 'f', ts: 1, seq: 1, body: [] })],
    ['envelope v2', packr.pack({ v: 2, type: 'frame', src: 'e', ts: 1, seq: 1, body: base })],
    ['JSON', Buffer.from(JSON.stringify({ v: 1, type: 'frame', src: 'e', ts: 1, seq: 1, body: base }))],
  ];
  for (const [why, bytes] of refused) t.equal(readFrameRecord(bytes, strings), null, why);
});

t.test('the data decodes only when something asks for it', async (t) => {
  const f = readFrameRecord(record(frame('update', 7)), new FrameStrings())!;
  t.ok(f instanceof PackedFrame);
  t.equal((f as unknown as { decoded?: unknown }).decoded, undefined);
  t.type(f.data, 'object');
  t.equal(f.data, f.data, 'decoded once');
});

t.test('a client reads a server frame in place as the page does (gateways/web/src/live.ts)', async (t) => {
  const strings = new FrameStrings();
  let page: Record<string, unknown> | undefined;
  let reference: Record<string, unknown> | undefined;
  for (let seq = 1; seq <= 200; seq++) {
    const f = frame(seq === 1 ? 'snapshot' : 'update', seq);
    const wire = encodeFrame(f, 'msgpack');
    const message = decodeServerMessage(wire, true) as Frame;
    const read = readServerFrame(wire, strings);
    if (read === null) return t.fail(`seq ${seq}: a server frame was refused`);
    t.strictSame(
      [read.channel, read.type, read.seq, read.asOf, read.inputSeq],
      [f.channel, f.type, seq, f.asOf, f.inputSeq],
    );
    reference = applyFrame(reference, message, true);
    if (read.type === 'snapshot') page = applyFrame(undefined, read, true);
    else {
      const heard: string[] = [];
      const hadRows = read.mergeInto(page!, (k) => heard.push(k));
      const rows = message.data.rows;
      t.equal(hadRows, rows !== null && typeof rows === 'object', `seq ${seq}: whether it had rows`);
      if (hadRows) t.strictSame(heard, Object.keys(rows as object), `seq ${seq}: the rows it touched`);
    }
    t.strictSame(clone(page), clone(reference), `seq ${seq}: the page's state`);
  }
  for (const other of [
    { type: 'pong', id: 1 },
    { type: 'subscribed', id: 2, channels: ['x'] },
  ])
    t.equal(
      readServerFrame(encodeServerMessage(other as never, 'msgpack'), strings),
      null,
      `${other.type}: not a frame`,
    );
});
