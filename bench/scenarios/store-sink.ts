// Ticks into PostgreSQL through the store's sink, end to end from bus bytes: the feed's msgpack tick
// records (256 ticks each, as TickEncoder writes them) read into columns (StoreReader) and written
// by TickSink in bus-sized transactions, once by binary COPY and once by batched INSERT; the limit
// in the same run is PostgreSQL's own client loading the same rows: `psql \copy … (format csv)` of
// a file holding them. Each run starts from empty tables on one server (tools/postgres/server.ts,
// PostgreSQL 18, default durability: fsync and synchronous commit on).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TickEncoder } from '../../feeds/publish.js';
import { rollUpBars } from '../../services/store/bars.js';
import { migrate } from '../../services/store/migrate.js';
import { TickSink, type WriteMode } from '../../services/store/sink.js';
import { StoreReader, StoreRows } from '../../services/store/rows.js';
import type { TickTuple } from '../../streams/envelope.js';
import { startPostgres } from '../../tools/postgres/server.js';
import { psqlPath } from '../../tools/postgres/psql.js';
import { checkTargets, type Scenario } from '../harness.js';
import { cpuInfo } from './risk-common.js';

/** Records per transaction: a Kafka fetch's worth (kafka.maxBatch's order), 256 ticks each. */
const RECORDS_PER_BATCH = 400;

function instruments(n: number): string[] {
  return Array.from({ length: n }, (_, k) => `EQ${String(k).padStart(5, '0')}`);
}

/** The feed's records for `ticks` ticks over `ids`, 1 ms of event time apart per 50 ticks. */
function records(ids: string[], ticks: number): Uint8Array[] {
  const enc = new TickEncoder(8, 'bench-feed', 256, 'msgpack');
  const t0 = Date.UTC(2026, 11, 7, 14);
  const out: Uint8Array[] = [];
  const chunk: TickTuple[] = [];
  let x = 1;
  for (let k = 0; k < ticks; k++) {
    x = (x * 48271) % 2147483647;
    const mid = 50 + (x % 10_000) / 100;
    chunk.push([ids[x % ids.length], t0 + k / 50, mid - 0.01, mid + 0.01, mid]);
    if (chunk.length === 8 * 256 || k === ticks - 1) {
      for (const m of enc.encode(chunk, chunk.length, [])) out.push(m.value);
      chunk.length = 0;
    }
  }
  return out;
}

async function throughSink(url: string, ids: string[], recs: Uint8Array[], mode: WriteMode) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('truncate ticks, tick_batches');
  const reader = new StoreReader(ids);
  const sink = new TickSink(ids, mode);
  const rows = new StoreRows();
  let stored = 0;
  const t0 = performance.now();
  for (let a = 0; a < recs.length; a += RECORDS_PER_BATCH) {
    rows.clear();
    for (const value of recs.slice(a, a + RECORDS_PER_BATCH)) reader.read({ value }, rows);
    stored += (await sink.write(client, rows)).ticks;
  }
  const s = (performance.now() - t0) / 1000;
  await client.end();
  return { rowsPerS: stored / s, stored, seconds: s };
}

async function rollUpTimed(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('truncate bars_1s, bars_1m, store_state');
  const t0 = performance.now();
  const bars = await rollUpBars(client);
  const seconds = (performance.now() - t0) / 1000;
  await client.end();
  return { bars, seconds };
}

/** The same rows as CSV, loaded by psql's \copy into the same (emptied) table. */
async function psqlCopy(url: string, psql: string, ids: string[], recs: Uint8Array[]) {
  const reader = new StoreReader(ids);
  const rows = new StoreRows();
  for (const value of recs) reader.read({ value }, rows);
  const lines: string[] = [];
  for (let k = 0; k < rows.batches.src.length; k++) {
    const first = rows.batches.first[k];
    for (let i = first; i < first + rows.count(k); i++)
      lines.push(
        `${new Date(rows.ts[i]).toISOString()},${ids[rows.instrument[i]]},${rows.bid[i]},${rows.ask[i]},${rows.last[i]},${rows.batches.src[k]},${rows.batches.seq[k]}`,
      );
  }
  const dir = mkdtempSync(join(tmpdir(), 'riskline-psql-'));
  const file = join(dir, 'ticks.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('truncate ticks, tick_batches');
  await client.end();
  const t0 = performance.now();
  execFileSync(psql, [
    url,
    '-v',
    'ON_ERROR_STOP=1',
    '-q',
    '-c',
    `\\copy ticks (ts, instrument, bid, ask, last, src, seq) from '${file}' (format csv)`,
  ]);
  const s = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  return { rowsPerS: lines.length / s, stored: lines.length, seconds: s };
}

export const storeSink: Scenario = {
  name: 'store-sink',
  description: 'ticks into PostgreSQL through the store sink (COPY and INSERT) against psql \\copy of the same rows',
  async run({ quick, log }) {
    const ids = instruments(5_000);
    const ticks = quick ? 400_000 : 2_000_000;
    const recs = records(ids, ticks);
    const server = await startPostgres();
    try {
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await migrate(admin);
      await admin.end();
      const psql = await psqlPath();
      const metrics: Record<string, number> = {};
      // A first COPY run warms the server (the day's partition, caches) and the JIT; the measured runs follow.
      await throughSink(server.url, ids, recs.slice(0, recs.length >> 3), 'copy');
      const copy = await throughSink(server.url, ids, recs, 'copy');
      // The bars job over what the COPY run stored (out of the ingest path, every few seconds when live).
      const bars = await rollUpTimed(server.url);
      metrics.bars_rollup_ticks_per_s = copy.stored / bars.seconds;
      log(`bars job: ${bars.bars} bars from ${copy.stored} ticks in ${bars.seconds.toFixed(2)} s`);
      const insert = await throughSink(server.url, ids, recs, 'insert');
      metrics.copy_rows_per_s = copy.rowsPerS;
      metrics.insert_rows_per_s = insert.rowsPerS;
      log(
        `sink COPY ${(copy.rowsPerS / 1e3).toFixed(0)}k rows/s, INSERT ${(insert.rowsPerS / 1e3).toFixed(0)}k rows/s (${copy.stored} rows)`,
      );
      if ('path' in psql) {
        const limit = await psqlCopy(server.url, psql.path, ids, recs);
        metrics.psql_copy_rows_per_s = limit.rowsPerS;
        metrics.copy_over_psql = copy.rowsPerS / limit.rowsPerS;
        log(
          `psql \\copy ${(limit.rowsPerS / 1e3).toFixed(0)}k rows/s; sink COPY ÷ psql ${metrics.copy_over_psql.toFixed(2)}`,
        );
      } else log(`psql \\copy not run: ${psql.skipped}`);
      return {
        params: {
          cpu: cpuInfo(),
          ticks,
          instruments: ids.length,
          recordsPerTransaction: RECORDS_PER_BATCH,
          postgres: 18,
        },
        metrics,
        baseline:
          metrics.psql_copy_rows_per_s === undefined
            ? null
            : {
                name: 'psql \\copy (CSV) of the same rows, same server, same run',
                metrics: { psql_copy_rows_per_s: metrics.psql_copy_rows_per_s },
              },
        ratio: metrics.copy_over_psql ?? null,
        targets: checkTargets(metrics, [
          { metric: 'copy_rows_per_s', op: '>=', value: 300_000 },
          { metric: 'copy_over_psql', op: '>=', value: 0.8 },
        ]),
      };
    } finally {
      await server.stop();
    }
  },
};
