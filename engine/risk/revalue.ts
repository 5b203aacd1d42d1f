// Full revaluation and its delta-gamma approximation, per unit of instrument (multiplier included),
// exactly as docs/risk.md "Full revaluation": out[j][s] = V_j(scenario s) − V_j(today).

import { black76Greeks, black76Price, bsmGreeks, bsmPrice, newGreeks } from '../blackscholes.js';
import { MODEL_BLACK76, MODEL_BOND, MODEL_BSM, type RevaluationJob } from './backend.js';

/** Lowest simple return applied to an option's underlying (a price never goes to 0 or below). */
export const MIN_RETURN = -0.99;
/** Floor of a shifted implied volatility. */
export const MIN_VOL = 0.0001;

function check(job: RevaluationJob, out: Float64Array): void {
  const { count, scenarios: S } = job;
  if (out.length < count * S) throw new RangeError(`revaluation buffer has ${out.length} entries, needs ${count * S}`);
  if (job.volShift !== null && job.volShift.length < S)
    throw new RangeError(`volShift has ${job.volShift.length} entries, needs one per scenario (${S})`);
  const rows = job.returns.length / S;
  for (let j = 0; j < count; j++) {
    const m = job.model[j];
    if (m !== MODEL_BSM && m !== MODEL_BLACK76 && m !== MODEL_BOND)
      throw new RangeError(`instrument ${j}: unknown model ${m}`);
    if (!(job.row[j] >= 0 && job.row[j] < rows))
      throw new RangeError(`instrument ${j}: row ${job.row[j]} outside 0..${rows - 1}`);
  }
}

/** Bond P&L per unit: m · P · (R + ½ · C · Δy²) with Δy = −R / D (no convexity term when D = 0). */
export function bondPnl(R: number, price: number, duration: number, convexity: number, multiplier: number): number {
  const dy = duration === 0 ? 0 : -R / duration;
  return multiplier * price * (R + 0.5 * convexity * dy * dy);
}

function optionValue(j: number, job: RevaluationJob, spot: number, tau: number, vol: number): number {
  const call = job.isCall[j] === 1;
  return job.model[j] === MODEL_BLACK76
    ? black76Price(spot, job.strike[j], tau, vol, job.rate[j], call)
    : bsmPrice(spot, job.strike[j], tau, vol, job.rate[j], job.dividend[j], call);
}

/** Writes one instrument's row of full-revaluation P&L. */
function revalueRow(j: number, job: RevaluationJob, out: Float64Array): void {
  const S = job.scenarios;
  const ret = job.returns;
  const r0 = job.row[j] * S;
  const o = j * S;
  const m = job.multiplier[j];
  if (job.model[j] === MODEL_BOND) {
    const { spot, duration, convexity } = job;
    for (let s = 0; s < S; s++) out[o + s] = bondPnl(ret[r0 + s], spot[j], duration[j], convexity[j], m);
    return;
  }
  const spot = job.spot[j];
  const vol = job.vol[j];
  const tau = Math.max(job.tau[j] - job.horizonYears, 0);
  const today = optionValue(j, job, spot, job.tau[j], vol);
  const shift = job.volShift;
  const flatVol = Math.max(vol, MIN_VOL);
  for (let s = 0; s < S; s++) {
    const sigma = shift === null ? flatVol : Math.max(vol + shift[s], MIN_VOL);
    const moved = spot * (1 + Math.max(ret[r0 + s], MIN_RETURN));
    out[o + s] = m * (optionValue(j, job, moved, tau, sigma) - today);
  }
}

/** Full revaluation of every instrument of the job into `out` (count × scenarios). */
export function revalue(job: RevaluationJob, out: Float64Array): void {
  check(job, out);
  for (let j = 0; j < job.count; j++) revalueRow(j, job, out);
}

const greeks = newGreeks();

/**
 * Delta-gamma P&L per unit for the same job: options m · (Δ · ΔS + ½ Γ · ΔS²), ΔS = S · R (no
 * floor, no time decay, no vol shift); bonds are already second order and revalue as in full.
 */
export function deltaGammaRevalue(job: RevaluationJob, out: Float64Array): void {
  check(job, out);
  const S = job.scenarios;
  for (let j = 0; j < job.count; j++) {
    if (job.model[j] === MODEL_BOND) {
      revalueRow(j, job, out);
      continue;
    }
    const spot = job.spot[j];
    const call = job.isCall[j] === 1;
    if (job.model[j] === MODEL_BLACK76)
      black76Greeks(spot, job.strike[j], job.tau[j], job.vol[j], job.rate[j], call, greeks);
    else bsmGreeks(spot, job.strike[j], job.tau[j], job.vol[j], job.rate[j], job.dividend[j], call, greeks);
    const m = job.multiplier[j];
    const { delta, gamma } = greeks;
    const r0 = job.row[j] * S;
    const o = j * S;
    for (let s = 0; s < S; s++) {
      const dS = spot * job.returns[r0 + s];
      out[o + s] = m * (delta * dS + 0.5 * gamma * dS * dS);
    }
  }
}
