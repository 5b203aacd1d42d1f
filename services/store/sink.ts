// Writes a batch of StoreRows into PostgreSQL in one transaction, at least once from the bus and
// stored once: the tick envelopes' keys go into tick_batches first (ON CONFLICT DO NOTHING
// RETURNING tells which are new), then only the new envelopes' ticks are written, by binary COPY
// or, where COPY does not work (PGlite), by INSERT … SELECT FROM unnest of column arrays; executions
// insert on their id; risk snapshots, positions/exposures state, alerts and orders as events.ts says. A failure rolls the whole batch back, so the caller retries it whole.

import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CopyWriter } from './copy-binary.js';
import { insertAlertActions, insertAlerts, insertRisk, insertStates, upsertOrders } from './events.js';
import { TickPartitions } from './partitions.js';
import type { StoreRows } from './rows.js';

export type WriteMode = 'copy' | 'insert';

export interface WriteResult {
  /** Rows written now (a redelivered batch writes none; an order's row counts when a later state replaced it). */
  ticks: number;
  executions: number;
  risk: number;
  /** Positions and exposures state rows (state_snapshots). */
  states: number;
  alerts: number;
  /** Acknowledgements and assignments (alert_actions). */
  alertActions: number;
  orders: number;
  /** Tick envelopes already stored, skipped. */
  duplicates: number;
}

/** Rows per INSERT statement on the insert path (each column is one array parameter). */
const INSERT_ROWS = 20_000;

export class TickSink {
  private readonly copy = new CopyWriter();
  readonly partitions = new TickPartitions();
  /** Instrument ids as UTF-8, encoded once. */
  private readonly idBytes: Buffer[];

  constructor(
    private readonly instruments: readonly string[],
    readonly mode: WriteMode = 'copy',
  ) {
    this.idBytes = instruments.map((id) => Buffer.from(id, 'utf8'));
  }

  async write(client: pg.ClientBase, rows: StoreRows): Promise<WriteResult> {
    const result: WriteResult = {
      ticks: 0,
      executions: 0,
      risk: 0,
      states: 0,
      alerts: 0,
      alertActions: 0,
      orders: 0,
      duplicates: 0,
    };
    const events =
      rows.executions.length +
      rows.risk.length +
      rows.states.length +
      rows.alerts.length +
      rows.alertActions.length +
      rows.orders.length;
    if (rows.batches.src.length === 0 && events === 0) return result;
    await client.query('begin');
    try {
      const fresh = await this.newBatches(client, rows);
      result.duplicates = rows.batches.src.length - fresh.length;
      if (fresh.length > 0) {
        await this.partitions.ensure(client, rows, fresh);
        result.ticks = await (this.mode === 'copy'
          ? this.copyTicks(client, rows, fresh)
          : this.insertTicks(client, rows, fresh));
      }
      result.executions = await insertExecutions(client, rows);
      result.risk = await insertRisk(client, rows);
      result.states = await insertStates(client, rows);
      result.alerts = await insertAlerts(client, rows);
      result.alertActions = await insertAlertActions(client, rows);
      result.orders = await upsertOrders(client, rows);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      this.partitions.forgetUncommitted();
      throw err;
    }
    this.partitions.committed();
    return result;
  }

  /** Indexes of the tick envelopes not stored before (their keys are now held by this transaction). */
  private async newBatches(client: pg.ClientBase, rows: StoreRows): Promise<number[]> {
    const b = rows.batches;
    if (b.src.length === 0) return [];
    // Event times as whole microseconds, the same integers here and in the database: the key compares exactly.
    const us = b.ts.map((ms) => Math.round(ms * 1000));
    const key = (src: string, seq: string, micros: string) => `${src}\u0000${seq}\u0000${micros}`;
    const at = new Map<string, number>();
    for (let k = b.src.length - 1; k >= 0; k--) at.set(key(b.src[k], String(b.seq[k]), String(us[k])), k);
    const { rows: got } = await client.query<{ src: string; seq: string; us: string }>(
      `insert into tick_batches (src, seq, ts, ticks, first_ts)
       select src, seq, timestamptz 'epoch' + us * interval '1 microsecond', ticks,
              timestamptz 'epoch' + first_us * interval '1 microsecond'
       from unnest($1::text[], $2::int8[], $3::int8[], $4::int4[], $5::int8[]) as u(src, seq, us, ticks, first_us)
       on conflict do nothing
       returning src, seq::text as seq, (extract(epoch from ts) * 1000000)::int8::text as us`,
      [
        b.src,
        b.seq,
        us,
        b.src.map((_, k) => rows.count(k)),
        b.src.map((_, k) => Math.floor(rows.earliest(k) * 1000) - 1),
      ],
    );
    return got.map((r) => at.get(key(r.src, r.seq, r.us))!).sort((x, y) => x - y);
  }

