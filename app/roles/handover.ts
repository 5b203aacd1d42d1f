// What a new owner reads before it publishes a portfolio: the newest checkpoint of each portfolio
// (its rebuildable state) and the highest seq on each of its channels, with the newest asOf, that a
// frame or a checkpoint names, wherever the previous owners got to. The frame topics are read from
// their oldest retained record: the state and risk topics are compacted by portfolio and alerts are
// few, so a read stays short.

import type { Published } from '../../engine/engine.js';
import type { Bus, ReadRange } from '../../streams/bus.js';
import { decodeEnvelopeAuto } from '../../streams/envelope.js';
import { isCheckpointKey } from '../../streams/topics.js';
import type { CheckpointBody } from './ownership.js';

export interface Handover {
  /** Per portfolio id: the checkpoint with the highest executions offset. */
  checkpoints: Map<string, CheckpointBody>;
  /** Per portfolio id: the highest seq seen on each of its channels and the newest asOf. */
  published: Map<string, { seqs: Map<string, number>; asOf: number }>;
  /** Records that could not be decoded (older checkpoints or frames are used). */
  unreadable: number;
}

/** Reads `ranges` to their end, keeping what concerns `portfolios` (ids). */
export async function readHandover(bus: Bus, ranges: ReadRange[], portfolios: Set<string>): Promise<Handover> {
  const h: Handover = { checkpoints: new Map(), published: new Map(), unreadable: 0 };
  await bus.readRanges(ranges, (m) => {
    const checkpoint = isCheckpointKey(m.key);
    if (!checkpoint && !portfolios.has(m.key)) return;
    try {
      const env = decodeEnvelopeAuto(m.value);
      if (checkpoint && env.type === 'checkpoint') {
        const body = env.body as CheckpointBody;
        keepNewest(h.checkpoints, body);
        // A checkpoint's seqs count as published: a takeover's claim names seqs whose frames may still be in flight.
        for (const [channel, seq] of body.state.seqs)
          note(h.published, body.state.portfolio, { channel, seq, asOf: body.state.asOf });
      } else if (!checkpoint && env.type === 'frame') note(h.published, m.key, env.body as FrameHead);
    } catch {
      h.unreadable++;
    }
  });
  return h;
}

/** What a handover reads of a frame. */
interface FrameHead {
  channel: string;
  seq: number;
  asOf: number;
}

function keepNewest(found: Map<string, CheckpointBody>, body: CheckpointBody): void {
  const prev = found.get(body.state.portfolio);
  if (!prev || body.input.offset >= prev.input.offset) found.set(body.state.portfolio, body);
}

function note(published: Handover['published'], portfolio: string, f: FrameHead): void {
  if (typeof f?.channel !== 'string' || typeof f.seq !== 'number' || typeof f.asOf !== 'number') return;
  let p = published.get(portfolio);
  if (p === undefined) published.set(portfolio, (p = { seqs: new Map(), asOf: 0 }));
  if (f.seq > (p.seqs.get(f.channel) ?? -1)) p.seqs.set(f.channel, f.seq);
  if (f.asOf > p.asOf) p.asOf = f.asOf;
}

/** The engine's view of what a portfolio's channels last carried (null: nothing published yet). */
export function publishedOf(h: Handover, portfolio: string): Published | null {
  const p = h.published.get(portfolio);
  return p === undefined ? null : { seqs: [...p.seqs], asOf: p.asOf };
}
