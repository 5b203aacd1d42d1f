// Seeded market simulator: correlated factor-model GBM with Poisson jumps, bid/ask spreads, options
// priced by Black–Scholes off their underlying. Same options (seed, config, startTime) give the same
// ticks, bit for bit: time is event time only, every draw comes from the counter-based generator
// (stream 1 drives the factors, stream 2 the per-tick draws, so the factor path does not depend on
// which instruments tick), and floating-point work happens in a fixed order.
//
// Model. Time is calendar time in years, dt = ms / MS_PER_YEAR (365.25 days). Factors F_k are
// correlated Brownian motions, F_k(t+h) = F_k(t) + vol_k·√h·(L·z)_k, with L the Cholesky factor of
// the correlation matrix, stepped every factorStepMs of event time. When an instrument ticks it
// catches up since its own last tick: Δlog S = Σ loading_k·(F_k(now) − F_k(last)) + idioVol·√dt·ε
// − ½σ²·dt + jumps − λκ·dt, where σ² = lᵀΣl + idioVol² and jumps are Poisson(λ·dt) draws of
// N(jumpMean, jumpVol²) log-jumps with compensator κ = e^(μ+½s²) − 1, so E[S] stays flat. Options
// are not simulated: their mid is Black–Scholes from the underlying's current mid with time to
// expiry measured from the tick's event time. Bid/ask sit spreadBps apart around the mid; `last`
// is a uniform draw inside the spread.

import { formatPath } from '../config/issues.js';
import { DEFAULT_SPREAD_BPS } from '../config/values.js';
import { bsPrice, MS_PER_YEAR } from '../engine/blackscholes.js';
import { RisklineError } from '../errors/catalogue.js';
import { InstrumentTable } from '../engine/instruments.js';
import type { AssetClass, Instrument } from '../engine/model.js';
import { correlationProblem } from '../engine/correlations.js';
import { cholesky } from '../maths/linalg.js';
import { AliasTable, CounterRng } from '../maths/random.js';
import type { TickTuple } from '../streams/envelope.js';

export interface MarketModel {
  factors: { id: string; vol: number }[];
  /** Correlation matrix of the factors, in the order of `factors`; symmetric, unit diagonal, PSD. */
  correlations: number[][];
}

export interface SimulatorOptions {
  instruments: Instrument[];
  market: MarketModel;
  seed: number;
  /** Event time of the first tick, epoch ms. */
  startTime: number;
  /** Aggregate tick rate in event time: consecutive ticks are 1000/ticksPerSecond ms apart. */
  ticksPerSecond: number;
  /** Factor step in event-time ms (default 100). */
  factorStepMs?: number;
  /** Expected jumps per instrument per year (default 0: no jumps). */
  jumpIntensityPerYear?: number;
  /** Mean and standard deviation of a jump's log size (defaults 0 and 0.03). */
  jumpMean?: number;
  jumpVol?: number;
  /** Full bid/ask spread in basis points of the mid, by asset class (defaults: DEFAULT_SPREAD_BPS). */
  spreadBps?: Partial<Record<AssetClass, number>>;
  /** Continuously compounded rate for option pricing (default 0). */
  riskFreeRate?: number;
  /** Relative tick frequency by asset class (defaults: DEFAULT_TICK_WEIGHTS). */
  tickWeights?: Partial<Record<AssetClass, number>>;
  /** Floor of an option's mid, its minimum price increment (default 0.01). */
  minOptionPrice?: number;
}

/** Liquid kinds tick more often: an FX pair ticks 8× as often as a bond. */
const DEFAULT_TICK_WEIGHTS: Record<AssetClass, number> = {
  fx: 4,
  future: 3,
  etf: 2,
  equity: 1,
  option: 0.5,
  bond: 0.5,
};

/** Generator streams (of the seed) used by the simulator. */
const SIM_STREAM_FACTORS = 1;
const SIM_STREAM_TICKS = 2;

/** Ticks `fill` draws per pass through its columns buffer. */
const FILL_CHUNK = 1024;

/** Pending factor steps above this are taken as one step of the whole span (same distribution). */
const MAX_STEPS = 10_000;

function invalid(message: string): never {
  throw new RisklineError('CONFIG_INVALID', `simulator: ${message}`);
}

/**
 * Cholesky factor of a correlation matrix for `factors` factors, checked against the shared rule
 * (the simulator may be built without config/).
 */
export function correlationFactor(c: number[][], factors = c.length): Float64Array {
  const problem = correlationProblem(c, factors);
  if (problem !== null) invalid(`${formatPath(['correlations', ...problem.path])}: ${problem.message}`);
  return cholesky(c, { semidefinite: true }) as Float64Array; // the rule just proved it exists
}

