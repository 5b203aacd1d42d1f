// The daily risk report from a real store: the feed, the engine and the store role on the in-process
// bus write a few seconds of one day into PostgreSQL, then `riskline report` builds the day of one
// portfolio. Its HTML's figures equal the stored rows' numbers (read and formatted here, apart from
// the report's code); its PDF is a real PDF whose text, read by poppler's pdftotext, names the
// portfolio, the day and the VaR; the document is kept in `reports`, once per portfolio and day; and
// bad input is one line and exit 2, naming the field.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { buildDailyReport } from '../../app/commands/report.js';
import { startRiskline } from '../../app/compose.js';
import { StoreReader, StoreRows } from '../../services/store/rows.js';
import { TickSink } from '../../services/store/sink.js';
import { encodeEnvelope } from '../../streams/envelope.js';
import { aptInstall } from '../../tools/apt.js';
import { startPostgres } from '../../tools/postgres/server.js';
import { testConfig } from '../e2e/helpers.js';
import { eventually } from '../eventually.js';
import { launchBrowser, SHOTS } from '../browser/harness.js';
import { testDatabase } from './db.js';

const DAY = '2026-03-17';
const BUCKETS = 5;
const db = await testDatabase(t);
const config = testConfig({
  roles: ['feed', 'engine', 'store'],
  simulator: { ticksPerSecond: 500, executionsPerSecond: 5, startTime: `${DAY}T12:00:00.000Z` },
  database: { url: db.url, spillDir: mkdtempSync(join(tmpdir(), 'riskline-spill-')), riskEveryMs: 1000 },
  // A positions and exposures snapshot each second, so each risk bucket has its state (book-state.ts).
  engine: { ownThread: false, snapshotEveryMs: 1000 },
});
const P = config.portfolios[0].id;
const c = await db.client();

/** A few seconds of the day in the store, by the real roles: risk and positions of every bucket. */
async function storeADay(): Promise<void> {
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }) });
  try {
    const buckets = async (sql: string) => (await c.query(sql, [P])).rows[0]?.n ?? 0;
    await eventually(
      async () =>
        (await buckets('select count(*)::int as n from risk_snapshots where portfolio = $1')) >= BUCKETS &&
        (await buckets(`select count(*)::int as n from state_snapshots where portfolio = $1 and kind = 'positions'`)) >=
          BUCKETS
          ? true
          : undefined,
      120_000,
      `${BUCKETS} buckets of risk and positions of ${P}`,
    );
    await running.feed!.stop();
    await running.store!.drained();
  } finally {
    await running.close();
  }
  // One fill with fees, through the store's own reader and sink (the demo's trade flow charges none).
  const usd = config.instruments.find((i) => i.currency === 'USD')!;
  const rows = new StoreRows();
  const body = { id: 'FEE-1', portfolio: P, instrument: usd.id, side: 'buy', qty: 1, price: 100, fees: 1.2345 };
  new StoreReader(config.instruments.map((i) => i.id)).read(
    {
      value: encodeEnvelope({
        v: 1,
        type: 'execution',
        src: 'test',
        ts: 0,
        seq: 1,
        body: { ...body, ts: Date.parse(`${DAY}T12:00:01Z`) },
      }),
    },
    rows,
  );
  await new TickSink(config.instruments.map((i) => i.id)).write(c, rows);
}

await storeADay();
const out = mkdtempSync(join(tmpdir(), 'riskline-report-'));
const BUILT = Date.parse('2026-03-18T06:00:00Z');
const report = await buildDailyReport(
  { portfolio: P, date: DAY, out, databaseUrl: db.url },
  { env: {}, now: () => BUILT },
);
const html = readFileSync(report.html, 'utf8');

/** en-US, thousands separators, `d` decimals: the desk's format, written here apart from the report's. */
const us = (v: number, d = 2) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
/** The HTML's figure cells by key: as printed and the exact value behind. */
const cells = new Map<string, { text: string; value: string }>();
for (const m of html.matchAll(/data-k="([^"]*)" data-v="([^"]*)">([^<]*)</g))
  cells.set(unescape(m[1]), { value: m[2], text: unescape(m[3]) });

