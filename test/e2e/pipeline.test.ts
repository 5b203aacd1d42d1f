// The embedded process end to end: simulator → bus → engine → gateway → WebSocket client.
import t from 'tap';
import { eventually } from '../eventually.js';
import { Client, startEmbedded, testConfig } from './helpers.js';

const config = testConfig({ simulator: { ticksPerSecond: 5000, executionsPerSecond: 20 } });
const portfolio = config.portfolios[0].id;
const instrument = config.instruments.find((i) => i.kind === 'equity')!.id;
const running = await startEmbedded(config);
t.teardown(() => running.close());

t.test('positions, exposures and risk: a snapshot, then updates with consecutive seq', async (t) => {
  const c = await Client.connect(running.port);
  t.teardown(() => c.close());
  const channels = [`positions:${portfolio}`, `exposures:${portfolio}`, `risk:${portfolio}`];
  c.send({ op: 'subscribe', id: 1, channels });
  const ack = await c.next((m) => m.type === 'subscribed');
  t.same(ack, { type: 'subscribed', id: 1, channels });
  for (const ch of channels) {
    const frames = (await c.frames(ch, 8)).slice(0, 8);
    t.equal(frames[0].type, 'snapshot', `${ch} starts with a snapshot`);
    for (let k = 1; k < frames.length; k++) {
      // A risk frame is a whole run's result, so each is a snapshot. A state channel sends changes, and
      // a snapshot whenever the engine writes one (every engine.snapshotEveryMs, and as it takes its
      // partitions at start, which a client connecting early may see second) or the gateway read
      // several of the channel's frames at once (it was behind): an update follows its predecessor,
      // a snapshot may skip ahead.
      const [f, prev] = [frames[k], frames[k - 1].seq as number];
      if (ch.startsWith('risk:')) t.equal(f.type, 'snapshot', `${ch} frames are whole`);
      if (f.type === 'update') t.equal(f.seq, prev + 1, `${ch}: an update follows its predecessor`);
      else t.ok((f.seq as number) > prev, `${ch}: a snapshot moves seq forward`);
    }
    if (!ch.startsWith('risk:')) {
      // Updates follow (on a busy machine the gateway may send a few snapshots first: see above).
      await eventually(() => c.messages.some((m) => m.channel === ch && m.type === 'update') || undefined, 30_000);
      t.pass(`${ch} then updates`);
    }
    t.ok(typeof frames[0].asOf === 'number' && frames[0].ts === frames[0].asOf, 'frames carry asOf (also as ts)');
  }
  const [snap, ...updates] = await c.frames(`positions:${portfolio}`, 4);
  const data = snap.data as { rows: Record<string, { qty: number; marketValue: number }>; totals: { nav: number } };
  t.ok(Object.keys(data.rows).length > 100, 'the demo portfolio holds hundreds of positions');
  t.ok(Number.isFinite(data.totals.nav));
  const changed = updates.map((u) => Object.keys((u.data as { rows: object }).rows).length);
  t.ok(
    changed.some((n) => n > 0),
    'positions change as ticks arrive',
  );
  const exposures = (await c.frames(`exposures:${portfolio}`, 3))[2].data as Record<string, unknown>;
  t.ok(exposures.byInstrument || exposures.totals || exposures.bySector, 'exposure updates carry changed buckets');
  const risk = (await c.frames(`risk:${portfolio}`, 1))[0].data as { var: Record<string, number>; method: string };
  t.equal(risk.method, 'parametric');
  t.ok(risk.var['99'] > 0);
});

t.test('ticks:<instrument> streams ticks', async (t) => {
  const c = await Client.connect(running.port);
  t.teardown(() => c.close());
  c.send({ op: 'subscribe', id: 'a', channels: [`ticks:${instrument}`] });
  const frames = await c.frames(`ticks:${instrument}`, 3);
  for (let k = 1; k < frames.length; k++) t.equal(frames[k].seq, (frames[k - 1].seq as number) + 1);
  const last = frames.at(-1)!.data as { bid: number; ask: number };
  t.ok(last.bid > 0 && last.ask >= last.bid);
});

t.test('bad input gets an error frame and the connection goes on', async (t) => {
  const c = await Client.connect(running.port);
  t.teardown(() => c.close());
  c.send('{not json');
  t.match(await c.next((m) => m.type === 'error'), { code: 'BAD_FRAME' });
  c.send({ op: 'explode', id: 7 });
  t.match(await c.next((m) => m.type === 'error' && m.id === 7), { code: 'UNKNOWN_OP' });
  c.send({ op: 'subscribe', id: 8, channels: ['nonsense'] });
  t.match(await c.next((m) => m.type === 'error' && m.id === 8), { code: 'BAD_CHANNEL' });
  c.send({ op: 'subscribe', id: 9, channels: ['positions:NO-SUCH-BOOK'] });
  t.match(await c.next((m) => m.type === 'error' && m.id === 9), { code: 'UNKNOWN_CHANNEL' });
  c.send({ op: 'ping', id: 10 });
  t.same(await c.next((m) => m.type === 'pong'), { type: 'pong', id: 10 });
});

t.test('HTTP: health, metrics and portfolios', async (t) => {
  const base = `http://127.0.0.1:${running.port}`;
  const health = await fetch(`${base}/health`);
  t.equal(health.status, 200);
  t.match(await health.json(), { status: 'ok' });
  const metrics = await (await fetch(`${base}/metrics`)).text();
  t.match(metrics, /riskline_engine_ticks_total \d+/);
  t.match(metrics, /riskline_engine_publish_failures_total 0/, 'refused publications are counted');
  t.match(metrics, /riskline_engine_checkpoints_total \d+/);
  const list = (await (await fetch(`${base}/v1/portfolios`)).json()) as { id: string; baseCurrency: string }[];
  t.equal(list.length, config.portfolios.length);
  t.ok(new Set(list.map((p) => p.baseCurrency)).size >= 5, 'portfolios in several base currencies');
  const missing = await fetch(`${base}/v1/nothing`);
  t.equal(missing.status, 404);
  t.match(await missing.json(), { code: 'NOT_FOUND' });
});
