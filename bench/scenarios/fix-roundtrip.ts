// FIX order round trip over loopback: Riskline's initiator sends NewOrderSingles at a fixed rate
// and times each until its first ExecutionReport comes back (the venue's New), with every message
// persisted to the session stores on both sides. Through Riskline's venue simulator (acceptor,
// session layer, store and matching on a thread of their own: fix-venue-worker.ts), and, as the
// peer in the same run, through a QuickFIX/J 2.3.1 acceptor (its FileStore, PersistMessages=Y)
// that answers the same way (tools/fix/quickfixj.ts). Latency is measured from when each order was
// due, not when it went out, so a sender that falls behind counts against the figure
// (coordinated omission); the client shares the two cores with the venue in both cases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as hdr from 'hdr-histogram-js';
import type { FixWriter } from '../../gateways/fix/codec/writer.js';
import { sessionConfig, sessionId } from '../../gateways/fix/session/config.js';
import { FixSession } from '../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../gateways/fix/session/store.js';
import { FixInitiator } from '../../gateways/fix/session/transport.js';
import { QuickFixPeer } from '../../tools/fix/quickfixj.js';
import { freePort } from '../../tools/ports.js';
import { eventually } from '../../tools/eventually.js';
import { checkTargets, latencyHistogram, percentiles, type Scenario } from '../harness.js';
import type { VenueWorkerData } from './fix-venue-worker.js';

interface Counterparty {
  port: number;
  stop(): Promise<void>;
}

/** Riskline's venue on a worker thread. */
async function risklineVenue(storeDir: string, fsync = false): Promise<Counterparty> {
  const port = await freePort();
  const data: VenueWorkerData = { port, storeDir, senderCompId: 'SIM', targetCompId: 'BENCH', fsync };
  const worker = new Worker(new URL('./fix-venue-worker.js', import.meta.url), { workerData: data });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    port,
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

async function quickfixjVenue(storeDir: string): Promise<Counterparty> {
  const port = await freePort();
  const peer = await QuickFixPeer.start({
    mode: 'acceptor',
    port,
    senderCompId: 'SIM',
    targetCompId: 'BENCH',
    storeDir,
    heartBtInt: 30,
    fill: 'full',
    bench: true,
  });
  return { port, stop: () => peer.stop() };
}

/**
 * Calls `send(due)` `rate` times a second for `ms`, each as soon as it is due (the loop spins on
 * setImmediate so none goes out late); returns how many it sent.
 */
async function paced(rate: number, ms: number, send: (due: number) => void): Promise<number> {
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < ms) {
    const dueNow = Math.floor(((performance.now() - start) * rate) / 1000);
    for (; sent < dueNow; sent++) send(start + (sent * 1000) / rate);
    await new Promise((r) => setImmediate(r));
  }
  return sent;
}

/** Size of an echoed message: a NewOrderSingle's, about. */
const ECHO_BYTES = 160;

/**
 * The floor: fixed-size messages paced to a TCP echo on a worker thread (echo-worker.ts) at `rate`,
 * each timed from when it was due until its echo is back, in µs.
 */
async function echoFloor(rate: number, seconds: number): Promise<hdr.Histogram> {
  const port = await freePort();
  const worker = new Worker(new URL('./echo-worker.js', import.meta.url), { workerData: { port } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const h = latencyHistogram();
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  // Echoes come back in order: the k-th full message answers the k-th sent.
  const due: number[] = [];
  let head = 0;
  let bytes = 0;
  let recording = false;
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (; bytes >= ECHO_BYTES; bytes -= ECHO_BYTES) {
      const t0 = due[head++];
      if (recording) h.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
    }
  });
  const message = Buffer.alloc(ECHO_BYTES, 0x41);
  const send = (at: number) => {
    due.push(at);
    socket.write(message);
  };
  await paced(rate, Math.min(2000, seconds * 500), send);
  recording = true;
  await paced(rate, seconds * 1000, send);
  await eventually(() => head === due.length, 30_000).catch(() => undefined);
  socket.destroy();
  worker.postMessage('stop');
  await new Promise((r) => worker.once('exit', r));
  return h;
}

/**
 * Sends `rate` orders a second for `seconds` (after a warm-up at the same rate) and returns the
 * histogram of due → first ExecutionReport, in µs.
 */
