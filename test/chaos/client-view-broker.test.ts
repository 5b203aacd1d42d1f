// The distributed mode as a client sees it (see ./client-view.ts) when the broker stops for 30 s
// and comes back on its data: no re-sent history (seq and asOf only forward at the client), no
// crash loop, /ready 503 on every process while the broker is away, and the final view right.
// Reported, not asserted: how soon fresh frames reach the client once the broker is ready, and
// how soon their event time is back within 1 s of the feed's. This test owns its broker.
import t from 'tap';
import { startKafkaBroker } from '../../tools/kafka/broker.js';
import { caughtUpAfter, checkedRun, freshAfter, ready } from './client-view.js';

const OUTAGE_MS = 30_000;

/** Polls /ready of every port until each has answered 503 once; resolves with the first moment for each. */
async function notReady(ports: number[], deadline: number): Promise<(number | null)[]> {
  const seen: (number | null)[] = ports.map(() => null);
  while (Date.now() < deadline && seen.some((s) => s === null)) {
    await Promise.all(
      ports.map(async (port, k) => {
        if (seen[k] !== null) return;
        const r = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null);
        if (r?.status === 503) seen[k] = Date.now();
      }),
    );
    await new Promise((res) => setTimeout(res, 200));
  }
  return seen;
}

t.test(
  'the broker away for 30 s and back on its data: no history re-sent, no crash loop, /ready false meanwhile',
  async (t) => {
    t.setTimeout(240_000);
    const broker = await startKafkaBroker();
    t.teardown(() => broker.stop());
    const r = await checkedRun(
      t,
      {
        at: 60,
        async strike(d) {
          const stopAt = Date.now();
          await broker.stop();
          const ports = [...d.enginePorts, d.gatewayPort];
          const down = await notReady(ports, stopAt + OUTAGE_MS - 1000);
          await new Promise((res) => setTimeout(res, Math.max(0, stopAt + OUTAGE_MS - Date.now())));
          await broker.restart();
          const brokerReadyAt = Date.now();
          await Promise.all(ports.map((p) => ready(p, `port ${p} after the outage`)));
          return {
            stopAt,
            brokerReadyAt,
            readyAgainAt: Date.now(),
            ...Object.fromEntries(down.map((at, k) => [`notReady${k}`, at ?? -1])),
          };
        },
      },
      [broker.brokers],
    );
    const m = r.moments;
    for (const k of [0, 1, 2])
      t.ok(
        m[`notReady${k}`] > 0,
        `process ${k} answered /ready 503 while the broker was away (after ${m[`notReady${k}`] - m.stopAt} ms)`,
      );
    const restarts = r.logs().map((log) => (log.match(/starting a new member/g) ?? []).length);
    t.ok(
      restarts.every((n) => n <= 30),
      `consumer restarts during the outage, per process: ${restarts.join(', ')} (backoff, not a crash loop)`,
    );
    t.comment(
      `fresh frames on every channel ${freshAfter(r, m.brokerReadyAt)} ms after the broker was ready (target 5000 ms)`,
    );
    t.comment(
      `event time within 1 s of the feed's on every channel ${caughtUpAfter(r, m.brokerReadyAt)} ms after the broker was ready`,
    );
    t.comment(`every process /ready again ${m.readyAgainAt - m.brokerReadyAt} ms after the broker was ready`);
  },
);
