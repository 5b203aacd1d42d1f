// The gateway end to end: a real in-process bus, the real gateway on a free port, frames and tick
// batches published to the bus topics as the engine and the feeds would, real ws clients.

import t, { type Test } from 'tap';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import type { Frame } from '../../engine/frames.js';
import type { Bus, Producer } from '../../streams/bus.js';
import { encodeEnvelope, type Envelope, type TickTuple } from '../../streams/envelope.js';
import { createInProcessBus } from '../../streams/inprocess.js';
import { TOPIC } from '../../streams/topics.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../gateways/gateway.js';
import {
  decodeServerMessage,
  encodeClientOp,
  MSGPACK_SUBPROTOCOL,
  type ClientOp,
  type ServerMessage,
} from '../../gateways/protocol.js';
import { watch } from '../../gateways/watch.js';
import { authSchema } from '../../config/schema.js';
import { loadConfig } from '../../config/load.js';
import { signToken } from '../../gateways/identity/index.js';
import type { TransportKind } from '../../gateways/transport/index.js';
import { eventually } from '../eventually.js';

const PREFIX = 'riskline.';
const PORTFOLIOS = [
  { id: 'P1', name: 'Global Macro', baseCurrency: 'USD' },
  { id: 'P2', name: 'Euro Equity', baseCurrency: 'EUR' },
  { id: 'P3', name: 'Japan Rates', baseCurrency: 'JPY' },
];
const SECRET = 'test-secret-0123456789abcdef0123456789';
/** The transport the suite runs on (gateway.test.ts: uws; gateway-ws.test.ts: ws). */
let KIND: TransportKind = 'uws';
const INSTRUMENTS = loadConfig().instruments.filter((i) => ['AAPL', 'MSFT', 'EURUSD'].includes(i.id));
const tokenFor = (portfolios: string[] | '*', ttlS = 60, secret = SECRET) =>
  signToken({ secret, subject: 'tester', portfolios, issuer: 'riskline', audience: 'riskline', ttlS });

interface Harness {
  gw: Gateway;
  producer: Producer;
  registry: Registry;
  url: string;
  http: string;
  frame(topic: string, frame: Frame): Promise<void>;
  /** Sends a frame and waits until the gateway applied it (so the next is read in a batch of its own). */
  applied(topic: string, frame: Frame): Promise<void>;
  ticks(ticks: TickTuple[]): Promise<void>;
}

let envSeq = 0;
const env = (type: Envelope['type'], body: unknown): Uint8Array =>
  encodeEnvelope({ v: 1, type, src: 'test', ts: 0, seq: ++envSeq, body });

export async function harness(
  t: { teardown(fn: () => unknown): void },
  over: Partial<GatewayOptions> = {},
): Promise<Harness> {
  const bus = createInProcessBus({ queueCapacity: 100_000, maxBatch: 256 });
  const registry = new Registry();
  const gw = await startGateway({
    bus,
    topicPrefix: PREFIX,
    host: '127.0.0.1',
    port: 0,
    maxPayloadBytes: 65536,
    slowClientBufferBytes: 1 << 20,
    conflationMs: 10,
    transport: KIND,
    auth: authSchema.parse({}),
    metricsGuard: { open: true },
    portfolios: PORTFOLIOS,
    instruments: INSTRUMENTS,
    registry,
    logger: pino({ level: 'silent' }),
    ...over,
  });
  const producer = bus.producer();
  t.teardown(async () => {
    await gw.close();
    await producer.close();
    await bus.close();
  });
  return {
    gw,
    producer,
    registry,
    url: `ws://127.0.0.1:${gw.port}/v1/stream`,
    http: `http://127.0.0.1:${gw.port}`,
    frame: (topic, frame) =>
      producer.send(PREFIX + topic, [{ key: frame.channel.split(':')[1], value: env('frame', frame) }]),
    applied: async (topic, frame) => {
      await producer.send(PREFIX + topic, [{ key: frame.channel.split(':')[1], value: env('frame', frame) }]);
      await eventually(() => gw.store.get(frame.channel)?.seq === frame.seq);
    },
    ticks: (ticks) => producer.send(PREFIX + TOPIC.ticks, [{ key: ticks[0][0], value: env('ticks', ticks) }]),
  };
}

