// The order ticket in a real browser (Debian's headless Chromium through playwright-core) against
// an embedded Riskline running the order router and the venue simulator beside the feed, engine and
// gateway. A market buy is checked on the page (its VaR impact is what the router answered), sent,
// seen Filled on the blotter, and its fill moves the position in the positions grid and the risk
// the page shows; a ticket over a pre-trade limit shows why it is refused and never fills; a
// resting limit order is replaced and cancelled from the blotter. Without a router the ticket is off.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page, Response } from 'playwright-core';
import t, { type Test } from 'tap';
import { freePort } from '../../tools/ports.js';
import { eventually } from '../eventually.js';
import { startEmbedded, testConfig } from '../e2e/helpers.js';
import { launchBrowser, money, SHOTS, signedMoney, type Positions } from './harness.js';

// A fresh machine installs Chromium first (apt-get: about 15 s here, minutes on a slow mirror).
t.setTimeout(600_000);
const MAX_QUANTITY = 50_000;
const config = testConfig({
  simulator: { ticksPerSecond: 20, executionsPerSecond: 0 },
  roles: ['feed', 'engine', 'gateway', 'router', 'venue'],
  orders: { dir: mkdtempSync(join(tmpdir(), 'riskline-orders-')), pretrade: { maxQuantity: MAX_QUANTITY } },
});
for (const v of config.venues) v.fix.port = await freePort();
const running = await startEmbedded(config);
t.teardown(() => running.close());
const base = `http://127.0.0.1:${running.port}`;
const portfolio = config.portfolios[0].id;
await eventually(() => running.router!.links.every((l) => l.up()), 60_000, 'venue sessions logged on');
const browser = await launchBrowser(t);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reply bodies are read field by field
type Json = Record<string, any>;
const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
};
const positions = async () =>
  (await call('GET', `/v1/portfolios/${portfolio}/positions`)).json as Positions & {
    data: { rows: Record<string, { qty: number }> };
  };

// An equity the portfolio holds long (a dollar one where it has one), so its row is in the grid throughout.
const held = await eventually(async () => (await call('GET', `/v1/portfolios/${portfolio}/positions`)).json.data?.rows);
const equity = config.instruments
  .filter((i) => i.kind === 'equity' && (held as Record<string, { qty: number }>)[i.id]?.qty > 0)
  .sort((a, b) => Number(b.currency === 'USD') - Number(a.currency === 'USD') || a.id.localeCompare(b.id))[0]?.id;
if (equity === undefined) throw new Error(`${portfolio} holds no equity long`);
// The VaR check fails while the scenario sets build: the tickets below wait for it to pass.
await eventually(
  async () =>
    (await call('POST', '/v1/orders/check', { portfolio, instrument: equity, side: 'buy', qty: 300 })).json.ok,
  180_000,
  'a pre-trade check that passes (the VaR impact known)',
);

/** The portfolio view, with the page's errors collected (a refused order's 422 is not one). */
async function open(t: Test): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  t.teardown(() => page.close());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error' || /status of 422/.test(m.text())) return;
    errors.push(`${m.text()} (${m.location().url})`);
  });
  await page.goto(`${base}/#/portfolio/${portfolio}`);
  await page.locator('.status[data-state="live"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-panel="orders"] .orders-body[data-access="ready"]').waitFor({ timeout: 30_000 });
  return { page, errors };
}

const byId = (page: Page, id: string) => page.getByTestId(id);
/** A price as the blotter writes it (gateways/web/src/format.ts, four decimals). */
const price4 = (v: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(v);

async function fillTicket(
  page: Page,
  ticket: { instrument: string; side: 'buy' | 'sell'; qty: string; price: string },
) {
  await byId(page, 'ticket-instrument').fill(ticket.instrument);
  await byId(page, `ticket-side-${ticket.side}`).check();
  await byId(page, 'ticket-qty').fill(ticket.qty);
  await byId(page, 'ticket-price').fill(ticket.price);
}

/** Presses `button` (a test id, or a located button) and returns the reply to the request it made (method, path). */
async function pressFor(page: Page, button: string | Locator, method: string, path: string): Promise<Response> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === path, {
      timeout: 60_000,
    }),
    (typeof button === 'string' ? byId(page, button) : button).click(),
  ]);
  return res;
}

