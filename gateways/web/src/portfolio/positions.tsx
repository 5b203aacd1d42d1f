// The positions grid: live by only the rows the engine's frames touched, written once per animation
// frame; grouped by asset class, sector, currency or country with subtotal rows
// that open and close (click, Enter or Space), a quick filter, sortable and pinnable columns.
import { AgGridReact } from 'ag-grid-react';
import type {
  CellKeyDownEvent,
  ColDef,
  FullWidthCellKeyDownEvent,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  IRowNode,
  PostSortRowsParams,
  Theme,
} from 'ag-grid-community';
import { memo, useEffect, useMemo, useRef } from 'react';
import type { InstrumentRef } from '../api.js';
import { money, signed } from '../format.js';
import type { LiveStream } from '../live.js';
import type { Dimension } from './exposures.js';
import { componentVars, GridModel, type PositionRow, type Transaction } from './grid-model.js';

type Data = Record<string, unknown>;

export const pnlClass = (v: unknown) => (typeof v === 'number' && v !== 0 ? (v < 0 ? 'loss' : 'gain') : '');

const col = (field: keyof PositionRow, headerName: string, decimals = 0, fmt = money): ColDef<PositionRow> => ({
  field,
  headerName,
  type: 'rightAligned',
  valueFormatter: (p) => fmt(p.value, decimals),
  enableCellChangeFlash: true,
  width: 140,
});

function columns(toggle: (group: string) => void, collapsed: ReadonlySet<string>): ColDef<PositionRow>[] {
  return [
    {
      field: 'instrument',
      headerName: 'Instrument',
      pinned: 'left',
      width: 190,
      sort: 'asc',
      cellRenderer: (p: { data?: PositionRow; value: string }) =>
        p.data?.kind === 'group' ? (
          <button className="group-toggle" onClick={() => toggle(p.value)} aria-expanded={!collapsed.has(p.value)}>
            {collapsed.has(p.value) ? '▸' : '▾'} {p.value} ({p.data.members})
          </button>
        ) : (
          p.value
        ),
    },
    col('qty', 'Qty'),
    col('avgCost', 'Avg cost', 4),
    col('mark', 'Mark', 4),
    col('marketValue', 'Market value'),
    { ...col('unrealizedPnl', 'Unrealised P&L', 0, signed), cellClass: (p) => pnlClass(p.value) },
    { ...col('realizedPnl', 'Realised P&L', 0, signed), cellClass: (p) => pnlClass(p.value) },
    col('exposure', 'Delta-adj. exposure'),
    col('componentVar', 'Component VaR'),
  ];
}

/** Each group's subtotal row first, then its positions in the user's order; groups in the user's order too. */
function groupedOrder({ nodes }: PostSortRowsParams<PositionRow>): void {
  const heads: IRowNode<PositionRow>[] = [];
  const members = new Map<string, IRowNode<PositionRow>[]>();
  for (const n of nodes) {
    const g = n.data?.group;
    if (g === undefined) return; // not grouped
    if (n.data!.kind === 'group') heads.push(n);
    else {
      let list = members.get(g);
      if (list === undefined) members.set(g, (list = []));
      list.push(n);
    }
  }
  nodes.length = 0;
  for (const h of heads) nodes.push(h, ...(members.get(h.data!.group!) ?? []));
}

const sameRow = (a: PositionRow, b: PositionRow): boolean => {
  for (const k of Object.keys(b) as (keyof PositionRow)[]) if (a[k] !== b[k]) return false;
  return Object.keys(a).length === Object.keys(b).length;
};

/** The grid's rows as they are now → `next`: the rows that changed, came or went. */
function snapshotDelta(grid: GridApi<PositionRow>, next: PositionRow[]): Transaction {
  const tx: Transaction = { add: [], update: [], remove: [] };
  const seen = new Set<string>();
  for (const row of next) {
    seen.add(row.id);
    const held = grid.getRowNode(row.id)?.data;
    if (held === undefined) tx.add.push(row);
    else if (!sameRow(held, row)) tx.update.push(row);
  }
  grid.forEachNode((n) => n.data !== undefined && !seen.has(n.data.id) && tx.remove.push(n.data));
  return tx;
}

/**
 * Whether the rows' order and visibility can move with their values: a quick filter, a column filter
 * or a sort on anything but the instrument. Grouping cannot: a position's group is reference data.
 */
function orderFollowsValues(grid: GridApi<PositionRow>): boolean {
  if (grid.isQuickFilterPresent() || grid.isColumnFilterPresent()) return true;
  return grid.getColumnState().some((c) => c.sort != null && c.colId !== 'instrument');
}

/**
 * Writes a transaction into the grid, now (the caller runs once per animation frame). Values that
 * cannot move a row are written into its node: only the rendered rows repaint, so a tick costs the
 * rows it moved, not a pass over the book (AG Grid's transaction re-sorts and re-lays out every
 * row). Rows that come or go, or values the order or a filter depends on, go as a transaction.
 */
