// Signing in to the terminal at a real OpenID provider: panva's oidc-provider (a certified OpenID
// Provider) in this process on a loopback port over http, an embedded Riskline whose gateway takes
// the provider's RFC 9068 access tokens (JWKS, at+jwt, audience riskline) and names the provider as
// its OIDC issuer, and Chromium clicking "Sign in with …" through the provider's development login
// and consent forms: the authorization-code flow with PKCE (S256) as a public client, end to end.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startEmbedded, testConfig } from '../e2e/helpers.js';
import { launchBrowser } from './harness.js';

// A fresh machine installs Chromium first (apt-get: about 15 s here, minutes on a slow mirror).
t.setTimeout(600_000);

const CLIENT_ID = 'riskline-terminal';
/** The resource indicator the provider binds the terminal's access tokens to. */
const RESOURCE = 'urn:riskline:gateway';
/** The provider's accounts and the `portfolios` claim each one's access token carries. */
const ACCOUNTS: Record<string, string[]> = { 'euro-desk': ['EURO-EQUITY'] };

// The provider's port first: the gateway's config names the issuer, the provider's the gateway's origin.
let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
const idp = createServer((req, res) => {
  if (handle !== null) return handle(req, res);
  res.statusCode = 503;
  res.end();
});
await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => idp.close(() => resolve())));
const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