/** Check until the router's answer passes (a check while the scenario sets rebuild may not); the answer. */
async function checkUntilOk(page: Page): Promise<Json> {
  return eventually(
    async () => {
      const answer = (await (await pressFor(page, 'ticket-check', 'POST', '/v1/orders/check')).json()) as Json;
      await byId(page, 'pretrade').waitFor();
      return answer.ok ? answer : undefined;
    },
    120_000,
    'a passing pre-trade check on the page',
    500,
  );
}

/** The pre-trade result as the page shows it, read in one turn. */
const shownPretrade = (page: Page) =>
  page.locator('[data-testid="pretrade"]').evaluate((el) => {
    type El = {
      getAttribute(n: string): string | null;
      querySelector(s: string): El | null;
      querySelectorAll(s: string): Iterable<El>;
      textContent: string | null;
    };
    const root = el as unknown as El;
    const field = (id: string) => root.querySelector(`[data-testid="${id}"]`);
    return {
      ok: root.getAttribute('data-ok'),
      incrementalVar: field('pretrade-incremental-var')?.getAttribute('data-value'),
      incrementalText: field('pretrade-incremental-var')?.textContent,
      varBefore: field('pretrade-var-before')?.textContent,
      varAfter: field('pretrade-var-after')?.textContent,
      method: field('pretrade-var-method')?.textContent,
      mark: Number(field('pretrade-mark')?.getAttribute('data-value')),
      checks: [...root.querySelectorAll('[data-check]')].map((r) => [
        r.getAttribute('data-check'),
        r.getAttribute('data-ok'),
      ]),
      reasons: [...root.querySelectorAll('[data-testid="pretrade-reason"]')].map((r) => r.textContent),
    };
  });

const orderRow = (page: Page, id: string) => page.locator(`[data-testid="order-row"][data-order-id="${id}"]`);
const statusOf = (page: Page, id: string) => orderRow(page, id).getAttribute('data-status');
const waitStatus = (page: Page, id: string, status: string, ms = 60_000) =>
  page.locator(`[data-testid="order-row"][data-order-id="${id}"][data-status="${status}"]`).waitFor({ timeout: ms });

/** The instrument's Qty cell in the positions grid, and the toolbar's positions inputSeq, read in one turn. */
const gridQty = (page: Page, instrument: string) =>
  page.evaluate((id) => {
    type El = {
      getAttribute(n: string): string | null;
      querySelector(s: string): El | null;
      textContent: string | null;
    };
    const doc = (globalThis as unknown as { document: El }).document;
    const cell = doc.querySelector(`.positions .ag-center-cols-container [row-id="${id}"] [col-id="qty"]`);
    return {
      qty: cell?.textContent ?? null,
      seq: Number(doc.querySelector('[data-input-seq]')?.getAttribute('data-input-seq')),
      riskSeq: Number(doc.querySelector('[data-panel="measures"] [data-panel-seq]')?.getAttribute('data-panel-seq')),
    };
  }, instrument);

