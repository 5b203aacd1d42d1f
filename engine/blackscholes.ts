// European option prices and Greeks — generalised Black–Scholes–Merton with a continuous dividend
// yield q (equities, ETFs, FX with q the foreign rate) and Black-76 on futures — and the time
// convention shared by the simulator and the engine. Pure and allocation-free. docs/risk.md "Full
// revaluation" defines the formulas; Greeks are per unit of vol and rate, theta per year.

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

/** Price and Greeks of one option: ∂V/∂S, ∂²V/∂S², ∂V/∂σ, ∂V/∂t (per year, calendar), ∂V/∂r. */
export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
}

export function newGreeks(): Greeks {
  return { price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0 };
}

/** Share of the in-the-money side at zero volatility: 1 in, 0 out, ½ exactly at the forward. */
function itmShare(a: number, b: number): number {
  return a > b ? 1 : a < b ? 0 : 0.5;
}

/**
 * Generalised Black–Scholes–Merton price: spot S, strike K, T years, volatility vol, rate r,
 * continuous dividend yield q. T ≤ 0: intrinsic value; vol·√T = 0: discounted intrinsic of the forward.
 */
export function bsmPrice(S: number, K: number, T: number, vol: number, r: number, q: number, isCall: boolean): number {
  if (T <= 0) return isCall ? Math.max(S - K, 0) : Math.max(K - S, 0);
  const df = Math.exp(-r * T);
  const dq = Math.exp(-q * T);
  const sd = vol * Math.sqrt(T);
  if (!(sd > 0)) return isCall ? Math.max(S * dq - K * df, 0) : Math.max(K * df - S * dq, 0);
  const d1 = (Math.log(S / K) + (r - q + 0.5 * vol * vol) * T) / sd;
  const d2 = d1 - sd;
  return isCall ? S * dq * normCdf(d1) - K * df * normCdf(d2) : K * df * normCdf(-d2) - S * dq * normCdf(-d1);
}

/** Price and Greeks of the generalised BSM (see bsmPrice), written into `out`. */
export function bsmGreeks(
  S: number,
  K: number,
  T: number,
  vol: number,
  r: number,
  q: number,
  isCall: boolean,
  out: Greeks = newGreeks(),
): Greeks {
  out.price = bsmPrice(S, K, T, vol, r, q, isCall);
  const tau = Math.max(T, 0);
  const df = Math.exp(-r * tau);
  const dq = Math.exp(-q * tau);
  const sd = vol * Math.sqrt(tau);
  if (!(sd > 0)) {
    // Limits at expiry or zero vol: the derivatives of the (discounted) intrinsic value.
    const w = isCall ? itmShare(S * dq, K * df) : -itmShare(K * df, S * dq);
    out.delta = w * dq;
    out.gamma = 0;
    out.vega = 0;
    out.theta = T > 0 ? w * (q * S * dq - r * K * df) : 0;
    out.rho = T > 0 ? w * T * K * df : 0;
    return out;
  }
  const d1 = (Math.log(S / K) + (r - q + 0.5 * vol * vol) * T) / sd;
  const d2 = d1 - sd;
  const pdf = normPdf(d1);
  const decay = (-S * dq * pdf * vol) / (2 * Math.sqrt(T));
  out.gamma = (dq * pdf) / (S * sd);
  out.vega = S * dq * pdf * Math.sqrt(T);
  if (isCall) {
    const n1 = normCdf(d1);
    const n2 = normCdf(d2);
    out.delta = dq * n1;
    out.theta = decay + q * S * dq * n1 - r * K * df * n2;
    out.rho = K * T * df * n2;
  } else {
    const n1 = normCdf(-d1);
    const n2 = normCdf(-d2);
    out.delta = -dq * n1;
    out.theta = decay - q * S * dq * n1 + r * K * df * n2;
    out.rho = -K * T * df * n2;
  }
  return out;
}

/**
 * Black-76 price of an option on a futures price F: e^{−rT}(F Φ(d1) − K Φ(d2)) for a call. T ≤ 0:
 * intrinsic value; vol·√T = 0: discounted intrinsic value.
 */
