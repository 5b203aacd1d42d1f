// The closing marks of the days the store holds, for the engine's history (risk.history.fromStore;
// engine/risk/stored-days.ts): the last 1-minute bar of each instrument on each UTC day in a span,
// read once at the engine's start. A store that cannot answer in time leaves the history to the file.

import pg from 'pg';
import type { StoredCloses } from '../../engine/risk/stored-days.js';

const MS_PER_DAY = 86_400_000;

/**
 * Each instrument's close on each day from `fromDay` up to, not including, `toDay` (epoch days): the
 * close of its last 1-minute bar that day. Days no instrument traded are absent; an instrument that
 * did not trade on a day present is NaN there.
 */
export async function readStoredCloses(
  client: pg.ClientBase,
  instruments: readonly string[],
  fromDay: number,
  toDay: number,
): Promise<StoredCloses> {
  const { rows } = await client.query<{ instrument: string; day: number; close: number }>(
    `select distinct on (instrument, day) instrument, day, close
       from (select instrument, floor(extract(epoch from bucket) / 86400)::int as day, bucket, close
               from bars_1m
              where bucket >= $1 and bucket < $2 and instrument = any($3::text[])) b
      order by instrument, day, bucket desc`,
    [new Date(fromDay * MS_PER_DAY).toISOString(), new Date(toDay * MS_PER_DAY).toISOString(), instruments],
  );
  const days = [...new Set(rows.map((r) => r.day))].sort((a, b) => a - b);
  const at = new Map(days.map((d, k) => [d, k]));
  const column = new Map(instruments.map((id, j) => [id, j]));
  const closes = days.map(() => new Array<number>(instruments.length).fill(NaN));
  for (const r of rows) closes[at.get(r.day)!][column.get(r.instrument)!] = r.close;
  return { days, instruments: [...instruments], closes };
}

/** The same from a URL, within `timeoutMs` (connection and query), on a connection of its own. */
export async function storedClosesAt(
  url: string,
  instruments: readonly string[],
  fromDay: number,
  toDay: number,
  timeoutMs: number,
): Promise<StoredCloses> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await readStoredCloses(client, instruments, fromDay, toDay);
  } finally {
    await client.end().catch(() => undefined);
  }
}
