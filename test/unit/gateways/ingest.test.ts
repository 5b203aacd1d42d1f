// The gateway's bus reading (gateways/ingest.ts): state frames go out in order once their batch is
// read, a channel's frames spanning more than COALESCE_SPAN_MS as one snapshot; the engine's frame
// records are read in place (codecs/frame-record.ts) and leave the store exactly as the generic path
// (the same frames as JSON records) does.
import t from 'tap';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { MsgpackWriter } from '../../../codecs/msgpack.js';
import type { Frame } from '../../../engine/frames.js';
import type { AlertDeskFeed } from '../../../gateways/alerts/desk-feed.js';
import { ChannelStore } from '../../../gateways/channels.js';
import { COALESCE_SPAN_MS, Ingest } from '../../../gateways/ingest.js';
import { createGatewayMetrics } from '../../../gateways/metrics.js';
import type { StreamServer } from '../../../gateways/stream-server.js';
import type { Batch } from '../../../streams/bus.js';
import { encodeEnvelope, ENVELOPE_VERSION, writeFrameEnvelopeHeader } from '../../../streams/envelope.js';
import { Packr } from 'msgpackr';

const INSTRUMENTS = Array.from({ length: 50 }, (_, i) => `I${i}`);
const packr = new Packr({ useRecords: false, variableMapSize: true });

function ingestWith(published: Frame[]) {
  const store = new ChannelStore({ portfolios: ['P1'], instruments: INSTRUMENTS });
  const streams = {
    beginRound: () => undefined,
    endRound: () => undefined,
    hasSubscribers: () => true,
    publish: (f: Frame) => void published.push(f),
  } as unknown as StreamServer;
  const alerts = { frame: () => undefined } as unknown as AlertDeskFeed;
  const ingest = new Ingest(store, streams, alerts, createGatewayMetrics(new Registry()), pino({ level: 'silent' }), 1);
  return { store, ingest };
}

/** `n` positions frames of P1, a snapshot then updates, `stepMs` of event time apart. */
function frames(n: number, stepMs: number): Frame[] {
  return Array.from({ length: n }, (_, k) => ({
    channel: 'positions:P1',
    type: k === 0 ? 'snapshot' : 'update',
    seq: k + 1,
    asOf: 1000 + k * stepMs,
    inputSeq: k + 1,
    data: {
      totals: { nav: k },
      // Every row in the snapshot; then a moving third of them, one removed now and then.
      rows: Object.fromEntries(
        INSTRUMENTS.filter((_, i) => k === 0 || i % 3 === k % 3).map((id, i) => [
          id,
          k > 0 && i === 0 && k % 4 === 0 ? null : { mark: 100 + k + i / 7 },
        ]),
      ),
    },
  }));
}

/** As the engine role writes them (its envelope header, then the frame's bytes), or as JSON records. */
function batch(list: Frame[], codec: 'msgpack' | 'json' = 'msgpack'): Batch {
  const messages = list.map((f, offset) => {
    let value: Uint8Array;
    if (codec === 'json')
      value = encodeEnvelope(
        { v: ENVELOPE_VERSION, type: 'frame', src: 'e', ts: f.asOf, seq: offset, body: f },
        'json',
      );
    else {
      const w = new MsgpackWriter();
      writeFrameEnvelopeHeader(w, 'e', offset, f.asOf);
      value = w.raw(packr.pack(f)).take();
    }
    return { topic: 'state.positions', partition: 0, offset, key: 'P1', value };
  });
  return { topic: 'state.positions', partition: 0, messages };
}

t.test('frames of one interval go out in order once their batch is read, none coalesced', async (t) => {
  const published: Frame[] = [];
  const { ingest } = ingestWith(published);
  t.teardown(() => ingest.close());
  ingest.batch(batch(frames(300, 0.1)));
  t.equal(published.length, 300, 'every state frame, none coalesced (one interval)');
  t.same(
    published.map((f) => f.seq),
    Array.from({ length: 300 }, (_, k) => k + 1),
    'in order',
  );
  t.ok(
    published.every((f) => f.packed !== undefined),
    'each read in place, its data bytes kept for MessagePack clients',
  );
});

t.test('a short batch: its frames go out before batch() returns', async (t) => {
  const published: Frame[] = [];
  const { ingest } = ingestWith(published);
  t.teardown(() => ingest.close());
  ingest.batch(batch(frames(2, 1)));
  t.same(
    published.map((f) => f.seq),
    [1, 2],
  );
});

t.test(`frames spanning more than ${COALESCE_SPAN_MS} ms in one batch go out as one snapshot`, async (t) => {
  const published: Frame[] = [];
  const { ingest, store } = ingestWith(published);
  t.teardown(() => ingest.close());
  ingest.batch(batch(frames(10, COALESCE_SPAN_MS / 5)));
  t.equal(published.length, 1);
  t.equal(published[0].type, 'snapshot');
  t.equal(published[0].seq, 10, 'at the newest seq');
  t.same(published[0].data, store.get('positions:P1')!.state, 'the state the store holds');
});

t.test('records read in place leave the store as the generic path does', async (t) => {
  const list = frames(120, 0.1);
  const inPlace = ingestWith([]);
  const generic = ingestWith([]);
  t.teardown(() => (inPlace.ingest.close(), generic.ingest.close()));
  // Batches of a few records, as a bus hands them over.
  for (let k = 0; k < list.length; k += 7) {
    inPlace.ingest.batch(batch(list.slice(k, k + 7)));
    generic.ingest.batch(batch(list.slice(k, k + 7), 'json'));
  }
  const a = inPlace.store.get('positions:P1')!;
  const b = generic.store.get('positions:P1')!;
  t.equal(a.seq, 120);
  t.strictSame([a.seq, a.asOf, a.inputSeq], [b.seq, b.asOf, b.inputSeq]);
  t.strictSame(structuredClone(a.state), structuredClone(b.state), 'the same state');
});
