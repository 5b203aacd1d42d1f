import t from 'tap';
import { AliasTable, CounterRng, philox4x32, uniformAt } from '../../../maths/random.js';

const hex = (w: Uint32Array): string[] => [...w].map((x) => x.toString(16).padStart(8, '0'));

t.test('Philox4x32-10 matches the Random123 known-answer vectors', async (t) => {
  t.same(hex(philox4x32(0, 0, 0, 0, 0, 0)), ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  const f = 0xffffffff;
  t.same(hex(philox4x32(f, f, f, f, f, f)), ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
  t.same(hex(philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0)), [
    'd16cfe09',
    '94fdcceb',
    '5001e420',
    '24126ea1',
  ]);
});

t.test('same seed and stream give the same draws; uniformAt and seek reproduce any draw', async (t) => {
  const a = new CounterRng(123, 7);
  const b = new CounterRng(123, 7);
  const xs: number[] = [];
  for (let i = 0; i < 1001; i++) xs.push(a.uniform());
  t.same(
    xs.map(() => b.uniform()),
    xs,
  );
  t.equal(a.counter, 1001);
  for (const c of [0, 1, 2, 501, 1000]) {
    t.equal(uniformAt(123, 7, c), xs[c], `uniformAt ${c}`);
    t.equal(new CounterRng(123, 7).seek(c).uniform(), xs[c], `seek ${c}`);
  }
  // Far counters and large seeds/streams (above 2^32) work and agree.
  const far = 2 ** 40 + 3;
  t.equal(new CounterRng(2 ** 35 + 1, 2 ** 33).seek(far).uniform(), uniformAt(2 ** 35 + 1, 2 ** 33, far));
  t.not(uniformAt(2 ** 35 + 1, 0, 5), uniformAt(1, 0, 5), 'the seed high word matters');
  t.not(uniformAt(1, 2 ** 33, 5), uniformAt(1, 0, 5), 'the stream high word matters');
  t.not(uniformAt(1, 0, 2 ** 33 + 4), uniformAt(1, 0, 4), 'the counter high word matters');

  const n1 = new CounterRng(9, 1);
  const normals = [n1.normal(), n1.normal(), n1.normal()];
  t.equal(n1.counter, 4, 'a normal pair consumes two uniforms');
  const n2 = new CounterRng(9, 1).seek(2);
  t.equal(n2.normal(), normals[2], 'seek forgets the cached normal and restarts the pair');
});

t.test('different seeds and different streams give different, uncorrelated sequences', async (t) => {
  const n = 100_000;
  const corr = (x: CounterRng, y: CounterRng): number => {
    let sx = 0,
      sy = 0,
      sxx = 0,
      syy = 0,
      sxy = 0;
    for (let i = 0; i < n; i++) {
      const a = x.uniform();
      const b = y.uniform();
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
    const cov = sxy / n - (sx / n) * (sy / n);
    return cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
  };
  t.not(new CounterRng(1, 0).uniform(), new CounterRng(2, 0).uniform());
  t.not(new CounterRng(1, 0).uniform(), new CounterRng(1, 1).uniform());
  t.ok(Math.abs(corr(new CounterRng(1, 0), new CounterRng(1, 1))) < 0.015, 'adjacent streams');
  t.ok(Math.abs(corr(new CounterRng(1, 0), new CounterRng(2, 0))) < 0.015, 'adjacent seeds');
  // Lagged self-correlation within one stream.
  const r = new CounterRng(5, 0);
  const lag = new CounterRng(5, 0);
  lag.uniform();
  t.ok(Math.abs(corr(r, lag)) < 0.015, 'lag-1 autocorrelation');
});

t.test('uniforms lie in [0, 1) with the right moments and fill the range', async (t) => {
  const r = new CounterRng(2024);
  const n = 100_000;
  let s = 0,
    ss = 0,
    min = 1,
    max = 0;
  const bins = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    if (!(u >= 0 && u < 1)) t.fail(`out of range: ${u}`);
    s += u;
    ss += u * u;
    if (u < min) min = u;
    if (u > max) max = u;
    bins[Math.floor(u * 10)]++;
  }
  const mean = s / n;
  t.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  t.ok(Math.abs(ss / n - mean * mean - 1 / 12) < 0.002, 'variance 1/12');
  t.ok(min < 1e-3 && max > 1 - 1e-3);
  for (const b of bins) t.ok(Math.abs(b - n / 10) < 500, `decile count ${b}`);
  // 53 random bits: values are not all multiples of 2^-32.
  let fine = 0;
  for (let i = 0; i < 100; i++) if ((r.uniform() * 2 ** 32) % 1 !== 0) fine++;
  t.ok(fine > 90, 'uses more than 32 bits');
});

t.test('normals have mean 0, variance 1, no skew and normal kurtosis', async (t) => {
  const r = new CounterRng(77, 3);
  const n = 100_000;
  let m1 = 0,
    m2 = 0,
    m3 = 0,
    m4 = 0,
    beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    m1 += z;
    m2 += z * z;
    m3 += z * z * z;
    m4 += z * z * z * z;
    if (Math.abs(z) > 1.959964) beyond2++;
  }
  t.ok(Math.abs(m1 / n) < 0.015, `mean ${m1 / n}`);
  t.ok(Math.abs(m2 / n - 1) < 0.02, `variance ${m2 / n}`);
  t.ok(Math.abs(m3 / n) < 0.05, `skew ${m3 / n}`);
  t.ok(Math.abs(m4 / n - 3) < 0.1, `kurtosis ${m4 / n}`);
  t.ok(Math.abs(beyond2 / n - 0.05) < 0.004, `two-sided 5% tail ${beyond2 / n}`);
});

t.test('int, range and poisson', async (t) => {
  const r = new CounterRng(8);
  const seen = new Set<number>();
  let bad = 0;
  for (let i = 0; i < 1000; i++) {
    const k = r.int(7);
    if (!(Number.isInteger(k) && k >= 0 && k < 7)) bad++;
    seen.add(k);
  }
  t.equal(bad, 0);
  t.equal(seen.size, 7);
  t.throws(() => r.int(0), RangeError);
  t.throws(() => new CounterRng(1.5), RangeError);
  t.throws(() => uniformAt(1, 0, -1), RangeError);
  let outside = 0;
  for (let i = 0; i < 100; i++) {
    const x = r.range(-2, 3);
    if (!(x >= -2 && x < 3)) outside++;
  }
  t.equal(outside, 0);
  let sum = 0;
  for (let i = 0; i < 20000; i++) sum += r.poisson(0.3);
  t.ok(Math.abs(sum / 20000 - 0.3) < 0.02, `poisson mean ${sum / 20000}`);
  t.equal(r.poisson(0), 0);
});

t.test('AliasTable draws indices in proportion to their weights', async (t) => {
  const table = new AliasTable([1, 0, 3, 0.5, 5.5]);
  const r = new CounterRng(11);
  const counts = [0, 0, 0, 0, 0];
  const n = 100_000;
  for (let i = 0; i < n; i++) counts[table.pick(r.uniform())]++;
  const want = [0.1, 0, 0.3, 0.05, 0.55];
  counts.forEach((c, i) => t.ok(Math.abs(c / n - want[i]) < 0.006, `index ${i}: ${c / n} vs ${want[i]}`));
  t.equal(new AliasTable([2]).pick(0.999), 0);
  t.throws(() => new AliasTable([0, 0]), RangeError);
  t.throws(() => new AliasTable([1, -1]), RangeError);
});
