// VaR backtests over a VaR history and the realised P&L of the same days: exceptions, Kupiec's
// proportion-of-failures test (Kupiec 1995, "Techniques for verifying the accuracy of risk
// measurement models", J. Derivatives 3(2)), Christoffersen's independence and conditional
// coverage tests (Christoffersen 1998, "Evaluating interval forecasts", Int. Econ. Review 39(4)),
// and the Basel traffic light (Basel Committee on Banking Supervision, January 1996, "Supervisory
// framework for the use of 'backtesting' in conjunction with the internal models approach to
// market risk capital requirements", Table 2). Pure; O(T).

/** ln Γ(x) for x > 0: Lanczos (g = 7, 9 terms; Godfrey's coefficients), relative error ~1e-15. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** P(a, x) by its series, for x < a + 1 (Numerical Recipes §6.2). */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < 1000 && Math.abs(del) > Math.abs(sum) * EPS; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1. */
function gammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), a > 0, x ≥ 0. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`gammaQ needs a > 0 and x >= 0, got ${a}, ${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}

/**
 * P(χ²_k > x), the p-value of a likelihood-ratio statistic with k degrees of freedom:
 * Q(k/2, x/2) (for k = 1 that is erfc(√(x/2)); for k = 2, e^{−x/2}, used directly).
 */
export function chiSquareSurvival(x: number, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`degrees of freedom must be an integer ≥ 1, got ${k}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return k === 2 ? Math.exp(-x / 2) : gammaQ(k / 2, x / 2);
}

/** n · ln p, with 0 · ln 0 = 0 (the likelihoods' convention for empty cells). */
function xlog(n: number, p: number): number {
  return n === 0 ? 0 : n * Math.log(p);
}

export interface LikelihoodRatio {
  lr: number;
  pValue: number;
}

/**
 * Kupiec POF: LR = −2 ln[(1−p)^{T−N} p^N] + 2 ln[(1−N/T)^{T−N} (N/T)^N], χ²(1) under the model,
 * with p = 1 − coverage the expected exception rate.
 */
export function kupiec(observations: number, exceptions: number, p: number): LikelihoodRatio {
  const t = observations;
  const n = exceptions;
  if (!Number.isInteger(t) || t < 1 || !Number.isInteger(n) || n < 0 || n > t) {
    throw new RangeError(`kupiec needs integers 0 <= exceptions <= observations >= 1, got ${n} of ${t}`);
  }
  if (!(p > 0 && p < 1)) throw new RangeError(`exception probability must be in (0, 1), got ${p}`);
  const lr = Math.max(0, -2 * (xlog(t - n, 1 - p) + xlog(n, p)) + 2 * (xlog(t - n, 1 - n / t) + xlog(n, n / t)));
  return { lr, pValue: chiSquareSurvival(lr, 1) };
}

export interface Transitions {
  /** n_ij: days with indicator j following a day with indicator i. */
  n00: number;
  n01: number;
  n10: number;
  n11: number;
}

/** Transition counts of a 0/1 exception sequence (T − 1 transitions). */
export function transitions(hits: ArrayLike<number>): Transitions {
  const c = [0, 0, 0, 0];
  for (let t = 1; t < hits.length; t++) c[(hits[t - 1] ? 2 : 0) + (hits[t] ? 1 : 0)]++;
  return { n00: c[0], n01: c[1], n10: c[2], n11: c[3] };
}

/**
 * Christoffersen independence: first-order Markov alternative against independence,
 * LR = −2 ln[(1−π)^{n00+n10} π^{n01+n11}] + 2 ln[(1−π01)^{n00} π01^{n01} (1−π11)^{n10} π11^{n11}], χ²(1).
 */
export function christoffersen(c: Transitions): LikelihoodRatio {
  const { n00, n01, n10, n11 } = c;
  const total = n00 + n01 + n10 + n11;
  if (total === 0) return { lr: 0, pValue: 1 };
  const pi = (n01 + n11) / total;
  const pi01 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi11 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const restricted = xlog(n00 + n10, 1 - pi) + xlog(n01 + n11, pi);
  const free = xlog(n00, 1 - pi01) + xlog(n01, pi01) + xlog(n10, 1 - pi11) + xlog(n11, pi11);
  const lr = Math.max(0, -2 * restricted + 2 * free);
  return { lr, pValue: chiSquareSurvival(lr, 1) };
}