/** Caller-owned columns of ticks; `instrument` holds the simulator's instrument index (see `ids`). */
export interface TickColumns {
  instrument: Int32Array;
  ts: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  last: Float64Array;
}

export function tickColumns(capacity: number): TickColumns {
  return {
    instrument: new Int32Array(capacity),
    ts: new Float64Array(capacity),
    bid: new Float64Array(capacity),
    ask: new Float64Array(capacity),
    last: new Float64Array(capacity),
  };
}

export class MarketSimulator {
  readonly ids: readonly string[];
  readonly seed: number;
  /** Reference data: ids, index, loadings (CSR) and option terms, laid out as the engine has them. */
  private readonly table: InstrumentTable;
  private readonly n: number;
  private readonly interval: number;
  private readonly tickRng: CounterRng;
  private readonly factorRng: CounterRng;

  // Factors.
  private readonly nf: number;
  private readonly chol: Float64Array;
  private readonly fvol: Float64Array;
  private readonly F: Float64Array;
  private readonly z: Float64Array;
  private readonly stepMs: number;
  private stepOrigin: number;
  private stepsDone = 0;
  private nextStepT: number;

  // Instruments.
  /** Factor levels at each loading's last tick, parallel to the table's loadings. */
  private readonly snap: Float64Array;
  /** Per-year drift: −½σ² − λκ. */
  private readonly drift: Float64Array;
  private readonly logPx: Float64Array;
  private readonly lastT: Float64Array;
  private readonly halfSpread: Float64Array;
  private readonly mids: Float64Array;
  private readonly bids: Float64Array;
  private readonly asks: Float64Array;
  private readonly rate: number;
  private readonly minOption: number;
  private readonly picker: AliasTable;

  private readonly lambda: number;
  private readonly jumpMean: number;
  private readonly jumpVol: number;

  // Clock: tick k since the origin has event time origin + k·interval.
  private origin: number;
  private sinceOrigin = 0;
  private total = 0;
  private nowTs: number;
  /** Trade price of the tick `step` drew last. */
  private lastTrade = 0;
  /** Columns `fill` draws through, made on its first call. */
  private rows: TickColumns | undefined;

  constructor(o: SimulatorOptions) {
    const { instruments, market } = o;
    if (!Number.isSafeInteger(o.seed)) invalid(`seed: expected an integer, received ${o.seed}`);
    if (!(o.ticksPerSecond > 0 && o.ticksPerSecond < Infinity)) invalid('ticksPerSecond: expected a positive number');
    if (!Number.isFinite(o.startTime)) invalid('startTime: expected epoch milliseconds');
    if (instruments.length === 0) invalid('instruments: expected at least one instrument');
    this.stepMs = o.factorStepMs ?? 100;
    if (!(this.stepMs > 0 && this.stepMs < Infinity)) invalid('factorStepMs: expected a positive number');
    this.lambda = o.jumpIntensityPerYear ?? 0;
    this.jumpMean = o.jumpMean ?? 0;
    this.jumpVol = o.jumpVol ?? 0.03;
    if (!(this.lambda >= 0) || !Number.isFinite(this.jumpMean) || !(this.jumpVol >= 0)) invalid('jump parameters');
    this.rate = o.riskFreeRate ?? 0;
    this.minOption = o.minOptionPrice ?? 0.01;
    this.seed = o.seed;
    this.tickRng = new CounterRng(o.seed, SIM_STREAM_TICKS);
    this.factorRng = new CounterRng(o.seed, SIM_STREAM_FACTORS);
    this.interval = 1000 / o.ticksPerSecond;
    this.origin = o.startTime;
    this.nowTs = Math.floor(o.startTime);

    const nf = market.factors.length;
    this.nf = nf;
    this.chol = correlationFactor(market.correlations, nf);
    this.fvol = Float64Array.from(market.factors, (f) => f.vol);
    this.F = new Float64Array(nf);
    this.z = new Float64Array(nf);
    this.stepOrigin = o.startTime;
    this.nextStepT = o.startTime + this.stepMs;

    const n = instruments.length;
    this.n = n;
    const t = new InstrumentTable(instruments, market.factors);
    this.table = t;
    this.ids = t.ids;
    this.snap = new Float64Array(t.loadValue.length);
    this.drift = new Float64Array(n);
    this.logPx = new Float64Array(n);
    this.lastT = new Float64Array(n).fill(o.startTime);
    this.halfSpread = new Float64Array(n);
    this.mids = new Float64Array(n);
    this.bids = new Float64Array(n);
    this.asks = new Float64Array(n);
    const weights = new Float64Array(n);
    const kappa = Math.exp(this.jumpMean + 0.5 * this.jumpVol * this.jumpVol) - 1;
    const spreads = { ...DEFAULT_SPREAD_BPS, ...o.spreadBps };
    const tickWeights = { ...DEFAULT_TICK_WEIGHTS, ...o.tickWeights };

    for (let i = 0; i < n; i++) {
      const inst = instruments[i];
      if (!(inst.price > 0 && inst.price < Infinity)) invalid(`${inst.id}: price: expected a positive number`);
      const bps = spreads[inst.kind];
      if (!(bps >= 0 && bps < 20000)) invalid(`spreadBps.${inst.kind}: expected a number in [0, 20000)`);
      this.halfSpread[i] = bps / 20000;
      weights[i] = tickWeights[inst.kind] ?? 0;
      let factorVar = 0;
      for (let p = t.loadStart[i]; p < t.loadStart[i + 1]; p++) {
        const k = t.loadFactor[p];
        const loading = t.loadValue[p];
        for (let q = t.loadStart[i]; q < p; q++) {
          const kq = t.loadFactor[q];
          factorVar += 2 * loading * t.loadValue[q] * this.fvol[k] * this.fvol[kq] * market.correlations[k][kq];
        }
        factorVar += loading * loading * this.fvol[k] * this.fvol[k];
      }
      this.drift[i] = -0.5 * (factorVar + inst.idioVol * inst.idioVol) - this.lambda * kappa;
      this.logPx[i] = Math.log(inst.price);
    }
    for (let i = 0; i < n; i++) if (t.underlying[i] < 0) this.quote(i, instruments[i].price);
    for (let i = 0; i < n; i++) if (t.underlying[i] >= 0) this.quote(i, this.optionMid(i, this.nowTs));
    if (!weights.some((w) => w > 0)) invalid('tickWeights: expected a positive weight for at least one instrument');
    this.picker = new AliasTable(weights);
  }

