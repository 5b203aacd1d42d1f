// Bars of a batch's new ticks, by instrument and bucket (1 s and 1 min): open and close from the
// earliest and latest tick by event time, high, low, count. Pure; the sink merges them into
// bars_1s and bars_1m in the ticks' transaction (a later batch's bar merges by time, not by arrival).

import type { StoreRows } from './rows.js';

export interface Bar {
  instrument: number;
  bucket: number;
  open: number;
  high: number;
  low: number;
  close: number;
  ticks: number;
  firstTs: number;
  lastTs: number;
}

/** The bars of the ticks of envelopes `fresh`, `bucketMs` wide, on each tick's `last`. */
export function barsOf(rows: StoreRows, fresh: readonly number[], bucketMs: number): Bar[] {
  const bars = new Map<number, Bar>();
  for (const k of fresh) {
    const first = rows.batches.first[k];
    for (let i = first, end = first + rows.count(k); i < end; i++) {
      const ts = rows.ts[i];
      const px = rows.last[i];
      const bucket = Math.floor(ts / bucketMs) * bucketMs;
      // Instruments are dense indexes below 2^21 and buckets whole multiples: one number keys both.
      const key = (bucket / bucketMs) * 2_097_152 + rows.instrument[i];
      const b = bars.get(key);
      if (b === undefined) {
        bars.set(key, {
          instrument: rows.instrument[i],
          bucket,
          open: px,
          high: px,
          low: px,
          close: px,
          ticks: 1,
          firstTs: ts,
          lastTs: ts,
        });
        continue;
      }
      if (px > b.high) b.high = px;
      if (px < b.low) b.low = px;
      if (ts < b.firstTs) {
        b.firstTs = ts;
        b.open = px;
      }
      if (ts >= b.lastTs) {
        b.lastTs = ts;
        b.close = px;
      }
      b.ticks++;
    }
  }
  return [...bars.values()];
}
