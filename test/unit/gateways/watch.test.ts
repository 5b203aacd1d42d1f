import t from 'tap';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatFrame, watch } from '../../../gateways/watch.js';

/** A scripted server: answers the subscribe, then lets the test push raw messages. */
async function fakeServer(t: { teardown(fn: () => unknown): void }) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const received: Record<string, unknown>[] = [];
  let peer: WebSocket | null = null;
  const waiters: (() => void)[] = [];
  wss.on('connection', (ws) => {
    peer = ws;
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as Record<string, unknown>;
      received.push(msg);
      if (msg.op === 'subscribe') ws.send(JSON.stringify({ type: 'subscribed', id: msg.id, channels: msg.channels }));
      for (const w of waiters.splice(0)) w();
    });
  });
  t.teardown(() => new Promise((r) => wss.close(r)));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v1/stream`,
    received,
    push: (m: unknown) => peer!.send(JSON.stringify(m)),
    close: (code: number, reason: string) => peer!.close(code, reason),
    waitFor: async (pred: () => boolean) => {
      while (!pred()) await new Promise<void>((r) => (waiters.push(r), setTimeout(r, 20)));
    },
  };
}

t.test('a seq gap makes watch ask for a snapshot instead of applying the update', async (t) => {
  const s = await fakeServer(t);
  const lines: string[] = [];
  const w = await watch({ channel: 'exposures:P1', url: s.url }, (l) => lines.push(l));
  t.teardown(() => w.close());
  const fr = (type: string, seq: number, data: unknown) => ({ type, channel: 'exposures:P1', seq, ts: 0, data });
  s.push(fr('snapshot', 1, { totals: { gross: 10, net: 2, long: 6, short: -4 } }));
  s.push(fr('update', 2, { totals: { gross: 12, net: 2, long: 7, short: -5 } }));
  s.push(fr('update', 4, { totals: { gross: 99, net: 0, long: 0, short: 0 } }));
  await s.waitFor(() => s.received.some((m) => m.op === 'snapshot'));
  t.match(s.received[1], { op: 'snapshot', id: 2, channel: 'exposures:P1' });
  s.push(fr('snapshot', 5, { totals: { gross: 20, net: 1, long: 10, short: -10 } }));
  await s.waitFor(() => lines.length >= 5);
  t.same(lines, [
    'subscribed exposures:P1',
    'exposures:P1 #1 S 1970-01-01T00:00:00.000Z gross 10.00 net 2.00 long 6.00 short -4.00',
    'exposures:P1 #2 U 1970-01-01T00:00:00.000Z gross 12.00 net 2.00 long 7.00 short -5.00',
    'exposures:P1 gap: expected seq 3, got 4; requesting a snapshot',
    'exposures:P1 #5 S 1970-01-01T00:00:00.000Z gross 20.00 net 1.00 long 10.00 short -10.00',
  ]);
});

t.test('watch rejects when nothing listens', async (t) => {
  await t.rejects(
    watch({ channel: 'risk:P1', url: 'ws://127.0.0.1:1/v1/stream' }, () => undefined),
    {
      code: 'UNAVAILABLE',
    },
  );
});

t.test('one compact line per channel kind', async (t) => {
  const f = (channel: string, data: Record<string, unknown>) => ({
    type: 'update' as const,
    channel,
    seq: 3,
    ts: 1_700_000_000_000,
    asOf: 1_700_000_000_000,
    inputSeq: 7,
    data,
  });
  const risk = { method: 'parametric', var: { '95': 1000, '99': 1500.5 }, es: { '95': 1200, '99': 1700 } };
  t.equal(
    formatFrame('risk', f('risk:P1', risk), risk),
    'risk:P1 #3 U 2023-11-14T22:13:20.000Z VaR95 1,000.00 VaR99 1,500.50 ES95 1,200.00 ES99 1,700.00 (parametric)',
  );
  const tick = { instrument: 'EURUSD', bid: 1.08421, ask: 1.08423, last: 1.08422 };
  t.equal(
    formatFrame('ticks', f('ticks:EURUSD', tick), tick),
    'ticks:EURUSD #3 U 2023-11-14T22:13:20.000Z bid 1.08421 ask 1.08423 last 1.08422',
  );
  const alert = { severity: 'critical', message: 'VaR99 1.2M above limit 1M' };
  t.equal(
    formatFrame('alerts', f('alerts:P1', alert), alert),
    'alerts:P1 #3 U 2023-11-14T22:13:20.000Z CRITICAL VaR99 1.2M above limit 1M',
  );
  const pos = { totals: { nav: 1e6, unrealizedPnl: -5.5, realizedPnl: 7 }, rows: { A: {}, B: {}, C: {} } };
  t.equal(
    formatFrame('positions', f('positions:P1', { rows: { A: {} } }), pos),
    'positions:P1 #3 U 2023-11-14T22:13:20.000Z NAV 1,000,000.00 uPnL -5.50 rPnL 7.00 rows 1/3',
  );
});

t.test('watch() does not reconnect: a server close ends it with the code and a line', async (t) => {
  const s = await fakeServer(t);
  const lines: string[] = [];
  const w = await watch({ channel: 'risk:P1', url: s.url }, (l) => lines.push(l));
  s.close(1001, 'going away');
  t.same(await w.closed, { code: 1001, reason: 'going away' });
  t.same(lines, ['subscribed risk:P1', 'closed 1001 going away']);
  t.equal(s.received.filter((m) => m.op === 'subscribe').length, 1, 'subscribed once, never again');
});

t.test('watch() rejects a channel that cannot exist, and a refused subscription with its code', async (t) => {
  await t.rejects(
    watch({ channel: 'positions:*', url: 'ws://127.0.0.1:1/v1/stream' }, () => undefined),
    { code: 'BAD_CHANNEL', message: /the wildcard is only allowed as alerts:\*/ },
  );
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  t.teardown(() => new Promise((r) => wss.close(r)));
  wss.on('connection', (ws) =>
    ws.on('message', (d) => {
      const msg = JSON.parse(d.toString()) as { id: number };
      ws.send(
        JSON.stringify({ type: 'error', id: msg.id, code: 'FORBIDDEN', message: 'not entitled to portfolio P2' }),
      );
    }),
  );
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v1/stream`;
  await t.rejects(
    watch({ channel: 'risk:P2', url }, () => undefined),
    {
      code: 'FORBIDDEN',
      message: 'not entitled to portfolio P2',
    },
  );
});
