// The Book: every entitled portfolio in one live grid (NAV, day P&L, exposures, VaR and ES, how
// much of its limits it uses, and its VaR backtest's worst zone).
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, Theme } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { money, signed } from './format.js';
import { highestUse, loadLimits, type LimitDef } from './limits.js';
import type { LiveStream } from './live.js';

export interface PortfolioInfo {
  id: string;
  name: string;
  baseCurrency: string;
}

export interface BookRow {
  id: string;
  name: string;
  ccy: string;
  nav?: number;
  dayPnl?: number;
  gross?: number;
  net?: number;
  var95?: number;
  var99?: number;
  es99?: number;
  inputSeq?: number;
  /** The most used limit: use (1 = at the limit), its id, metric, bound and the value read. */
  limitUse?: number;
  limitId?: string;
  limitMetric?: string;
  limitValue?: number;
  limitBound?: number;
  /** The inputSeqs of the exposures and risk channels the row was read from (positions': inputSeq). */
  exposuresSeq?: number;
  riskSeq?: number;
  /** The worst Basel zone of the risk frame's VaR backtests. */
  backtest?: Zone;
}

export type Zone = 'green' | 'yellow' | 'red';
const ZONES: readonly Zone[] = ['green', 'yellow', 'red'];

/** The worst zone of a risk frame's backtests (red > yellow > green), or undefined without any. */
export function worstZone(backtest: unknown): Zone | undefined {
  if (!Array.isArray(backtest)) return undefined;
  let worst = -1;
  for (const b of backtest as { zone?: unknown }[]) worst = Math.max(worst, ZONES.indexOf(b?.zone as Zone));
  return worst < 0 ? undefined : ZONES[worst];
}

type Data = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const section = (d: Data | undefined, k: string): Data => (d?.[k] as Data | undefined) ?? {};

/** One portfolio's row from the channels the stream holds (missing ones leave blanks). */
export function bookRow(p: PortfolioInfo, live: LiveStream, limits: readonly LimitDef[] = []): BookRow {
  const pos = live.channels.get(`positions:${p.id}`);
  const exp = live.channels.get(`exposures:${p.id}`);
  const risk = live.channels.get(`risk:${p.id}`);
  const totals = section(pos?.data, 'totals');
  const ex = section(exp?.data, 'totals');
  const v = section(risk?.data, 'var');
  const es = section(risk?.data, 'es');
  const unreal = num(totals.unrealizedPnl);
  const real = num(totals.realizedPnl);
  const use = highestUse(live, limits, p.id);
  return {
    id: p.id,
    name: p.name,
    ccy: p.baseCurrency,
    nav: num(totals.nav),
    dayPnl: unreal === undefined ? undefined : unreal + (real ?? 0),
    gross: num(ex.gross),
    net: num(ex.net),
    var95: num(v['95']),
    var99: num(v['99']),
    es99: num(es['99']),
    inputSeq: pos?.inputSeq,
    limitUse: use?.use,
    limitId: use?.limit.id,
    limitMetric: use?.limit.metric,
    limitValue: use?.value,
    limitBound: use?.bound,
    exposuresSeq: exp?.inputSeq,
    riskSeq: risk?.inputSeq,
    backtest: worstZone(risk?.data.backtest),
  };
}

/** A use as a percentage: one decimal below 1,000 %, whole above, and no longer than ">99,999%". */
export const percent = (v: number): string =>
  v < 10 ? `${(v * 100).toFixed(1)}%` : v < 1000 ? `${money(v * 100)}%` : '>99,999%';

