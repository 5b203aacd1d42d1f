// The daily risk report as data: what the HTML shows, built from the day's stored rows (load.ts) by
// pure functions. The day's picture is its last stored moment: the last risk snapshot of the day and
// the last positions and exposures state; the P&L-against-VaR series runs over every bucket of the
// day. Every section carries its stamp (asOf, inputSeq, the table and bucket it came from). A stored
// row that lacks a field gives NaN (printed as a dash), never a number the store does not hold.

import type { BacktestSummary, ExposureCell, PositionRow, RiskMethod } from '../../engine/model.js';
import type { DayRows, StoredRow } from './load.js';
import type { FeeSchedule } from '../../engine/analytics/fees.js';
import type { FeesSnapshot } from '../../engine/analytics/model.js';

export interface Stamp {
  asOf: number;
  inputSeq: number;
  /** Where the figures come from, e.g. `risk_snapshots, bucket 2026-03-17T15:59:00.000Z`. */
  source: string;
}

export interface PositionsSection {
  stamp: Stamp;
  baseCurrency: string;
  totals: { nav: number; cash: number; marketValue: number; unrealizedPnl: number; realizedPnl: number };
  /** Largest absolute exposure first. */
  rows: PositionRow[];
}

export interface ExposureTable {
  title: string;
  cells: (ExposureCell & { key: string })[];
}

export interface ExposuresSection {
  stamp: Stamp;
  totals: ExposureCell | null;
  tables: ExposureTable[];
}

export interface MeasureRow {
  method: RiskMethod;
  horizonDays: number;
  /** By confidence (as in `confidences`): VaR and ES, positive losses. */
  values: { confidence: number; var: number; es: number }[];
  scaled: boolean;
}

export interface ComponentRow {
  instrument: string;
  qty: number;
  componentVar: number;
  componentEs: number;
  marginalVar: number;
  /** componentVar over the VaR the components are of. */
  share: number;
}

export interface StressRow {
  scenario: string;
  name: string;
  pnl: number;
  worst: { instrument: string; pnl: number }[];
}

export interface RiskSection {
  stamp: Stamp;
  confidences: number[];
  measures: MeasureRow[];
  components: {
    of: { method: RiskMethod; horizonDays: number; confidence: number } | null;
    total: number;
    count: number;
    rows: ComponentRow[];
  };
  /** Worst P&L first. */
  stress: StressRow[];
  backtest: BacktestSummary[];
}

export interface PnlPoint {
  bucket: number;
  asOf: number;
  inputSeq: number;
  pnl: number;
  var: number;
  es: number;
}

export interface PnlSection {
  /** The headline VaR's horizon and confidence (the risk frame's `var`/`es`: delta-normal). */
  horizonDays: number;
  confidence: number;
  points: PnlPoint[];
  stamp: Stamp | null;
}

/** The fee accounts of the day's last risk snapshot (`data.analytics.fees`, engine/analytics/fees.ts). */
export interface FeeAccrual extends Omit<FeesSnapshot, keyof FeeSchedule | 'periodStart'> {
  stamp: Stamp;
  /** The analytics' sampling boundary the accounts are as of. */
  sampledAt: number;
  schedule: {
    managementRate: number;
    performanceRate: number;
    hurdleRate: number;
    dayCount: string;
    crystallisation: string;
  };
}

export interface FeesSection {
  /** Fees the day's fills carried (executions.fees), by the currency they were charged in. */
  byCurrency: { currency: string; fills: number; withFees: number; total: number }[];
  fills: number;
  /** The fee accounts the day's last risk snapshot carries; null: it carries none. */
  accrual: FeeAccrual | null;
}

export interface ReportModel {
  portfolio: string;
  day: string;
  builtAt: number;
  positions: PositionsSection | null;
  exposures: ExposuresSection | null;
  risk: RiskSection | null;
  pnl: PnlSection;
  fees: FeesSection;
  /** The moment the report reflects: its last risk snapshot's (else its positions'). */
  reflects: { asOf: number; inputSeq: number } | null;
}

/** Contributors listed in the component-VaR table. */
export const TOP_COMPONENTS = 10;
/** Positions each stress scenario names. */
export const STRESS_WORST = 3;

const EXPOSURE_TABLES: [string, string][] = [
  ['byAssetClass', 'Asset class'],
  ['bySector', 'Sector'],
  ['byCurrency', 'Currency'],
  ['byCountry', 'Country'],
];
const METHOD_ORDER: RiskMethod[] = ['parametric', 'historical', 'monteCarlo'];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

