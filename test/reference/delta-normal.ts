// An independent reference for what the engine publishes about a book nobody has traded yet:
// Black–Scholes deltas, delta-adjusted exposures and delta-normal VaR/ES, computed here from the
// configuration alone with none of the engine's code (its own normal CDF, FX table and factor
// sums), so a test comparing the two checks the engine against the model as documented.

import { readFileSync } from 'node:fs';
import type { RisklineConfig } from '../../config/schema.js';

const MS_PER_YEAR = 365.25 * 24 * 3600 * 1000;
const TRADING_DAYS = 252;
/** Standard normal quantiles from published tables (Abramowitz & Stegun 26.2), 16 digits. */
export const Z: Record<string, number> = { '95': 1.6448536269514722, '99': 2.3263478740408408 };

/** erf by its Taylor series (|x| < 3) or a Lentz continued fraction for erfc: ~1e-15 either way. */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + …)))), evaluated from the tail.
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

export const normCdf = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));
export const normPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Black–Scholes delta of a European option (continuous rate r, no dividends). */
export function bsDelta(s: number, k: number, years: number, vol: number, r: number, call: boolean): number {
  if (years <= 0 || vol <= 0) return call ? (s > k ? 1 : 0) : s < k ? -1 : 0;
  const d1 = (Math.log(s / k) + (r + (vol * vol) / 2) * years) / (vol * Math.sqrt(years));
  return call ? normCdf(d1) : normCdf(d1) - 1;
}

/** Expiry date (00:00 UTC) or date-time in ms. */
const expiryMs = (e: string): number => Date.parse(e.length > 10 && !/(Z|[+-]\d\d:?\d\d)$/i.test(e) ? `${e}Z` : e);

export interface ReferencePosition {
  instrument: string;
  qty: number;
  /** Delta-adjusted exposure in the portfolio's base currency. */
  exposure: number;
}

export interface ReferencePortfolio {
  positions: Map<string, ReferencePosition>;
  var: Record<string, number>;
  es: Record<string, number>;
}

/** USD per unit of each currency, from the configured FX instruments' prices. */
function usdPerTable(config: RisklineConfig): Map<string, number> {
  const usdPer = new Map<string, number>([['USD', 1]]);
  for (const i of config.instruments) {
    if (i.kind !== 'fx') continue;
    if (i.currency === 'USD') usdPer.set(i.base, i.price);
    else if (i.base === 'USD') usdPer.set(i.currency, 1 / i.price);
  }
  return usdPer;
}

/** The opening book of every portfolio valued at `at` (epoch ms), with delta-normal VaR and ES. */
export function openingReference(
  config: RisklineConfig,
  at: number,
  covariance: Float64Array | null = historyCovariance(config),
): Map<string, ReferencePortfolio> {
  const byId = new Map(config.instruments.map((i) => [i.id, i]));
  const usdPer = usdPerTable(config);
  const r = config.risk.riskFreeRate;
  const factorIds = config.market.factors.map((f) => f.id);
  const out = new Map<string, ReferencePortfolio>();
  for (const p of config.portfolios) {
    const qty = new Map<string, number>();
    for (const h of p.holdings) qty.set(h.instrument, (qty.get(h.instrument) ?? 0) + h.qty);
    const positions = new Map<string, ReferencePosition>();
    const x = new Map<string, number>(factorIds.map((f) => [f, 0]));
    let idio = 0;
    for (const [id, q] of qty) {
      const inst = byId.get(id)!;
      let local = q * inst.multiplier * inst.price;
      if (inst.kind === 'option') {
        const u = byId.get(inst.underlying)!;
        const years = (expiryMs(inst.expiry) - at) / MS_PER_YEAR;
        local =
          bsDelta(u.price, inst.strike, years, inst.impliedVol, r, inst.right === 'call') *
          q *
          inst.multiplier *
          u.price;
      }
      const e = (local * usdPer.get(inst.currency)!) / usdPer.get(p.baseCurrency)!;
      positions.set(id, { instrument: id, qty: q, exposure: e });
      if (e === 0) continue;
      for (const [f, loading] of Object.entries(inst.factors)) if (x.has(f)) x.set(f, x.get(f)! + loading * e);
      idio += (e * e * inst.idioVol * inst.idioVol) / TRADING_DAYS;
      if (inst.currency !== p.baseCurrency) {
        const legs: [string, number][] = [
          [`FX_${inst.currency}`, e],
          [`FX_${p.baseCurrency}`, -e],
        ];
        for (const [f, v] of legs) if (x.has(f)) x.set(f, x.get(f)! + v);
      }
    }
    let variance = idio;
    const k = config.market.factors.length;
    config.market.factors.forEach((fi, i) =>
      config.market.factors.forEach((fj, j) => {
        const cov = covariance
          ? covariance[i * k + j]
          : (fi.vol * fj.vol * config.market.correlations[i][j]) / TRADING_DAYS;
        variance += x.get(fi.id)! * x.get(fj.id)! * cov;
      }),
    );
    const sigma = Math.sqrt(variance) * Math.sqrt(config.risk.horizonDays);
    const vars: Record<string, number> = {};
    const es: Record<string, number> = {};
    for (const a of config.risk.confidence) {
      const label = String(Math.round(a * 1000) / 10);
      vars[label] = Z[label] * sigma;
      es[label] = (sigma * normPdf(Z[label])) / (1 - a);
    }
    out.set(p.id, { positions, var: vars, es });
  }
  return out;
}

/**
 * The RiskMetrics EWMA daily factor covariance over the configured history file, written here from
 * the definition (zero mean; seeded with the mean of r·rᵀ over the first 25 days, then
 * Σ = λΣ + (1−λ)·r·rᵀ), or null when no history is configured (the configured vols apply).
 */
export function historyCovariance(config: RisklineConfig): Float64Array | null {
  const h = config.risk.history;
  if (!h) return null;
  const lines = readFileSync(h.file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines[0].split(',');
  const ids = config.market.factors.map((f) => f.id);
  const col = ids.map((id) => header.indexOf(id));
  const k = ids.length;
  const rows = lines.slice(1).map((l) => {
    const cells = l.split(',');
    return col.map((c) => Number(cells[c]));
  });
  const lambda = config.risk.ewmaLambda;
  const seed = Math.min(25, rows.length);
  const cov = new Float64Array(k * k);
  for (let d = 0; d < seed; d++)
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cov[i * k + j] += (rows[d][i] * rows[d][j]) / seed;
  for (let d = seed; d < rows.length; d++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) cov[i * k + j] = lambda * cov[i * k + j] + (1 - lambda) * rows[d][i] * rows[d][j];
  return cov;
}
