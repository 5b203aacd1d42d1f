// The positions grid's rows: one per position, and when grouped one subtotal row per group
// (AG Grid Community has no row grouping). Turns what the engine's frames touched into one grid
// transaction, so a tick costs the rows it moved and their groups' subtotals, not the book.
import type { InstrumentRef } from '../api.js';
import type { Dimension } from './exposures.js';

export interface PositionRow {
  /** Row id: the instrument, or `group:<key>` for a subtotal row. */
  id: string;
  kind: 'position' | 'group';
  instrument: string;
  group?: string;
  members?: number;
  qty?: number;
  avgCost?: number;
  mark?: number;
  marketValue?: number;
  unrealizedPnl?: number;
  realizedPnl?: number;
  exposure?: number;
  componentVar?: number;
}

export interface Transaction {
  add: PositionRow[];
  update: PositionRow[];
  remove: PositionRow[];
}

type Data = Record<string, unknown>;

/** The reference-data field each exposure dimension groups by (the engine's buckets use the same). */
const FIELD: Record<Dimension, keyof InstrumentRef> = {
  assetClass: 'kind',
  sector: 'sector',
  currency: 'currency',
  country: 'country',
};

/** Fields summed into a group's subtotal: money in the book's base currency. */
const SUMMED = ['marketValue', 'unrealizedPnl', 'realizedPnl', 'exposure', 'componentVar'] as const;

export class GridModel {
  /** instrument → group key, and group key → its instruments, while grouped. */
  private readonly groupOf = new Map<string, string>();
  private readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly refs: ReadonlyMap<string, InstrumentRef>,
    readonly groupBy: Dimension | null,
  ) {}

  /** Every row from the channel's whole state. */
  all(rows: Record<string, Data>, cvar: ReadonlyMap<string, number>): PositionRow[] {
    this.groupOf.clear();
    this.members.clear();
    const out = Object.entries(rows).map(([k, r]) => this.position(k, r, cvar));
    return this.groupBy === null ? out : [...out, ...[...this.members.keys()].map((g) => this.subtotal(g, rows, cvar))];
  }

  /** The transaction for rows `touched` (keys of `rows`, or gone from it) and their groups. */
  delta(
    rows: Record<string, Data>,
    touched: Iterable<string>,
    cvar: ReadonlyMap<string, number>,
    has: (id: string) => boolean,
  ): Transaction {
    const tx: Transaction = { add: [], update: [], remove: [] };
    const groups = new Set<string>();
    for (const key of touched) {
      const before = this.groupOf.get(key);
      if (before !== undefined) groups.add(before);
      const r = rows[key];
      if (r === undefined) {
        if (before !== undefined) this.leave(key, before);
        tx.remove.push({ id: key, kind: 'position', instrument: key });
        continue;
      }
      const row = this.position(key, r, cvar);
      if (row.group !== undefined) groups.add(row.group);
      (has(key) ? tx.update : tx.add).push(row);
    }
    for (const g of groups) {
      const id = `group:${g}`;
      if (!this.members.has(g)) tx.remove.push({ id, kind: 'group', instrument: g });
      else (has(id) ? tx.update : tx.add).push(this.subtotal(g, rows, cvar));
    }
    return tx;
  }

  private position(key: string, r: Data, cvar: ReadonlyMap<string, number>): PositionRow {
    const row: PositionRow = {
      ...(r as Partial<PositionRow>),
      id: key,
      kind: 'position',
      instrument: key,
      componentVar: cvar.get(key),
    };
    if (this.groupBy !== null) {
      const g = String(this.refs.get(key)?.[FIELD[this.groupBy]] ?? 'unknown');
      const before = this.groupOf.get(key);
      if (before !== g) {
        if (before !== undefined) this.leave(key, before);
        this.groupOf.set(key, g);
        let set = this.members.get(g);
        if (set === undefined) this.members.set(g, (set = new Set()));
        set.add(key);
      }
      row.group = g;
    }
    return row;
  }

  private leave(key: string, group: string): void {
    this.groupOf.delete(key);
    const set = this.members.get(group);
    set?.delete(key);
    if (set?.size === 0) this.members.delete(group);
  }

  private subtotal(group: string, rows: Record<string, Data>, cvar: ReadonlyMap<string, number>): PositionRow {
    const out: PositionRow = { id: `group:${group}`, kind: 'group', instrument: group, group, members: 0 };
    const sums = { marketValue: 0, unrealizedPnl: 0, realizedPnl: 0, exposure: 0, componentVar: 0 };
    let withCvar = false;
    for (const key of this.members.get(group) ?? []) {
      const r = rows[key] as Partial<PositionRow> | undefined;
      if (r === undefined) continue;
      out.members!++;
      for (const f of SUMMED) {
        const v = f === 'componentVar' ? cvar.get(key) : r[f];
        if (typeof v === 'number') {
          sums[f] += v;
          if (f === 'componentVar') withCvar = true;
        }
      }
    }
    return { ...out, ...sums, componentVar: withCvar ? sums.componentVar : undefined };
  }
}

/** Component VaR by instrument from a risk frame's components. */
export function componentVars(risk: Data | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of (risk?.components as { instrument: string; componentVar: number }[] | undefined) ?? [])
    out.set(c.instrument, c.componentVar);
  return out;
}
