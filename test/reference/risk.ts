// Independent references for the simulation risk kernels, written from docs/risk.md with none of
// the engine's code: tail statistics and Euler components by a full sort of the scenarios (O(S log S),
// the obvious way), and a BSM / Black-76 price on the erf-based Φ of delta-normal.ts.

import { normCdf } from './delta-normal.js';

/** Scenario indices ordered by (pnl, index) ascending: rank j (1-based) is order[j − 1]. */
export function rankAll(pnl: ArrayLike<number>): number[] {
  const idx = Array.from({ length: pnl.length }, (_, i) => i);
  return idx.sort((a, b) => pnl[a] - pnl[b] || a - b);
}

export interface BruteTail {
  n: number;
  m: number;
  var: number;
  es: number;
  varScenario: number;
  order: number[];
}

/** VaR = −pnl_(m), Acerbi–Tasche ES, by full sort. */
export function bruteTail(pnl: ArrayLike<number>, alpha: number): BruteTail {
  const S = pnl.length;
  const order = rankAll(pnl);
  const n = Math.round(S * (1 - alpha) * 1e9) / 1e9;
  const m = Math.max(1, Math.ceil(n));
  const fl = Math.floor(n);
  let es: number;
  if (n < 1) es = -pnl[order[0]];
  else {
    let sum = 0;
    for (let j = 0; j < fl; j++) sum += pnl[order[j]];
    if (n > fl) sum += (n - fl) * pnl[order[fl]];
    es = -sum / n;
  }
  return { n, m, var: -pnl[order[m - 1]], es, varScenario: order[m - 1], order };
}

/**
 * Euler components by full sort: positions[p][s] is position p's P&L in scenario s. Component ES
 * weights the tail ranks as ES does; component VaR is VaR × window mean of p / window mean of the
 * portfolio, the window ranks m − w … m + w (clipped), w = ⌊S / 2000⌋.
 */
export function bruteComponents(pnl: ArrayLike<number>, positions: ArrayLike<number>[], alpha: number) {
  const S = pnl.length;
  const t = bruteTail(pnl, alpha);
  const fl = Math.floor(t.n);
  const w = Math.floor(S / 2000);
  const lo = Math.max(t.m - w, 1);
  const hi = Math.min(t.m + w, S);
  let mean = 0;
  for (let j = lo; j <= hi; j++) mean += pnl[t.order[j - 1]];
  const cVar: number[] = [];
  const cEs: number[] = [];
  for (const row of positions) {
    let win = 0;
    for (let j = lo; j <= hi; j++) win += row[t.order[j - 1]];
    cVar.push(mean === 0 ? 0 : (t.var * win) / mean);
    if (t.n < 1) cEs.push(-row[t.order[0]]);
    else {
      let sum = 0;
      for (let j = 0; j < fl; j++) sum += row[t.order[j]];
      if (t.n > fl) sum += (t.n - fl) * row[t.order[fl]];
      cEs.push(-sum / t.n);
    }
  }
  return { tail: t, componentVar: cVar, componentEs: cEs };
}

/** Generalised BSM (q) price, or Black-76 with q = r; intrinsic at T ≤ 0. */
export function refOptionPrice(
  S: number,
  K: number,
  T: number,
  vol: number,
  r: number,
  q: number,
  call: boolean,
): number {
  if (T <= 0) return Math.max(call ? S - K : K - S, 0);
  const sd = vol * Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r - q) * T) / sd + sd / 2;
  const d2 = d1 - sd;
  const fwd = S * Math.exp(-q * T);
  const pv = K * Math.exp(-r * T);
  return call ? fwd * normCdf(d1) - pv * normCdf(d2) : pv * normCdf(-d2) - fwd * normCdf(-d1);
}
