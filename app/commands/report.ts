// `riskline report --portfolio <id> --date <YYYY-MM-DD>`: the daily risk report of one portfolio,
// built from the store (services/report/): HTML and its PDF written to --out, and kept in the
// store's `reports` table. Input is checked before anything connects; a bad date, a portfolio
// neither the book nor the store knows, or a day the store holds nothing of is one line and exit 2.

import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../config/load.js';
import { ID_PATTERN } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';
import { renderReport } from '../../services/report/html.js';
import { loadDay, storedDays, storeKnows } from '../../services/report/load.js';
import { buildReport, type ReportModel } from '../../services/report/model.js';
import { printPdf } from '../../services/report/pdf.js';
import { saveReport } from '../../services/report/save.js';
import { migrate } from '../../services/store/migrate.js';
import { exitWith } from '../exit.js';
import type { RisklineConfig } from '../../config/schema.js';
import { isCluster, runningUrl, startPostgres } from '../../tools/postgres/server.js';

export interface ReportOptions {
  portfolio: string;
  date: string;
  out?: string;
  databaseUrl?: string;
  /** `embedded`: the store `riskline start --store embedded` keeps under database.dir (started here if it is not running). */
  store?: string;
  config?: string;
}

export interface ReportDeps {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
  /** The clock, ms since the epoch (the report's build time). */
  now?: () => number;
}

export interface ReportResult {
  html: string;
  pdf: string;
  model: ReportModel;
}

const usage = (message: string) => new RisklineError('USAGE', message);

/** A real calendar day written YYYY-MM-DD (2026-02-30 is refused, not rolled into March). */
export function dayOf(raw: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const ms = m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (m === null || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== raw)
    throw usage(`--date: expected a day as YYYY-MM-DD, received ${JSON.stringify(raw)}`);
  return raw;
}

function outDir(raw: string | undefined): string {
  const dir = resolve(raw ?? '.');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw usage(`--out: cannot make the folder ${dir}: ${(err as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) throw usage(`--out: ${dir} is not a folder`);
  return dir;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a connection the server ends fails the next query, which says so
  try {
    await client.connect();
  } catch (err) {
    const at = URL.canParse(url) ? new URL(url).host : 'the database';
    throw new RisklineError('UNAVAILABLE', `database: cannot connect to ${at}: ${(err as Error).message}`);
  }
  return client;
}

/** Builds, writes and stores the report; throws a RisklineError for every refusal. */
export async function buildDailyReport(opts: ReportOptions, deps: ReportDeps = {}): Promise<ReportResult> {
  const day = dayOf(opts.date);
  const portfolio = opts.portfolio;
  if (!ID_PATTERN.test(portfolio)) throw usage(`--portfolio: ${JSON.stringify(portfolio)} is not a portfolio id`);
  const config = loadConfig({
    configFile: opts.config,
    configDir: deps.configDir,
    env: deps.env ?? process.env,
    flags: {
      ...(opts.databaseUrl === undefined ? {} : { database: opts.databaseUrl }),
      ...(opts.store === undefined ? {} : { store: opts.store }),
    },
  });
  const dir = outDir(opts.out);
  const store = await storeUrl(config.database);
  const client = await connect(store.url).catch(async (err: unknown) => {
    await store.stop();
    throw err;
  });
  try {
    await migrate(client);
    const inBook = config.portfolios.some((p) => p.id === portfolio);
    if (!inBook && !(await storeKnows(client, portfolio)))
      throw usage(
        `--portfolio: ${JSON.stringify(portfolio)} is neither in this book (${config.portfolios.map((p) => p.id).join(', ')}) nor in the store`,
      );
    const rows = await loadDay(client, portfolio, day);
    if (rows.risk === null && rows.positions === null) {
      const days = await storedDays(client, portfolio);
      const held = days === null ? 'it holds none of this portfolio yet' : `it holds ${days[0]} to ${days[1]}`;
      throw usage(`--date: the store holds no risk snapshot or positions of ${portfolio} for ${day} (${held})`);
    }
    const currency = new Map(config.instruments.map((i) => [i.id, i.currency]));
    const model = buildReport(rows, { builtAt: (deps.now ?? Date.now)(), currencyOf: (id) => currency.get(id) });
    const html = renderReport(model);
    const files = { html: join(dir, `${portfolio}-${day}.html`), pdf: join(dir, `${portfolio}-${day}.pdf`) };
    writeFileSync(files.html, html);
    const pdf = await printPdf(html, `Riskline daily risk report · ${portfolio} · ${day}`);
    writeFileSync(files.pdf, pdf);
    await saveReport(client, { portfolio, day, html, pdf, builtAt: model.builtAt, reflects: model.reflects });
    return { ...files, model };
  } finally {
    await client.end().catch(() => undefined);
    await store.stop();
  }
}

/**
 * Where the store is: database.url; else, with `--store embedded`, the server another process runs on
 * database.dir, or one started here for the report (stopped after it).
 */
async function storeUrl(db: RisklineConfig['database']): Promise<{ url: string; stop: () => Promise<void> }> {
  const none = async () => undefined;
  if (db.url !== null) return { url: db.url, stop: none };
  if (!db.embedded)
    throw usage('database.url: the report reads the store; pass --database-url, set DATABASE_URL, or --store embedded');
  const running = runningUrl(db.dir);
  if (running !== null) return { url: running, stop: none };
  if (!isCluster(db.dir))
    throw usage(`--store embedded: no store under ${db.dir} yet (riskline start --store embedded keeps one)`);
  const server = await startPostgres({ dir: db.dir, port: db.port ?? undefined });
  return { url: server.url, stop: () => server.stop() };
}

export async function reportCommand(opts: ReportOptions): Promise<void> {
  try {
    const r = await buildDailyReport(opts);
    process.stdout.write(
      `riskline: report ${r.model.portfolio} ${r.model.day}: ${r.html}, ${r.pdf}; stored in reports\n`,
    );
  } catch (err) {
    exitWith(err);
  }
}