export function stampOf(table: string, r: StoredRow): Stamp {
  return { asOf: r.asOf, inputSeq: r.inputSeq, source: `${table}, bucket ${new Date(r.bucket).toISOString()}` };
}

export interface BuildContext {
  builtAt: number;
  /** An instrument's currency (the fees' currency), from the configuration's instruments. */
  currencyOf: (instrument: string) => string | undefined;
}

export function buildReport(rows: DayRows, ctx: BuildContext): ReportModel {
  const risk = rows.risk === null ? null : riskSection(rows.risk);
  const positions = rows.positions === null ? null : positionsSection(rows.positions);
  const last = rows.risk ?? rows.positions;
  return {
    portfolio: rows.portfolio,
    day: rows.day,
    builtAt: ctx.builtAt,
    positions,
    exposures: rows.exposures === null ? null : exposuresSection(rows.exposures),
    risk,
    pnl: pnlSection(rows),
    fees: feesSection(rows, ctx.currencyOf),
    reflects: last === null ? null : { asOf: last.asOf, inputSeq: last.inputSeq },
  };
}

export function positionsSection(r: StoredRow): PositionsSection {
  const t = obj(r.data.totals);
  const rows = Object.values(obj(r.data.rows)).map((v) => {
    const p = obj(v);
    return {
      instrument: str(p.instrument),
      qty: num(p.qty),
      avgCost: num(p.avgCost),
      mark: num(p.mark),
      marketValue: num(p.marketValue),
      unrealizedPnl: num(p.unrealizedPnl),
      realizedPnl: num(p.realizedPnl),
      exposure: num(p.exposure),
    };
  });
  rows.sort((a, b) => Math.abs(b.exposure) - Math.abs(a.exposure) || a.instrument.localeCompare(b.instrument));
  return {
    stamp: stampOf('state_snapshots (positions)', r),
    baseCurrency: str(r.data.baseCurrency),
    totals: {
      nav: num(t.nav),
      cash: num(t.cash),
      marketValue: num(t.marketValue),
      unrealizedPnl: num(t.unrealizedPnl),
      realizedPnl: num(t.realizedPnl),
    },
    rows,
  };
}

const cellOf = (v: unknown): ExposureCell => {
  const c = obj(v);
  return { long: num(c.long), short: num(c.short), net: num(c.net), gross: num(c.gross) };
};

export function exposuresSection(r: StoredRow): ExposuresSection {
  const tables = EXPOSURE_TABLES.map(([field, title]) => ({
    title,
    cells: Object.entries(obj(r.data[field]))
      .map(([key, v]) => ({ key, ...cellOf(v) }))
      .sort((a, b) => b.gross - a.gross || a.key.localeCompare(b.key)),
  }));
  return {
    stamp: stampOf('state_snapshots (exposures)', r),
    totals: r.data.totals === undefined ? null : cellOf(r.data.totals),
    tables,
  };
}

export function riskSection(r: StoredRow): RiskSection {
  const measures = arr(r.data.measures).map(obj);
  const confidences = [...new Set(measures.map((m) => num(m.confidence)))].sort((a, b) => a - b);
  const keys = [...new Set(measures.map((m) => `${str(m.method)}|${num(m.horizonDays)}`))];
  const rows: MeasureRow[] = keys.map((k) => {
    const of = measures.filter((m) => `${str(m.method)}|${num(m.horizonDays)}` === k);
    return {
      method: str(of[0].method) as RiskMethod,
      horizonDays: num(of[0].horizonDays),
      values: confidences.map((c) => {
        const m = of.find((x) => num(x.confidence) === c);
        return { confidence: c, var: num(m?.var), es: num(m?.es) };
      }),
      scaled: of.some((m) => m.scaling === 'sqrt-time'),
    };
  });
  rows.sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method) || a.horizonDays - b.horizonDays);
  return {
    stamp: stampOf('risk_snapshots', r),
    confidences,
    measures: rows,
    components: componentsOf(r.data, measures),
    stress: arr(r.data.stress)
      .map(obj)
      .map((s) => ({
        scenario: str(s.scenario),
        name: str(s.name),
        pnl: num(s.pnl),
        worst: arr(s.worst)
          .map(obj)
          .slice(0, STRESS_WORST)
          .map((w) => ({ instrument: str(w.instrument), pnl: num(w.pnl) })),
      }))
      .sort((a, b) => a.pnl - b.pnl),
    backtest: arr(r.data.backtest).map(obj).map(backtestOf),
  };
}

const testOf = (v: unknown) => ({ lr: num(obj(v).lr), pValue: num(obj(v).pValue) });

