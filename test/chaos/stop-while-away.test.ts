// A clean stop while the broker is away: SIGTERM to a process whose cluster is gone must end it
// within the stated bound (2 × kafka.shutdownTimeoutMs: leaving groups, then flushing), exit 0,
// and say it could not leave cleanly. This test owns its broker (it stops it).
import t from 'tap';
import { deploymentConfig, freePort, Proc, ready } from '../../bench/deployment.js';
import { startKafkaBroker } from '../../tools/kafka/broker.js';

t.test('SIGTERM while the broker is away: the process ends within 2 × shutdownTimeoutMs, exit 0', async (t) => {
  const broker = await startKafkaBroker();
  t.teardown(() => broker.stop());
  const { file, config } = deploymentConfig([broker.brokers]);
  const port = await freePort();
  const proc = new Proc(['--config', file, '--roles', 'engine', '--port', String(port)], 'engine');
  proc.start();
  t.teardown(() => proc.kill());
  await ready(port, 'the process');
  await broker.stop();
  // Let the outage bite: consumers and producers are retrying when the stop comes.
  await new Promise((r) => setTimeout(r, 3000));
  const bound = 2 * config.kafka.shutdownTimeoutMs;
  const asked = Date.now();
  const code = await proc.kill('SIGTERM');
  const took = Date.now() - asked;
  t.equal(code, 0, 'exit 0');
  t.ok(took < bound + 3000, `stopped in ${took} ms (bound ${bound} ms, plus start-up of the exit)`);
  t.match(proc.log, /stopped/, 'says it stopped');
});