  private async copyTicks(client: pg.ClientBase, rows: StoreRows, fresh: number[]): Promise<number> {
    const w = this.copy;
    w.reset();
    let n = 0;
    for (const k of fresh) {
      const first = rows.batches.first[k];
      const src = rows.batches.src[k];
      const seq = rows.batches.seq[k];
      for (let i = first, end = first + rows.count(k); i < end; i++, n++)
        w.row(7)
          .timestampMs(rows.ts[i])
          .bytes(this.idBytes[rows.instrument[i]])
          .float8(rows.bid[i])
          .float8(rows.ask[i])
          .float8(rows.last[i])
          .text(src)
          .int8(seq);
    }
    w.end();
    const stream = client.query(
      copyFrom('copy ticks (ts, instrument, bid, ask, last, src, seq) from stdin (format binary)'),
    );
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(w.take());
    });
    return n;
  }

  private async insertTicks(client: pg.ClientBase, rows: StoreRows, fresh: number[]): Promise<number> {
    let n = 0;
    const cols = {
      ts: [] as number[],
      id: [] as string[],
      bid: [] as number[],
      ask: [] as number[],
      last: [] as number[],
      src: [] as string[],
      seq: [] as number[],
    };
    const flush = async () => {
      if (cols.ts.length === 0) return;
      await client.query(
        `insert into ticks (ts, instrument, bid, ask, last, src, seq)
         select to_timestamp(ts / 1000.0), id, bid, ask, last, src, seq
         from unnest($1::float8[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::text[], $7::int8[])
           as u(ts, id, bid, ask, last, src, seq)`,
        [cols.ts, cols.id, cols.bid, cols.ask, cols.last, cols.src, cols.seq],
      );
      for (const c of Object.values(cols)) c.length = 0;
    };
    for (const k of fresh) {
      const first = rows.batches.first[k];
      for (let i = first, end = first + rows.count(k); i < end; i++, n++) {
        cols.ts.push(rows.ts[i]);
        cols.id.push(this.instruments[rows.instrument[i]]);
        cols.bid.push(rows.bid[i]);
        cols.ask.push(rows.ask[i]);
        cols.last.push(rows.last[i]);
        cols.src.push(rows.batches.src[k]);
        cols.seq.push(rows.batches.seq[k]);
        if (cols.ts.length === INSERT_ROWS) await flush();
      }
    }
    await flush();
    return n;
  }
}

/** Executions insert on their id: one seen before (a redelivery, or a resend by the venue) changes nothing. */
async function insertExecutions(client: pg.ClientBase, rows: StoreRows): Promise<number> {
  if (rows.executions.length === 0) return 0;
  const x = rows.executions;
  const { rowCount } = await client.query(
    `insert into executions (id, order_id, portfolio, instrument, side, qty, price, fees, venue, ts, src)
     select id, order_id, portfolio, instrument, side, qty, price, fees, venue, to_timestamp(ts / 1000.0), src
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                 $8::float8[], $9::text[], $10::float8[], $11::text[])
       as u(id, order_id, portfolio, instrument, side, qty, price, fees, venue, ts, src)
     on conflict (id) do nothing`,
    [
      x.map((r) => r.e.id),
      x.map((r) => r.e.orderId ?? null),
      x.map((r) => r.e.portfolio),
      x.map((r) => r.e.instrument),
      x.map((r) => r.e.side),
      x.map((r) => r.e.qty),
      x.map((r) => r.e.price),
      x.map((r) => r.e.fees ?? null),
      x.map((r) => r.e.venue ?? null),
      x.map((r) => r.e.ts),
      x.map((r) => r.src),
    ],
  );
  return rowCount ?? 0;
}