function backtestOf(b: Obj): BacktestSummary {
  return {
    method: str(b.method) as RiskMethod,
    confidence: num(b.confidence),
    observations: num(b.observations),
    fromHistory: num(b.fromHistory),
    exceptions: num(b.exceptions),
    kupiec: testOf(b.kupiec),
    christoffersen: testOf(b.christoffersen),
    conditionalCoverage: testOf(b.conditionalCoverage),
    zone: str(b.zone) as BacktestSummary['zone'],
  };
}

/** The largest Euler contributors, each as a share of the VaR the components are of (provenance.components). */
function componentsOf(data: Obj, measures: Obj[]): RiskSection['components'] {
  const all = arr(data.components).map(obj);
  const p = obj(obj(data.provenance).components);
  const of =
    p.method === undefined
      ? null
      : { method: str(p.method) as RiskMethod, horizonDays: num(p.horizonDays), confidence: num(p.confidence) };
  const m =
    of === null
      ? undefined
      : measures.find(
          (x) => x.method === of.method && num(x.horizonDays) === of.horizonDays && num(x.confidence) === of.confidence,
        );
  const total = num(m?.var);
  const rows = all
    .map((c) => ({
      instrument: str(c.instrument),
      qty: num(c.qty),
      componentVar: num(c.componentVar),
      componentEs: num(c.componentEs),
      marginalVar: num(c.marginalVar),
      share: num(c.componentVar) / total,
    }))
    .sort((a, b) => b.componentVar - a.componentVar || a.instrument.localeCompare(b.instrument))
    .slice(0, TOP_COMPONENTS);
  return { of, total, count: all.length, rows };
}

/** P&L (unrealised + realised, as the terminal's chart) against −VaR and −ES at each bucket holding both. */
export function pnlSection(rows: DayRows): PnlSection {
  const horizonDays = num(rows.risk?.data.horizonDays);
  const confidence = 0.99;
  const key = String(Math.round(confidence * 100));
  const pnlAt = new Map(rows.pnlSeries.map((p) => [p.bucket, p]));
  const points: PnlPoint[] = [];
  for (const r of rows.riskSeries) {
    const p = pnlAt.get(r.bucket);
    const v = num(r.var[key]);
    if (p === undefined || !Number.isFinite(v)) continue;
    points.push({
      bucket: r.bucket,
      asOf: r.asOf,
      inputSeq: r.inputSeq,
      pnl: p.unrealizedPnl + p.realizedPnl,
      var: v,
      es: num(r.es[key]),
    });
  }
  const last = points.at(-1);
  const stamp =
    last === undefined
      ? null
      : { asOf: last.asOf, inputSeq: last.inputSeq, source: 'risk_snapshots joined with state_snapshots on bucket' };
  return { horizonDays: Number.isFinite(horizonDays) ? horizonDays : 1, confidence, points, stamp };
}

export function feesSection(rows: DayRows, currencyOf: BuildContext['currencyOf']): FeesSection {
  const by = new Map<string, FeesSection['byCurrency'][number]>();
  for (const f of rows.fills) {
    const c = currencyOf(f.instrument) ?? '?';
    const held = by.get(c) ?? { currency: c, fills: 0, withFees: 0, total: 0 };
    held.fills += f.fills;
    held.withFees += f.withFees;
    held.total += f.total;
    by.set(c, held);
  }
  const byCurrency = [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  const accrual = rows.risk === null ? null : feeAccrualOf(rows.risk);
  return { byCurrency, fills: byCurrency.reduce((n, c) => n + c.fills, 0), accrual };
}

/** The fee accounts of a risk snapshot, when its analytics carry them. */
export function feeAccrualOf(r: StoredRow): FeeAccrual | null {
  const a = obj(r.data.analytics);
  if (a.fees === undefined) return null;
  const f = obj(a.fees);
  const n = (k: string) => num(f[k]);
  return {
    stamp: stampOf('risk_snapshots (analytics.fees)', r),
    sampledAt: num(a.sampledAt),
    schedule: {
      managementRate: n('managementRate'),
      performanceRate: n('performanceRate'),
      hurdleRate: n('hurdleRate'),
      dayCount: str(f.dayCount),
      crystallisation: str(f.crystallisation),
    },
    navGross: n('navGross'),
    navNet: n('navNet'),
    accruedManagement: n('accruedManagement'),
    accruedPerformance: n('accruedPerformance'),
    crystallised: n('crystallised'),
    highWaterMark: n('highWaterMark'),
    hurdleNav: n('hurdleNav'),
    lastAccrual: n('lastAccrual'),
    lastManagement: n('lastManagement'),
    lastPerformance: n('lastPerformance'),
  };
}
