// The live risk terminal in a real browser: Debian's headless Chromium driven by playwright-core,
// against an embedded Riskline (simulated feed, engine, gateway in this process). The market runs
// slowly here, so a portfolio's state holds still long enough to be read whole on the page; REST is
// polled meanwhile and every state it served is kept by inputSeq, so the page's reading is compared
// with REST's at the same inputSeq however far the page runs behind on a loaded machine.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import t from 'tap';
import { encodeEnvelope } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import { eventually } from '../eventually.js';
import { startEmbedded, testConfig } from '../e2e/helpers.js';
import { launchBrowser, money, panels, restHistory, SHOTS, signedInPage, signedMoney } from './harness.js';

// A fresh machine installs Chromium first (apt-get: about 15 s here, minutes on a slow mirror).
t.setTimeout(600_000);
const config = testConfig({ simulator: { ticksPerSecond: 10, executionsPerSecond: 0 } });
const running = await startEmbedded(config);
t.teardown(() => running.close());
const browser = await launchBrowser(t);
const base = `http://127.0.0.1:${running.port}`;

/** A Book cell's text (AG Grid renders each row once per pinned section: the centre one). */
const cell = (page: Page, portfolio: string, col: string) =>
  page.locator(`.ag-center-cols-container [row-id="${portfolio}"] [col-id="${col}"]`);

