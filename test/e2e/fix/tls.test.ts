// FIX over TLS where configured (venues.json `fix.tls`): the router's session to the venue role
// runs over TLS with a certificate made for the test, and an order fills through it; a router that
// does not trust the venue's certificate never logs on, and its orders are refused with why.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { requireTool } from '../../../tools/exec.js';
import { freePort } from '../../../tools/ports.js';
import { eventually } from '../../eventually.js';
import { startEmbedded, testConfig } from '../helpers.js';

t.setTimeout(240_000);
const dir = mkdtempSync(join(tmpdir(), 'riskline-fix-tls-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
await requireTool('openssl', ['version'], 'to make the test certificates');

/** A self-signed certificate for 127.0.0.1: [cert, key] paths. */
function certificate(name: string): [string, string] {
  const [cert, key] = [join(dir, `${name}.crt`), join(dir, `${name}.key`)];
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  return [cert, key];
}
const [cert, key] = certificate('venue');
const [other] = certificate('other');

async function start(ca: string, name: string) {
  const config = testConfig({
    simulator: { ticksPerSecond: 200, executionsPerSecond: 0 },
    roles: ['feed', 'engine', 'gateway', 'router', 'venue'],
    bus: { ownThread: false },
    orders: { dir: join(dir, name) },
  });
  // One venue, over TLS: the venue role serves cert and key, the router trusts `ca`.
  const port = await freePort();
  config.venues = [
    {
      ...config.venues[0],
      fix: { ...config.venues[0].fix, port, tls: { cert, key, ca, servername: null } },
    },
  ];
  return startEmbedded(config);
}

t.test('an order fills over a TLS session', async (t) => {
  const running = await start(cert, 'trusted');
  t.teardown(() => running.close());
  await eventually(() => running.router!.links[0].up(), 30_000, 'the TLS session logged on');
  const base = `http://127.0.0.1:${running.port}`;
  const ticket = { portfolio: 'GLOBAL-MACRO', instrument: 'AAPL', side: 'buy', qty: 10 };
  const order = await eventually(
    async () => {
      const res = await fetch(`${base}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ticket),
      });
      return res.status === 201 ? ((await res.json()) as { order: { id: string } }).order : undefined;
    },
    120_000,
    'an order accepted',
  );
  await eventually(
    async () =>
      ((await (await fetch(`${base}/v1/orders/${order.id}`)).json()) as { status: string }).status === 'Filled',
    30_000,
    'filled',
  );
  t.pass('filled through the TLS session');
});

t.test("a router that does not trust the venue's certificate never logs on", async (t) => {
  const running = await start(other, 'untrusted');
  t.teardown(() => running.close());
  await new Promise((r) => setTimeout(r, 3000));
  t.notOk(running.router!.links[0].up(), 'no session');
  const res = await fetch(`http://127.0.0.1:${running.port}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ portfolio: 'GLOBAL-MACRO', instrument: 'AAPL', side: 'buy', qty: 10 }),
  });
  // Refused before trade or for want of a venue, never sent: the pre-trade view may still be building.
  t.ok(res.status === 503 || res.status === 422, `refused: ${res.status}`);
  const body = (await res.json()) as { message: string };
  if (res.status === 503) t.match(body.message, /no venue connected/);
});
