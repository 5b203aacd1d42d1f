// The distributed mode as a client sees it (see ./client-view.ts) when an engine is SIGKILLed and
// restarted. The pauses the client saw are reported, not asserted: at the kill (the group notices
// after the consumer session timeout, then the survivor takes over) and at the restart (a
// rebalance hands partitions back).
import t from 'tap';
import { checkedRun, pauseAround, ready } from './client-view.js';

const SESSION_TIMEOUT_MS = 6000; // bench/deployment.ts deploymentConfig

t.test('an engine SIGKILLed, then restarted: one publisher, seq and asOf forward, the final view right', async (t) => {
  const r = await checkedRun(t, {
    at: 30,
    async strike(d) {
      const killAt = Date.now();
      await d.engines[0].kill('SIGKILL');
      await new Promise((res) => setTimeout(res, 9000));
      const restartAt = Date.now();
      d.engines[0].start();
      await ready(d.enginePorts[0], 'the restarted engine');
      return { killAt, restartAt, restartReadyAt: Date.now() };
    },
  });
  const { killAt, restartAt } = r.moments;
  const atKill = pauseAround(r, killAt, restartAt - killAt - 1000);
  const atRestart = pauseAround(r, restartAt, 6000);
  t.comment(
    `client-visible pause at the SIGKILL: ${atKill} ms (target: session timeout ${SESSION_TIMEOUT_MS} ms + 2 s = ${SESSION_TIMEOUT_MS + 2000} ms)`,
  );
  t.comment(`client-visible pause at the restart's rebalance (takeover back): ${atRestart} ms`);
});
