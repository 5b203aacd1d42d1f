// A database of its own for one test file: on the server DATABASE_URL names (a fresh database,
// dropped at the end), else on a PostgreSQL server started for the file (tools/postgres/server.ts)
// and stopped at the end.
import pg from 'pg';
import type { Test } from 'tap';
import { startPostgres, type PostgresServer } from '../../tools/postgres/server.js';

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