/** A bar to the limit (full at 100%, marked past it) with the percentage and the limit's id in words. */
function LimitUseCell(p: { data?: BookRow }) {
  const r = p.data;
  if (r?.limitUse === undefined) return null;
  const level = r.limitUse > 1 ? 'over' : r.limitUse >= 0.8 ? 'near' : 'ok';
  return (
    <div
      className={`limit-use ${level}`}
      data-limit={r.limitId}
      data-use={r.limitUse}
      data-positions-seq={r.inputSeq}
      data-exposures-seq={r.exposuresSeq}
      data-risk-seq={r.riskSeq}
      title={`${r.limitId}: ${r.limitMetric} ${money(r.limitValue)} of ${money(r.limitBound)}`}
    >
      <span className="bar" style={{ width: `${Math.min(100, Math.max(0, r.limitUse * 100))}%` }} />
      <span className="text">
        {percent(r.limitUse)} {r.limitId}
      </span>
    </div>
  );
}

/** The zone in words with a shape and a colour, so no one needs the colour to read it. */
export function ZoneBadge(p: { zone?: Zone }) {
  if (p.zone === undefined) return null;
  const mark = p.zone === 'red' ? '✕' : p.zone === 'yellow' ? '▲' : '✓';
  return (
    <span className={`bt-zone bt-${p.zone}`} data-zone={p.zone}>
      {mark} {p.zone}
    </span>
  );
}

const numeric = (field: keyof BookRow, headerName: string, fmt = money): ColDef<BookRow> => ({
  field,
  headerName,
  type: 'rightAligned',
  valueFormatter: (p) => fmt(p.value),
  enableCellChangeFlash: true,
  width: 150,
});

const COLUMNS: ColDef<BookRow>[] = [
  {
    field: 'id',
    headerName: 'Portfolio',
    pinned: 'left',
    width: 170,
    cellRenderer: (p: { value: string }) => <a href={`#/portfolio/${encodeURIComponent(p.value)}`}>{p.value}</a>,
  },
  { field: 'name', headerName: 'Name', width: 180 },
  { field: 'ccy', headerName: 'Ccy', width: 70 },
  numeric('nav', 'NAV'),
  {
    ...numeric('dayPnl', 'Day P&L', signed),
    cellClass: (p) => (typeof p.value === 'number' ? (p.value < 0 ? 'loss' : 'gain') : ''),
  },
  numeric('gross', 'Gross'),
  numeric('net', 'Net'),
  numeric('var95', 'VaR 95'),
  numeric('var99', 'VaR 99'),
  numeric('es99', 'ES 99'),
  { field: 'inputSeq', headerName: 'Input seq', type: 'rightAligned', width: 110 },
  {
    field: 'limitUse',
    headerName: 'Limit use',
    headerTooltip: 'The most used limit: value / max, or value / min for a negative floor',
    cellRenderer: LimitUseCell,
    // Drawn again whenever its row is: the value read and its inputSeqs move while the use rounds the same.
    equals: () => false,
    width: 190,
  },
  {
    field: 'backtest',
    headerName: 'Backtest',
    headerTooltip: 'Worst Basel traffic-light zone of the VaR backtests',
    cellRenderer: (p: { value?: Zone }) => <ZoneBadge zone={p.value} />,
    width: 110,
  },
];

export function Book(props: { portfolios: PortfolioInfo[]; live: LiveStream; theme: Theme; token?: string | null }) {
  const { portfolios, live } = props;
  const [limits, setLimits] = useState<LimitDef[]>([]);
  const [rows, setRows] = useState<BookRow[]>(() => portfolios.map((p) => bookRow(p, live)));
  useEffect(() => {
    let on = true;
    void loadLimits(props.token ?? null).then((l) => on && setLimits(l));
    return () => void (on = false);
  }, [props.token]);
  useEffect(() => {
    live.subscribe(portfolios.flatMap((p) => ['positions', 'exposures', 'risk'].map((k) => `${k}:${p.id}`)));
    setRows(portfolios.map((p) => bookRow(p, live, limits)));
    return live.listen(() => setRows(portfolios.map((p) => bookRow(p, live, limits))));
  }, [portfolios, live, limits]);
  const getRowId = useMemo(() => (p: GetRowIdParams<BookRow>) => p.data.id, []);
  return (
    <div className="grid book">
      <AgGridReact<BookRow> theme={props.theme} rowData={rows} columnDefs={COLUMNS} getRowId={getRowId} />
    </div>
  );
}