/** A ws client that queues every server message and waits for the ones a test expects. */
export class Client {
  readonly messages: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  closeCode: number | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, binary) => {
      this.messages.push(decodeServerMessage(data as Buffer, binary));
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  static open(
    url: string,
    opts: Omit<WebSocket.ClientOptions, 'protocol'> & { protocol?: string | string[] } = {},
  ): Promise<Client> {
    const { protocol, ...rest } = opts;
    const protocols = protocol === undefined ? [] : Array.isArray(protocol) ? protocol : [protocol];
    const ws = new WebSocket(url, protocols, rest);
    const c = new Client(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }
  send(op: ClientOp | string, encoding: 'json' | 'msgpack' = 'json'): void {
    this.ws.send(typeof op === 'string' ? op : encodeClientOp(op, encoding));
  }
  /** Removes and returns the first queued message matching `pred`, waiting up to `ms`. */
  async next(pred: (m: ServerMessage) => boolean = () => true, ms = 5000): Promise<ServerMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.messages.findIndex(pred);
      if (i >= 0) return this.messages.splice(i, 1)[0];
      if (this.closeCode !== null) throw new Error(`closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; queued: ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }
  frames(channel: string): Promise<ServerMessage> {
    return this.next((m) => (m.type === 'snapshot' || m.type === 'update') && m.channel === channel);
  }
  close(): void {
    this.ws.close();
  }
}

export const positions = (
  seq: number,
  type: Frame['type'],
  rows: Record<string, unknown>,
  nav = 1000 + seq,
): Frame => ({
  channel: 'positions:P1',
  type,
  seq,
  asOf: 1_700_000_000_000 + seq,
  inputSeq: 7,
  data: { portfolio: 'P1', totals: { nav, unrealizedPnl: seq, realizedPnl: 0 }, rows },
});
/** A frame as a client receives it (`ts` repeats `asOf` for older clients). */
const onWire = (f: Frame) => ({ ...f, ts: f.asOf });
export const alertFrame = (seq: number, portfolio = 'P1'): Frame => ({
  channel: `alerts:${portfolio}`,
  type: seq === 1 ? 'snapshot' : 'update',
  seq,
  asOf: 1_700_000_000_000 + seq,
  inputSeq: 7,
  data: {
    id: `a${seq}`,
    portfolio,
    limit: 'gross',
    severity: 'warning',
    message: `gross limit ${seq}`,
    value: seq,
    threshold: 1,
    ts: seq,
  },
});
/**
 * A client on positions:P1 that reads everything but answers no ping (as one whose kernel buffers hold
 * seconds of data looks), once the gateway has counted it as lagging (maxLagMs 100).
 */
async function laggingClient(t: Test) {
  const h = await harness(t, { maxLagMs: 100 });
  await h.applied(TOPIC.positions, positions(1, 'snapshot', { INST1: { qty: 1 } }));
  const c = await Client.open(h.url, { autoPong: false });
  t.teardown(() => c.close());
  const pings: Buffer[] = [];
  c.ws.on('ping', (data) => pings.push(data));
  c.send({ op: 'subscribe', id: 1, channels: ['positions:P1'] });
  t.match(await c.frames('positions:P1'), { type: 'snapshot', seq: 1 });
  const metric = async (name: string): Promise<number> =>
    (await h.registry.getSingleMetric(`riskline_gateway_${name}`)!.get()).values[0]?.value ?? 0;
  await eventually(async () => (await metric('lagged_clients_total')) === 1, 5000);
  /** Answers the probe, and every later one as a reading client does (else the next lags it again, 300 ms on). */
  const answer = () => {
    c.ws.on('ping', (data) => c.ws.pong(data));
    c.ws.pong(pings[0]);
  };
  return { h, c, pings, metric, answer };
}

export function gatewaySuite(kind: TransportKind): void {
  KIND = kind;
  t.test('subscribe: subscribed, snapshot, then updates with consecutive seq', async (t) => {
    const h = await harness(t);
    await h.frame(TOPIC.positions, positions(1, 'snapshot', { AAPL: { qty: 10 }, MSFT: { qty: 5 } }));
    await h.frame(TOPIC.positions, positions(2, 'update', { AAPL: { qty: 11 } }));
    await h.frame(TOPIC.exposures, {
      channel: 'exposures:P1',
      type: 'snapshot',
      seq: 1,
      asOf: 1,
      inputSeq: 7,
      data: { totals: { gross: 10 } },
    });
    await h.frame(TOPIC.risk, {
      channel: 'risk:P1',
      type: 'snapshot',
      seq: 1,
      asOf: 1,
      inputSeq: 7,
      data: { var: { '99': 5 } },
    });
    await eventually(() => h.gw.store.get('risk:P1')?.seq === 1 && h.gw.store.get('positions:P1')?.seq === 2);

    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    c.send({ op: 'subscribe', id: 1, channels: ['positions:P1', 'exposures:P1', 'risk:P1'] });
    t.same(await c.next(), { type: 'subscribed', id: 1, channels: ['positions:P1', 'exposures:P1', 'risk:P1'] });
    const snap = await c.frames('positions:P1');
    t.same(snap, onWire(positions(2, 'snapshot', { AAPL: { qty: 11 }, MSFT: { qty: 5 } })));
    t.match(await c.frames('exposures:P1'), { type: 'snapshot', seq: 1, data: { totals: { gross: 10 } } });
    t.match(await c.frames('risk:P1'), { type: 'snapshot', seq: 1 });

    for (let s = 3; s <= 12; s++) await h.applied(TOPIC.positions, positions(s, 'update', { AAPL: { qty: s } }));
    await h.frame(TOPIC.exposures, {
      channel: 'exposures:P1',
      type: 'update',
      seq: 2,
      asOf: 2,
      inputSeq: 7,
      data: { totals: { gross: 11 } },
    });
    await h.frame(TOPIC.risk, {
      channel: 'risk:P1',
      type: 'update',
      seq: 2,
      asOf: 2,
      inputSeq: 7,
      data: { var: { '99': 6 } },
    });
    for (let s = 3; s <= 12; s++)
      t.match(await c.frames('positions:P1'), { type: 'update', seq: s, data: { rows: { AAPL: { qty: s } } } });
    t.match(await c.frames('exposures:P1'), { type: 'update', seq: 2 });
    t.match(await c.frames('risk:P1'), { type: 'update', seq: 2 });

    // A subscriber that joins before any state gets the engine's first frame as its snapshot.
    c.send({ op: 'subscribe', id: 2, channels: ['positions:P2'] });
    t.match(await c.next(), { type: 'subscribed', id: 2 });
    await h.frame(TOPIC.positions, {
      channel: 'positions:P2',
      type: 'update',
      seq: 4,
      asOf: 1,
      inputSeq: 7,
      data: { rows: {} },
    });
    await h.frame(TOPIC.positions, {
      channel: 'positions:P2',
      type: 'snapshot',
      seq: 5,
      asOf: 1,
      inputSeq: 7,
      data: { rows: { X: { qty: 1 } } },
    });
    t.match(
      await c.frames('positions:P2'),
      { type: 'snapshot', seq: 5 },
      'the update before any snapshot is not forwarded',
    );

    // unsubscribe stops the flow; snapshot on demand; ping.
    c.send({ op: 'unsubscribe', id: 3, channels: ['exposures:P1'] });
    t.same(await c.next(), { type: 'unsubscribed', id: 3, channels: ['exposures:P1'] });
    c.send({ op: 'snapshot', id: 4, channel: 'positions:P1' });
    t.match(await c.next(), { type: 'snapshot', channel: 'positions:P1', seq: 12 });
    c.send({ op: 'ping', id: 5 });
    t.same(await c.next(), { type: 'pong', id: 5 });
    await h.frame(TOPIC.exposures, { channel: 'exposures:P1', type: 'update', seq: 3, asOf: 3, inputSeq: 7, data: {} });
    c.send({ op: 'ping', id: 6 });
    t.same(await c.next(), { type: 'pong', id: 6 });
    t.equal(c.messages.length, 0, 'no exposures frame after unsubscribe');
  });

  t.test('ticks:<instrument> streams conflated ticks with gateway seq', async (t) => {
    const h = await harness(t);
    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    c.send({ op: 'subscribe', id: 1, channels: ['ticks:AAPL', 'ticks:EURUSD'] });
    t.match(await c.next(), { type: 'subscribed' });
    await h.ticks([
      ['AAPL', 1000, 99, 101, 100],
      ['AAPL', 1001, 100, 102, 101],
    ]);
    t.same(await c.frames('ticks:AAPL'), {
      type: 'snapshot',
      channel: 'ticks:AAPL',
      seq: 1,
      ts: 1001,
      asOf: 1001,
      inputSeq: 2, // the gateway has received two AAPL ticks
      data: { instrument: 'AAPL', bid: 100, ask: 102, last: 101 },
    });
    let last = 1001;
    for (let i = 0; i < 5; i++) {
      last += 1;
      await h.ticks([['AAPL', last, 100 + i, 102 + i, 101 + i]]);
      // Each tick in a conflation window of its own: the next goes once this one's frame is out.
      const ts = last;
      await eventually(() => c.messages.some((m) => m.type === 'update' && m.channel === 'ticks:AAPL' && m.ts === ts));
    }
    let seq = 1;
    while (seq < 6) {
      const m = (await c.frames('ticks:AAPL')) as Extract<ServerMessage, { seq: number }>;
      t.equal(m.seq, seq + 1, 'consecutive tick seq');
      seq = m.seq;
      if (m.ts === last) break;
    }
    // A single-tick envelope, as a generic client writes it.
    await h.producer.send(PREFIX + TOPIC.ticks, [
      { key: 'EURUSD', value: env('tick', { instrument: 'EURUSD', ts: 5, bid: 1.1, ask: 1.2, last: 1.15 }) },
    ]);
    t.match(await c.frames('ticks:EURUSD'), { type: 'snapshot', seq: 1, data: { bid: 1.1 } });
    // A late subscriber gets a snapshot at the current seq.
    const late = await Client.open(h.url);
    t.teardown(() => late.close());
    late.send({ op: 'subscribe', id: 1, channels: ['ticks:AAPL'] });
    await late.next();
    t.match(await late.frames('ticks:AAPL'), {
      type: 'snapshot',
      seq: h.gw.store.snapshot('ticks:AAPL')!.seq,
      ts: last,
    });
    // With nobody subscribed the tick state moves on without seq; a new subscriber sees the newest.
    c.send({ op: 'unsubscribe', id: 2, channels: ['ticks:AAPL'] });
    late.send({ op: 'unsubscribe', id: 2, channels: ['ticks:AAPL'] });
    await c.next((m) => m.type === 'unsubscribed');
    await late.next((m) => m.type === 'unsubscribed');
    await h.ticks([['AAPL', last + 1, 500, 501, 500.5]]);
    await eventually(() => h.gw.store.lastTickAsOf === last + 1);
    late.send({ op: 'subscribe', id: 3, channels: ['ticks:AAPL'] });
    t.match(await late.frames('ticks:AAPL'), { type: 'snapshot', ts: last + 1, data: { bid: 500 } });
    // A broken record is counted, never fatal.
    await h.producer.send(PREFIX + TOPIC.ticks, [{ key: 'x', value: new Uint8Array([1, 2, 3]) }]);
    await h.producer.send(PREFIX + TOPIC.ticks, [{ key: 'x', value: env('ticks', [['AAPL', 'bad']]) }]);
    const bad = (): Promise<string> => h.registry.getSingleMetricAsString('riskline_gateway_bad_records_total');
    await eventually(
      async () => /code="DECODE_FAILED"\} 1/.test(await bad()) && /code="INVALID_TICK"\} 1/.test(await bad()),
    );
    c.send({ op: 'ping', id: 9 });
    t.same(await c.next((m) => m.type === 'pong'), { type: 'pong', id: 9 }, 'still serving');
  });

  t.test('bad input gets error frames and the connection stays usable', async (t) => {
    const h = await harness(t);
    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    c.send('{"op":"subscribe",');
    t.match(await c.next(), { type: 'error', id: null, code: 'BAD_FRAME' });
    c.send({ op: 'launch', id: 1 } as unknown as ClientOp);
    t.match(await c.next(), { type: 'error', id: 1, code: 'UNKNOWN_OP' });
    c.send({ op: 'subscribe', id: 2, channels: ['nonsense'] });
    t.match(await c.next(), { type: 'error', id: 2, code: 'BAD_CHANNEL' });
    c.send({ op: 'subscribe', id: 3, channels: ['risk:P1', 'positions:NOPE'] });
    t.match(await c.next(), { type: 'error', id: 3, code: 'UNKNOWN_CHANNEL', message: /positions:NOPE/ });
    c.send({ op: 'subscribe', id: 4, channels: ['ticks:NOPE'] });
    t.match(await c.next(), { type: 'error', id: 4, code: 'UNKNOWN_CHANNEL' });
    c.send({ op: 'subscribe', id: 5 } as unknown as ClientOp);
    t.match(await c.next(), { type: 'error', id: 5, code: 'BAD_REQUEST' });
    c.send({ op: 'unsubscribe', id: 6, channels: ['risk:P1'] });
    t.match(
      await c.next(),
      { type: 'error', id: 6, code: 'NOT_SUBSCRIBED' },
      'the refused subscribe subscribed nothing',
    );
    c.send({ op: 'snapshot', id: 7, channel: 'risk:P2' });
    t.match(await c.next(), { type: 'error', id: 7, code: 'NOT_SUBSCRIBED' });
    c.send({ op: 'ping', id: 8 });
    t.same(await c.next(), { type: 'pong', id: 8 });
    // A frame above maxPayload closes that connection (1009); the server stays up.
    c.send(JSON.stringify({ op: 'ping', id: 'x'.repeat(70_000) }));
    await eventually(() => c.closeCode !== null);
    t.equal(c.closeCode, 1009);
    const d = await Client.open(h.url);
    t.teardown(() => d.close());
    d.send({ op: 'ping', id: 1 });
    t.same(await d.next(), { type: 'pong', id: 1 });
    const metrics = await (await fetch(`${h.http}/metrics`)).text();
    t.match(metrics, /riskline_gateway_errors_total\{code="UNKNOWN_CHANNEL"\} 2/);
    t.match(metrics, /riskline_gateway_client_messages_total\{op="invalid"\} [1-9]/);
  });

  t.test('msgpack subprotocol', async (t) => {
    const h = await harness(t);
    await h.frame(TOPIC.risk, {
      channel: 'risk:P2',
      type: 'snapshot',
      seq: 1,
      asOf: 7,
      inputSeq: 7,
      data: { var: { '95': 1.5 } },
    });
    await eventually(() => h.gw.store.get('risk:P2') !== undefined);
    const c = await Client.open(h.url, { protocol: MSGPACK_SUBPROTOCOL });
    t.teardown(() => c.close());
    t.equal(c.ws.protocol, MSGPACK_SUBPROTOCOL);
    const binary: boolean[] = [];
    c.ws.on('message', (_d, isBinary) => binary.push(isBinary));
    c.send({ op: 'subscribe', id: 1, channels: ['risk:P2'] }, 'msgpack');
    t.same(await c.next(), { type: 'subscribed', id: 1, channels: ['risk:P2'] });
    t.same(await c.frames('risk:P2'), {
      type: 'snapshot',
      channel: 'risk:P2',
      seq: 1,
      ts: 7,
      asOf: 7,
      inputSeq: 7,
      data: { var: { '95': 1.5 } },
    });
    await h.frame(TOPIC.risk, {
      channel: 'risk:P2',
      type: 'update',
      seq: 2,
      asOf: 8,
      inputSeq: 7,
      data: { var: { '95': 1.6 } },
    });
    t.match(await c.frames('risk:P2'), { type: 'update', seq: 2 });
    c.ws.send(Buffer.from([0x81]));
    t.match(await c.next(), { type: 'error', code: 'BAD_FRAME' });
    t.ok(binary.length >= 4 && binary.every(Boolean), 'every server message is a binary frame');
  });

  t.test('slow client: state conflated to a fresh snapshot, alerts all delivered', async (t) => {
    const h = await harness(t, { slowClientBufferBytes: 64 * 1024 });
    const big: Record<string, unknown> = {};
    for (let i = 0; i < 400; i++)
      big[`INST${i}`] = { qty: i, mark: 100 + i, marketValue: i * 1000.5, pad: 'x'.repeat(150) };
    await h.frame(TOPIC.positions, positions(1, 'snapshot', big));
    await h.frame(TOPIC.alerts, alertFrame(1));
    await eventually(() => h.gw.store.get('alerts:P1') !== undefined);

    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    c.send({ op: 'subscribe', id: 1, channels: ['positions:P1', 'alerts:*'] });
    await c.next((m) => m.type === 'subscribed');
    await c.frames('positions:P1');
    t.match(await c.frames('alerts:P1'), { type: 'snapshot', seq: 1 });
    c.ws.pause(); // stop reading: the server's buffer for this client grows

    const conflations = async (): Promise<number> =>
      (await h.registry.getSingleMetric('riskline_gateway_slow_client_conflations_total')!.get()).values[0]?.value ?? 0;
    // Publish until the client is well behind and the newest frame itself was conflated (kernel
    // socket buffers grow while the client is paused, so the gateway may resume it in between).
    let seq = 1;
    let alertSeq = 1;
    let before = 0;
    for (;;) {
      if (seq > 3000) throw new Error('client never became slow');
      seq++;
      await h.frame(TOPIC.positions, positions(seq, 'update', big));
      if (seq % 25 === 0) await h.frame(TOPIC.alerts, alertFrame(++alertSeq));
      await eventually(() => h.gw.store.get('positions:P1')!.seq === seq);
      const now = await conflations();
      if (seq >= 100 && now > before) break;
      before = now;
    }
    for (let i = 0; i < 5; i++) await h.frame(TOPIC.alerts, alertFrame(++alertSeq));
    await eventually(() => h.gw.store.get('alerts:P1')!.seq === alertSeq);

    c.ws.resume();
    const got: Extract<ServerMessage, { seq: number }>[] = [];
    const alerts: number[] = [];
    await eventually(() => {
      for (const m of c.messages.splice(0)) {
        if (m.type !== 'snapshot' && m.type !== 'update') continue;
        if (m.channel === 'alerts:P1') alerts.push(m.seq);
        else got.push(m);
      }
      return got.length > 0 && got[got.length - 1].seq === seq && alerts.length === alertSeq - 1;
    }, 20_000);
    // Positions: consecutive updates, then (after the gap the client never saw) a fresh snapshot.
    let prev = 1;
    for (const m of got) {
      if (m.type === 'update') t.equal(m.seq, prev + 1, `update ${m.seq} follows ${prev}`);
      prev = m.seq;
    }
    const lastFrame = got[got.length - 1];
    t.equal(lastFrame.type, 'snapshot', 'the client catches up with a snapshot');
    t.ok(
      got.slice(1).some((m) => m.type === 'snapshot'),
      'conflated state came back as a snapshot',
    );
    t.equal(lastFrame.seq, seq, 'at the current seq');
    t.ok(got.length < seq - 1, `conflated: ${got.length} frames for ${seq - 1} updates`);
    t.same(
      alerts,
      Array.from({ length: alertSeq - 1 }, (_, i) => i + 2),
      'every alert arrives, in order',
    );
    // Back to live updates.
    await h.frame(TOPIC.positions, positions(seq + 1, 'update', { INST1: { qty: -1 } }));
    t.match(await c.frames('positions:P1'), { type: 'update', seq: seq + 1 });
  });

  t.test('a channel with several frames in one bus batch goes out as one snapshot at the newest seq', async (t) => {
    const h = await harness(t);
    await h.applied(TOPIC.positions, positions(1, 'snapshot', { AAPL: { qty: 1 }, MSFT: { qty: 5 } }));
    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    c.send({ op: 'subscribe', id: 1, channels: ['positions:P1', 'alerts:P1'] });
    t.match(await c.frames('positions:P1'), { type: 'snapshot', seq: 1 });
    // Four updates and two alerts in one send each: one batch each, as a gateway behind the bus reads them.
    const value = (f: Frame) => ({ key: 'P1', value: env('frame', f) });
    // A second of event time apart: the gateway is intervals behind, not reading one publication's units.
    const later = (f: Frame) => ({ ...f, asOf: f.asOf + f.seq * 1000 });
    await h.producer.send(
      PREFIX + TOPIC.positions,
      [2, 3, 4, 5].map((s) => value(later(positions(s, 'update', { AAPL: { qty: s } })))),
    );
    await h.producer.send(PREFIX + TOPIC.alerts, [value(alertFrame(1)), value(alertFrame(2))]);
    t.same(
      await c.frames('positions:P1'),
      onWire(later(positions(5, 'snapshot', { AAPL: { qty: 5 }, MSFT: { qty: 5 } }))),
      'one snapshot with every change applied',
    );
    t.match(await c.frames('alerts:P1'), { seq: 1 }, 'alerts are never coalesced');
    t.match(await c.frames('alerts:P1'), { seq: 2 });
    const coalesced = (await h.registry.getSingleMetric('riskline_gateway_coalesced_frames_total')!.get()).values[0];
    t.equal(coalesced?.value, 3, 'three frames counted as coalesced');
    await h.applied(TOPIC.positions, later(positions(6, 'update', { AAPL: { qty: 6 } })));
    t.match(await c.frames('positions:P1'), { type: 'update', seq: 6 }, 'then updates again');
    // Three frames a millisecond apart in one batch: a large portfolio's units of one interval, sent as they are.
    const units = [7, 8, 9].map((s) => ({
      ...positions(s, 'update', { [`U${s}`]: { qty: s } }),
      asOf: 1_700_000_006_000 + s,
    }));
    await h.producer.send(PREFIX + TOPIC.positions, units.map(value));
    for (const u of units) t.same(await c.frames('positions:P1'), onWire(u), `unit frame ${u.seq} as it was published`);
    t.same(
      c.messages.filter((m) => m.type === 'snapshot' || m.type === 'update'),
      [],
      'nothing else',
    );
  });

  t.test('a client behind by more than maxLagMs (its ping unanswered) is conflated until it answers', async (t) => {
    const { h, c, pings, metric, answer } = await laggingClient(t);
    t.equal(pings.length, 1, 'one probe out at a time');
    for (let seq = 2; seq <= 5; seq++)
      await h.applied(TOPIC.positions, positions(seq, 'update', { INST1: { qty: seq } }));
    await eventually(async () => (await metric('slow_client_conflations_total')) === 4);
    t.same(
      c.messages.filter((m) => m.type === 'update'),
      [],
      'no updates while lagging',
    );
    c.ws.pong(Buffer.from('not the probe'));
    await new Promise((r) => setTimeout(r, 100));
    t.same(
      c.messages.filter((m) => m.type === 'snapshot' || m.type === 'update'),
      [],
      'a pong that is not the probe changes nothing',
    );
    answer();
    t.match(await c.frames('positions:P1'), { type: 'snapshot', seq: 5 }, 'answered: a snapshot at the current seq');
    await h.frame(TOPIC.positions, positions(6, 'update', { INST1: { qty: 6 } }));
    t.match(await c.frames('positions:P1'), { type: 'update', seq: 6 }, 'then live updates');
  });

  t.test('a client that lagged while its channel did not move gets no repeated snapshot', async (t) => {
    const { h, c, answer } = await laggingClient(t);
    answer();
    await new Promise((r) => setTimeout(r, 300));
    t.same(
      c.messages.filter((m) => m.type === 'snapshot' || m.type === 'update'),
      [],
      'nothing moved: nothing sent again',
    );
    await h.applied(TOPIC.positions, positions(2, 'update', { INST1: { qty: 2 } }));
    t.match(await c.frames('positions:P1'), { type: 'update', seq: 2 }, 'back in the topic: the next update');
  });

  t.test('a slow client that overflows its alert queue is closed with 1013', async (t) => {
    const h = await harness(t, { slowClientBufferBytes: 16 * 1024, eventQueueLimit: 20 });
    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    c.send({ op: 'subscribe', id: 1, channels: ['alerts:P2'] });
    await c.next();
    c.ws.pause();
    const pad = 'y'.repeat(60_000);
    let s = 0;
    while (c.closeCode === null && s < 2000) {
      s++;
      await h.frame(TOPIC.alerts, { ...alertFrame(s, 'P2'), data: { message: 'big', pad } });
      if (s % 50 === 0) {
        const m = await (await fetch(`${h.http}/metrics`)).text();
        if (/riskline_gateway_event_queue_overflows_total 1/.test(m)) break;
      }
    }
    c.ws.resume();
    await eventually(() => c.closeCode !== null, 20_000);
    t.equal(c.closeCode, 1013);
  });

  t.test('JWT: upgrade needs a token; the portfolios claim limits channels and /v1/portfolios', async (t) => {
    const h = await harness(t, { auth: authSchema.parse({ jwtSecret: SECRET }) });
    const bearer = (tok: string) => ({ headers: { authorization: `Bearer ${tok}` } });
    await t.rejects(Client.open(h.url), /401/);
    await t.rejects(Client.open(h.url, bearer('not-a-jwt')), /401/);
    const foreign = await tokenFor('*', 60, 'another-secret-of-at-least-32-bytes');
    await t.rejects(Client.open(h.url, bearer(foreign)), /401/);
    await t.rejects(Client.open(`${h.url}?token=${await tokenFor('*')}`), /401/, 'no tokens in the query string');

    const p1 = await tokenFor(['P1']);
    const c = await Client.open(h.url, { headers: { authorization: `Bearer ${p1}` } });
    t.teardown(() => c.close());
    c.send({ op: 'subscribe', id: 1, channels: ['positions:P1', 'ticks:AAPL', 'alerts:*'] });
    t.match(await c.next(), { type: 'subscribed', id: 1 });
    c.send({ op: 'subscribe', id: 2, channels: ['positions:P2'] });
    t.match(await c.next(), { type: 'error', id: 2, code: 'FORBIDDEN' });
    c.send({ op: 'subscribe', id: 3, channels: ['risk:NOPE'] });
    t.match(
      await c.next(),
      { type: 'error', id: 3, code: 'FORBIDDEN' },
      'no hint whether an unentitled portfolio exists',
    );
    // alerts:* only carries the entitled portfolios' alerts.
    await h.frame(TOPIC.alerts, alertFrame(1, 'P2'));
    await h.frame(TOPIC.alerts, alertFrame(1, 'P1'));
    t.match(await c.frames('alerts:P1'), { seq: 1 });
    t.equal(c.messages.filter((m) => m.type !== 'pong').length, 0, 'no P2 alert');

    // Browsers cannot set headers on a WebSocket: the token rides in Sec-WebSocket-Protocol.
    const all = await Client.open(h.url, {
      protocol: ['riskline.json', `riskline.bearer.${await tokenFor('*', 3600)}`],
    });
    t.equal(all.ws.protocol, 'riskline.json', 'the token entry is never echoed');
    t.teardown(() => all.close());
    all.send({ op: 'subscribe', id: 1, channels: ['positions:P2'] });
    t.match(await all.next(), { type: 'subscribed' });

    const noAuth = await fetch(`${h.http}/v1/portfolios`);
    t.equal(noAuth.status, 401);
    t.match(await noAuth.json(), { code: 'UNAUTHORIZED', message: /token/ });
    const mine = await fetch(`${h.http}/v1/portfolios`, { headers: { authorization: `Bearer ${p1}` } });
    t.equal(mine.status, 200);
    t.same(await mine.json(), [{ id: 'P1', name: 'Global Macro', baseCurrency: 'USD' }]);
    const every = await fetch(`${h.http}/v1/portfolios`, bearer(await tokenFor(['P2', 'P3'])));
    t.same(
      ((await every.json()) as { id: string }[]).map((p) => p.id),
      ['P2', 'P3'],
    );
    t.equal((await fetch(`${h.http}/health`)).status, 200, '/health needs no token');
  });

  t.test('alert records from the bus: only the documented shape of a known portfolio reaches clients', async (t) => {
    const h = await harness(t);
    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    c.send({ op: 'subscribe', id: 1, channels: ['alerts:P1'] });
    await c.next((m) => m.type === 'subscribed');
    const alert = {
      id: 'gross-max:P1:1:raise',
      portfolio: 'P1',
      limit: 'gross-max',
      state: 'breached',
      severity: 'warning',
      message: 'gross above max',
      value: 2,
      threshold: 1,
      ts: 1_700_000_000_001,
    };
    const send = (body: unknown) => h.producer.send(PREFIX + TOPIC.alerts, [{ key: 'P1', value: env('alert', body) }]);
    await send({ ...alert, id: 'x', secret: 'not for clients' });
    await send({ ...alert, id: 'y', portfolio: 'NOPE' });
    await send({ ...alert, id: 'z', severity: 'panic' });
    await send(alert);
    t.match(await c.frames('alerts:P1'), { data: alert }, 'the good alert arrives');
    t.same(
      c.messages.filter((m) => m.type === 'snapshot' || m.type === 'update'),
      [],
      'and nothing of the three bad ones',
    );
    const metrics = await (await fetch(`${h.http}/metrics`)).text();
    t.match(metrics, /^riskline_gateway_bad_records_total\{code="DECODE_FAILED"\} 3$/m, 'they are counted');
  });

  t.test('an expired token ends its connection with 1008; a foreign Origin is refused at upgrade', async (t) => {
    const h = await harness(t, { auth: authSchema.parse({ jwtSecret: SECRET }) });
    const c = await Client.open(h.url, { headers: { authorization: `Bearer ${await tokenFor(['P1'], 1)}` } });
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      c.ws.once('close', (code, reason) => r({ code, reason: reason.toString() })),
    );
    c.send({ op: 'subscribe', id: 1, channels: ['positions:P1'] });
    t.match(await c.next(), { type: 'subscribed' }, 'served while the token is valid');
    const why = await closed;
    t.same(why, { code: 1008, reason: 'UNAUTHORIZED: token expired; reconnect with a fresh token' });

    const valid = { authorization: `Bearer ${await tokenFor(['P1'])}` };
    await t.rejects(
      Client.open(h.url, { headers: { ...valid, origin: 'https://evil.example' } }),
      /403/,
      'a browser page from another origin',
    );
    const same = await Client.open(h.url, { headers: { ...valid, origin: `http://127.0.0.1:${h.gw.port}` } });
    t.teardown(() => same.close());
    t.pass('the gateway’s own origin (the terminal it serves) is let in');
  });

  t.test('HTTP: health, metrics, portfolios, 404, 405', async (t) => {
    const h = await harness(t);
    const c = await Client.open(h.url);
    t.teardown(() => c.close());
    await h.ticks([['MSFT', 1_700_000_000_500, 1, 2, 1.5]]);
    await eventually(() => h.gw.store.lastTickAsOf !== null);
    const health = await fetch(`${h.http}/health`);
    t.equal(health.status, 200);
    t.match(health.headers.get('content-type'), /application\/json/);
    t.match(await health.json(), {
      status: 'ok',
      ready: true,
      uptimeS: Number,
      roles: ['gateway'],
      clients: 1,
      lastTickAsOf: 1_700_000_000_500,
      bus: {
        kind: 'inprocess',
        connected: true,
        ready: true,
        subscriptions: [
          { state: 'consuming', assigned: 5, lag: 0 },
          { state: 'consuming', assigned: 1, lag: 0 },
        ],
      },
    });
    const ready = await fetch(`${h.http}/ready`);
    t.equal(ready.status, 200, '/ready: 200 while every subscription consumes');

    const metrics = await fetch(`${h.http}/metrics`);
    t.equal(metrics.status, 200);
    t.match(metrics.headers.get('content-type'), /text\/plain/);
    const text = await metrics.text();
    for (const name of [
      'riskline_gateway_clients 1',
      'riskline_gateway_frames_sent_total{kind="positions"}',
      'riskline_gateway_client_messages_total{op="subscribe"}',
      'riskline_gateway_errors_total',
      'riskline_gateway_slow_client_conflations_total',
      'riskline_gateway_bus_records_total{type="ticks"} 1',
      'process_cpu_user_seconds_total',
    ]) {
      t.ok(text.includes(name), name);
    }

    const list = await fetch(`${h.http}/v1/portfolios`);
    t.same(await list.json(), PORTFOLIOS);

    const missing = await fetch(`${h.http}/nope`);
    t.equal(missing.status, 404);
    t.same(await missing.json(), { code: 'NOT_FOUND', message: 'no route for /nope' });
    const wrong = await fetch(`${h.http}/health`, { method: 'POST' });
    t.equal(wrong.status, 405);
    t.equal(wrong.headers.get('allow'), 'GET');
    t.match(await wrong.json(), { code: 'METHOD_NOT_ALLOWED', message: /POST/ });
    await t.rejects(Client.open(`ws://127.0.0.1:${h.gw.port}/elsewhere`), /404/);
  });

  t.test('watch prints one line per frame; close sends 1001 to clients', async (t) => {
    const h = await harness(t);
    await h.frame(TOPIC.positions, positions(1, 'snapshot', { AAPL: { qty: 1 }, MSFT: { qty: 2 } }, 1234567.891));
    await eventually(() => h.gw.store.get('positions:P1') !== undefined);
    const lines: string[] = [];
    const w = await watch({ channel: 'positions:P1', url: h.url }, (l) => lines.push(l));
    await h.frame(TOPIC.positions, positions(2, 'update', { AAPL: { qty: 3 } }, 1234600));
    await eventually(() => lines.length >= 3);
    t.equal(lines[0], 'subscribed positions:P1');
    t.equal(lines[1], 'positions:P1 #1 S 2023-11-14T22:13:20.001Z NAV 1,234,567.89 uPnL 1.00 rPnL 0.00 rows 2/2');
    t.equal(lines[2], 'positions:P1 #2 U 2023-11-14T22:13:20.002Z NAV 1,234,600.00 uPnL 2.00 rPnL 0.00 rows 1/2');
    await t.rejects(
      watch({ channel: 'positions:NOPE', url: h.url }, () => undefined),
      { code: 'UNKNOWN_CHANNEL' },
    );
    await t.rejects(
      watch({ channel: 'bogus', url: h.url }, () => undefined),
      { code: 'BAD_CHANNEL' },
    );

    const c = await Client.open(h.url);
    await h.gw.close();
    await eventually(() => c.closeCode !== null);
    t.equal(c.closeCode, 1001);
    t.equal((await w.closed).code, 1001);
  });

  t.test('a frame over maxPayloadBytes closes with 1009 and a reason, is logged and counted', async (t) => {
    const logged: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void logged.push(JSON.parse(l)) });
    const limit = 1024;
    const h = await harness(t, { maxPayloadBytes: limit, logger });
    const ws = new WebSocket(h.url);
    t.teardown(() => ws.terminate());
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(d.toString()));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    // A frame of exactly the limit is served; one byte more is not.
    const ping = (bytes: number) => {
      const bare = JSON.stringify({ op: 'ping', id: '' });
      return JSON.stringify({ op: 'ping', id: 'x'.repeat(bytes - bare.length) });
    };
    ws.send(ping(limit));
    await eventually(() => replies.length === 1, 10_000, 'the pong');
    t.match(JSON.parse(replies[0]), { type: 'pong' }, `a ${limit}-byte frame is served`);
    ws.send(ping(limit + 1));
    t.same(await closed, { code: 1009, reason: `PAYLOAD_TOO_LARGE: frames are limited to ${limit} bytes` });
    t.match(
      logged.filter((l) => l.code === 'PAYLOAD_TOO_LARGE'),
      [{ level: 40, code: 'PAYLOAD_TOO_LARGE', limit, msg: `client frame over ${limit} bytes; closed with 1009` }],
    );
    const metrics = await (await fetch(`${h.http}/metrics`)).text();
    t.match(metrics, /^riskline_gateway_oversized_frames_total 1$/m);
  });

  t.test(
    'status: clients are told when the bus goes away and when it is back; one joining meanwhile is told too',
    async (t) => {
      const inner = createInProcessBus();
      let away = false;
      const bus = Object.assign(Object.create(inner) as Bus, {
        health: () => {
          const h = inner.health();
          if (!away) return h;
          const subscriptions = h.subscriptions.map((s) => ({ ...s, state: 'unreachable' as const }));
          return { ...h, connected: false, ready: false, subscriptions };
        },
      });
      const h = await harness(t, { bus, statusEveryMs: 20 });
      const c = await Client.open(h.url);
      t.teardown(() => c.close());
      away = true;
      const stale = await c.next((m) => m.type === 'status');
      t.match(stale, { type: 'status', stale: true, since: Number, reason: /unreachable/ });
      const late = await Client.open(h.url);
      t.teardown(() => late.close());
      t.match(
        await late.next((m) => m.type === 'status'),
        { stale: true },
        'a client connecting while stale is told at once',
      );
      away = false;
      t.match(await c.next((m) => m.type === 'status'), { type: 'status', stale: false, reason: null });
      t.equal((await fetch(`${h.http}/ready`)).status, 200);
    },
  );
}