const config = testConfig({
  simulator: { ticksPerSecond: 20, executionsPerSecond: 0 },
  auth: {
    jwksUrl: `${issuer}/jwks`,
    issuer,
    audience: 'riskline',
    tokenType: 'at+jwt',
    oidcClientId: CLIENT_ID,
  },
});
const running = await startEmbedded(config);
t.teardown(() => running.close());
const base = `http://127.0.0.1:${running.port}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      redirect_uris: [`${base}/`],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'idp-rs256', alg: 'RS256', use: 'sig' }] },
  findAccount: (_ctx, sub) =>
    sub in ACCOUNTS ? { accountId: sub, claims: () => ({ sub, portfolios: ACCOUNTS[sub] }) } : undefined,
  // The access token is what the gateway reads: the entitlement goes in it.
  extraTokenClaims: (_ctx, token) =>
    'accountId' in token && typeof token.accountId === 'string' ? { portfolios: ACCOUNTS[token.accountId] } : undefined,
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'openid',
        audience: 'riskline',
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});
handle = provider.callback();

const browser = await launchBrowser(t);

/**
 * A page with the terminal's errors collected: uncaught ones, and what the console says on the
 * terminal's origin besides the 401 that sends it to sign in (a content security policy refusal is
 * one). The provider's own pages fetch fonts this offline machine cannot resolve: not counted.
 */
async function open(t: Test): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
  t.teardown(() => page.close());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error' || !m.location().url.startsWith(base)) return;
    if (m.location().url === `${base}/v1/portfolios` && /status of 401/.test(m.text())) return;
    errors.push(`${m.text()} (${m.location().url})`);
  });
  return { page, errors };
}

t.test('the gateway tells the page to sign in at the provider, and lets it reach the provider', async (t) => {
  const res = await fetch(`${base}/v1/auth/config`);
  t.equal(res.status, 200, 'no token needed');
  t.same(await res.json(), { mode: 'oidc', issuer, clientId: CLIENT_ID, scope: 'openid' });
  const page = await fetch(`${base}/`);
  t.match(page.headers.get('content-security-policy'), new RegExp(`connect-src 'self' ${issuer};`));
  t.equal((await fetch(`${base}/v1/portfolios`)).status, 401, 'the data still needs a token');
});

t.test('sign in with the provider: back signed in, the entitled portfolio only, live', async (t) => {
  const { page, errors } = await open(t);
  await page.goto(`${base}/`);
  const button = page.locator('.signin button.oidc-signin');
  await button.waitFor({ timeout: 20_000 });
  t.equal(await button.textContent(), `Sign in with ${issuer}`);
  t.equal(await page.locator('.signin textarea').count(), 1, 'the pasted-token form stays as the alternative');
  await button.click();

  // The provider's development login form, then its consent form.
  await page.waitForURL(`${issuer}/interaction/**`);
  await page.locator('input[name="login"]').fill('euro-desk');
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached', timeout: 10_000 });
  await page.locator('button[type="submit"]').click();

  // Back at the terminal: the code redeemed, the query gone, the Book with EURO-EQUITY alone.
  await page.locator('.status[data-state="live"]').waitFor({ timeout: 30_000 });
  t.equal(page.url(), `${base}/`, 'the code and state are cleared from the address');
  const nav = page.locator('.ag-center-cols-container [row-id="EURO-EQUITY"] [col-id="nav"]');
  await nav.filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
  const ids = await page
    .locator('.ag-center-cols-container [row-id]')
    .evaluateAll((rows) =>
      rows.map((r) => (r as unknown as { getAttribute(n: string): string | null }).getAttribute('row-id')),
    );
  t.same(ids, ['EURO-EQUITY'], "the Book holds exactly the portfolios the account's claim entitles");

  // The bearer token is the provider's access token: a JWT for riskline, typ at+jwt, from the issuer.
  const token = await page.evaluate(() =>
    (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(
      'riskline.token',
    ),
  );
  t.ok(token, 'the access token is kept for this tab');
  const [header, payload] = token!
    .split('.')
    .slice(0, 2)
    .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>);
  t.match(header, { typ: 'at+jwt', alg: 'RS256', kid: 'idp-rs256' });
  t.match(payload, {
    iss: issuer,
    aud: 'riskline',
    sub: 'euro-desk',
    client_id: CLIENT_ID,
    portfolios: ['EURO-EQUITY'],
  });
  const rest = await fetch(`${base}/v1/portfolios`, { headers: { authorization: `Bearer ${token}` } });
  t.same(
    ((await rest.json()) as { id: string }[]).map((p) => p.id),
    ['EURO-EQUITY'],
  );

  await page.goto(`${base}/#/portfolio/GLOBAL-MACRO`);
  await page.waitForTimeout(500);
  t.equal(await page.locator('.portfolio').count(), 0, 'another portfolio cannot be opened by its address');
  await page.goto(`${base}/#/portfolio/EURO-EQUITY`);
  await page.locator('.portfolio').waitFor({ timeout: 10_000 });
  t.pass('the entitled portfolio opens');
  t.same(errors, [], 'no error in the page (the content security policy let discovery and the token call through)');
});

t.test('cancelling at the provider shows its error on the sign-in page', async (t) => {
  const { page } = await open(t);
  await page.goto(`${base}/#/alerts`);
  await page.locator('.signin button.oidc-signin').click();
  await page.waitForURL(`${issuer}/interaction/**`);
  await page.getByText('[ Cancel ]').click();
  const why = page.locator('.signin .why');
  await why.filter({ hasText: 'access_denied' }).waitFor({ timeout: 20_000 });
  t.equal(
    await why.textContent(),
    'The identity provider refused the sign-in: access_denied — End-User aborted interaction',
  );
  t.equal(page.url(), `${base}/#/alerts`, 'the error is cleared from the address, the view kept');
  t.equal(await page.locator('.signin button.oidc-signin').count(), 1, 'and the page offers to sign in again');
});

t.test('an answer whose state this tab did not send is refused', async (t) => {
  const { page } = await open(t);
  await page.goto(`${base}/`);
  await page.locator('.signin button.oidc-signin').click();
  await page.waitForURL(`${issuer}/interaction/**`);
  // Someone else's code, or a forged answer: the state does not match what this tab keeps.
  await page.goto(`${base}/?code=forged-code&state=forged-state`);
  const why = page.locator('.signin .why');
  await why.filter({ hasText: 'state' }).waitFor({ timeout: 20_000 });
  t.match(await why.textContent(), /does not match the sign-in this tab started \(state mismatch\)/);
  t.equal(
    await page.evaluate(() =>
      (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(
        'riskline.token',
      ),
    ),
    null,
    'no token kept',
  );
});

t.test('a code the provider does not honour: its token endpoint error is shown', async (t) => {
  const { page } = await open(t);
  await page.goto(`${base}/`);
  await page.locator('.signin button.oidc-signin').click();
  await page.waitForURL(`${issuer}/interaction/**`);
  // The state this tab keeps, with a code the provider never issued.
  const state = await page.goto(`${base}/v1/auth/config`).then(() =>
    page.evaluate(() => {
      const s = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage;
      return (JSON.parse(s.getItem('riskline.oidc.pending') ?? '{}') as { state?: string }).state ?? '';
    }),
  );
  t.ok(state, 'the pending sign-in is kept in this tab');
  await page.goto(`${base}/?code=never-issued&state=${encodeURIComponent(state)}`);
  const why = page.locator('.signin .why');
  await why.filter({ hasText: 'invalid_grant' }).waitFor({ timeout: 20_000 });
  t.match(await why.textContent(), /^The identity provider refused the code: invalid_grant — /);
});
