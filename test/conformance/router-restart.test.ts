// A killed order router comes back where it was, against an independent FIX engine: `riskline
// start` with the router role trades with a QuickFIX/J venue, is SIGKILLed (no Logout), and is
// started again on the same directory. It must log on with the sequence numbers it had (QuickFIX/J
// logs out a session whose MsgSeqNum is too low), answer a ResendRequest with the orders it sent
// before the kill (PossDupFlag, as QuickFIX/J logged them on the wire), still know its orders (the
// journal), and go on trading with fresh ClOrdIDs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { freePort } from '../../tools/ports.js';
import { QuickFixPeer } from '../../tools/fix/quickfixj.js';
import { eventually } from '../eventually.js';

t.setTimeout(300_000);
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/app/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'riskline-router-restart-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const { KAFKA_BROKERS: _kafka, RISKLINE_JWT_SECRET: _secret, ...env } = process.env;

const port = await freePort();
const venuesFile = join(dir, 'venues.json');
writeFileSync(
  venuesFile,
  JSON.stringify([
    {
      id: 'QFJ-EQ',
      name: 'QuickFIX/J venue',
      assetClasses: ['equity', 'etf'],
      fix: { host: '127.0.0.1', port, senderCompId: 'RISKLINE', targetCompId: 'QFJ-EQ', heartbeatSec: 5 },
    },
  ]),
);
const configFile = join(dir, 'riskline.json');
writeFileSync(
  configFile,
  JSON.stringify({
    log: { level: 'info' },
    roles: ['feed', 'engine', 'gateway', 'router'],
    simulator: { ticksPerSecond: 200, executionsPerSecond: 0 },
    orders: { dir: join(dir, 'orders') },
    files: { venues: venuesFile },
  }),
);

/** `riskline start` with the router; resolves with its HTTP base once it says it is ready. */
function startRouter(): Promise<{ child: ChildProcess; base: string; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--config', configFile], { env });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${err.slice(-2000)}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const line = err.split('\n').find((l) => l.includes('"msg":"riskline ready'));
      if (line !== undefined && line.endsWith('}')) {
        clearTimeout(timer);
        const ws = (JSON.parse(line) as { ws: string }).ws;
        resolve({ child, base: ws.replace(/^ws/, 'http').replace(/\/v1\/stream$/, ''), stderr: () => err });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err.slice(-2000)}`)));
  });
}

const venue = await QuickFixPeer.start({
  mode: 'acceptor',
  port,
  senderCompId: 'QFJ-EQ',
  targetCompId: 'RISKLINE',
  storeDir: join(dir, 'qfj'),
  heartBtInt: 5,
});
t.teardown(() => venue.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reply bodies are read field by field
type Json = Record<string, any>;
const call = async (base: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
};

/** A limit buy at the mark (QuickFIX/J's venue fills a limit order at its price), once the VaR impact can be judged. */
async function buy(base: string, qty: number): Promise<Json> {
  const ticket = { portfolio: 'GLOBAL-MACRO', instrument: 'AAPL', side: 'buy', qty };
  return eventually(
    async () => {
      const check = await call(base, 'POST', '/v1/orders/check', ticket);
      if (check.status !== 200 || !check.json.ok) return undefined; // scenario sets still building
      const sent = await call(base, 'POST', '/v1/orders', { ...ticket, price: check.json.view.mark });
      return sent.status === 201 ? sent.json.order : undefined;
    },
    120_000,
    'an order the router accepts',
  );
}
const filled = (base: string, id: string) =>
  eventually(
    async () => ((await call(base, 'GET', `/v1/orders/${id}`)).json.status === 'Filled' ? true : undefined),
    30_000,
    `order ${id} filled`,
  );

t.test('a killed router resumes its FIX session and answers a resend of what it sent before', async (t) => {
  let router = await startRouter();
  t.teardown(() => router.child.kill('SIGKILL'));
  await venue.next((e) => e.event === 'logon', 60_000);
  const first = await buy(router.base, 100);
  const second = await buy(router.base, 200);
  await filled(router.base, first.id);
  await filled(router.base, second.id);
  const sentBefore = venue.wire('RISKLINE').filter((f) => f['35'] === 'D');
  t.equal(sentBefore.length, 2, 'two NewOrderSingles reached QuickFIX/J');
  const { fields: before } = await venue.request({ cmd: 'seqnums' });

  const logouts = venue.events.length;
  router.child.kill('SIGKILL');
  await new Promise((r) => router.child.once('exit', r));
  await venue.next((e) => e.event === 'logout', 30_000, logouts);

  router = await startRouter();
  const relogon = venue.events.indexOf(await venue.next((e) => e.event === 'logon', 60_000, logouts));
  const { fields: after } = await venue.request({ cmd: 'seqnums' });
  t.equal(
    Number(after!.target),
    Number(before!.target) + 1,
    'the restarted router went on from its number (+ its Logon)',
  );
  t.notOk(
    venue.events.slice(relogon).some((e) => e.event === 'logout') ||
      venue.events.slice(logouts).some((e) => /too low/i.test(e.text ?? '')),
    'QuickFIX/J took the Logon: no MsgSeqNum too low, no Logout',
  );

  // The journal: orders sent before the kill are still known, with their fills.
  const known = await call(router.base, 'GET', `/v1/orders/${first.id}`);
  t.equal(known.status, 200);
  t.match(known.json, { status: 'Filled', cumQty: 100 });

  // QuickFIX/J asks for everything: the orders sent before the kill come back with PossDupFlag.
  await venue.request({ cmd: 'resendRequest', begin: 1, end: 0 });
  const resent = await eventually(
    () => {
      const again = venue.wire('RISKLINE').filter((f) => f['35'] === 'D' && f['43'] === 'Y');
      return again.length >= 2 ? again : undefined;
    },
    15_000,
    'the resent orders',
  );
  t.same(
    resent.map((f) => f['11']).sort(),
    sentBefore.map((f) => f['11']).sort(),
    'both orders sent before the kill were resent',
  );
  for (const f of resent) t.ok(f['122'], `OrigSendingTime on the resent ${f['11']}`);
  t.same(resent.map((f) => f['34']).sort(), sentBefore.map((f) => f['34']).sort(), 'each at its original MsgSeqNum');

  // Trading goes on, with a ClOrdID not used before the kill.
  const third = await buy(router.base, 300);
  t.notOk(
    sentBefore.some((f) => f['11'] === third.clOrdId),
    `a fresh ClOrdID (${third.clOrdId})`,
  );
  await filled(router.base, third.id);
  t.equal(venue.wire('RISKLINE').filter((f) => f['35'] === 'D' && f['43'] !== 'Y').length, 3, 'three orders in all');
});
