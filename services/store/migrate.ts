// Versioned SQL migrations (./migrations/NNNN_name.sql), applied at start in order, each in its own
// transaction with its version recorded in schema_migrations. An advisory lock makes concurrent
// starts (two store processes) apply each migration once. A migration already applied whose file
// has changed since is refused: the database would no longer be what the files say.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { RisklineError } from '../../errors/catalogue.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Any number fits; this one spells "RSKL". */
const LOCK_KEY = 0x52534b4c;

/** The source folder's .sql files, from the source or from dist (tsc copies nothing: dist reads them where they are written). */
export const MIGRATIONS_DIR = [
  new URL('./migrations/', import.meta.url),
  new URL('../../../services/store/migrations/', import.meta.url),
]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(dir))!;

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (m === null) {
      if (file.endsWith('.sql'))
        throw new RisklineError('CONFIG_INVALID', `${dir}${file}: a migration is named NNNN_name.sql`);
      continue;
    }
    const sql = readFileSync(`${dir}${file}`, 'utf8');
    out.push({ version: Number(m[1]), name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  out.forEach((m, k) => {
    if (m.version !== k + 1)
      throw new RisklineError('CONFIG_INVALID', `${dir}: migration ${m.version} follows ${k}; versions run 1, 2, 3…`);
  });
  return out;
}

/** Applies what is not applied yet; returns the versions it applied. */
export async function migrate(client: pg.ClientBase, migrations = readMigrations()): Promise<number[]> {
  await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await client.query(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ version: number; checksum: string }>(
      'select version, checksum from schema_migrations order by version',
    );
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    for (const [version, checksum] of applied) {
      const m = migrations[version - 1];
      if (m === undefined)
        throw new RisklineError(
          'CONFIG_INVALID',
          `database has migration ${version}, which this build does not know: it is newer than this Riskline`,
        );
      if (m.checksum !== checksum)
        throw new RisklineError(
          'CONFIG_INVALID',
          `migration ${version}_${m.name}.sql changed after it was applied to this database; add a new migration instead`,
        );
    }
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new RisklineError(
          'CONFIG_INVALID',
          `migration ${m.version}_${m.name}.sql failed: ${(err as Error).message}`,
        );
      }
      done.push(m.version);
    }
    return done;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}