function write(grid: GridApi<PositionRow>, tx: Transaction): void {
  if (tx.add.length > 0 || tx.remove.length > 0 || orderFollowsValues(grid)) return void grid.applyTransaction(tx);
  for (const row of tx.update) grid.getRowNode(row.id)?.updateData(row);
}

export const Positions = memo(function Positions(props: {
  id: string;
  live: LiveStream;
  theme: Theme;
  refs: ReadonlyMap<string, InstrumentRef>;
  groupBy: Dimension | null;
  filter: string;
  /** Told the positions state's inputSeq and asOf each time a transaction is queued. */
  onState: (inputSeq: number | undefined, asOf: number | undefined) => void;
}) {
  const { id, live, refs, groupBy, onState } = props;
  const channel = `positions:${id}`;
  const riskChannel = `risk:${id}`;
  const api = useRef<GridApi<PositionRow> | null>(null);
  const collapsed = useRef(new Set<string>()).current;
  const model = useMemo(() => new GridModel(refs, groupBy), [refs, groupBy]);
  const rowsOf = () => (live.channels.get(channel)?.data.rows as Record<string, Data> | undefined) ?? {};
  const initial = useMemo(() => model.all(rowsOf(), componentVars(live.channels.get(riskChannel)?.data)), [model]);
  const toggle = (group: string) => {
    if (!collapsed.delete(group)) collapsed.add(group);
    api.current?.onFilterChanged();
    api.current?.refreshCells({ force: true, columns: ['instrument'] });
  };
  const columnDefs = useMemo(() => columns(toggle, collapsed), []);

  useEffect(() => {
    let cvar = componentVars(live.channels.get(riskChannel)?.data);
    return live.listen((changed) => {
      const grid = api.current;
      if (grid === null || (!changed.has(channel) && !changed.has(riskChannel))) return;
      const state = live.channels.get(channel);
      onState(state?.inputSeq, state?.asOf);
      let touched: Set<string> | 'all' = new Set();
      if (changed.has(channel)) {
        const t = live.rowsChanged(channel);
        touched = t === 'all' ? 'all' : new Set(t);
      }
      if (changed.has(riskChannel)) {
        // A new risk run moves the component VaR of the instruments whose figure changed.
        const next = componentVars(live.channels.get(riskChannel)?.data);
        if (touched !== 'all')
          for (const k of new Set([...cvar.keys(), ...next.keys()])) if (cvar.get(k) !== next.get(k)) touched.add(k);
        cvar = next;
      }
      const rows = rowsOf();
      // A snapshot (after a gap, a lag or a reconnect) moves few rows: only those go to the grid, so
      // 10k positions are not all re-rendered in one long task.
      if (touched === 'all') return write(grid, snapshotDelta(grid, model.all(rows, cvar)));
      if (touched.size === 0) return;
      write(
        grid,
        model.delta(rows, touched, cvar, (rid) => grid.getRowNode(rid) !== undefined),
      );
    });
  }, [live, channel, riskChannel, model]);

  const getRowId = useMemo(() => (p: GetRowIdParams<PositionRow>) => p.data.id, []);
  // Made once: a new function on each render would make the grid filter and sort every row again.
  const handlers = useMemo(
    () => ({
      isExternalFilterPresent: () => collapsed.size > 0,
      doesExternalFilterPass: (n: IRowNode<PositionRow>) =>
        n.data?.kind === 'group' || !collapsed.has(n.data?.group ?? ''),
      getRowClass: (p: { data?: PositionRow }) => (p.data?.kind === 'group' ? 'group-row' : undefined),
      onCellKeyDown: (e: CellKeyDownEvent<PositionRow> | FullWidthCellKeyDownEvent<PositionRow>) => {
        const key = (e.event as KeyboardEvent | null)?.key;
        if (e.data?.kind === 'group' && (key === 'Enter' || key === ' ')) toggle(e.data.instrument);
      },
      onGridReady: (e: GridReadyEvent<PositionRow>) => void (api.current = e.api),
    }),
    [],
  );
  /** Every group closed (only the subtotals show) or every group open. */
  const all = (close: boolean) => {
    collapsed.clear();
    if (close) api.current?.forEachNode((n) => n.data?.kind === 'group' && collapsed.add(n.data.instrument));
    api.current?.onFilterChanged();
    api.current?.refreshCells({ force: true, columns: ['instrument'] });
  };
  return (
    <div className="grid positions">
      {groupBy !== null && (
        <div className="group-tools">
          <button onClick={() => all(true)}>Close all</button>
          <button onClick={() => all(false)}>Open all</button>
        </div>
      )}
      <AgGridReact<PositionRow>
        theme={props.theme}
        rowData={initial}
        columnDefs={columnDefs}
        getRowId={getRowId}
        quickFilterText={props.filter}
        postSortRows={groupedOrder}
        deltaSort
        {...handlers}
      />
    </div>
  );
});
