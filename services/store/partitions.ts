// Daily range partitions of `ticks`, made when a batch first writes a day (inside the batch's
// transaction, so a rolled-back batch leaves no partition it thinks exists) and dropped whole by
// retention: a day's partition goes once its end is older than the retention, with no row-by-row
// delete. A replay of an old day gets its own partition like any other.

import type pg from 'pg';
import type { StoreRows } from './rows.js';

const DAY_MS = 86_400_000;

/** `ticks_20261207` for the UTC day holding `ms`. */
export function partitionName(dayStartMs: number): string {
  return `ticks_${new Date(dayStartMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export class TickPartitions {
  /** Days (UTC midnight, ms) whose partition exists (committed). */
  private readonly known = new Set<number>();
  /** Days made in the open transaction. */
  private readonly pending = new Set<number>();

  async ensure(client: pg.ClientBase, rows: StoreRows, batches: number[]): Promise<void> {
    const days = new Set<number>();
    for (const k of batches) {
      const first = rows.batches.first[k];
      for (let i = first, end = first + rows.count(k); i < end; i++) {
        const day = Math.floor(rows.ts[i] / DAY_MS) * DAY_MS;
        if (!this.known.has(day)) days.add(day);
      }
    }
    for (const day of days) {
      const from = new Date(day).toISOString();
      const to = new Date(day + DAY_MS).toISOString();
      await client.query(
        `create table if not exists ${partitionName(day)} partition of ticks for values from ('${from}') to ('${to}')`,
      );
      this.pending.add(day);
    }
  }

  committed(): void {
    for (const d of this.pending) this.known.add(d);
    this.pending.clear();
  }

  forgetUncommitted(): void {
    this.pending.clear();
  }

  /**
   * Gives each closed day's partition (ended before `nowMs`) its (instrument, ts) index, once: an
   * instrument's history is then an index scan on every day but the one being written. Returns the
   * partitions indexed now.
   */
  async indexClosedDays(client: pg.ClientBase, nowMs: number): Promise<string[]> {
    const done: string[] = [];
    for (const { name, day } of await this.list(client)) {
      if (day + DAY_MS > nowMs) continue;
      const index = `${name}_instrument_ts`;
      const { rowCount } = await client.query('select 1 from pg_class where relname = $1', [index]);
      if (rowCount) continue;
      await client.query(`create index if not exists ${index} on ${name} (instrument, ts)`);
      done.push(name);
    }
    return done;
  }

  /** The partitions of ticks that follow the daily naming, with their day. */
  private async list(client: pg.ClientBase): Promise<{ name: string; day: number }[]> {
    const { rows } = await client.query<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
       join pg_class p on p.oid = i.inhparent where p.relname = 'ticks'`,
    );
    const out: { name: string; day: number }[] = [];
    for (const { name } of rows) {
      const m = /^ticks_(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (m !== null) out.push({ name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) });
    }
    return out;
  }

  /** Drops the partitions of days that ended more than `retentionMs` before `nowMs`; returns their names. */
  async dropOlderThan(client: pg.ClientBase, nowMs: number, retentionMs: number): Promise<string[]> {
    const dropped: string[] = [];
    for (const { name, day } of await this.list(client)) {
      if (day + DAY_MS > nowMs - retentionMs) continue;
      await client.query(`drop table if exists ${name}`);
      this.known.delete(day);
      dropped.push(name);
    }
    return dropped;
  }
}
