// Seeded, counter-based random numbers. Every draw is a pure function of (seed, stream, counter):
// the generator is Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy
// as 1, 2, 3", SC'11) — the same algorithm as cuRAND's and Random123's, so a native or GPU backend
// can reproduce these exact numbers. A block is Philox(counter = [block lo, block hi, stream lo,
// stream hi], key = [seed lo, seed hi]) and gives 128 bits = two 53-bit uniforms. Streams with
// different ids never share a counter, so they are independent; any draw can be recomputed by
// seeking to its counter. Pure: no wall clock, no Math.random, no I/O, no allocation per draw.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO32 = 4294967296;
const TWO_M32 = 1 / TWO32;
const TWO_M53 = 1 / 9007199254740992;
const TWO_PI = 2 * Math.PI;

/**
 * High 32 bits of the 64-bit product m·b (uint32s; `lo` = its low 32 bits, from Math.imul). The
 * double product is off by at most 2^11 and the subtraction by as much again, so (m·b − lo)/2^32 is
 * the high word within 2^−20, and +0.5 then truncation gives it exactly: no BigInt, no allocation.
 */
function mulhi(m: number, b: number, lo: number): number {
  return ((m * b - lo) * TWO_M32 + 0.5) >>> 0;
}

/** The four words of the last block computed (module scratch: single-threaded, not re-entrant). */
const block = new Uint32Array(4);

/**
 * Philox4x32-10 on counter (c0..c3) and key (k0, k1), all uint32; the result is left in `out`
 * (default: the module's scratch block) and returned.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array = block,
): Uint32Array {
  c0 >>>= 0;
  c1 |= 0;
  c2 >>>= 0;
  c3 |= 0;
  k0 |= 0;
  k1 |= 0;
  for (let r = 0; r < 10; r++) {
    const lo0 = Math.imul(M0, c0) >>> 0;
    const lo1 = Math.imul(M1, c2) >>> 0;
    const hi0 = mulhi(M0, c0, lo0);
    const hi1 = mulhi(M1, c2, lo1);
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1 | 0;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0 | 0;
    k0 = (k0 + W0) | 0;
    k1 = (k1 + W1) | 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/**
 * The uniforms (u1, u2) of blocks first … first + count − 1 into out[at + 2j], out[at + 2j + 1].
 * Philox is inlined four blocks at a time: four independent chains of multiplies per round keep
 * the CPU busy where one chain would wait on each product. Blocks past the end are computed and dropped.
 */