t.test(
  'the page loads live: every demo portfolio in the Book, numbers as REST has them at the same inputSeq',
  async (t) => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 600 } });
    t.teardown(() => page.close());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${base}/`);
    await page.locator('.status[data-state="live"]').waitFor({ timeout: 20_000 });
    t.equal(
      await page.locator('.status').getAttribute('data-encoding'),
      'msgpack',
      'the page reads MessagePack frames, which the gateway offers',
    );
    for (const p of config.portfolios) {
      await cell(page, p.id, 'nav').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
      await cell(page, p.id, 'var99').filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
    }
    t.pass(`all ${config.portfolios.length} portfolios shown with NAV and VaR`);

    for (const p of config.portfolios) {
      // The page's NAV and inputSeq, read twice a grid batch apart and unchanged, against REST's at that inputSeq.
      const rest = restHistory(t, p.id, 'positions', base);
      const read = async () => ({
        seq: Number(await cell(page, p.id, 'inputSeq').textContent()),
        nav: await cell(page, p.id, 'nav').textContent(),
      });
      const matched = await eventually(async () => {
        const before = await read();
        await page.waitForTimeout(150);
        const now = await read();
        const served = rest.get(now.seq);
        if (now.seq !== before.seq || now.nav !== before.nav || !served) return undefined;
        return { nav: now.nav, rest: money(served.data.totals.nav) };
      }, 30_000);
      rest.stop();
      t.equal(matched.nav, matched.rest, `${p.id}: NAV on the page is REST's at the same inputSeq`);
    }
    t.same(errors, [], 'no error in the page');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/terminal-book.png` });
  },
);

t.test('a portfolio: positions live, marks as REST has them at the same inputSeq, VaR by method', async (t) => {
  const id = config.portfolios[0].id;
  const page = await browser.newPage({ viewport: { width: 1600, height: 800 } });
  t.teardown(() => page.close());
  await page.goto(`${base}/`);
  await page.locator(`.ag-pinned-left-cols-container [row-id="${id}"] a`).click();
  await page.waitForURL(`**/#/portfolio/${id}`);
  const rows = page.locator('.positions .ag-center-cols-container [row-id]');
  await rows.first().waitFor({ timeout: 20_000 });
  t.ok((await rows.count()) >= 10, 'positions are listed');
  /** Every rendered row's mark, with the toolbar's inputSeq, read in one turn of the page. */
  const marks = () =>
    page.evaluate(() => {
      // Runs in the page (this file is type-checked without the DOM library: the little it needs, typed here).
      type El = {
        getAttribute(n: string): string | null;
        querySelector(s: string): El | null;
        textContent: string | null;
      };
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } & El }).document;
      const out: Record<string, string> = {};
      for (const r of doc.querySelectorAll('.positions .ag-center-cols-container [row-id]'))
        out[r.getAttribute('row-id')!] = r.querySelector('[col-id="mark"]')?.textContent ?? '';
      return { seq: Number(doc.querySelector('[data-input-seq]')?.getAttribute('data-input-seq')), marks: out };
    });
  const first = (await marks()).marks;
  await eventually(async () => {
    const now = (await marks()).marks;
    return Object.entries(now).some(([k, v]) => k in first && first[k] !== v) || undefined;
  }, 30_000);
  t.pass('a mark moved as ticks arrived');

  // The grid's marks at one inputSeq equal REST's at that inputSeq.
  const fmt = (v: number) =>
    new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(v);
  const rest = restHistory(t, id, 'positions', base);
  const compared = await eventually(async () => {
    const before = await marks();
    await page.waitForTimeout(150); // the grid is written once per animation frame
    const shown = await marks();
    if (shown.seq !== before.seq || JSON.stringify(shown.marks) !== JSON.stringify(before.marks)) return undefined;
    const served = rest.get(shown.seq);
    if (!served) return undefined;
    return Object.entries(shown.marks).map(([k, v]) => [k, v, fmt(served.data.rows[k].mark)]);
  }, 60_000);
  for (const [k, shown, rest] of compared) t.equal(shown, rest, `${k}: the grid's mark is REST's`);

  // Sorted by P&L, a position whose P&L jumps moves to its place: values a sort or filter reads go to
  // the grid as transactions (the rest are written into their rows' nodes, which AG Grid does not re-sort).
  const pnlHeader = page.locator('.positions .ag-header-cell[col-id="unrealizedPnl"] .ag-header-cell-label');
  await pnlHeader.click();
  await pnlHeader.click(); // descending: the largest gain first
  const order = () =>
    page.locator('.positions .ag-pinned-left-cols-container [row-id]').evaluateAll((els) =>
      els
        .map((e) => e as unknown as { getAttribute(n: string): string })
        .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
        .map((e) => e.getAttribute('row-id')),
    );
  const held = (await (await fetch(`${base}/v1/portfolios/${id}/positions`)).json()) as {
    data: { rows: Record<string, { qty: number; mark: number }> };
  };
  const before = await order();
  const mover = before.find((k, i) => i > 2 && held.data.rows[k]?.qty > 0 && held.data.rows[k].mark > 1)!;
  t.ok(mover, `${mover} is long and not among the first`);
  // Bought again at half its mark, ten times over: its unrealised gain becomes the book's largest.
  const { qty, mark } = held.data.rows[mover];
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const ts = Number(/^riskline_feed_event_time_ms (\S+)$/m.exec(metrics)![1]) + 1;
  const body = { id: 'sort-test-1', portfolio: id, instrument: mover, side: 'buy', qty: 10 * qty, price: mark / 2, ts };
  await running.bus
    .producer()
    .send(config.topics.prefix + TOPIC.executions, [
      { key: id, value: encodeEnvelope({ v: 1, type: 'execution', src: 'browser-test', ts, seq: 1, body }, 'msgpack') },
    ]);
  await eventually(async () => ((await order())[0] === mover ? true : undefined), 30_000);
  t.pass(`${mover} moved to the top once the execution was in`);
  await page.locator('.positions .ag-header-cell[col-id="instrument"] .ag-header-cell-label').click();

  const parametric = page.locator('[data-measure="parametric-1-0.99"] td').nth(3);
  await parametric.filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
  t.match(await page.locator('table.measures').textContent(), /historical[\s\S]*monteCarlo/, 'VaR and ES by method');

  // Every risk panel at its inputSeq shows REST's risk at that inputSeq; the exposures panel REST's exposures.
  const riskRest = restHistory(t, id, 'risk', base);
  const exposuresRest = restHistory(t, id, 'exposures', base);
  const seen = await eventually(async () => {
    const before = JSON.stringify(await panels(page));
    await page.waitForTimeout(150);
    const now = await panels(page);
    if (JSON.stringify(now) !== before || now.seqs.measures !== now.seqs.stress) return undefined;
    const risk = riskRest.get(now.seqs.measures);
    const exposures = exposuresRest.get(now.seqs.exposures);
    return risk && exposures && now.seqs.backtest === now.seqs.measures ? { now, risk, exposures } : undefined;
  }, 60_000);
  riskRest.stop();
  exposuresRest.stop();
  const { now, risk, exposures } = seen;
  t.same(
    now.measures,
    risk.data.measures.map((m) => [`${m.method}-${m.horizonDays}-${m.confidence}`, money(m.var), money(m.es)]),
    "VaR and ES by method, horizon and confidence: REST's at the same inputSeq",
  );
  t.same(
    now.stress,
    [...risk.data.stress].sort((a, b) => a.pnl - b.pnl).map((s) => [s.scenario, signedMoney(s.pnl)]),
    "stress P&L by scenario, worst first: REST's",
  );
  t.same(
    now.backtest,
    risk.data.backtest.map((b) => [b.method, String(b.exceptions), b.zone]),
    "backtest exceptions and zone: REST's",
  );
  t.same(
    Object.fromEntries(now.buckets.map(([k, net, gross]) => [k, [Number(net), Number(gross)]])),
    Object.fromEntries(Object.entries(exposures.data.byAssetClass).map(([k, c]) => [k, [c.net, c.gross]])),
    "exposure by asset class: REST's at the same inputSeq",
  );
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/terminal-portfolio.png` });
});

t.test('signed in with a token for one portfolio, the page shows that portfolio and no other', async (t) => {
  const { page, port } = await signedInPage(t, browser, ['EURO-EQUITY']);
  await cell(page, 'EURO-EQUITY', 'nav').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
  const ids = await page
    .locator('.ag-center-cols-container [row-id]')
    .evaluateAll((rows) =>
      rows.map((r) => (r as unknown as { getAttribute(n: string): string | null }).getAttribute('row-id')),
    );
  t.same(ids, ['EURO-EQUITY'], 'the Book holds the entitled portfolio only');
  await page.goto(`http://127.0.0.1:${port}/#/portfolio/GLOBAL-MACRO`);
  await page.waitForTimeout(500);
  t.equal(await page.locator('.portfolio').count(), 0, 'another portfolio cannot be opened by its address');
});

t.test('the page is served with a content security policy and immutable hashed assets', async (t) => {
  const res = await fetch(`${base}/`);
  t.equal(res.status, 200);
  t.match(res.headers.get('content-security-policy'), /script-src 'self'/);
  t.equal(res.headers.get('cache-control'), 'no-cache');
  const html = await res.text();
  const asset = /\/assets\/[^"]+\.js/.exec(html)?.[0];
  t.ok(asset, 'the page names its bundle');
  const js = await fetch(`${base}${asset}`);
  t.equal(js.status, 200);
  t.match(js.headers.get('cache-control'), /immutable/);
  t.equal((await fetch(`${base}/assets/nope.js`)).status, 404);
});