/** The day's last stored row, read here by SQL of the test's own. */
async function lastOf(table: string, extra = '') {
  const { rows } = await c.query(
    `select (extract(epoch from as_of) * 1000)::float8 as as_of, input_seq::int as input_seq, data from ${table}
     where portfolio = $1 ${extra} and bucket >= $2::date and bucket < $2::date + 1 order by bucket desc limit 1`,
    [P, DAY],
  );
  return rows[0] as { as_of: number; input_seq: number; data: Record<string, never> };
}

t.test("the HTML's figures are the stored snapshot's", async (t) => {
  const risk = await lastOf('risk_snapshots');
  const figure = (k: string, v: number, d = 2) => t.same(cells.get(k), { text: us(v, d), value: String(v) }, k);
  const measures = risk.data.measures as {
    method: string;
    horizonDays: number;
    confidence: number;
    var: number;
    es: number;
  }[];
  t.ok(measures.length >= 6, `${measures.length} measures stored`);
  for (const m of measures) {
    figure(`var|${m.method}|${m.horizonDays}|${m.confidence}`, m.var);
    figure(`es|${m.method}|${m.horizonDays}|${m.confidence}`, m.es);
  }
  figure('summary|var99', (risk.data.var as Record<string, number>)['99']);
  t.match(
    html,
    `inputSeq ${us(risk.input_seq, 0)} · source: risk_snapshots`,
    "the risk sections say the snapshot's inputSeq",
  );
  t.match(html, `as of ${new Date(risk.as_of).toISOString().replace('T', ' ').replace('Z', ' UTC')}`);

  const components = [...(risk.data.components as { instrument: string; componentVar: number }[])].sort(
    (a, b) => b.componentVar - a.componentVar,
  );
  figure(`comp|${components[0].instrument}|componentVar`, components[0].componentVar);
  for (const s of risk.data.stress as { scenario: string; pnl: number }[])
    t.same(cells.get(`stress|${s.scenario}`)?.value, String(s.pnl), `stress ${s.scenario}`);
  for (const b of risk.data.backtest as { method: string; exceptions: number; zone: string }[]) {
    figure(`bt|${b.method}|exceptions`, b.exceptions, 0);
    t.match(html, `data-k="bt|${b.method}|zone"><span class="zone zone-${b.zone}">${b.zone}</span>`);
  }

  const positions = await lastOf('state_snapshots', "and kind = 'positions'");
  figure('nav', positions.data.totals['nav']);
  const rows = Object.values(positions.data.rows) as {
    instrument: string;
    qty: number;
    mark: number;
    exposure: number;
  }[];
  t.ok(rows.length > 0, `${rows.length} positions stored`);
  for (const r of rows) {
    figure(`pos|${r.instrument}|qty`, r.qty);
    figure(`pos|${r.instrument}|mark`, r.mark, 4);
    figure(`pos|${r.instrument}|exposure`, r.exposure);
  }
  const exposures = await lastOf('state_snapshots', "and kind = 'exposures'");
  figure('exp|total|gross', exposures.data.totals['gross']);
});

t.test('P&L against VaR: a point for each bucket holding both risk and positions', async (t) => {
  const { rows } = await c.query(
    `select count(*)::int as n from risk_snapshots r join state_snapshots s using (portfolio, bucket)
     where r.portfolio = $1 and s.kind = 'positions' and r.bucket >= $2::date and r.bucket < $2::date + 1`,
    [P, DAY],
  );
  t.ok(rows[0].n >= 2, `${rows[0].n} buckets`);
  t.match(html, `over ${us(rows[0].n, 0)} buckets`);
  const path = /<path class="pnl" d="([^"]*)"/.exec(html)?.[1] ?? '';
  t.equal(path.match(/[ML]/g)?.length, rows[0].n, 'as many points on the P&L line');
});

