// firstK against the full sort it replaces, on random data with ties and refused items.
import t from 'tap';
import { firstK } from '../../../../engine/risk/top.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

t.test('equals sorting every kept item and taking the first k', (t) => {
  const rnd = lcg(11);
  for (let trial = 0; trial < 300; trial++) {
    const n = Math.floor(rnd() * 60);
    const k = Math.floor(rnd() * 8);
    // Few distinct values, so ties are common; zeros are refused as the stress report refuses them.
    const v = Array.from({ length: n }, () => Math.floor(rnd() * 7) - 3);
    const before = (a: number, b: number) => v[a] < v[b] || (v[a] === v[b] && a < b);
    const keep = (j: number) => v[j] !== 0;
    const expected = v
      .map((_, j) => j)
      .filter(keep)
      .sort((a, b) => v[a] - v[b] || a - b)
      .slice(0, k);
    t.same(firstK(n, k, before, keep), expected, `n ${n}, k ${k}`);
  }
  t.end();
});

t.test('k of zero, no items, fewer items than k', (t) => {
  const before = (a: number, b: number) => a > b;
  t.same(firstK(10, 0, before), []);
  t.same(firstK(0, 5, before), []);
  t.same(firstK(3, 5, before), [2, 1, 0]);
  t.end();
});
