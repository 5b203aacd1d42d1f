// Black–Scholes prices and Greeks for European options on a non-dividend-paying underlying, and
// the time convention shared by the simulator and the engine. Pure and allocation-free.

/** Milliseconds in a year: 365.25 calendar days (time runs on calendar time, weekends included). */
export const MS_PER_YEAR = 365.25 * 24 * 3600 * 1000;

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Standard normal cumulative distribution Φ(x), by Hart's double-precision rational approximation
 * (as given in G. West, "Better approximations to cumulative normal functions", 2005): absolute
 * error below 1e-15 over the whole real line, relative error below 1e-8 in the tails (x ≥ −37;
 * beyond that Φ underflows to 0).
 */
export function normCdf(x: number): number {
  const a = Math.abs(x);
  let c: number;
  if (a > 37) {
    c = 0;
  } else {
    const e = Math.exp(-0.5 * a * a);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Years from event time `ts` (epoch ms) to `expiryMs`; negative once expired. */
export function yearsToExpiry(expiryMs: number, ts: number): number {
  return (expiryMs - ts) / MS_PER_YEAR;
}

/**
 * Epoch ms of an ISO expiry: a date alone (`2026-06-19`) means 00:00 UTC of that date; a date-time
 * without an offset is read as UTC (never local time, so results do not depend on the machine).
 */
export function expiryToMs(expiry: string): number {
  const hasTime = expiry.length > 10;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(expiry);
  const ms = Date.parse(hasTime && !hasZone ? `${expiry}Z` : expiry);
  if (!Number.isFinite(ms)) throw new RangeError(`expiry ${JSON.stringify(expiry)} is not an ISO date`);
  return ms;
}

/**
 * Black–Scholes price of a European call or put: spot S, strike K, T years to expiry, volatility
 * vol (annualised), continuously compounded rate r. At or after expiry (T ≤ 0) the intrinsic value;
 * with vol ≤ 0 the discounted intrinsic value of the forward.
 */
export function bsPrice(S: number, K: number, T: number, vol: number, r: number, isCall: boolean): number {
  if (T <= 0) return isCall ? Math.max(S - K, 0) : Math.max(K - S, 0);
  const df = Math.exp(-r * T);
  if (vol <= 0) return isCall ? Math.max(S - K * df, 0) : Math.max(K * df - S, 0);
  const sd = vol * Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r + 0.5 * vol * vol) * T) / sd;
  const d2 = d1 - sd;
  return isCall ? S * normCdf(d1) - K * df * normCdf(d2) : K * df * normCdf(-d2) - S * normCdf(-d1);
}

/**
 * ∂price/∂S. A call's delta is Φ(d1), a put's Φ(d1) − 1. At or after expiry (or with vol ≤ 0) the
 * limit: 1 (call) / −1 (put) in the money, 0 out of it, ±0.5 exactly at the strike.
 */
export function bsDelta(S: number, K: number, T: number, vol: number, r: number, isCall: boolean): number {
  if (T <= 0 || vol <= 0) {
    const fwdK = T > 0 ? K * Math.exp(-r * T) : K;
    const itm = S > fwdK ? 1 : S < fwdK ? 0 : 0.5;
    return isCall ? itm : itm - 1;
  }
  const sd = vol * Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r + 0.5 * vol * vol) * T) / sd;
  const n = normCdf(d1);
  return isCall ? n : n - 1;
}

/** ∂²price/∂S², the same for calls and puts; 0 at or after expiry. */
export function bsGamma(S: number, K: number, T: number, vol: number, r: number): number {
  if (T <= 0 || vol <= 0) return 0;
  const sd = vol * Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r + 0.5 * vol * vol) * T) / sd;
  return normPdf(d1) / (S * sd);
}

/** ∂price/∂vol (per unit of vol, i.e. per 100 vol points), the same for calls and puts. */
export function bsVega(S: number, K: number, T: number, vol: number, r: number): number {
  if (T <= 0 || vol <= 0) return 0;
  const sqrtT = Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r + 0.5 * vol * vol) * T) / (vol * sqrtT);
  return S * normPdf(d1) * sqrtT;
}
