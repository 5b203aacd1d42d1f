// Helpers of the bus tests (in process, and across a thread's port): records as text, topic specs,
// and waiting for a condition.
import { eventually } from '../../eventually.js';

export const enc = (s: string) => new TextEncoder().encode(s);
export const dec = (b: Uint8Array) => new TextDecoder().decode(b);
export const spec = (name: string, partitions = 4, cleanup: 'delete' | 'compact' = 'delete') => ({
  name,
  partitions,
  cleanup,
  codec: 'msgpack' as const,
});
export const until = (cond: () => boolean, what = 'condition') => eventually(() => cond() || undefined, 5000, what, 2);
