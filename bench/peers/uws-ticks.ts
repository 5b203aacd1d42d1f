// The fan-out's machine limit: bare uWebSockets.js serving the same tick frames to the same load
// generator, with nothing of Riskline between the ticks and the sockets (no simulator model, no
// bus, no thread hop, no engine, no entitlements). Ticks are made on the server's own thread on the
// schedule Riskline's simulated feed keeps (tick k due at k intervals of the rate, stamped with that
// time, sent each batch interval), kept newest-per-instrument and published per `ticks:<instrument>`
// topic every conflation interval, in the gateway's JSON frame shape. What the load generator measures against it is the
// floor the two shared cores, the loopback and uWS set for that workload.
//
// Run as a child process: node uws-ticks.js <port> <instruments,...> <ticksPerSecond> <everyMs> <conflationMs>;
// it sends 'ready' over IPC once listening and exits on 'stop'.
import { createRequire } from 'node:module';

type Uws = typeof import('@trufflesuite/uws-js-unofficial');
const uws = createRequire(import.meta.url)('@trufflesuite/uws-js-unofficial') as Uws;

const [port, list, tps, everyMs, conflationMs] = process.argv.slice(2);
const ids = list.split(',');
const rate = Number(tps);

interface Slot {
  channel: string;
  instrument: string;
  seq: number;
  ticks: number;
  ts: number;
  last: number;
  dirty: boolean;
}
const slots: Slot[] = ids.map((id) => ({
  channel: `ticks:${id}`,
  instrument: id,
  seq: 0,
  ticks: 0,
  ts: 0,
  last: 100,
  dirty: false,
}));
let dirty: Slot[] = [];
let rng = 42;
const next = () => (rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0) / 2 ** 32;

const app = uws.App();
app.ws('/v1/stream', {
  idleTimeout: 0,
  maxPayloadLength: 64 * 1024,
  message(ws, data) {
    const msg = JSON.parse(Buffer.from(data).toString()) as { op: string; id: unknown; channels?: string[] };
    if (msg.op !== 'subscribe') return;
    for (const c of msg.channels ?? []) ws.subscribe(c);
    ws.send(JSON.stringify({ type: 'subscribed', id: msg.id, channels: msg.channels }), false);
  },
});

/** The ticks due by now on the feed's schedule (tick k at base + k intervals), stamped with that time as Riskline's feed does. */
const base = Date.now();
let made = 0;
function makeTicks(): void {
  const due = Math.min(made + 16384, Math.floor(((Date.now() - base) * rate) / 1000));
  for (; made < due; made++) {
    const s = slots[Math.floor(next() * slots.length)];
    s.last *= 1 + (next() - 0.5) * 1e-4;
    s.ts = base + (made * 1000) / rate;
    s.ticks++;
    if (!s.dirty) {
      s.dirty = true;
      dirty.push(s);
    }
  }
}

function flush(): void {
  const out = dirty;
  dirty = [];
  for (const s of out) {
    s.dirty = false;
    if (app.numSubscribers(s.channel) === 0) continue;
    s.seq++;
    const half = s.last * 1e-4;
    app.publish(
      s.channel,
      `{"type":"${s.seq === 1 ? 'snapshot' : 'update'}","channel":"${s.channel}","seq":${s.seq},"ts":${s.ts},"asOf":${s.ts},` +
        `"inputSeq":${s.ticks},"data":{"instrument":"${s.instrument}","bid":${s.last - half},"ask":${s.last + half},"last":${s.last}}}`,
      false,
      false,
    );
  }
}

let flushedAt = 0;
setInterval(() => {
  makeTicks();
  const now = performance.now();
  if (now - flushedAt >= Number(conflationMs)) {
    flushedAt = now;
    flush();
  }
}, Number(everyMs));

app.listen('127.0.0.1', Number(port), (token) => {
  if (!token) {
    process.stderr.write(`uws-ticks: cannot listen on ${port}\n`);
    process.exit(1);
  }
  process.send?.('ready');
});
process.on('message', (m) => {
  if (m === 'stop') process.exit(0);
});
