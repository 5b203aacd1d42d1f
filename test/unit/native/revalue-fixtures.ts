// Revaluation jobs shared by the native backend tests; kept apart from cpu-fixtures.ts because that
// file ends the process where the cpu addon is not built, and the cuda test must run without it.
import { CounterRng } from '../../../maths/random.js';
import { MODEL_BLACK76, MODEL_BOND, MODEL_BSM, type RevaluationJob } from '../../../engine/risk/backend.js';

/** A job of count zeroed instruments over returns (rows × S), for a test to fill in. */
export function blankRevaluationJob(
  count: number,
  S: number,
  returns: Float64Array,
  volShift: Float64Array | null,
  horizonYears: number,
): RevaluationJob {
  const arr = () => new Float64Array(count);
  return {
    count,
    scenarios: S,
    returns,
    row: new Int32Array(count),
    model: new Uint8Array(count),
    isCall: new Uint8Array(count),
    spot: arr(),
    strike: arr(),
    tau: arr(),
    vol: arr(),
    rate: arr(),
    dividend: arr(),
    duration: arr(),
    convexity: arr(),
    multiplier: arr(),
    volShift,
    horizonYears,
  };
}

/** Bonds, BSM and Black-76 options in turn, calls and puts, some expiring inside the 10-day horizon. */
export function revalueJob(
  count: number,
  S: number,
  returns: Float64Array,
  volShift: Float64Array | null,
): RevaluationJob {
  const rng = new CounterRng(5);
  const job = blankRevaluationJob(count, S, returns, volShift, 10 / 365.25);
  for (let j = 0; j < count; j++) {
    const bond = j % 3 === 0;
    job.row[j] = j % (returns.length / S);
    job.model[j] = bond ? MODEL_BOND : j % 3 === 1 ? MODEL_BSM : MODEL_BLACK76;
    job.isCall[j] = j % 2;
    job.spot[j] = bond ? 98 + 4 * rng.uniform() : 50 + 100 * rng.uniform();
    job.strike[j] = job.spot[j] * (0.7 + 0.6 * rng.uniform());
    job.tau[j] = j % 7 === 0 ? 0.01 : 0.05 + 2 * rng.uniform(); // some expire inside the horizon
    job.vol[j] = 0.1 + 0.5 * rng.uniform();
    job.rate[j] = 0.05 * rng.uniform();
    job.dividend[j] = 0.03 * rng.uniform();
    job.duration[j] = 1 + 9 * rng.uniform();
    job.convexity[j] = 10 + 90 * rng.uniform();
    job.multiplier[j] = bond ? 0.01 : 100;
  }
  return job;
}