  /** Event time (epoch ms, integer) of the latest tick, or of the origin before the first tick. */
  get now(): number {
    return this.nowTs;
  }

  /** Ticks generated so far. */
  get ticks(): number {
    return this.total;
  }

  /** Milliseconds of event time between consecutive ticks. */
  get tickIntervalMs(): number {
    return this.interval;
  }

  /**
   * Moves the clock: the next tick has event time `t` and later ones follow at the configured rate.
   * The market carries on as if no time had passed (no catch-up over the gap), so a live feed can
   * align event time with the wall clock at start without a jump in prices.
   */
  setOrigin(t: number): void {
    if (!Number.isFinite(t)) throw new RangeError(`origin must be finite, got ${t}`);
    const shift = t - (this.origin + this.sinceOrigin * this.interval);
    this.origin = t;
    this.sinceOrigin = 0;
    for (let i = 0; i < this.n; i++) this.lastT[i] += shift;
    this.stepOrigin += shift;
    this.nextStepT = this.stepOrigin + (this.stepsDone + 1) * this.stepMs;
    if (this.total === 0) this.nowTs = Math.floor(t);
  }

  /** Event time (epoch ms, fractional) the next tick will have. */
  get nextTime(): number {
    return this.origin + this.sinceOrigin * this.interval;
  }

  /**
   * Moves the clock `ms` forward without drawing the ticks in between (a live feed that fell behind
   * the wall clock). Unlike setOrigin the market does evolve over the gap: each instrument's next tick
   * draws the whole gap at once, as after a quiet spell, so prices after it are as likely as if it had
   * ticked through. With no skip the ticks are those of the seed and startTime alone.
   */
  skip(ms: number): void {
    if (!(ms >= 0 && ms < Infinity)) throw new RangeError(`skip must be a finite ms ≥ 0, got ${ms}`);
    this.origin += ms;
  }

  /** Dense index of an instrument, or −1. */
  indexOf(id: string): number {
    return this.table.index(id);
  }

  /** Current mid of an instrument (reference price before its first tick); NaN if unknown. */
  mid(id: string): number {
    const i = this.table.index(id);
    return i < 0 ? NaN : this.mids[i];
  }
  bid(id: string): number {
    const i = this.table.index(id);
    return i < 0 ? NaN : this.bids[i];
  }
  ask(id: string): number {
    const i = this.table.index(id);
    return i < 0 ? NaN : this.asks[i];
  }

  /**
   * Writes the next n ticks into caller-owned columns (instrument index, ts, bid, ask, last) and
   * returns n: the feed's hot path, which boxes no numbers and builds no arrays. Per tick the work
   * is O(loadings of the instrument), plus a factor step when due.
   */
  fillColumns(out: TickColumns, n: number): number {
    for (let j = 0; j < n; j++) {
      const i = this.step();
      out.instrument[j] = i;
      out.ts[j] = this.nowTs;
      out.bid[j] = this.bids[i];
      out.ask[j] = this.asks[i];
      out.last[j] = this.lastTrade;
    }
    this.total += n;
    return n;
  }

