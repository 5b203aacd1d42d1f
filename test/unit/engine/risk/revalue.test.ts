// Full revaluation and delta-gamma (docs/risk.md "Full revaluation") against the duration–convexity
// formula, an independent option price (test/reference/risk.ts) and the order of the Taylor error.
import t from 'tap';
import { MODEL_BLACK76, MODEL_BOND, MODEL_BSM, type RevaluationJob } from '../../../../engine/risk/backend.js';
import { deltaGammaRevalue } from '../../../../engine/risk/revalue.js';
import { tsBackend } from '../../../../engine/risk/ts-backend.js';
import { refOptionPrice } from '../../../reference/risk.js';

interface Instrument {
  model: number;
  call?: boolean;
  spot: number;
  strike?: number;
  tau?: number;
  vol?: number;
  rate?: number;
  dividend?: number;
  duration?: number;
  convexity?: number;
  multiplier: number;
}

/** One job revaluing each instrument on its own row of `returns` (instrument j on row j). */
function job(
  list: Instrument[],
  returns: number[][],
  horizonYears: number,
  volShift: number[] | null = null,
): RevaluationJob {
  const S = returns[0].length;
  const f = (k: keyof Instrument) => Float64Array.from(list, (x) => Number(x[k] ?? 0));
  return {
    count: list.length,
    scenarios: S,
    returns: Float64Array.from(returns.flat()),
    row: Int32Array.from(list, (_, j) => j),
    model: Uint8Array.from(list, (x) => x.model),
    isCall: Uint8Array.from(list, (x) => (x.call ? 1 : 0)),
    spot: f('spot'),
    strike: f('strike'),
    tau: f('tau'),
    vol: f('vol'),
    rate: f('rate'),
    dividend: f('dividend'),
    duration: f('duration'),
    convexity: f('convexity'),
    multiplier: f('multiplier'),
    volShift: volShift === null ? null : Float64Array.from(volShift),
    horizonYears,
  };
}

async function revalue(j: RevaluationJob): Promise<Float64Array> {
  const out = new Float64Array(j.count * j.scenarios);
  await tsBackend.revalue(j, out);
  return out;
}

t.test('a bond revalues by duration and convexity: ΔP = P(−D Δy + ½ C Δy²) per unit', async (t) => {
  // 10-year-like bond, clean 98.5 per 100, modified duration 7.8, convexity 72, quoted per 100 (m = 0.01).
  const bond = { model: MODEL_BOND, spot: 98.5, duration: 7.8, convexity: 72, multiplier: 0.01 };
  const dys = [0.005, -0.01, 0.0001, 0, 0.03];
  // The factor model's return is R = −D·Δy.
  const out = await revalue(job([bond], [dys.map((dy) => -7.8 * dy)], 10 / 365.25));
  dys.forEach((dy, s) => {
    const want = 0.01 * 98.5 * (-7.8 * dy + 0.5 * 72 * dy * dy);
    t.ok(Math.abs(out[s] - want) <= 1e-15 + 1e-12 * Math.abs(want), `Δy=${dy}: ${out[s]} vs ${want}`);
  });
  // +50bp: 0.985 × (−0.039 + 0.0009) = −0.0375285 per 100 of face, by hand.
  t.ok(Math.abs(out[0] - -0.0375285) < 1e-15, '+50bp by hand');
});

const options: Instrument[] = [
  {
    model: MODEL_BSM,
    call: true,
    spot: 100,
    strike: 115,
    tau: 0.5,
    vol: 0.25,
    rate: 0.03,
    dividend: 0.015,
    multiplier: 100,
  },
  {
    model: MODEL_BSM,
    call: false,
    spot: 100,
    strike: 95,
    tau: 0.08,
    vol: 0.4,
    rate: 0.03,
    dividend: 0.0,
    multiplier: 100,
  },
  { model: MODEL_BLACK76, call: true, spot: 72.4, strike: 70, tau: 0.3, vol: 0.32, rate: 0.045, multiplier: 1000 },
  { model: MODEL_BLACK76, call: false, spot: 72.4, strike: 75, tau: 1.2, vol: 0.28, rate: 0.045, multiplier: 1000 },
];