function philoxUniforms(
  k0: number,
  k1: number,
  s0: number,
  s1: number,
  first: number,
  count: number,
  out: Float64Array,
  at: number,
): void {
  let lo = first >>> 0;
  let hi = Math.floor(first / TWO32) | 0;
  for (let j = 0; j < count; j += 4) {
    // Counter words of the four blocks (the high word carries when the low one wraps).
    const lb = (lo + 1) >>> 0,
      hb = lb === 0 ? (hi + 1) | 0 : hi;
    const lc = (lb + 1) >>> 0,
      hc = lc === 0 ? (hb + 1) | 0 : hb;
    const ld = (lc + 1) >>> 0,
      hd = ld === 0 ? (hc + 1) | 0 : hc;
    let a0 = lo,
      a1 = hi,
      a2 = s0,
      a3 = s1;
    let b0 = lb,
      b1 = hb,
      b2 = s0,
      b3 = s1;
    let c0 = lc,
      c1 = hc,
      c2 = s0,
      c3 = s1;
    let d0 = ld,
      d1 = hd,
      d2 = s0,
      d3 = s1;
    let key0 = k0,
      key1 = k1;
    for (let r = 0; r < 10; r++) {
      const la0 = Math.imul(M0, a0) >>> 0,
        la2 = Math.imul(M1, a2) >>> 0;
      const lb0 = Math.imul(M0, b0) >>> 0,
        lb2 = Math.imul(M1, b2) >>> 0;
      const lc0 = Math.imul(M0, c0) >>> 0,
        lc2 = Math.imul(M1, c2) >>> 0;
      const ld0 = Math.imul(M0, d0) >>> 0,
        ld2 = Math.imul(M1, d2) >>> 0;
      const ha0 = mulhi(M0, a0, la0),
        ha2 = mulhi(M1, a2, la2);
      const hb0 = mulhi(M0, b0, lb0),
        hb2 = mulhi(M1, b2, lb2);
      const hc0 = mulhi(M0, c0, lc0),
        hc2 = mulhi(M1, c2, lc2);
      const hd0 = mulhi(M0, d0, ld0),
        hd2 = mulhi(M1, d2, ld2);
      a0 = (ha2 ^ a1 ^ key0) >>> 0;
      a1 = la2 | 0;
      a2 = (ha0 ^ a3 ^ key1) >>> 0;
      a3 = la0 | 0;
      b0 = (hb2 ^ b1 ^ key0) >>> 0;
      b1 = lb2 | 0;
      b2 = (hb0 ^ b3 ^ key1) >>> 0;
      b3 = lb0 | 0;
      c0 = (hc2 ^ c1 ^ key0) >>> 0;
      c1 = lc2 | 0;
      c2 = (hc0 ^ c3 ^ key1) >>> 0;
      c3 = lc0 | 0;
      d0 = (hd2 ^ d1 ^ key0) >>> 0;
      d1 = ld2 | 0;
      d2 = (hd0 ^ d3 ^ key1) >>> 0;
      d3 = ld0 | 0;
      key0 = (key0 + W0) | 0;
      key1 = (key1 + W1) | 0;
    }
    const o = at + 2 * j;
    const n = Math.min(4, count - j);
    out[o] = ((a0 >>> 6) * 134217728 + (a1 >>> 5)) * TWO_M53;
    out[o + 1] = ((a2 >>> 6) * 134217728 + (a3 >>> 5)) * TWO_M53;
    if (n > 1) out[o + 2] = ((b0 >>> 6) * 134217728 + (b1 >>> 5)) * TWO_M53;
    if (n > 1) out[o + 3] = ((b2 >>> 6) * 134217728 + (b3 >>> 5)) * TWO_M53;
    if (n > 2) out[o + 4] = ((c0 >>> 6) * 134217728 + (c1 >>> 5)) * TWO_M53;
    if (n > 2) out[o + 5] = ((c2 >>> 6) * 134217728 + (c3 >>> 5)) * TWO_M53;
    if (n > 3) out[o + 6] = ((d0 >>> 6) * 134217728 + (d1 >>> 5)) * TWO_M53;
    if (n > 3) out[o + 7] = ((d2 >>> 6) * 134217728 + (d3 >>> 5)) * TWO_M53;
    lo = (ld + 1) >>> 0;
    hi = lo === 0 ? (hd + 1) | 0 : hd;
  }
}

/**
 * The normal pairs of blocks first … first + count − 1 of (seed, stream) into out[at + 2j] (z_even)
 * and out[at + 2j + 1] (z_odd): Box–Muller r = √(−2 ln(1 − u1)), θ = 2π u2 on the block's uniforms,
 * exactly CounterRng.seek(2·block) then two normal() calls. No allocation; the uniforms are parked in `out`.
 */
export function normalPairs(
  seed: number,
  stream: number,
  first: number,
  count: number,
  out: Float64Array,
  at = 0,
): void {
  if (!(count > 0)) return;
  const k1 = Math.floor(seed / TWO32) | 0;
  const s1 = Math.floor(stream / TWO32) | 0;
  philoxUniforms(seed | 0, k1, stream >>> 0, s1, first, count, out, at);
  for (let o = at; o < at + 2 * count; o += 2) {
    const rad = Math.sqrt(-2 * Math.log(1 - out[o]));
    const theta = TWO_PI * out[o + 1];
    out[o] = rad * Math.cos(theta);
    out[o + 1] = rad * Math.sin(theta);
  }
}

function checkId(name: string, x: number): void {
  if (!Number.isSafeInteger(x)) throw new RangeError(`${name} must be a safe integer, got ${x}`);
}

function checkCounter(c: number): void {
  if (!Number.isSafeInteger(c) || c < 0) throw new RangeError(`counter must be a non-negative safe integer, got ${c}`);
}

const lo32 = (x: number): number => x >>> 0;
const hi32 = (x: number): number => Math.floor(x / TWO32) >>> 0;

/** 53-bit uniform in [0, 1) from two 32-bit words (the top 26 and 27 bits). */
function toUniform(a: number, b: number): number {
  return ((a >>> 6) * 134217728 + (b >>> 5)) * TWO_M53;
}