export function black76Price(F: number, K: number, T: number, vol: number, r: number, isCall: boolean): number {
  if (T <= 0) return isCall ? Math.max(F - K, 0) : Math.max(K - F, 0);
  const df = Math.exp(-r * T);
  const sd = vol * Math.sqrt(T);
  if (!(sd > 0)) return df * (isCall ? Math.max(F - K, 0) : Math.max(K - F, 0));
  const d1 = (Math.log(F / K) + 0.5 * vol * vol * T) / sd;
  const d2 = d1 - sd;
  return df * (isCall ? F * normCdf(d1) - K * normCdf(d2) : K * normCdf(-d2) - F * normCdf(-d1));
}

/**
 * Price and Greeks of Black-76, written into `out`: delta and gamma with respect to F; rho moves
 * the discount rate with F held (−T·V); theta holds F (r·V less the time value's decay).
 */
export function black76Greeks(
  F: number,
  K: number,
  T: number,
  vol: number,
  r: number,
  isCall: boolean,
  out: Greeks = newGreeks(),
): Greeks {
  const v = black76Price(F, K, T, vol, r, isCall);
  out.price = v;
  const tau = Math.max(T, 0);
  const df = Math.exp(-r * tau);
  const sd = vol * Math.sqrt(tau);
  out.theta = T > 0 ? r * v : 0;
  out.rho = T > 0 ? -T * v : 0;
  if (!(sd > 0)) {
    out.delta = df * (isCall ? itmShare(F, K) : -itmShare(K, F));
    out.gamma = 0;
    out.vega = 0;
    return out;
  }
  const d1 = (Math.log(F / K) + 0.5 * vol * vol * T) / sd;
  const pdf = normPdf(d1);
  out.delta = df * (isCall ? normCdf(d1) : -normCdf(-d1));
  out.gamma = (df * pdf) / (F * sd);
  out.vega = F * df * pdf * Math.sqrt(T);
  out.theta -= (F * df * pdf * vol) / (2 * Math.sqrt(T));
  return out;
}

/** Scratch for the single-Greek wrappers below (single-threaded, not re-entrant across awaits). */
const scratch = newGreeks();

/**
 * Black–Scholes price of a European call or put: spot S, strike K, T years to expiry, volatility
 * vol (annualised), continuously compounded rate r, dividend yield q (default 0). At or after
 * expiry (T ≤ 0) the intrinsic value; with vol ≤ 0 the discounted intrinsic value of the forward.
 */
export function bsPrice(S: number, K: number, T: number, vol: number, r: number, isCall: boolean, q = 0): number {
  return bsmPrice(S, K, T, vol, r, q, isCall);
}

/**
 * ∂price/∂S. A call's delta is e^{−qT}Φ(d1), a put's −e^{−qT}Φ(−d1). At or after expiry (or with
 * vol ≤ 0) the limit: ±e^{−qT} in the money, 0 out of it, half of that exactly at the forward.
 */
export function bsDelta(S: number, K: number, T: number, vol: number, r: number, isCall: boolean, q = 0): number {
  // bsmGreeks' delta, term for term (the same bits), without the price and other Greeks: the book
  // calls this for every option on an underlying at each of its ticks.
  const tau = Math.max(T, 0);
  const dq = Math.exp(-q * tau);
  const sd = vol * Math.sqrt(tau);
  if (!(sd > 0)) {
    const df = Math.exp(-r * tau);
    return (isCall ? itmShare(S * dq, K * df) : -itmShare(K * df, S * dq)) * dq;
  }
  const d1 = (Math.log(S / K) + (r - q + 0.5 * vol * vol) * T) / sd;
  return isCall ? dq * normCdf(d1) : -dq * normCdf(-d1);
}

/** ∂²price/∂S², the same for calls and puts; 0 at or after expiry. */
export function bsGamma(S: number, K: number, T: number, vol: number, r: number, q = 0): number {
  return bsmGreeks(S, K, T, vol, r, q, true, scratch).gamma;
}

/** ∂price/∂vol (per unit of vol, i.e. per 100 vol points), the same for calls and puts. */
export function bsVega(S: number, K: number, T: number, vol: number, r: number, q = 0): number {
  return bsmGreeks(S, K, T, vol, r, q, true, scratch).vega;
}