t.test('options at R = 0 and h = 0 revalue to exactly 0', async (t) => {
  const out = await revalue(
    job(
      options,
      options.map(() => [0, 0, 0]),
      0,
    ),
  );
  t.same([...out], new Array(12).fill(0));
});

t.test('options revalue as V(S(1+R), τ − h, σ + Δσ) − V(S, τ, σ), floors applied', async (t) => {
  const returns = [0.05, -0.12, 0.3, -1.5, 0];
  const shifts = [0.02, -0.05, 0, 0, -0.9]; // the last takes every vol below the 0.0001 floor
  const h = 10 / 365.25;
  const out = await revalue(
    job(
      options,
      options.map(() => returns),
      h,
      shifts,
    ),
  );
  options.forEach((o, j) => {
    const q = o.model === MODEL_BLACK76 ? o.rate! : o.dividend!;
    const today = refOptionPrice(o.spot, o.strike!, o.tau!, o.vol!, o.rate!, q, o.call!);
    returns.forEach((R, s) => {
      const spot = o.spot * (1 + Math.max(R, -0.99));
      const vol = Math.max(o.vol! + shifts[s], 0.0001);
      const want = o.multiplier * (refOptionPrice(spot, o.strike!, o.tau! - h, vol, o.rate!, q, o.call!) - today);
      const got = out[j * returns.length + s];
      t.ok(
        Math.abs(got - want) <= 1e-9 * Math.abs(want) + 1e-12 * o.spot * o.multiplier,
        `option ${j} R=${R}: ${got} vs ${want}`,
      );
    });
  });
  // Expired over the horizon (τ − h < 0): intrinsic value at the scenario spot.
  const short = { ...options[0], tau: 0.01 };
  const expired = await revalue(job([short], [[0.2]], h));
  const want = 100 * (Math.max(120 - 115, 0) - refOptionPrice(100, 115, 0.01, 0.25, 0.03, 0.015, true));
  t.ok(Math.abs(expired[0] - want) < 1e-9, `expired call: ${expired[0]} vs ${want}`);
});

t.test('delta-gamma agrees with full revaluation to O(ΔS³)', async (t) => {
  // h = 0 and no vol shift, so the only difference is the Taylor remainder ≈ m · Speed · ΔS³ / 6:
  // halving the move must divide the gap by about 8.
  for (const [j, o] of options.entries()) {
    const moves = [0.02, 0.01, 0.005, -0.02, -0.01, -0.005];
    const jb = job([o], [moves], 0);
    const full = await revalue(jb);
    const dg = new Float64Array(moves.length);
    deltaGammaRevalue(jb, dg);
    for (const half of [0, 3]) {
      const gaps = [0, 1, 2].map((k) => Math.abs(full[half + k] - dg[half + k]));
      const r1 = gaps[0] / gaps[1];
      const r2 = gaps[1] / gaps[2];
      t.ok(
        r1 > 7 && r1 < 9 && r2 > 7 && r2 < 9,
        `option ${j} ${half ? 'down' : 'up'}: gap ratios ${r1.toFixed(2)}, ${r2.toFixed(2)} ≈ 8`,
      );
      t.ok(gaps[0] < 1e-2 * Math.abs(full[half]), `option ${j}: gap ${gaps[0]} small against the move ${full[half]}`);
    }
  }
  // A bond's delta-gamma is its full revaluation (already second order).
  const bond = job(
    [{ model: MODEL_BOND, spot: 101, duration: 4, convexity: 20, multiplier: 0.01 }],
    [[0.01, -0.02]],
    0,
  );
  const a = await revalue(bond);
  const b = new Float64Array(2);
  deltaGammaRevalue(bond, b);
  t.same(b, a);
});

t.test('bad jobs are refused saying which instrument', async (t) => {
  const bad = job(options.slice(0, 1), [[0, 0]], 0);
  bad.row[0] = 3;
  await t.rejects(revalue(bad), /instrument 0: row 3 outside 0\.\.0/);
  const model = job(options.slice(0, 1), [[0, 0]], 0);
  model.model[0] = 9;
  await t.rejects(revalue(model), /instrument 0: unknown model 9/);
  await t.rejects(
    revalue(job(options.slice(0, 1), [[0, 0]], 0, [0])),
    /volShift has 1 entries, needs one per scenario \(2\)/,
  );
});
