// The store's tables besides ticks and executions, each written by one statement per batch from
// column arrays: risk snapshots and positions/exposures state (first of each portfolio's bucket wins), alerts (by id), orders (a
// later state, by its event count, replaces an earlier one; an earlier one arriving late changes
// nothing).

import type pg from 'pg';
import type { StoreRows } from './rows.js';

const at = (ms: number) => new Date(ms).toISOString();

export async function insertRisk(client: pg.ClientBase, rows: StoreRows): Promise<number> {
  const r = rows.risk;
  if (r.length === 0) return 0;
  const { rowCount } = await client.query(
    `insert into risk_snapshots (portfolio, bucket, as_of, input_seq, seq, data)
     select * from unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int8[], $5::int8[], $6::jsonb[])
     on conflict do nothing`,
    [
      r.map((x) => x.portfolio),
      r.map((x) => at(x.bucket)),
      r.map((x) => at(x.asOf)),
      r.map((x) => x.inputSeq),
      r.map((x) => x.seq),
      r.map((x) => JSON.stringify(x.data)),
    ],
  );
  return rowCount ?? 0;
}

export async function insertStates(client: pg.ClientBase, rows: StoreRows): Promise<number> {
  const s = rows.states;
  if (s.length === 0) return 0;
  const { rowCount } = await client.query(
    `insert into state_snapshots (portfolio, kind, bucket, as_of, input_seq, seq, data)
     select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int8[], $6::int8[],
                          $7::jsonb[])
     on conflict do nothing`,
    [
      s.map((x) => x.portfolio),
      s.map((x) => x.kind),
      s.map((x) => at(x.bucket)),
      s.map((x) => at(x.asOf)),
      s.map((x) => x.inputSeq),
      s.map((x) => x.seq),
      s.map((x) => x.data),
    ],
  );
  return rowCount ?? 0;
}

export async function insertAlerts(client: pg.ClientBase, rows: StoreRows): Promise<number> {
  const a = rows.alerts;
  if (a.length === 0) return 0;
  const { rowCount } = await client.query(
    `insert into alerts (id, portfolio, limit_id, state, severity, message, value, threshold, ts)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[],
                          $8::float8[], $9::timestamptz[])
     on conflict (id) do nothing`,
    [
      a.map((x) => x.id),
      a.map((x) => x.portfolio),
      a.map((x) => x.limit),
      a.map((x) => x.state),
      a.map((x) => x.severity),
      a.map((x) => x.message),
      a.map((x) => x.value),
      a.map((x) => x.threshold),
      a.map((x) => at(x.ts)),
    ],
  );
  return rowCount ?? 0;
}

export async function insertAlertActions(client: pg.ClientBase, rows: StoreRows): Promise<number> {
  const a = rows.alertActions;
  if (a.length === 0) return 0;
  const { rowCount } = await client.query(
    `insert into alert_actions (id, alert_id, portfolio, action, by_subject, assignee, note, ts)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::timestamptz[])
     on conflict (id) do nothing`,
    [
      a.map((x) => x.id),
      a.map((x) => x.alert),
      a.map((x) => x.portfolio),
      a.map((x) => x.action),
      a.map((x) => x.by),
      a.map((x) => x.assignee ?? null),
      a.map((x) => x.note ?? null),
      a.map((x) => at(x.ts)),
    ],
  );
  return rowCount ?? 0;
}

export async function upsertOrders(client: pg.ClientBase, rows: StoreRows): Promise<number> {
  // The newest state of each order in the batch: one row per id (an upsert may not touch a row twice).
  const newest = new Map<string, StoreRows['orders'][number]>();
  for (const o of rows.orders) {
    const held = newest.get(o.id);
    if (held === undefined || o.version >= held.version) newest.set(o.id, o);
  }
  const o = [...newest.values()];
  if (o.length === 0) return 0;
  const { rowCount } = await client.query(
    `insert into orders (id, portfolio, instrument, side, status, qty, cum_qty, avg_px, version, data, updated_at)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                          $8::float8[], $9::int4[], $10::jsonb[], $11::timestamptz[])
     on conflict (id) do update set status = excluded.status, qty = excluded.qty, cum_qty = excluded.cum_qty,
       avg_px = excluded.avg_px, version = excluded.version, data = excluded.data, updated_at = excluded.updated_at
     where orders.version < excluded.version`,
    [
      o.map((x) => x.id),
      o.map((x) => x.portfolio),
      o.map((x) => x.instrument),
      o.map((x) => x.side),
      o.map((x) => x.status),
      o.map((x) => x.qty),
      o.map((x) => x.cumQty),
      o.map((x) => x.avgPx),
      o.map((x) => x.version),
      o.map((x) => JSON.stringify(x.data)),
      o.map((x) => at(x.ts)),
    ],
  );
  return rowCount ?? 0;
}
