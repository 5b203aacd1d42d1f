// The market model risk is computed on: the rolling window of daily factor returns (historical
// simulation and backtests), the EWMA factor covariance (parametric and Monte Carlo), and each day
// roll of event time, which appends the realised day to both. Without a history file the covariance
// is the configured one (market.json vols and correlations) and there is no historical method.

import type { FactorDef } from '../instruments.js';
import { EwmaCovariance } from './ewma.js';
import { HistoryWindow, isoOfEpochDay, type DailyReturns } from './history.js';

const TRADING_DAYS = 252;
export const MS_PER_DAY = 86_400_000;

export interface HistorySource extends DailyReturns {
  file: string;
  source: string | null;
  synthetic: boolean;
  /** Days appended after the file's from the store's bars (engine/risk/stored-days.ts). */
  stored?: { days: number; from: string; to: string };
}

export interface RiskModelSettings {
  ewmaLambda: number;
  window: number;
}

export class RiskModel {
  readonly window: HistoryWindow | null;
  private readonly ewma: EwmaCovariance | null;
  private readonly configured: Float64Array;
  private readonly k: number;

  constructor(
    factors: FactorDef[],
    correlations: number[][],
    readonly settings: RiskModelSettings,
    readonly history: HistorySource | null,
  ) {
    const k = factors.length;
    this.k = k;
    this.configured = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++)
        this.configured[i * k + j] = (factors[i].vol * factors[j].vol * correlations[i][j]) / TRADING_DAYS;
    if (history === null) {
      this.window = null;
      this.ewma = null;
      return;
    }
    this.window = new HistoryWindow(k, settings.window);
    this.window.load(history);
    this.ewma = new EwmaCovariance(k, settings.ewmaLambda);
    const days = history.epochDays.length;
    for (let d = 0; d < days; d++) this.ewma.update(history.factorReturns.subarray(d * k, (d + 1) * k));
  }

  /** Daily factor covariance: EWMA over the history, else the configured vols and correlations. */
  covariance(): Float64Array {
    return this.ewma ? this.ewma.covariance : this.configured;
  }

  covarianceSource(): string {
    if (!this.ewma || !this.history) return 'configured (market.json vols and correlations)';
    return `EWMA λ=${this.settings.ewmaLambda} over ${this.history.file} to ${isoOfEpochDay(this.lastDay)}`;
  }

  /** The last day the model has taken in (-Infinity without history). */
  get lastDay(): number {
    return this.window ? this.window.lastDay : -Infinity;
  }

  /** The historical window as the scenario builder takes it, or null. */
  historicalWindow(): { returns: Float64Array; days: number; from: string; to: string } | null {
    const w = this.window;
    if (!w || w.length === 0) return null;
    const days = w.epochDays();
    return {
      returns: Float64Array.from(w.scenarios()),
      days: w.length,
      from: isoOfEpochDay(days[0]),
      to: isoOfEpochDay(days[days.length - 1]),
    };
  }

  /** Takes in a realised day: appended to the window and folded into the EWMA covariance. */
  append(epochDay: number, factorReturns: Float64Array): void {
    if (!this.window || !this.ewma || epochDay <= this.window.lastDay) return;
    this.window.append(epochDay, factorReturns);
    this.ewma.update(factorReturns);
  }

  get factors(): number {
    return this.k;
  }
}