t.test('a market buy: checked with its VaR impact, sent, Filled on the blotter, the position moves', async (t) => {
  const { page, errors } = await open(t);
  // The grid virtualises its rows: filtered to the instrument, its row is rendered.
  await page.getByPlaceholder('Filter positions').fill(equity);
  const before = await eventually(async () => {
    const g = await gridQty(page, equity);
    return g.qty && g.seq > 0 ? g : undefined;
  }, 30_000);
  const restQty = (await positions()).data.rows[equity].qty;
  t.equal(before.qty, money(restQty), `the grid shows ${equity} held as REST does (${before.qty})`);

  await fillTicket(page, { instrument: equity, side: 'buy', qty: '300', price: '' });
  t.equal(await byId(page, 'ticket-send').isDisabled(), true, 'Send waits for a check');
  const answer = await checkUntilOk(page);
  const shown = await shownPretrade(page);
  t.equal(shown.ok, 'true', 'the ticket passes');
  t.equal(Number(shown.incrementalVar), answer.incrementalVar, "the VaR impact shown is the router's answer");
  t.equal(shown.incrementalText, signedMoney(answer.incrementalVar), 'written with a sign and thousands separators');
  t.ok(Number.isFinite(answer.incrementalVar), `VaR impact ${shown.incrementalText}`);
  t.equal(shown.varBefore, money(answer.view.varBefore), 'VaR before');
  t.equal(shown.varAfter, money(answer.view.varAfter), 'VaR after');
  t.equal(shown.method, answer.view.varMethod, `the measure: ${answer.view.varMethod}`);
  t.same(
    shown.checks,
    answer.checks.map((c: Json) => [c.name, String(c.ok)]),
    'every check listed with its result',
  );
  t.equal(shown.checks.length, 7);
  mkdirSync(SHOTS, { recursive: true });
  await page.locator('[data-panel="orders"]').screenshot({ path: `${SHOTS}/terminal-order-check.png` });
  // The same ticket asked of REST by the test: the same figure, give or take the market's moves since.
  const again = (await call('POST', '/v1/orders/check', { portfolio, instrument: equity, side: 'buy', qty: 300 })).json;
  t.ok(
    Math.abs(again.incrementalVar - answer.incrementalVar) <= 0.25 * Math.abs(answer.incrementalVar) + 1,
    `REST answers the same ticket with ${money(again.incrementalVar)} against ${money(answer.incrementalVar)} on the page`,
  );

  const sent = await pressFor(page, 'ticket-send', 'POST', '/v1/orders');
  t.equal(sent.status(), 201);
  const id = ((await sent.json()) as Json).order.id as string;
  await byId(page, 'ticket-sent').filter({ hasText: id }).waitFor();
  await waitStatus(page, id, 'Filled');
  t.pass(`${id} reached Filled on the blotter`);
  const row = orderRow(page, id);
  t.equal(await row.locator('[data-col="filled"]').textContent(), '300 / 300');
  t.equal(await row.locator('[data-col="venue"]').textContent(), 'SIM-EQ');
  const rest = (await call('GET', `/v1/orders/${id}`)).json;
  t.equal(await row.locator('[data-col="avgPx"]').textContent(), price4(rest.avgPx), "average price: the router's");
  await row.getByTestId('order-expand').click();
  const fills = page.getByTestId('order-detail').getByTestId('order-fill');
  t.equal(await fills.count(), rest.fills.length, 'each fill listed');
  const life = await page
    .getByTestId('order-detail')
    .getByTestId('order-event')
    .evaluateAll((rows) =>
      rows.map((r) => (r as unknown as { getAttribute(n: string): string }).getAttribute('data-status')),
    );
  t.equal(life[0], 'PendingNew', `its life: ${life.join(' → ')}`);
  t.equal(life.at(-1), 'Filled');

  // The fill reaches the engine (orders.executions): the grid shows the position 300 more, at a later input.
  const after = await eventually(async () => {
    const g = await gridQty(page, equity);
    return g.qty === money(restQty + 300) ? g : undefined;
  }, 60_000);
  t.ok(after.seq > before.seq, `positions input seq ${before.seq} → ${after.seq}`);
  // And the risk on the page moves on to an input that includes the fill.
  const risk = await eventually(async () => {
    const g = await gridQty(page, equity);
    return g.riskSeq >= after.seq ? g : undefined;
  }, 120_000);
  t.ok(risk.riskSeq >= after.seq, `VaR by method shown at input seq ${risk.riskSeq}, after the fill's ${after.seq}`);
  t.same(errors, [], 'no error in the page');
  await page.locator('[data-panel="orders"]').screenshot({ path: `${SHOTS}/terminal-orders.png` });
});

