import t from 'tap';
import { murmur2, partitionFor } from '../../../streams/partitioner.js';

// Vectors from Apache Kafka's UtilsTest.testMurmur2.
const vectors: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

t.test('murmur2 matches the Kafka reference vectors', async (t) => {
  for (const [key, want] of vectors) t.equal(murmur2(new TextEncoder().encode(key)), want, key);
});

t.test('partitionFor is stable, in range and spreads keys', async (t) => {
  const counts = new Array(8).fill(0);
  for (let i = 0; i < 8000; i++) {
    const p = partitionFor(`INST${i}`, 8);
    t.ok(p >= 0 && p < 8);
    counts[p]++;
  }
  for (const c of counts) t.ok(c > 700 && c < 1300, `balanced: ${c}`);
  t.equal(partitionFor('AAPL', 8), partitionFor('AAPL', 8));
  t.equal(partitionFor('anything', 1), 0);
  const long = 'x'.repeat(5000);
  t.equal(partitionFor(long, 16), (murmur2(new TextEncoder().encode(long)) & 0x7fffffff) % 16);
});
