// A process with no subscription (a feed alone) is ready only while its sends go through: a
// producer failing longer than a consumer may go without an answer makes the bus not connected.
// This test owns its broker (it stops it).
import { pino } from 'pino';
import t from 'tap';
import { notReadyReason } from '../../../gateways/ops.js';
import { KafkaBus } from '../../../streams/kafka/bus.js';
import { unreachableAfterMs } from '../../../streams/kafka/client.js';
import { startKafkaBroker } from '../../../tools/kafka/broker.js';
import { eventually } from '../../eventually.js';

t.test('producers that cannot send make the bus not connected; once through, it is again', async (t) => {
  const broker = await startKafkaBroker();
  t.teardown(() => broker.stop());
  const settings = {
    brokers: [broker.brokers],
    clientId: 'producer-health',
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 5000,
    retry: { initialMs: 100, maxMs: 500 },
    producer: { lingerMs: 1, batchBytes: 1 << 20, compression: 'none' as const },
    consumer: { sessionTimeoutMs: 6000, heartbeatMs: 500, maxBytesPerPartition: 1 << 20, maxWaitMs: 100 },
  };
  const bus = new KafkaBus(settings, pino({ level: 'silent' }));
  t.teardown(() => bus.close());
  await bus.ensureTopics([{ name: 'ph', partitions: 1, cleanup: 'delete', codec: 'msgpack' }]);
  const producer = bus.producer();
  await producer.send('ph', [{ key: 'a', value: new Uint8Array([1]) }]);
  t.match(bus.health(), { connected: true, ready: true, producersFailing: 0 });

  await broker.stop();
  const held = producer.send('ph', [{ key: 'a', value: new Uint8Array([2]) }]);
  const h = await eventually(
    () => (bus.health().connected ? undefined : bus.health()),
    unreachableAfterMs(settings) + 20_000,
    'the bus to count as not connected',
  );
  t.match(h, { connected: false, ready: false, producersFailing: 1 });
  t.match(notReadyReason(h), /1 producer\(s\) failing to send/);

  await broker.restart();
  await held;
  t.match(bus.health(), { connected: true, ready: true, producersFailing: 0 }, 'the held send went through');
});
