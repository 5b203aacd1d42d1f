// Shared by the browser tests: Chromium launched for a test file, REST's states recorded by
// inputSeq while the page runs, the portfolio panels read in one turn of the page, and numbers
// formatted as the terminal formats them (gateways/web/src/format.ts), written out again here.
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { CHROMIUM_ARGS, chromiumPath } from '../../tools/browser/chromium.js';
import { startEmbedded, testConfig } from '../e2e/helpers.js';
import { claims, SECRET, signed } from '../unit/gateways/identity-helpers.js';

/** Screenshots of the views: into docs/ (the README shows them) with UPDATE_SCREENSHOTS=1, else .cache. */
export const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.cache/screenshots';

/** Debian's Chromium (installed first when missing), closed when the test file ends. */
export async function launchBrowser(t: Test): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  return browser;
}

export type Positions = { inputSeq: number; data: { totals: { nav: number }; rows: Record<string, { mark: number }> } };
type Cell = { long: number; short: number; net: number; gross: number };
export type Exposures = { inputSeq: number; data: { totals: Cell; byAssetClass: Record<string, Cell> } };
export type Risk = {
  inputSeq: number;
  data: {
    measures: { method: string; horizonDays: number; confidence: number; var: number; es: number }[];
    stress: { scenario: string; pnl: number }[];
    backtest: { method: string; exceptions: number; zone: string }[];
    components: { instrument: string; componentVar: number }[];
    provenance: { sets: { method: string; horizonDays: number; scenarios: number; seed?: number }[] };
  };
};
type Views = { positions: Positions; exposures: Exposures; risk: Risk };

/** Every state REST served for a portfolio's view, by inputSeq (polled every 20 ms until `stop` or the test's end). */
export function restHistory<K extends keyof Views>(
  t: Test,
  portfolio: string,
  view: K,
  at: string,
): Map<number, Views[K]> & { stop(): void } {
  let on = true;
  const seen = Object.assign(new Map<number, Views[K]>(), { stop: () => void (on = false) });
  t.teardown(seen.stop);
  void (async () => {
    while (on) {
      const res = await fetch(`${at}/v1/portfolios/${portfolio}/${view}`);
      if (res.ok) {
        const body = (await res.json()) as Views[K];
        seen.set(body.inputSeq, body);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return seen;
}

export const signedMoney = (v: number) => (v > 0 ? '+' : '') + money(v);

/** The portfolio view's risk and exposure panels as rendered, read in one turn of the page. */
export const panels = (page: Page) =>
  page.evaluate(() => {
    // Runs in the page (this file is type-checked without the DOM library: the little it needs, typed here).
    type El = {
      getAttribute(n: string): string | null;
      querySelector(s: string): El | null;
      querySelectorAll(s: string): Iterable<El> & { length: number; [i: number]: El };
      textContent: string | null;
    };
    const doc = (globalThis as unknown as { document: El }).document;
    const all = (s: string) => [...doc.querySelectorAll(s)];
    const text = (r: El, i: number) => r.querySelectorAll('td')[i]?.textContent ?? '';
    const seq = (panel: string) =>
      Number(doc.querySelector(`[data-panel="${panel}"] [data-panel-seq]`)?.getAttribute('data-panel-seq'));
    return {
      seqs: {
        measures: seq('measures'),
        stress: seq('stress'),
        backtest: seq('backtest'),
        exposures: seq('exposures'),
      },
      measures: all('[data-measure]').map((r) => [r.getAttribute('data-measure'), text(r, 3), text(r, 4)]),
      stress: all('[data-scenario]').map((r) => [r.getAttribute('data-scenario'), text(r, 1)]),
      backtest: all('[data-backtest]').map((r) => [
        r.getAttribute('data-backtest'),
        text(r, 3),
        r.querySelector('[data-zone]')?.getAttribute('data-zone'),
      ]),
      buckets: all('[data-bucket]').map((g) => [
        g.getAttribute('data-bucket')!,
        g.getAttribute('data-net')!,
        g.getAttribute('data-gross')!,
      ]),
    };
  });

export const money = (v: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v);

/**
 * A Riskline that requires tokens (10 ticks/s), and a page signed in to it through the sign-in form with a
 * token for `portfolios` that lives `lifeS` seconds; both closed when the test ends.
 */
export async function signedInPage(
  t: Test,
  browser: Browser,
  portfolios: string[],
  lifeS = 3600,
): Promise<{ page: Page; port: number }> {
  const secured = await startEmbedded(
    testConfig({ simulator: { ticksPerSecond: 10, executionsPerSecond: 0 }, auth: { jwtSecret: SECRET } }),
  );
  t.teardown(() => secured.close());
  const now = Math.floor(Date.now() / 1000);
  const token = await signed(claims({ portfolios, iat: now - 1, exp: now + lifeS }));
  const page = await browser.newPage();
  t.teardown(() => page.close());
  await page.goto(`http://127.0.0.1:${secured.port}/`);
  await page.locator('.signin textarea').fill(token);
  await page.locator('.signin button').click();
  return { page, port: secured.port };
}
