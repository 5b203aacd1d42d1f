// maths/random.ts's fast paths against independent references: philox4x32 against a BigInt
// Philox4x32-10 written from the paper's round function, and normalPairs (Philox inlined four blocks
// at a time) against CounterRng's draws, bit for bit, across batch tails and 32-bit carries.
import t from 'tap';
import { CounterRng, normalPairs, philox4x32 } from '../../../maths/random.js';

/** Philox4x32-10 in BigInt: (c0, c1, c2, c3) ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)). */
function philoxBig(c: number[], k: number[]): number[] {
  const mask = 0xffffffffn;
  let [c0, c1, c2, c3] = c.map(BigInt);
  let [k0, k1] = k.map(BigInt);
  for (let r = 0; r < 10; r++) {
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & mask, (p0 >> 32n) ^ c3 ^ k1, p0 & mask];
    k0 = (k0 + 0x9e3779b9n) & mask;
    k1 = (k1 + 0xbb67ae85n) & mask;
  }
  return [c0, c1, c2, c3].map(Number);
}

t.test('philox4x32 equals a BigInt Philox on 20,000 counters, extremes included', async (t) => {
  const g = new CounterRng(99);
  const word = (): number => Math.floor(g.uniform() * 2 ** 32);
  const edges = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  let bad = '';
  for (let i = 0; i < 20000 && !bad; i++) {
    const w = Array.from({ length: 6 }, word);
    if (i < 36) [w[0], w[2]] = [edges[i % 6], edges[Math.floor(i / 6)]]; // the multiplied words at their extremes
    const got = [...philox4x32(w[0], w[1], w[2], w[3], w[4], w[5])];
    const want = philoxBig(w.slice(0, 4), w.slice(4));
    if (got.join() !== want.join()) bad = `${w.join()}: ${got.join()} vs ${want.join()}`;
  }
  t.equal(bad, '', 'every counter agrees');
});

/** CounterRng's pair of block b: seek(2b), then two normal() calls. */
function pairOf(seed: number, stream: number, b: number): [number, number] {
  const g = new CounterRng(seed, stream).seek(2 * b);
  return [g.normal(), g.normal()];
}

t.test('normalPairs equals CounterRng draws bit for bit (batch tails, offsets, 32-bit carries)', async (t) => {
  const cases = [
    { seed: 42, stream: 81818, first: 0, count: 1 },
    { seed: 42, stream: 81818, first: 5, count: 7 },
    { seed: -5, stream: 2 ** 33 + 2, first: 2 ** 32 - 3, count: 9 }, // the block's high word carries mid-batch
    { seed: 2 ** 40 + 17, stream: 3, first: 2 ** 45 + 1, count: 4 },
    { seed: 1, stream: 0, first: 2 ** 32 - 4, count: 4 }, // carries at the batch's end
  ];
  for (const c of cases) {
    const out = new Float64Array(2 * c.count + 3).fill(7);
    normalPairs(c.seed, c.stream, c.first, c.count, out, 3);
    const want = [7, 7, 7];
    for (let j = 0; j < c.count; j++) want.push(...pairOf(c.seed, c.stream, c.first + j));
    t.same([...out], want, `seed ${c.seed} stream ${c.stream} first ${c.first} count ${c.count}, at 3`);
  }
  const untouched = Float64Array.of(1, 2);
  normalPairs(42, 0, 0, 0, untouched);
  t.same([...untouched], [1, 2], 'count 0 writes nothing');
});
