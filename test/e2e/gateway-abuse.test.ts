// Clients that do not play fair, on both servers: one that stops reading for a minute while the
// market runs, one that never reads past the slow limit, and one that floods pings without
// reading. The server's memory stays bounded, the others keep getting every update, and each
// abuser learns why (an error frame, or a close with a code and a reason).
import t from 'tap';
import type { Registry } from 'prom-client';
import { TOPIC } from '../../streams/topics.js';
import type { TransportKind } from '../../gateways/transport/index.js';
import { eventually } from '../eventually.js';
import { alertFrame, Client, harness, positions } from './gateway-suite.js';

const MB = 1024 * 1024;

/** riskline_gateway_client_buffered_bytes now. */
async function held(registry: Registry): Promise<number> {
  return (await registry.getSingleMetric('riskline_gateway_client_buffered_bytes')!.get()).values[0]?.value ?? 0;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A positions book of about `kb` kilobytes. */
function book(kb: number): Record<string, unknown> {
  const rows: Record<string, unknown> = {};
  for (let i = 0; i < kb * 5; i++) rows[`INST${i}`] = { qty: i, mark: 100 + i, pad: 'x'.repeat(160) };
  return rows;
}

/**
 * The frames a healthy client saw on one channel, taken off its queue as they come (so the test's
 * own client does not hold a minute of decoded frames) and checked consecutive across every drain.
 */
class Received {
  last = -1;
  gaps = 0;
  constructor(
    private readonly c: Client,
    private readonly channel: string,
  ) {}
  drain(): this {
    for (const m of this.c.messages.splice(0)) {
      if ((m.type !== 'snapshot' && m.type !== 'update') || m.channel !== this.channel) continue;
      if (m.type === 'update' && this.last >= 0 && m.seq !== this.last + 1) this.gaps++;
      this.last = m.seq;
    }
    return this;
  }
}

const kinds: TransportKind[] = ['uws', 'ws'];

for (const kind of kinds) {
  t.test(`${kind}: a client that stops reading for a minute while the market runs stays bounded`, async (t) => {
    const h = await harness(t, { transport: kind, slowClientBufferBytes: 256 * 1024, maxSlowMs: 120_000 });
    const rows = book(40);
    await h.frame(TOPIC.positions, positions(1, 'snapshot', rows));
    await eventually(() => h.gw.store.get('positions:P1') !== undefined);
    const slow = await Client.open(h.url);
    const healthy = await Client.open(h.url);
    t.teardown(() => (slow.close(), healthy.close()));
    for (const c of [slow, healthy]) {
      c.send({ op: 'subscribe', id: 1, channels: ['positions:P1', 'alerts:P1'] });
      await c.frames('positions:P1');
    }
    slow.ws.pause();
    const got = new Received(healthy, 'positions:P1');
    const rss0 = process.memoryUsage().rss;
    let maxGrowth = 0;
    let maxHeld = 0;
    let seq = 1;
    let alerts = 0;
    let published = 0;
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      // ~40 kB every 10 ms: 240 MB in the minute, had the paused client been sent everything.
      seq++;
      await h.frame(TOPIC.positions, positions(seq, 'update', rows));
      published += 40 * 1024;
      if (seq % 100 === 0) await h.frame(TOPIC.alerts, alertFrame(++alerts + 1));
      if (seq % 50 === 0) {
        maxHeld = Math.max(maxHeld, await held(h.registry));
        got.drain();
      }
      if (seq % 500 === 0) {
        maxGrowth = Math.max(maxGrowth, process.memoryUsage().rss - rss0);
        t.equal(got.gaps, 0, `healthy client: every update in order (to #${got.last})`);
      }
      await sleep(10);
    }
    t.ok(published > 150 * MB, `${(published / MB).toFixed(0)} MB published while one client read nothing`);
    // What the gateway holds for its clients, by its own count: the slow one's buffer is capped near its mark.
    t.ok(maxHeld < 1 * MB, `the gateway held at most ${(maxHeld / 1024).toFixed(0)} kB for its clients`);
    // The whole test process (clients, bus and 200 MB of garbage frames included), as a sanity bound:
    // below the 240 MB the paused client would have been sent, with room for when the collector runs
    // on a busy machine (131 MB seen once in a clean-clone CI run beside other work).
    t.ok(maxGrowth < 192 * MB, `process RSS grew at most ${(maxGrowth / MB).toFixed(1)} MB`);
    await eventually(() => got.drain().last === seq, 10_000);
    slow.ws.resume();
    await eventually(() => slow.messages.some((m) => m.type === 'snapshot' && m.seq === seq), 20_000);
    const seen = slow.messages.filter((m) => m.type !== 'pong' && 'channel' in m && m.channel === 'alerts:P1');
    t.same(
      seen.map((m) => ('seq' in m ? m.seq : 0)),
      // The gateway numbers the event frames it sends from 1 (the engine's seq, from 2 here, only drops replays).
      Array.from({ length: alerts }, (_, i) => i + 1),
      'after a minute unread: every alert, in order, and a fresh snapshot at the current seq',
    );
  });

  t.test(`${kind}: a client that reads nothing past maxSlowMs is closed with 1013 and a reason`, async (t) => {
    const h = await harness(t, { transport: kind, slowClientBufferBytes: 64 * 1024, maxSlowMs: 1500 });
    const rows = book(40);
    await h.frame(TOPIC.positions, positions(1, 'snapshot', rows));
    await eventually(() => h.gw.store.get('positions:P1') !== undefined);
    const c = await Client.open(h.url);
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      c.ws.once('close', (code, reason) => r({ code, reason: reason.toString() })),
    );
    c.send({ op: 'subscribe', id: 1, channels: ['positions:P1'] });
    await c.frames('positions:P1');
    c.ws.pause();
    // The paused client cannot see its close until it reads again: the server's count says when it was closed.
    const dropped = async () =>
      ((await h.registry.getSingleMetric('riskline_gateway_event_queue_overflows_total')!.get()).values[0]?.value ??
        0) > 0;
    let seq = 1;
    while (!(await dropped()) && seq < 3000) {
      await h.frame(TOPIC.positions, positions(++seq, 'update', rows));
      await sleep(5);
    }
    c.ws.resume();
    const why = await closed;
    t.equal(why.code, 1013);
    t.match(why.reason, /too slow: nothing read for \d+ s; reconnect/);
  });

  t.test(`${kind}: a ping flood without reading is rate-limited, its replies bounded, others unaffected`, async (t) => {
    const h = await harness(t, { transport: kind, slowClientBufferBytes: 64 * 1024 });
    await h.frame(TOPIC.positions, positions(1, 'snapshot', book(2)));
    await eventually(() => h.gw.store.get('positions:P1') !== undefined);
    const healthy = await Client.open(h.url);
    const flood = await Client.open(h.url);
    t.teardown(() => (healthy.close(), flood.close()));
    healthy.send({ op: 'subscribe', id: 1, channels: ['positions:P1'] });
    await healthy.frames('positions:P1');
    flood.send({ op: 'ping', id: 0 });
    await flood.next((m) => m.type === 'pong');
    flood.ws.pause();
    const rss0 = process.memoryUsage().rss;
    let seq = 1;
    const began = Date.now();
    const end = began + 3000;
    let sent = 0;
    while (Date.now() < end) {
      // 10,000 pings a second from one client that reads nothing, and the market going on.
      for (let i = 0; i < 100; i++) flood.send({ op: 'ping', id: ++sent });
      await h.frame(TOPIC.positions, positions(++seq, 'update', book(2)));
      await sleep(10);
    }
    const growth = process.memoryUsage().rss - rss0;
    await eventually(() => h.gw.store.get('positions:P1')!.seq === seq);
    await eventually(() => healthy.messages.some((m) => 'seq' in m && m.seq === seq), 10_000);
    t.equal(new Received(healthy, 'positions:P1').drain().gaps, 0, 'the healthy client got every update in order');
    t.ok(growth < 32 * MB, `server RSS grew ${(growth / MB).toFixed(1)} MB for ${sent} pings`);
    const metrics = await (await fetch(`${h.http}/metrics`)).text();
    const dropped = Number(/riskline_gateway_client_messages_total\{op="rate_limited"\} (\d+)/.exec(metrics)?.[1]);
    t.ok(dropped > sent / 2, `${dropped} of ${sent} pings dropped unread over the rate`);
    flood.ws.resume();
    const limited = await flood.next((m) => m.type === 'error', 10_000);
    t.match(limited, { type: 'error', code: 'RATE_LIMITED', message: /messages a second/ });
    const pongs = flood.messages.filter((m) => m.type === 'pong').length;
    // The bucket: a burst of 200, then 100 a second (gateway defaults).
    const allowed = 200 + (100 * (Date.now() - began)) / 1000;
    t.ok(
      pongs <= allowed,
      `${pongs} pongs answered (at most ${allowed.toFixed(0)}): the burst and the rate, not the flood`,
    );
  });
}
