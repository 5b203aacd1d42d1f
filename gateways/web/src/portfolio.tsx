// A portfolio: its positions live in a grid updated by transactions once per animation frame (only
// the rows the engine's updates touched), beside VaR/ES by method and the stress table.
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, GridApi, Theme } from 'ag-grid-community';
import { useEffect, useMemo, useRef, useState } from 'react';
import { money, signed } from './format.js';
import type { LiveStream } from './live.js';

export interface PositionRow {
  instrument: string;
  qty?: number;
  avgCost?: number;
  mark?: number;
  marketValue?: number;
  unrealizedPnl?: number;
  realizedPnl?: number;
  exposure?: number;
  componentVar?: number;
}

type Data = Record<string, unknown>;

const pnlClass = (v: unknown) => (typeof v === 'number' && v !== 0 ? (v < 0 ? 'loss' : 'gain') : '');
const col = (field: keyof PositionRow, headerName: string, decimals = 0, fmt = money): ColDef<PositionRow> => ({
  field,
  headerName,
  type: 'rightAligned',
  valueFormatter: (p) => fmt(p.value, decimals),
  enableCellChangeFlash: true,
  width: 140,
});

const COLUMNS: ColDef<PositionRow>[] = [
  { field: 'instrument', headerName: 'Instrument', pinned: 'left', width: 150, sort: 'asc' },
  col('qty', 'Qty'),
  col('avgCost', 'Avg cost', 4),
  col('mark', 'Mark', 4),
  col('marketValue', 'Market value'),
  { ...col('unrealizedPnl', 'Unrealised P&L', 0, signed), cellClass: (p) => pnlClass(p.value) },
  { ...col('realizedPnl', 'Realised P&L', 0, signed), cellClass: (p) => pnlClass(p.value) },
  col('exposure', 'Delta-adj. exposure'),
  col('componentVar', 'Component VaR 99'),
];

function componentVars(risk: Data | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of (risk?.components as { instrument: string; componentVar: number }[] | undefined) ?? [])
    out.set(c.instrument, c.componentVar);
  return out;
}

function rowOf(key: string, row: Data, cvar: Map<string, number>): PositionRow {
  return { ...(row as Omit<PositionRow, 'instrument'>), instrument: key, componentVar: cvar.get(key) };
}

function RiskPanel(props: { risk: Data | undefined }) {
  const measures =
    (props.risk?.measures as
      { method: string; horizonDays: number; confidence: number; var: number; es: number }[] | undefined) ?? [];
  const stress = (props.risk?.stress as { scenario: string; name: string; pnl: number }[] | undefined) ?? [];
  return (
    <aside className="risk">
      <h3>VaR and ES</h3>
      <table className="measures">
        <thead>
          <tr>
            <th>Method</th>
            <th>Days</th>
            <th>Conf.</th>
            <th>VaR</th>
            <th>ES</th>
          </tr>
        </thead>
        <tbody>
          {measures.map((m) => (
            <tr
              key={`${m.method}-${m.horizonDays}-${m.confidence}`}
              data-measure={`${m.method}-${m.horizonDays}-${m.confidence}`}
            >
              <td>{m.method}</td>
              <td className="num">{m.horizonDays}</td>
              <td className="num">{(m.confidence * 100).toFixed(0)} %</td>
              <td className="num">{money(m.var)}</td>
              <td className="num">{money(m.es)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Stress</h3>
      <table className="stress">
        <tbody>
          {stress.map((s) => (
            <tr key={s.scenario}>
              <td title={s.name}>{s.scenario}</td>
              <td className={`num ${pnlClass(s.pnl)}`}>{signed(s.pnl)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}

export function Portfolio(props: { id: string; live: LiveStream; theme: Theme }) {
  const { id, live } = props;
  const channel = `positions:${id}`;
  const api = useRef<GridApi<PositionRow> | null>(null);
  const [filter, setFilter] = useState('');
  const [risk, setRisk] = useState<Data | undefined>(() => live.channels.get(`risk:${id}`)?.data);
  const [inputSeq, setInputSeq] = useState(() => live.channels.get(channel)?.inputSeq);
  const initial = useMemo(() => {
    const state = live.channels.get(channel)?.data;
    const cvar = componentVars(live.channels.get(`risk:${id}`)?.data);
    return Object.entries((state?.rows as Record<string, Data> | undefined) ?? {}).map(([k, r]) => rowOf(k, r, cvar));
  }, [live, channel, id]);
  useEffect(() => {
    live.subscribe([channel, `exposures:${id}`, `risk:${id}`]);
    return live.listen((changed) => {
      if (changed.has(`risk:${id}`)) setRisk(live.channels.get(`risk:${id}`)?.data);
      const grid = api.current;
      if (grid === null || !changed.has(channel)) return;
      setInputSeq(live.channels.get(channel)?.inputSeq);
      const rows = (live.channels.get(channel)?.data.rows as Record<string, Data> | undefined) ?? {};
      const cvar = componentVars(live.channels.get(`risk:${id}`)?.data);
      const touched = live.rowsChanged(channel);
      if (touched === 'all')
        return grid.setGridOption(
          'rowData',
          Object.entries(rows).map(([k, r]) => rowOf(k, r, cvar)),
        );
      const update: PositionRow[] = [];
      const add: PositionRow[] = [];
      const remove: PositionRow[] = [];
      for (const key of touched) {
        const r = rows[key];
        if (r === undefined) remove.push({ instrument: key });
        else (grid.getRowNode(key) ? update : add).push(rowOf(key, r, cvar));
      }
      grid.applyTransactionAsync({ update, add, remove });
    });
  }, [live, channel, id]);
  const getRowId = useMemo(() => (p: GetRowIdParams<PositionRow>) => p.data.instrument, []);
  return (
    <div className="portfolio">
      <div className="toolbar">
        <a href="#/">Book</a> / <strong>{id}</strong>
        <span className="seq">
          input seq <span data-input-seq={inputSeq ?? ''}>{inputSeq ?? '—'}</span>
        </span>
        <input placeholder="Filter positions" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <div className="panes">
        <div className="grid positions">
          <AgGridReact<PositionRow>
            theme={props.theme}
            rowData={initial}
            columnDefs={COLUMNS}
            getRowId={getRowId}
            quickFilterText={filter}
            asyncTransactionWaitMillis={16}
            onGridReady={(e) => (api.current = e.api)}
          />
        </div>
        <RiskPanel risk={risk} />
      </div>
    </div>
  );
}
