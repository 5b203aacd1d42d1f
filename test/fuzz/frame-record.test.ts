// The in-place frame reader against random byte damage: for every damaged record it either falls
// back (null) or reads exactly what the generic path reads, and it never throws or reads past the
// record's end (the same bytes followed by garbage in one buffer must read the same).
import { Packr } from 'msgpackr';
import t from 'tap';
import { FrameStrings, readFrameRecord } from '../../codecs/frame-record.js';
import { MsgpackWriter } from '../../codecs/msgpack.js';
import { applyFrame, checkFrame } from '../../engine/frames.js';
import { CounterRng } from '../../maths/random.js';
import { decodeEnvelope, writeFrameEnvelopeHeader } from '../../streams/envelope.js';

const rng = new CounterRng(777);
const rnd = () => rng.uniform();
const packr = new Packr({ useRecords: false, variableMapSize: true });

function record(seq: number): Uint8Array {
  const rows: Record<string, unknown> = {};
  for (let i = 0; i < 1 + Math.floor(rnd() * 6); i++)
    rows[`TX${i}`] = rnd() < 0.1 ? null : { mark: rnd() * 100, qty: Math.floor(rnd() * 1e5), note: 'ok' };
  const frame = {
    channel: 'positions:P-1',
    type: rnd() < 0.2 ? 'snapshot' : 'update',
    seq,
    asOf: 1795000000000 + seq,
    inputSeq: seq * 3,
    data: { portfolio: 'P-1', totals: { nav: rnd() * 1e6 }, rows },
  };
  const w = new MsgpackWriter();
  writeFrameEnvelopeHeader(w, 'engine-1', seq, frame.asOf);
  return w.raw(packr.pack(frame)).take();
}

/** The generic path's frame and merged state, or null where it refuses the record. */
function generic(bytes: Uint8Array) {
  try {
    const f = checkFrame(decodeEnvelope(bytes).body);
    if (typeof f.inputSeq !== 'number') return null;
    return { f, state: applyFrame({ rows: { TX0: { mark: 1 } } }, { ...f, type: 'update' }, true) };
  } catch {
    return null;
  }
}

t.test('damaged records: null, or what the generic path reads; never a throw', async (t) => {
  const strings = new FrameStrings();
  let read = 0;
  let wrong = 0;
  let threw = 0;
  for (let round = 0; round < 4000; round++) {
    const bytes = record(round);
    const damage = Math.floor(rnd() * 4);
    for (let d = 0; d < damage; d++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
    const cut = rnd() < 0.25 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
    const exact = cut.slice();
    const padded = new Uint8Array(cut.length + 64).fill(0xdf);
    padded.set(cut);
    try {
      const got = readFrameRecord(exact, strings);
      const strayed = readFrameRecord(padded.subarray(0, cut.length), strings);
      if ((got === null) !== (strayed === null)) wrong++;
      if (got === null) continue;
      read++;
      const want = generic(exact);
      const state = { rows: { TX0: { mark: 1 } } } as Record<string, unknown>;
      got.mergeInto(state);
      if (
        want === null ||
        JSON.stringify([got.channel, got.type, got.seq, got.asOf, got.inputSeq, got.data]) !==
          JSON.stringify([want.f.channel, want.f.type, want.f.seq, want.f.asOf, want.f.inputSeq, want.f.data]) ||
        JSON.stringify(state) !== JSON.stringify(want.state)
      ) {
        wrong++;
        if (wrong <= 3) t.fail(`round ${round}: read ${JSON.stringify(got.data)}, generic ${JSON.stringify(want)}`);
      }
    } catch (err) {
      threw++;
      if (threw <= 3) t.fail(`round ${round}: threw ${(err as Error).stack}`);
    }
  }
  t.equal(threw, 0, 'no throw');
  t.equal(wrong, 0, 'every record read agrees with the generic path');
  t.ok(read > 1000, `${read} of 4000 damaged records still read in place`);
});