async function roundTrips(
  port: number,
  storeDir: string,
  rate: number,
  seconds: number,
  fsync: boolean,
): Promise<{ h: hdr.Histogram; sent: number; answered: number }> {
  const h = latencyHistogram();
  /** Orders out and not yet answered, by number mod the ring: when each was due (NaN: answered), timed or not. */
  const RING = 1 << 20;
  const dueAt = new Float64Array(RING).fill(NaN);
  const timed = new Uint8Array(RING);
  let outstanding = 0;
  let recording = false;
  let answered = 0;
  const config = sessionConfig({ role: 'initiator', senderCompId: 'BENCH', targetCompId: 'SIM', heartBtIntS: 30 });
  const session: FixSession = new FixSession(
    config,
    new FileSessionStore({ dir: storeDir, id: sessionId(config), fsync }),
    {
      onMessage: (msgType, f) => {
        if (msgType !== '8') return;
        const k = Number(f.get(11)!.slice(1)) % RING;
        const t0 = dueAt[k];
        if (Number.isNaN(t0)) return; // a later report of an order already timed
        dueAt[k] = NaN;
        outstanding--;
        if (timed[k] === 1) {
          h.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
          answered++;
        }
      },
    },
  );
  const initiator = new FixInitiator(session, { host: '127.0.0.1', port, reconnectMs: { min: 100, max: 1000 } });
  await eventually(() => session.loggedOn, 30_000);
  let n = 0;
  const order = (id: string) => (w: FixWriter) =>
    w.str(11, id).str(55, 'AAPL').str(54, '1').time(60, Date.now()).int(38, 1).str(40, '2').num(44, 190.2);
  const run = (ms: number, record: boolean) => {
    recording = record;
    // Every order due by now goes out, each timed from when it was due.
    return paced(rate, ms, (due) => {
      const k = ++n % RING;
      dueAt[k] = due;
      timed[k] = recording ? 1 : 0;
      outstanding++;
      session.send('D', order(`B${n}`));
    });
  };
  await run(Math.min(2000, seconds * 500), false);
  const sent = await run(seconds * 1000, true);
  await eventually(() => outstanding === 0, 30_000).catch(() => undefined);
  recording = false;
  await initiator.stop();
  session.store.close();
  return { h, sent, answered };
}

export const fixRoundtrip: Scenario = {
  name: 'fix-roundtrip',
  description:
    'FIX NewOrderSingle → ExecutionReport over loopback, every message persisted: Riskline venue vs QuickFIX/J',
  async run({ quick, log }) {
    const seconds = quick ? 3 : 10;
    const rates = [1000, 10_000];
    const metrics: Record<string, number> = {};
    const base: Record<string, number> = {};
    const detail: Record<string, unknown> = {};
    // riskline_fsync: both stores fsync at each flush (a turn's messages; at 1k/s, one message), the
    // mode for a machine crash, measured for its cost.
    for (const [who, start, into, fsync] of [
      ['riskline', (d: string) => risklineVenue(d), metrics, false],
      ['riskline_fsync', (d: string) => risklineVenue(d, true), metrics, true],
      ['quickfixj', quickfixjVenue, base, false],
    ] as const) {
      for (const rate of rates) {
        const dir = mkdtempSync(join(tmpdir(), `riskline-fix-rt-${who}-`));
        try {
          const venue = await start(join(dir, 'venue'));
          try {
            const r = await roundTrips(venue.port, join(dir, 'client'), rate, seconds, fsync);
            const k = `${who}_${rate / 1000}k`;
            Object.assign(into, percentiles(r.h, `${k}_roundtrip`));
            detail[k] = { sent: r.sent, answered: r.answered, sentPerS: Math.round(r.sent / seconds) };
            log(
              `${who} at ${rate}/s: p50 ${r.h.getValueAtPercentile(50)} µs, p99 ${r.h.getValueAtPercentile(99)} µs, p99.9 ${r.h.getValueAtPercentile(99.9)} µs (${r.answered}/${r.sent} answered)`,
            );
          } finally {
            await venue.stop();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    // The machine's own limit in the same run: a bare TCP echo paced the same way.
    for (const rate of rates) {
      const h = await echoFloor(rate, seconds);
      Object.assign(base, percentiles(h, `echo_${rate / 1000}k`));
      log(
        `loopback echo floor at ${rate}/s: p50 ${h.getValueAtPercentile(50)} µs, p99 ${h.getValueAtPercentile(99)} µs`,
      );
    }
    metrics.p99_vs_quickfixj_10k = metrics.riskline_10k_roundtrip_p99_us / base.quickfixj_10k_roundtrip_p99_us;
    metrics.p99_vs_echo_floor_10k = metrics.riskline_10k_roundtrip_p99_us / base.echo_10k_p99_us;
    return {
      params: {
        seconds,
        rates,
        persisted: 'every message, both sides; riskline_fsync: fsync at each store flush, both sides',
        order: 'NewOrderSingle 1 AAPL limit, crossing',
        detail,
      },
      metrics,
      baseline: {
        name: 'QuickFIX/J 2.3.1 acceptor (FileStore), same client, same run; and a bare TCP echo on a worker (the floor)',
        metrics: base,
      },
      ratio: metrics.p99_vs_quickfixj_10k,
      targets: checkTargets(metrics, [
        { metric: 'riskline_10k_roundtrip_p99_us', op: '<=', value: 500 },
        { metric: 'p99_vs_quickfixj_10k', op: '<=', value: 1 },
      ]),
    };
  },
};
