// Frame digests: what a recording keeps of each published frame, and what --verify compares.
import { createHash } from 'node:crypto';
import type { Frame } from './frames.js';

/** First 128 bits of SHA-256 over the frame's JSON: stable because frames are built in a fixed order. */
export function frameDigest(frame: Frame): string {
  return createHash('sha256').update(JSON.stringify(frame)).digest('hex').slice(0, 32);
}
