// The `risk:<portfolio>` frame as the page reads it (docs/architecture.md, "risk.snapshots"): one
// run's whole result, so every risk panel of a portfolio shows the same moment.

export interface Measure {
  method: string;
  horizonDays: number;
  confidence: number;
  var: number;
  es: number;
}

export interface Component {
  instrument: string;
  qty: number;
  componentVar: number;
  componentEs: number;
  marginalVar: number;
}

export interface StressResult {
  scenario: string;
  name: string;
  pnl: number;
  worst: { instrument: string; pnl: number }[];
}

export interface Backtest {
  method: string;
  confidence: number;
  observations: number;
  fromHistory: number;
  exceptions: number;
  kupiec: { lr: number; pValue: number };
  christoffersen: { lr: number; pValue: number };
  conditionalCoverage: { lr: number; pValue: number };
  zone: 'green' | 'yellow' | 'red';
}

export interface ScenarioSet {
  method: string;
  horizonDays: number;
  scenarios: number;
  covariance?: string;
  backend?: string;
  threads?: number;
  seed?: number;
  set?: number;
  distribution?: string;
  from?: string;
  to?: string;
}

export interface Provenance {
  backend: string;
  backendDetail?: string;
  threads?: number;
  inputSeq: number;
  parametric?: { covariance: string; lambda?: number };
  history?: { file?: string; source?: string; synthetic?: boolean; from?: string; to?: string; days?: number };
  sets?: ScenarioSet[];
  components?: { method: string; horizonDays: number; confidence: number };
}

export interface RiskData {
  portfolio: string;
  method: string;
  backend: string;
  horizonDays: number;
  confidence: number[];
  var: Record<string, number>;
  es: Record<string, number>;
  inputSeq: number;
  asOf: number;
  measures?: Measure[];
  components?: Component[];
  stress?: StressResult[];
  backtest?: Backtest[];
  provenance?: Provenance;
  basis?: { positions: number; exposures: number };
}

export const asRisk = (data: Record<string, unknown> | undefined): RiskData | undefined => data as RiskData | undefined;

/** The key a measure is known by on the page and in tests: `method-horizon-confidence`. */
export const measureKey = (m: Pick<Measure, 'method' | 'horizonDays' | 'confidence'>): string =>
  `${m.method}-${m.horizonDays}-${m.confidence}`;