t.test('a ticket over the quantity limit: the refusal and why, and no fill', async (t) => {
  const { page, errors } = await open(t);
  await fillTicket(page, { instrument: equity, side: 'buy', qty: '60,000', price: '' });
  await pressFor(page, 'ticket-check', 'POST', '/v1/orders/check');
  const shown = await shownPretrade(page);
  t.equal(shown.ok, 'false', 'the check fails');
  t.same(
    shown.checks.find(([name]) => name === 'quantity'),
    ['quantity', 'false'],
  );
  t.match(shown.reasons.join('\n'), `quantity: quantity 60000 is over the ${MAX_QUANTITY} allowed per order`);
  const sent = await pressFor(page, 'ticket-send', 'POST', '/v1/orders');
  t.equal(sent.status(), 422, 'the router refuses it');
  const id = ((await sent.json()) as Json).order.id as string;
  const error = byId(page, 'ticket-error');
  await error.waitFor();
  t.match(
    await error.textContent(),
    `PRETRADE_REJECTED: pre-trade: quantity: quantity 60000 is over the ${MAX_QUANTITY} allowed per order`,
    "the server's message",
  );
  await waitStatus(page, id, 'Rejected');
  t.equal(await orderRow(page, id).locator('[data-col="filled"]').textContent(), '0 / 60,000', 'nothing filled');
  t.equal(await orderRow(page, id).getByTestId('order-cancel').count(), 0, 'nothing to cancel');
  const orders = (await call('GET', `/v1/orders?portfolio=${portfolio}`)).json.orders as Json[];
  t.same(
    orders.filter((o) => o.qty === 60_000).map((o) => [o.status, o.cumQty]),
    [['Rejected', 0]],
    'no order of that size reached the venue',
  );
  t.same(errors, [], 'no error in the page');
});

t.test('a resting limit buy: New on the blotter, replaced, then cancelled', async (t) => {
  const { page, errors } = await open(t);
  await fillTicket(page, { instrument: equity, side: 'buy', qty: '10', price: '' });
  await checkUntilOk(page);
  // 4 % under the mark: inside the 5 % collar, below every house bid, so it rests.
  const price = Math.round((await shownPretrade(page)).mark * 0.96 * 100) / 100;
  await byId(page, 'ticket-price').fill(String(price));
  t.equal(await byId(page, 'pretrade').count(), 0, 'an edited ticket is checked again before it can be sent');
  await checkUntilOk(page);
  const sent = await pressFor(page, 'ticket-send', 'POST', '/v1/orders');
  t.equal(sent.status(), 201);
  const id = ((await sent.json()) as Json).order.id as string;
  await waitStatus(page, id, 'New');
  t.equal(await orderRow(page, id).locator('[data-col="price"]').textContent(), price4(price), 'at its limit');

  await orderRow(page, id).getByTestId('order-replace').click();
  await byId(page, 'replace-qty').fill('20');
  const replaced = await pressFor(page, 'replace-submit', 'PUT', `/v1/orders/${id}`);
  t.equal(replaced.status(), 202);
  await eventually(
    async () =>
      (await statusOf(page, id)) === 'New' &&
      (await orderRow(page, id).locator('[data-col="qty"]').textContent()) === '20',
    60_000,
    'the replaced order New at 20',
  );
  t.pass('replaced: New, quantity 20');

  const cancelled = await pressFor(page, orderRow(page, id).getByTestId('order-cancel'), 'DELETE', `/v1/orders/${id}`);
  t.equal(cancelled.status(), 202);
  await waitStatus(page, id, 'Canceled');
  t.equal(await orderRow(page, id).getByTestId('order-cancel').count(), 0, 'a cancelled order offers no cancel');
  t.match((await call('GET', `/v1/orders/${id}`)).json, { status: 'Canceled', qty: 20, cumQty: 0 });
  t.same(errors, [], 'no error in the page');
});

t.test('without a router the ticket is off, with a note, and the page logs no error', async (t) => {
  const plain = await startEmbedded(testConfig({ simulator: { ticksPerSecond: 10, executionsPerSecond: 0 } }));
  t.teardown(() => plain.close());
  const page = await browser.newPage();
  t.teardown(() => page.close());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  await page.goto(`http://127.0.0.1:${plain.port}/#/portfolio/${portfolio}`);
  await byId(page, 'orders-unavailable').waitFor({ timeout: 30_000 });
  t.match(await byId(page, 'orders-unavailable').textContent(), /no order router/);
  t.equal(await byId(page, 'ticket-check').isDisabled(), true, 'Check is off');
  t.equal(await byId(page, 'ticket-instrument').isDisabled(), true, 'and the fields');
  t.equal(await page.getByTestId('orders-blotter').count(), 0, 'no blotter');
  t.same(errors, [], 'no error in the page');
});
