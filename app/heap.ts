// V8 heap sizing for a process that runs the engine, set once at start by the CLI.
//
// Why: each frame and tick batch is an off-heap buffer that lives for milliseconds, and V8 counts
// those bytes when it sizes the old generation; with the default growing factor a small heap is
// kept at its live size plus a little, so at 100k ticks/s on a 10k-position book a full
// Mark-Compact ran every ~0.5 s and set the in-process p99 (bus-pipeline: 17 Mark-Compacts in 9 s;
// with the heap allowed to grow to 5× its live size between full collections, 3–4, and p99 about
// 0.6 → 0.45 ms in the same one-off runs). The heap itself stays near 30 MB either way.

import v8 from 'node:v8';

/** Old generation may grow to (1 + this/100) × its live size before the next full collection. */
export const HEAP_GROWING_PERCENT = 400;

/** Applies the sizing; V8 reads the factor at every full collection, so setting it at start works. */
export function tuneHeap(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
