// What a client sees when the distributed mode fails over (bench/deployment.ts): two engine
// processes, a gateway and a WebSocket client on every portfolio, on a broker of the scenario's
// own. Three faults in turn, each on a fresh deployment: an engine SIGKILLed (the pause until every
// channel moves again, against the floor the group imposes: the consumer session timeout, after
// which the survivor may take over), the killed engine restarted (the pause its rebalance causes),
// and the broker stopped and restarted on its data (how soon fresh frames, and event time within
// 1 s of the feed's, reach the client once the broker is ready).

import { startKafkaBroker } from '../../tools/kafka/broker.js';
import { caughtUpAfter, freshAfter, pauseAround, ready, runDeployment, type Fault, type Run } from '../deployment.js';
import { checkTargets, type Scenario } from '../harness.js';

const SESSION_TIMEOUT_MS = 6000; // bench/deployment.ts deploymentConfig

const killAndRestart: Fault = {
  at: 30,
  async strike(d) {
    const killAt = Date.now();
    await d.engines[0].kill('SIGKILL');
    await new Promise((r) => setTimeout(r, SESSION_TIMEOUT_MS + 3000));
    const restartAt = Date.now();
    d.engines[0].start();
    await ready(d.enginePorts[0], 'the restarted engine');
    return { killAt, restartAt };
  },
};

const brokerOutage = (broker: { stop(): Promise<void>; restart(): Promise<void> }, outageMs: number): Fault => ({
  at: 60,
  async strike() {
    const stopAt = Date.now();
    await broker.stop();
    await new Promise((r) => setTimeout(r, Math.max(0, stopAt + outageMs - Date.now())));
    await broker.restart();
    return { stopAt, brokerReadyAt: Date.now() };
  },
});

async function measured(
  run: Promise<Run>,
  measure: (r: Run) => Record<string, number>,
): Promise<Record<string, number>> {
  const r = await run;
  try {
    // Let the last frames arrive before measuring windows that end at the feed's end.
    await new Promise((res) => setTimeout(res, 2000));
    return measure(r);
  } finally {
    await r.close();
  }
}

export const failover: Scenario = {
  name: 'failover',
  description:
    'client-visible pause at an engine SIGKILL (vs the session timeout), at its restart, and after a broker restart',
  async run(ctx) {
    const outageMs = ctx.quick ? 10_000 : 30_000;
    const broker = await startKafkaBroker();
    try {
      ctx.log(`broker ${broker.brokers}; engine SIGKILL and restart`);
      const kill = await measured(runDeployment(killAndRestart, [broker.brokers]), (r) => ({
        kill_pause_ms: pauseAround(r, r.moments.killAt, r.moments.restartAt - r.moments.killAt - 1000),
        restart_pause_ms: pauseAround(r, r.moments.restartAt, 6000),
      }));
      ctx.log(`kill: ${kill.kill_pause_ms} ms; restart: ${kill.restart_pause_ms} ms; broker outage ${outageMs} ms`);
      const outage = await measured(runDeployment(brokerOutage(broker, outageMs), [broker.brokers]), (r) => ({
        broker_fresh_frames_ms: freshAfter(r, r.moments.brokerReadyAt),
        broker_event_time_within_1s_ms: caughtUpAfter(r, r.moments.brokerReadyAt),
      }));
      const metrics = { ...kill, ...outage, session_timeout_ms: SESSION_TIMEOUT_MS, outage_ms: outageMs };
      return {
        params: { engines: 2, gateways: 1, portfolios: 16, sessionTimeoutMs: SESSION_TIMEOUT_MS, outageMs },
        metrics,
        baseline: {
          name: 'consumer session timeout: the group cannot notice a dead member sooner',
          metrics: { kill_pause_ms: SESSION_TIMEOUT_MS },
        },
        ratio: kill.kill_pause_ms / SESSION_TIMEOUT_MS,
        targets: checkTargets(metrics, [
          { metric: 'kill_pause_ms', op: '<=', value: SESSION_TIMEOUT_MS + 2000 },
          { metric: 'broker_fresh_frames_ms', op: '<=', value: 5000 },
          { metric: 'broker_event_time_within_1s_ms', op: '<=', value: 5000 },
        ]),
      };
    } finally {
      await broker.stop();
    }
  },
};
