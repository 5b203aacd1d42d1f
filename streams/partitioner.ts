// Kafka's default partitioner (murmur2 over the UTF-8 key, positive-masked), so a key lands in the
// same partition on the in-process bus as on a real cluster and in any Kafka client.

const encoder = new TextEncoder();
const scratch = new Uint8Array(1024);

export function murmur2(data: Uint8Array, length = data.length): number {
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  let h = (seed ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length4 << 2;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Partition for a key, as Kafka's DefaultPartitioner computes it. */
export function partitionFor(key: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let bytes: Uint8Array;
  let length: number;
  if (key.length * 3 <= scratch.length) {
    length = encoder.encodeInto(key, scratch).written;
    bytes = scratch;
  } else {
    bytes = encoder.encode(key);
    length = bytes.length;
  }
  return (murmur2(bytes, length) & 0x7fffffff) % partitions;
}