/** P(X ≤ n) for X ~ Binomial(t, p), summed in log space (no underflow at large t). */
export function binomialCdf(n: number, t: number, p: number): number {
  if (n < 0) return 0;
  if (n >= t) return 1;
  const odds = Math.log(p) - Math.log1p(-p);
  let logPmf = t * Math.log1p(-p);
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logPmf += Math.log((t - k + 1) / k) + odds;
    sum += Math.exp(logPmf);
  }
  return Math.min(1, sum);
}

export type BaselZone = 'green' | 'yellow' | 'red';

/** Basel 1996 Table 2: plus factor by exceptions in 250 observations at 99 %, 0..10+. */
const PLUS_FACTOR = [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85, 1];

export interface TrafficLight {
  zone: BaselZone;
  /** Basel's addition to the capital multiplier (3 + plus factor); null outside 250 days at 99 %. */
  plusFactor: number | null;
  /** P(X ≤ exceptions) under a correct model, X ~ Binomial(observations, 1 − coverage). */
  cumulativeProbability: number;
}

/**
 * The traffic-light zone. At 250 observations and 99 % it is Basel's table: green 0–4, yellow 5–9,
 * red 10+, with its plus factors. Otherwise the table's own rule: yellow from the first count whose
 * cumulative binomial probability reaches 95 %, red from the first reaching 99.99 %; no plus factor.
 */
export function trafficLight(observations: number, exceptions: number, coverage: number): TrafficLight {
  const p = 1 - coverage;
  const cumulativeProbability = binomialCdf(exceptions, observations, p);
  if (observations === 250 && Math.abs(coverage - 0.99) < 1e-12) {
    const zone = exceptions <= 4 ? 'green' : exceptions <= 9 ? 'yellow' : 'red';
    return { zone, plusFactor: PLUS_FACTOR[Math.min(exceptions, 10)], cumulativeProbability };
  }
  const zone = cumulativeProbability < 0.95 ? 'green' : cumulativeProbability < 0.9999 ? 'yellow' : 'red';
  return { zone, plusFactor: null, cumulativeProbability };
}

export interface BacktestResult {
  observations: number;
  exceptions: number;
  /** Expected exceptions under the model: observations × (1 − coverage). */
  expected: number;
  /** 0/1 per day: loss (−P&L) above that day's VaR. */
  hits: Uint8Array;
  kupiec: LikelihoodRatio;
  transitions: Transitions;
  independence: LikelihoodRatio;
  /** LR_cc = LR_pof + LR_ind, χ²(2). */
  conditional: LikelihoodRatio;
  trafficLight: TrafficLight;
}

/** Exceptions per day: −pnl[t] > var[t] (VaR a positive loss, P&L gains positive). */
export function exceptions(varSeries: ArrayLike<number>, pnl: ArrayLike<number>, out?: Uint8Array): Uint8Array {
  if (varSeries.length !== pnl.length)
    throw new RangeError(`VaR and P&L lengths differ: ${varSeries.length}, ${pnl.length}`);
  const hits = out ?? new Uint8Array(pnl.length);
  for (let t = 0; t < pnl.length; t++) {
    if (!Number.isFinite(varSeries[t]) || !Number.isFinite(pnl[t])) {
      throw new RangeError(`day ${t}: VaR and P&L must be finite, got ${varSeries[t]} and ${pnl[t]}`);
    }
    hits[t] = -pnl[t] > varSeries[t] ? 1 : 0;
  }
  return hits;
}

/** Every backtest of one VaR series at `coverage` (e.g. 0.99) against the realised P&L of the same days. */
export function backtest(varSeries: ArrayLike<number>, pnl: ArrayLike<number>, coverage: number): BacktestResult {
  if (!(coverage > 0 && coverage < 1)) throw new RangeError(`coverage must be in (0, 1), got ${coverage}`);
  if (pnl.length < 1) throw new RangeError('a backtest needs at least one day');
  const hits = exceptions(varSeries, pnl);
  let n = 0;
  for (let t = 0; t < hits.length; t++) n += hits[t];
  const t = hits.length;
  const pof = kupiec(t, n, 1 - coverage);
  const trans = transitions(hits);
  const independence = christoffersen(trans);
  const cc = pof.lr + independence.lr;
  return {
    observations: t,
    exceptions: n,
    expected: t * (1 - coverage),
    hits,
    kupiec: pof,
    transitions: trans,
    independence,
    conditional: { lr: cc, pValue: chiSquareSurvival(cc, 2) },
    trafficLight: trafficLight(t, n, coverage),
  };
}
