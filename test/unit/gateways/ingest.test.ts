// The gateway's bus reading (gateways/ingest.ts): a long batch of state frames is read in slices of
// SLICE_MS, so a tick batch (its own subscription) goes out between them instead of waiting behind
// it, and the state frames still go out whole, in order, once their batch is read.
import t from 'tap';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Frame } from '../../../engine/frames.js';
import type { AlertDeskFeed } from '../../../gateways/alerts/desk-feed.js';
import { ChannelStore } from '../../../gateways/channels.js';
import { Ingest, SLICE_MS } from '../../../gateways/ingest.js';
import { createGatewayMetrics } from '../../../gateways/metrics.js';
import type { StreamServer } from '../../../gateways/stream-server.js';
import type { Batch, ConsumedMessage } from '../../../streams/bus.js';
import { encodeEnvelope, ENVELOPE_VERSION } from '../../../streams/envelope.js';

const INSTRUMENTS = Array.from({ length: 300 }, (_, i) => `I${i}`);

function ingestWith(published: Frame[]) {
  const store = new ChannelStore({ portfolios: ['P1'], instruments: INSTRUMENTS });
  const streams = {
    beginRound: () => undefined,
    endRound: () => undefined,
    hasSubscribers: () => true,
    publish: (f: Frame) => void published.push(f),
  } as unknown as StreamServer;
  const alerts = { frame: () => undefined } as unknown as AlertDeskFeed;
  const metrics = createGatewayMetrics(new Registry());
  return new Ingest(store, streams, alerts, metrics, pino({ level: 'silent' }), 1);
}

const record = (topic: string, offset: number, body: unknown, type = 'frame'): ConsumedMessage => ({
  topic,
  partition: 0,
  offset,
  key: 'P1',
  value: encodeEnvelope({ v: ENVELOPE_VERSION, type, src: 'test', ts: 1000, seq: offset + 1, body } as never),
});

/** `n` positions frames of P1, a snapshot then updates, every row changed in each (all within one interval). */
function positionsBatch(n: number): Batch {
  const rows = (k: number) => Object.fromEntries(INSTRUMENTS.map((id, i) => [id, { qty: i, mark: 100 + k + i / 7 }]));
  const messages = Array.from({ length: n }, (_, k) =>
    record('state.positions', k, {
      channel: 'positions:P1',
      type: k === 0 ? 'snapshot' : 'update',
      seq: k + 1,
      asOf: 1000 + k / 10,
      inputSeq: k + 1,
      data: { totals: { nav: k }, rows: rows(k) },
    }),
  );
  return { topic: 'state.positions', partition: 0, messages };
}

t.test('a long batch of state frames is read in slices; a tick batch goes out between them', async (t) => {
  const published: Frame[] = [];
  const ingest = ingestWith(published);
  t.teardown(() => ingest.close());
  const state = positionsBatch(300);
  const began = performance.now();
  const reading = ingest.batch(state);
  t.ok(reading instanceof Promise, `a batch longer than SLICE_MS (${SLICE_MS} ms) is not read in one go`);
  // What another subscription hands over meanwhile: one tick.
  await new Promise((r) => setImmediate(r));
  t.equal(published.length, 0, 'no state frame goes out before its batch is read');
  const tick = record('md.ticks', 0, [['I1', 1001, 99.5, 100.5, 100]], 'ticks');
  t.equal(
    ingest.batch({ topic: 'md.ticks', partition: 0, messages: [tick] }),
    undefined,
    'a short batch is read at once',
  );
  await new Promise((r) => setImmediate(r));
  t.same(
    published.map((f) => f.channel),
    ['ticks:I1'],
    'the tick went out while the state batch was still being read',
  );
  await reading;
  const frames = published.filter((f) => f.channel === 'positions:P1');
  t.equal(frames.length, 300, 'then every state frame, none coalesced (one interval)');
  t.same(
    frames.map((f) => f.seq),
    Array.from({ length: 300 }, (_, k) => k + 1),
    'in order',
  );
  t.ok(performance.now() - began > SLICE_MS, 'the batch did take longer than a slice');
});

t.test('a short batch is read at once and its frames go out before batch() returns', async (t) => {
  const published: Frame[] = [];
  const ingest = ingestWith(published);
  t.teardown(() => ingest.close());
  t.equal(ingest.batch(positionsBatch(2)), undefined);
  t.same(
    published.map((f) => f.seq),
    [1, 2],
  );
});
