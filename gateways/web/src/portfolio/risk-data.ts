// The `risk:<portfolio>` frame as the page reads it: the engine's own RiskSnapshot type
// (engine/model.ts, a type-only import), one run's whole result, so every risk panel of a portfolio
// shows the same moment.
import type {
  BacktestSummary,
  RiskComponent,
  RiskMeasure,
  RiskProvenance,
  RiskSnapshot,
  StressResult,
} from '../../../../engine/model.js';

export type Measure = RiskMeasure;
export type Component = RiskComponent;
export type { StressResult };
export type Backtest = BacktestSummary;
export type Provenance = RiskProvenance;
/** The frame's data; `basis` names the positions and exposures seqs the run was computed on. */
export type RiskData = RiskSnapshot & { basis?: { positions: number; exposures: number } };

/** One scenario set of the provenance, the fields the page shows (the engine types them loosely). */
export interface ScenarioSet {
  method: string;
  horizonDays: number;
  scenarios: number;
  covariance?: string;
  seed?: number;
  set?: number;
  distribution?: string;
  from?: string;
  to?: string;
}

export const asRisk = (data: Record<string, unknown> | undefined): RiskData | undefined => data as RiskData | undefined;

/** The key a measure is known by on the page and in tests: `method-horizon-confidence`. */
export const measureKey = (m: Pick<Measure, 'method' | 'horizonDays' | 'confidence'>): string =>
  `${m.method}-${m.horizonDays}-${m.confidence}`;