/** The uniform in [0, 1) that draw number `counter` of (seed, stream) yields — what CounterRng gives after seek(counter). */
export function uniformAt(seed: number, stream: number, counter: number): number {
  checkId('seed', seed);
  checkId('stream', stream);
  checkCounter(counter);
  const b = Math.floor(counter / 2);
  const w = philox4x32(lo32(b), hi32(b), lo32(stream), hi32(stream), lo32(seed), hi32(seed));
  return counter % 2 === 0 ? toUniform(w[0], w[1]) : toUniform(w[2], w[3]);
}

/**
 * A stream of draws. `counter` counts uniforms consumed; a normal consumes two (Box–Muller: the
 * second value of the pair is kept for the next call), so the n-th value is reproducible by
 * seek(). Uniforms are cached per block, so a block of 128 bits is computed once for two draws.
 */
export class CounterRng {
  readonly seed: number;
  readonly stream: number;
  private readonly k0: number;
  private readonly k1: number;
  private readonly s0: number;
  private readonly s1: number;
  private ctr = 0;
  /** Second uniform of the current block, valid when ctr is odd. */
  private pending = 0;
  private hasPending = false;
  private spareNormal = 0;
  private hasSpareNormal = false;

  constructor(seed: number, stream = 0) {
    checkId('seed', seed);
    checkId('stream', stream);
    this.seed = seed;
    this.stream = stream;
    this.k0 = lo32(seed);
    this.k1 = hi32(seed);
    this.s0 = lo32(stream);
    this.s1 = hi32(stream);
  }

  /** Number of uniforms consumed so far (the counter of the next draw). */
  get counter(): number {
    return this.ctr;
  }

  /** Moves to draw number `counter`; forgets a cached Box–Muller value. */
  seek(counter: number): this {
    checkCounter(counter);
    this.ctr = counter;
    this.hasSpareNormal = false;
    this.hasPending = false;
    if (counter % 2 === 1) {
      const b = (counter - 1) / 2;
      const w = philox4x32(lo32(b), hi32(b), this.s0, this.s1, this.k0, this.k1);
      this.pending = toUniform(w[2], w[3]);
      this.hasPending = true;
    }
    return this;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    if (this.hasPending) {
      this.hasPending = false;
      this.ctr++;
      return this.pending;
    }
    const b = this.ctr / 2;
    const w = philox4x32(b >>> 0, b >= TWO32 ? hi32(b) : 0, this.s0, this.s1, this.k0, this.k1);
    this.pending = toUniform(w[2], w[3]);
    this.hasPending = true;
    this.ctr++;
    return toUniform(w[0], w[1]);
  }

  /** Standard normal (Box–Muller; the sine half is cached for the next call). */
  normal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    const u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(1 - u1));
    const theta = TWO_PI * u2;
    this.spareNormal = r * Math.sin(theta);
    this.hasSpareNormal = true;
    return r * Math.cos(theta);
  }

  /** Integer in [0, n) for 0 < n ≤ 2^53 (bias below 2^-53·n, negligible for simulation). */
  int(n: number): number {
    if (!(n > 0) || n > 9007199254740992) throw new RangeError(`int(n) needs 0 < n ≤ 2^53, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Uniform in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.uniform();
  }

  /** Poisson count with mean `lambda` ≥ 0 by inversion (meant for small lambda, as in jump counts). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    const u = this.uniform();
    let p = Math.exp(-lambda);
    let cdf = p;
    let k = 0;
    while (u >= cdf && k < 1000) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
}

/**
 * Walker's alias method (Vose's construction): draws index i with probability w_i / Σw in O(1)
 * from a single uniform, whatever the number of weights.
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (!(weights[i] >= 0 && weights[i] < Infinity)) throw new RangeError(`weight ${i} must be finite and >= 0`);
      sum += weights[i];
    }
    if (!(sum > 0)) throw new RangeError('at least one weight must be positive');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = Float64Array.from(weights, (w) => (w * n) / sum);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const g = large.pop() as number;
      this.prob[s] = scaled[s];
      this.alias[s] = g;
      scaled[g] = scaled[g] + scaled[s] - 1;
      (scaled[g] < 1 ? small : large).push(g);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  /** The index chosen by uniform u in [0, 1). */
  pick(u: number): number {
    const x = u * this.size;
    const i = Math.floor(x);
    return x - i < this.prob[i] ? i : this.alias[i];
  }
}
