// The live risk terminal in a real browser: Debian's headless Chromium driven by playwright-core,
// against an embedded Riskline (simulated feed, engine, gateway in this process). The market runs
// slowly here, so a portfolio's state holds still long enough to be read at one inputSeq on the page
// and from the REST snapshot, and compared.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import t from 'tap';
import { CHROMIUM_ARGS, chromiumPath } from '../../tools/browser/chromium.js';
import { eventually } from '../eventually.js';
import { startEmbedded, testConfig } from '../e2e/helpers.js';

// A fresh machine installs Chromium first (apt-get: about 15 s here, minutes on a slow mirror).
t.setTimeout(600_000);
const config = testConfig({ simulator: { ticksPerSecond: 40, executionsPerSecond: 0 } });
const running = await startEmbedded(config);
t.teardown(() => running.close());
const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
t.teardown(() => browser.close());
const base = `http://127.0.0.1:${running.port}`;
/** Screenshots of the views: into docs/ (the README shows them) with UPDATE_SCREENSHOTS=1, else .cache. */
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.cache/screenshots';

/** A Book cell's text (AG Grid renders each row once per pinned section: the centre one). */
const cell = (page: Page, portfolio: string, col: string) =>
  page.locator(`.ag-center-cols-container [row-id="${portfolio}"] [col-id="${col}"]`);

const money = (v: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v);

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
    for (const p of config.portfolios) {
      await cell(page, p.id, 'nav').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
      await cell(page, p.id, 'var99').filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
    }
    t.pass(`all ${config.portfolios.length} portfolios shown with NAV and VaR`);

    for (const p of config.portfolios) {
      // Read the page's NAV and inputSeq, then REST's; equal inputSeqs mean the same state.
      const matched = await eventually(async () => {
        const seq = Number(await cell(page, p.id, 'inputSeq').textContent());
        const nav = await cell(page, p.id, 'nav').textContent();
        const rest = (await (await fetch(`${base}/v1/portfolios/${p.id}/positions`)).json()) as {
          inputSeq: number;
          data: { totals: { nav: number } };
        };
        return rest.inputSeq === seq ? { nav, rest: money(rest.data.totals.nav) } : undefined;
      }, 30_000);
      t.equal(matched.nav, matched.rest, `${p.id}: NAV on the page is REST's at the same inputSeq`);
    }
    t.same(errors, [], 'no error in the page');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/terminal-book.png` });
  },
);

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
