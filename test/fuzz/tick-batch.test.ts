// The zero-allocation tick reader against the reference path (msgpackr decode + validateTickTuple)
// on random batches, and against random byte damage: it must agree, or fall back, and never throw.
import { Packr } from 'msgpackr';
import t from 'tap';
import { validateTickTuple } from '../../engine/validate.js';
import { decodeEnvelope } from '../../streams/envelope.js';
import { InstrumentBytes } from '../../codecs/msgpack-cursor.js';
import { readTickBatch } from '../../streams/tick-batch.js';
import { CounterRng } from '../../maths/random.js';

const ids = Array.from({ length: 50 }, (_, i) => (i % 7 === 0 ? `ÉQ-${i}` : `EQ${i}`));
const index = (id: string) => ids.indexOf(id);
const rng = new CounterRng(12345);
const rnd = () => rng.uniform();
const packr = new Packr({ useRecords: false, variableMapSize: true });

function randomValue(): unknown {
  const r = rnd();
  if (r < 0.2) return Math.floor(rnd() * 300) - 50;
  if (r < 0.4) return rnd() * 1000;
  if (r < 0.5) return 1795000000000 + Math.floor(rnd() * 1e6);
  if (r < 0.6) return ids[Math.floor(rnd() * ids.length)];
  if (r < 0.65) return null;
  if (r < 0.7) return [1, 'x'];
  return -rnd();
}

function randomTuple(): unknown {
  if (rnd() < 0.8) {
    const bid = 1 + rnd() * 500;
    const ask = bid * (1 + rnd() * 0.001);
    const id = rnd() < 0.95 ? ids[Math.floor(rnd() * ids.length)] : 'UNKNOWN';
    const ts = rnd() < 0.5 ? 1795000000000 + Math.floor(rnd() * 1e9) : Math.floor(rnd() * 100000);
    return [id, ts, bid, ask, rnd() < 0.5 ? bid : Math.round(ask)];
  }
  return Array.from({ length: rnd() < 0.8 ? 5 : Math.floor(rnd() * 7) }, randomValue);
}

function reference(bytes: Uint8Array) {
  const env = decodeEnvelope(bytes);
  const ticks: number[][] = [];
  const bad: number[] = [];
  (env.body as unknown[]).forEach((tuple, k) => {
    try {
      const [id, ts, bid, ask, last] = validateTickTuple(tuple);
      const i = index(id);
      if (i < 0) throw new Error('unknown');
      ticks.push([i, ts, bid, ask, last]);
    } catch {
      bad.push(k);
    }
  });
  return { ticks, bad };
}

function fast(bytes: Uint8Array) {
  const ticks: number[][] = [];
  const bad: number[] = [];
  const n = readTickBatch(bytes, new InstrumentBytes(index), {
    tick: (...a) => void ticks.push(a),
    bad: (k) => void bad.push(k),
  });
  return { n, ticks, bad };
}

t.test('random batches: the fast reader agrees with the reference path', async (t) => {
  let mismatches = 0;
  for (let round = 0; round < 2000; round++) {
    const body = Array.from({ length: Math.floor(rnd() * 40) }, randomTuple);
    const env: Record<string, unknown> = { v: 1, type: 'ticks', src: 'fuzz', ts: 1, seq: round, body };
    const keys = Object.keys(env).sort(() => rnd() - 0.5);
    const bytes = packr.pack(Object.fromEntries(keys.map((k) => [k, env[k]])));
    const want = reference(bytes);
    const got = fast(bytes);
    if (
      got.n !== body.length ||
      JSON.stringify(got.ticks) !== JSON.stringify(want.ticks) ||
      JSON.stringify(got.bad) !== JSON.stringify(want.bad)
    ) {
      mismatches++;
      if (mismatches <= 3) t.fail(`round ${round}: ${JSON.stringify({ body, want, got })}`);
    }
  }
  t.equal(mismatches, 0, '2000 random batches agree');
});

t.test('damaged bytes never throw: the reader visits valid ticks or falls back', async (t) => {
  let threw = 0;
  for (let round = 0; round < 3000; round++) {
    const body = Array.from({ length: 1 + Math.floor(rnd() * 10) }, randomTuple);
    const bytes = new Uint8Array(packr.pack({ v: 1, type: 'ticks', src: 'fuzz', ts: 1, seq: round, body }));
    const damage = 1 + Math.floor(rnd() * 4);
    for (let d = 0; d < damage; d++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
    const cut = rnd() < 0.3 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
    // The same bytes alone and followed by garbage in the same buffer: a reader that strayed past
    // the message's end would see the difference.
    const exact = cut.slice();
    const padded = new Uint8Array(cut.length + 64).fill(0xcb);
    padded.set(cut);
    try {
      const r = fast(exact);
      if (JSON.stringify(fast(padded.subarray(0, cut.length))) !== JSON.stringify(r))
        throw new Error('the bytes after the message changed what was read');
      for (const [i, ts, bid, ask, last] of r.ticks) {
        if (!(i >= 0 && Number.isFinite(ts) && bid > 0 && ask >= bid && last > 0))
          throw new Error(`visited an invalid tick ${[i, ts, bid, ask, last]}`);
      }
    } catch (err) {
      threw++;
      if (threw <= 3) t.fail(`round ${round}: ${(err as Error).message}`);
    }
  }
  t.equal(threw, 0, '3000 damaged messages handled without an exception');
});
