// A database of its own for one test file: on the server DATABASE_URL names (a fresh database,
// dropped at the end), else on a PostgreSQL server started for the file (tools/postgres/server.ts)
// and stopped at the end.
import pg from 'pg';
import type { Test } from 'tap';
import { startPostgres, type PostgresServer } from '../../tools/postgres/server.js';
import { eventually } from '../eventually.js';

export interface TestDatabase {
  url: string;
  /** The server when this file started it (null on DATABASE_URL): tests that stop and start it need one. */
  server: PostgresServer | null;
  client(): Promise<pg.Client>;
}

let n = 0;

export async function testDatabase(t: Test): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL;
  const server = external ? null : await startPostgres({ fast: true });
  const admin = external ?? server!.url;
  const name = `riskline_test_${process.pid}_${++n}`;
  const a = new pg.Client({ connectionString: admin });
  await a.connect();
  await a.query(`create database ${name}`);
  await a.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const open: pg.Client[] = [];
  t.teardown(async () => {
    await Promise.allSettled(open.map((c) => c.end()));
    if (server) return server.stop();
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  });
  return {
    url,
    server,
    async client() {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => undefined); // a stopped server ends the connection: the test sees it on its next query
      await c.connect();
      open.push(c);
      return c;
    },
  };
}

/**
 * Waits until the store holds as many ticks and executions as the feed sent, then checks each was
 * stored once: the counts equal, every tick batch's rows as many as its envelope held (two ticks of
 * one instrument may share a time, so rows alone cannot tell a batch stored twice), no batch missing.
 */
export async function expectStoredOnce(
  t: Test,
  c: pg.Client,
  sent: { ticks: number; executions: number },
  waitMs = 60_000,
): Promise<void> {
  const n = async (sql: string) => Number((await c.query(sql)).rows[0]?.n ?? 0);
  const ticks = 'select count(*)::int as n from ticks';
  const executions = 'select count(*)::int as n from executions';
  await eventually(async () => ((await n(ticks)) >= sent.ticks ? true : undefined), waitMs, 'every tick stored');
  await eventually(
    async () => ((await n(executions)) >= sent.executions ? true : undefined),
    waitMs,
    'every execution stored',
  );
  t.equal(await n(ticks), sent.ticks, `every tick the feed sent, once (${sent.ticks})`);
  t.equal(
    await n(`with k as (select src, seq, count(*) as n from ticks group by 1, 2),
                  b as (select src, seq, sum(ticks) as n from tick_batches group by 1, 2)
             select count(*)::int as n from b full join k using (src, seq) where b.n is distinct from k.n`),
    0,
    "every batch's ticks stored once: as many rows as its envelope held",
  );
  t.equal(await n('select sum(ticks)::int as n from tick_batches'), sent.ticks, 'and no batch missing');
  t.equal(await n(executions), sent.executions, `every execution, once (${sent.executions})`);
}
