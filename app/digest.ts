// Frame digests: what a recording keeps of each published frame, and what --verify compares.
import { createHash } from 'node:crypto';
import type { EncodedFrame } from '../engine/frames.js';

/** First 128 bits of SHA-256 over the frame's bytes, which the engine writes deterministically. */
export function frameDigest(frame: EncodedFrame): string {
  return createHash('sha256').update(frame.bytes).digest('hex').slice(0, 32);
}
