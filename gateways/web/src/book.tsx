// The Book: every entitled portfolio in one live grid (NAV, day P&L, exposures, VaR and ES).
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, Theme } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { money, signed } from './format.js';
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
}

type Data = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const section = (d: Data | undefined, k: string): Data => (d?.[k] as Data | undefined) ?? {};

/** One portfolio's row from the channels the stream holds (missing ones leave blanks). */
export function bookRow(p: PortfolioInfo, live: LiveStream): BookRow {
  const pos = live.channels.get(`positions:${p.id}`);
  const exp = live.channels.get(`exposures:${p.id}`);
  const risk = live.channels.get(`risk:${p.id}`);
  const totals = section(pos?.data, 'totals');
  const ex = section(exp?.data, 'totals');
  const v = section(risk?.data, 'var');
  const es = section(risk?.data, 'es');
  const unreal = num(totals.unrealizedPnl);
  const real = num(totals.realizedPnl);
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
  };
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
];

export function Book(props: { portfolios: PortfolioInfo[]; live: LiveStream; theme: Theme }) {
  const { portfolios, live } = props;
  const [rows, setRows] = useState<BookRow[]>(() => portfolios.map((p) => bookRow(p, live)));
  useEffect(() => {
    live.subscribe(portfolios.flatMap((p) => ['positions', 'exposures', 'risk'].map((k) => `${k}:${p.id}`)));
    return live.listen(() => setRows(portfolios.map((p) => bookRow(p, live))));
  }, [portfolios, live]);
  const getRowId = useMemo(() => (p: GetRowIdParams<BookRow>) => p.data.id, []);
  return (
    <div className="grid book">
      <AgGridReact<BookRow> theme={props.theme} rowData={rows} columnDefs={COLUMNS} getRowId={getRowId} />
    </div>
  );
}