  /**
   * The same ticks as `fillColumns`, as tuples in out[0..n) (tuples are reused; missing ones are
   * created once); returns n. Drawn through a reused columns buffer, FILL_CHUNK ticks at a time.
   */
  fill(out: TickTuple[], n: number): number {
    const cols = (this.rows ??= tickColumns(FILL_CHUNK));
    for (let done = 0; done < n;) {
      const k = this.fillColumns(cols, Math.min(FILL_CHUNK, n - done));
      for (let j = 0; j < k; j++, done++) {
        let tup = out[done];
        if (tup === undefined) {
          tup = ['', 0, 0, 0, 0];
          out[done] = tup;
        }
        tup[0] = this.ids[cols.instrument[j]];
        tup[1] = cols.ts[j];
        tup[2] = cols.bid[j];
        tup[3] = cols.ask[j];
        tup[4] = cols.last[j];
      }
    }
    return n;
  }

  /** Draws the next tick: moves its instrument's quote and returns the instrument index. */
  private step(): number {
    const rng = this.tickRng;
    const t = this.origin + this.sinceOrigin * this.interval;
    this.sinceOrigin++;
    const ts = Math.floor(t);
    const i = this.picker.pick(rng.uniform());
    const mid = this.table.underlying[i] >= 0 ? this.optionMid(i, ts) : this.evolve(i, t);
    const half = mid * this.halfSpread[i];
    const bid = mid - half;
    const ask = mid + half;
    this.mids[i] = mid;
    this.bids[i] = bid;
    this.asks[i] = ask;
    this.lastTrade = bid + (ask - bid) * rng.uniform();
    this.nowTs = ts;
    return i;
  }

  /** Catches instrument i up to exact event time t and returns its new mid. */
  private evolve(i: number, t: number): number {
    if (t >= this.nextStepT) this.stepFactors(t);
    const { F, snap, table } = this;
    const lf = table.loadFactor;
    const lv = table.loadValue;
    let dx = 0;
    for (let p = table.loadStart[i], end = table.loadStart[i + 1]; p < end; p++) {
      const f = F[lf[p]];
      dx += lv[p] * (f - snap[p]);
      snap[p] = f;
    }
    const dt = (t - this.lastT[i]) / MS_PER_YEAR;
    this.lastT[i] = t;
    if (dt > 0) {
      const rng = this.tickRng;
      dx += table.idioVol[i] * Math.sqrt(dt) * rng.normal() + this.drift[i] * dt;
      if (this.lambda > 0) {
        const k = rng.poisson(this.lambda * dt); // almost always zero
        if (k > 0) dx += k * this.jumpMean + Math.sqrt(k) * this.jumpVol * rng.normal();
      }
    }
    const lx = this.logPx[i] + dx;
    this.logPx[i] = lx;
    return Math.exp(lx);
  }

  /** Steps the factors through every step time ≤ t. */
  private stepFactors(t: number): void {
    let pending = Math.floor((t - this.stepOrigin) / this.stepMs) - this.stepsDone;
    if (pending <= 0) {
      this.nextStepT = this.stepOrigin + (this.stepsDone + 1) * this.stepMs;
      return;
    }
    if (pending > MAX_STEPS) {
      this.factorStep(pending - MAX_STEPS);
      this.stepsDone += pending - MAX_STEPS;
      pending = MAX_STEPS;
    }
    for (let s = 0; s < pending; s++) this.factorStep(1);
    this.stepsDone += pending;
    this.nextStepT = this.stepOrigin + (this.stepsDone + 1) * this.stepMs;
  }

  /** One correlated Brownian increment of `steps` factor steps. */
  private factorStep(steps: number): void {
    const nf = this.nf;
    const { z, chol, F, fvol } = this;
    const sqrtDt = Math.sqrt((steps * this.stepMs) / MS_PER_YEAR);
    for (let k = 0; k < nf; k++) z[k] = this.factorRng.normal();
    for (let a = 0; a < nf; a++) {
      let e = 0;
      const row = a * nf;
      for (let b = 0; b <= a; b++) e += chol[row + b] * z[b];
      F[a] += fvol[a] * sqrtDt * e;
    }
  }

  private optionMid(i: number, ts: number): number {
    const { expiryMs, underlying, strike, impliedVol, isCall } = this.table;
    const T = (expiryMs[i] - ts) / MS_PER_YEAR;
    const px = bsPrice(this.mids[underlying[i]], strike[i], T, impliedVol[i], this.rate, isCall[i] === 1);
    return px > this.minOption ? px : this.minOption;
  }

  private quote(i: number, mid: number): void {
    const half = mid * this.halfSpread[i];
    this.mids[i] = mid;
    this.bids[i] = mid - half;
    this.asks[i] = mid + half;
  }
}
