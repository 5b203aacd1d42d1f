// The terminal's connection: a dropped WebSocket reconnects and resubscribes to what the page
// showed, and the page goes on live; a token that expires on an open page leads back to sign-in
// with a clear message. The page's socket runs through playwright's WebSocket route, so the test
// can cut it as a network would.
import t from 'tap';
import type { WebSocketRoute } from 'playwright-core';
import { eventually } from '../eventually.js';
import { startEmbedded, testConfig } from '../e2e/helpers.js';
import { launchBrowser, restHistory, signedInPage } from './harness.js';

t.setTimeout(600_000);
const browser = await launchBrowser(t);

t.test('a dropped connection reconnects, resubscribes, and the page is live again', async (t) => {
  const config = testConfig({ simulator: { ticksPerSecond: 10, executionsPerSecond: 0 } });
  const running = await startEmbedded(config);
  t.teardown(() => running.close());
  const base = `http://127.0.0.1:${running.port}`;
  const id = config.portfolios[0].id;
  const page = await browser.newPage();
  t.teardown(() => page.close());
  /** Each connection the page opened: its route and the ops it sent. */
  const connections: { route: WebSocketRoute; ops: { op: string; channels?: string[] }[] }[] = [];
  await page.routeWebSocket(/\/v1\/stream$/, (route) => {
    const conn = { route, ops: [] as { op: string; channels?: string[] }[] };
    connections.push(conn);
    const server = route.connectToServer();
    route.onMessage((m) => {
      conn.ops.push(JSON.parse(String(m)) as { op: string });
      server.send(m);
    });
  });
  await page.goto(`${base}/#/portfolio/${id}`);
  await page.locator('.status[data-state="live"]').waitFor({ timeout: 30_000 });
  const seq = () => page.locator('[data-input-seq]').getAttribute('data-input-seq').then(Number);
  await eventually(async () => ((await seq()) > 0 ? true : undefined), 30_000);
  const wanted = connections[0].ops.filter((o) => o.op === 'subscribe').flatMap((o) => o.channels ?? []);
  t.ok(wanted.includes(`positions:${id}`), 'the first connection subscribed to the portfolio');

  await connections[0].route.close({ code: 1012, reason: 'service restart' });
  await eventually(async () => (connections.length >= 2 ? true : undefined), 20_000);
  t.pass('the page opened a new connection');
  await eventually(async () => {
    const again = connections[1].ops.filter((o) => o.op === 'subscribe').flatMap((o) => o.channels ?? []);
    return wanted.every((c) => again.includes(c)) || undefined;
  }, 20_000);
  t.pass('and subscribed again to every channel it had');
  await page.locator('.status[data-state="live"]').waitFor({ timeout: 30_000 });
  const after = await seq();
  await eventually(async () => ((await seq()) > after ? true : undefined), 30_000);
  t.pass('positions move on after the reconnect');
  // What the page shows after the reconnect is the server's state, not a mix of two connections'.
  const rest = restHistory(t, id, 'positions', base);
  const nav = await eventually(async () => {
    const s = await seq();
    return rest.get(s) ? { s, body: rest.get(s)! } : undefined;
  }, 30_000);
  t.ok(nav.body.data.totals.nav > 0, `inputSeq ${nav.s} on the page is one REST served`);
});

t.test('a token that expires on an open page leads back to sign-in, saying why', async (t) => {
  const { page } = await signedInPage(t, browser, ['EURO-EQUITY'], 6);
  await page.locator('.status[data-state="live"]').waitFor({ timeout: 20_000 });
  t.pass('signed in and live');
  const why = page.locator('.signin .why');
  await why.waitFor({ timeout: 30_000 });
  t.match(await why.textContent(), /Signed out: .*expired/i, 'the sign-in says the token expired');
  t.equal(await page.locator('.signin textarea').inputValue(), '', 'the expired token is not kept');
});