t.test("fees: the fee accounts of the day's last snapshot, and what the fills carried", async (t) => {
  const risk = await lastOf('risk_snapshots');
  const accounts = (risk.data.analytics as { fees?: Record<string, number> } | undefined)?.fees;
  t.ok(accounts, 'the engine publishes fee accounts with each risk frame (analytics)');
  for (const k of ['navGross', 'navNet', 'accruedManagement', 'accruedPerformance', 'highWaterMark'])
    t.same(cells.get(`fee|${k}`), { text: us(accounts![k]), value: String(accounts![k]) }, k);
  const { rows } = await c.query(
    `select instrument, fees from executions where portfolio = $1 and ts >= $2::date and ts < $2::date + 1`,
    [P, DAY],
  );
  const currency = new Map(config.instruments.map((i) => [i.id, i.currency]));
  const usd = rows.filter((r) => currency.get(r.instrument) === 'USD');
  t.equal(cells.get('fees|USD|fills')?.value, String(usd.length), `${usd.length} USD fills`);
  t.equal(cells.get('fees|USD|withFees')?.value, '1');
  t.equal(cells.get('fees|USD|total')?.text, '1.23');
});

t.test('the PDF is a real PDF: its text names the portfolio, the day and the VaR', async (t) => {
  const pdf = readFileSync(report.pdf);
  t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  if (!existsSync('/usr/bin/pdftotext')) {
    if (process.getuid?.() !== 0)
      return void t.pass('skipped: pdftotext (poppler-utils) is missing and this user cannot install it');
    aptInstall('poppler-utils');
  }
  const info = execFileSync('pdfinfo', [report.pdf], { encoding: 'utf8' });
  t.match(info, /Page size:.*\(A4\)/, 'A4');
  t.match(info, /Pages:\s+[1-9]/);
  const text = execFileSync('pdftotext', ['-layout', report.pdf, '-'], { encoding: 'utf8' });
  const risk = await lastOf('risk_snapshots');
  t.match(text, P);
  t.match(text, DAY);
  t.match(text, us((risk.data.var as Record<string, number>)['99']), 'the 99 % VaR as printed');
  const mc = (risk.data.measures as { method: string; horizonDays: number; confidence: number; var: number }[]).find(
    (m) => m.method === 'monteCarlo' && m.horizonDays === 1 && m.confidence === 0.99,
  )!;
  t.match(text, us(mc.var), 'the Monte Carlo VaR');
  t.match(text, /P&L against VaR over the day/);
});

t.test('the document is kept in reports, once per portfolio and day', async (t) => {
  const risk = await lastOf('risk_snapshots');
  const row = async () =>
    (
      await c.query(
        `select html, pdf, (extract(epoch from built_at) * 1000)::float8 as built_at,
                (extract(epoch from as_of) * 1000)::float8 as as_of, input_seq::int as input_seq, count(*) over ()::int as n
         from reports where portfolio = $1 and day = $2`,
        [P, DAY],
      )
    ).rows[0];
  const r = await row();
  t.equal(r.html, html);
  t.ok(Buffer.compare(r.pdf, readFileSync(report.pdf)) === 0, 'the PDF bytes');
  t.same([r.as_of, r.input_seq, r.built_at], [risk.as_of, risk.input_seq, BUILT], 'the moment it reflects, when built');
  await buildDailyReport({ portfolio: P, date: DAY, out, databaseUrl: db.url }, { env: {}, now: () => BUILT + 1000 });
  const again = await row();
  t.equal(again.n, 1, 'built again: replaced, not added');
  t.equal(again.built_at, BUILT + 1000);
});

t.test('bad input: exit 2, one line naming the field', async (t) => {
  const run = (over: Record<string, string | undefined>, env: NodeJS.ProcessEnv = {}) =>
    buildDailyReport({ portfolio: P, date: DAY, out, databaseUrl: db.url, ...over } as never, { env });
  await t.rejects(run({ date: '2026-02-30' }), {
    code: 'USAGE',
    message: '--date: expected a day as YYYY-MM-DD, received "2026-02-30"',
  });
  await t.rejects(run({ portfolio: 'NO-SUCH-BOOK' }), {
    code: 'USAGE',
    message: /^--portfolio: "NO-SUCH-BOOK" is neither in this book \(.*\) nor in the store$/,
  });
  await t.rejects(run({ portfolio: '../etc' }), {
    code: 'USAGE',
    message: '--portfolio: "../etc" is not a portfolio id',
  });
  await t.rejects(run({ date: '2026-03-16' }), {
    code: 'USAGE',
    message: `--date: the store holds no risk snapshot or positions of ${P} for 2026-03-16 (it holds ${DAY} to ${DAY})`,
  });
  await t.rejects(run({ databaseUrl: undefined }), {
    code: 'USAGE',
    message: 'database.url: the report reads the store; pass --database-url, set DATABASE_URL, or --store embedded',
  });

  // The command as a process: exit 2 and exactly one line on stderr.
  const loader = process.execArgv.filter((a) => a.includes('@tapjs/typescript'));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [...loader, 'app/cli.ts', 'report', ...args], {
      encoding: 'utf8',
      // Transpiled only, as tap runs the tests: type-checking the CLI's sources would take it 5 times as long.
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, TS_NODE_TRANSPILE_ONLY: '1' },
      timeout: 120_000,
    });
  for (const [args, line] of [
    [
      ['--portfolio', P, '--date', '17/03/2026'],
      `riskline: --date: expected a day as YYYY-MM-DD, received "17/03/2026"\n`,
    ],
    [
      ['--portfolio', P, '--date', '2026-03-16', '--out', out],
      `riskline: --date: the store holds no risk snapshot or positions of ${P} for 2026-03-16 (it holds ${DAY} to ${DAY})\n`,
    ],
    [['--date', DAY], `riskline: required option '--portfolio <id>' not specified (run with --help for usage)\n`],
  ] as const) {
    const r = cli(...args);
    t.equal(r.status, 2, `exit 2: ${args.join(' ')}`);
    t.equal(r.stderr, line);
    t.equal(r.stdout, '');
  }
});

t.test(
  '--store embedded: the server another process runs on database.dir, else one started for the report',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'riskline-report-embedded-'));
    chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must reach its folder
    const pgDir = join(dir, 'postgres');
    const config = join(dir, 'riskline.json');
    writeFileSync(config, JSON.stringify({ database: { dir: pgDir } }));
    const run = () => buildDailyReport({ portfolio: P, date: DAY, out, store: 'embedded', config }, { env: {} });
    await t.rejects(run(), {
      code: 'USAGE',
      message: `--store embedded: no store under ${pgDir} yet (riskline start --store embedded keeps one)`,
    });
    // As `riskline start --store embedded` would: a server running on the folder, found by its postmaster.pid.
    const server = await startPostgres({ dir: pgDir });
    const none = {
      code: 'USAGE',
      message: new RegExp(`^--date: the store holds no risk snapshot or positions of ${P} for ${DAY} \\(it holds none`),
    };
    await t.rejects(run(), none, 'connected to the running server (an empty store)');
    await server.stop();
    t.notOk(existsSync(join(pgDir, 'postmaster.pid')), 'stopped');
    await t.rejects(run(), none, 'no server running: one started for the report');
    t.notOk(existsSync(join(pgDir, 'postmaster.pid')), 'and stopped after it');
  },
);

t.test("the report's first page as a picture (the README shows it with UPDATE_SCREENSHOTS=1)", async (t) => {
  const browser = await launchBrowser(t);
  const page = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
  t.teardown(() => page.close());
  await page.setContent(html);
  t.match(await page.locator('h1').textContent(), 'Daily risk report');
  t.match(await page.locator('body').textContent(), P, 'it names the portfolio');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/report.png` });
});
