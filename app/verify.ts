// Replays a recording through a fresh engine, with no bus and no clock, and compares the digest of
// every frame with the one recorded: the proof that the engine is deterministic.

import { frameDigest } from './digest.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import { RisklineError } from '../errors/catalogue.js';
import { readReplay, replayStartTime } from '../feeds/replay.js';

export interface VerifyResult {
  inputs: number;
  frames: number;
  recorded: number;
  /** First difference, or null when every frame matches. */
  mismatch: { index: number; expected: string; actual: string } | null;
}

export async function verifyRecording(
  file: string,
  options: Omit<EngineOptions, 'valuationTime'>,
): Promise<VerifyResult> {
  const produced: { channel: string; seq: number; digest: string }[] = [];
  // A recording starts with the engine's valuation time (its `start` record).
  const valuationTime = (await replayStartTime(file)) ?? 0;
  const engine = new Engine({ ...options, valuationTime }, (frames) => {
    for (const f of frames) produced.push({ channel: f.channel, seq: f.seq, digest: frameDigest(f) });
  });
  const recorded: { channel: string; seq: number; digest: string }[] = [];
  let inputs = 0;
  for await (const ev of readReplay(file)) {
    switch (ev.kind) {
      case 'start':
        continue;
      case 'tick': {
        const i = engine.instrumentIndex(ev.tick.instrument);
        if (i < 0)
          throw new RisklineError(
            'REPLAY_FILE',
            `${file}: unknown instrument ${ev.tick.instrument} (was the recording made with another config?)`,
          );
        engine.tick(i, ev.tick.ts, ev.tick.bid, ev.tick.ask, ev.tick.last);
        break;
      }
      case 'execution':
        engine.execute(ev.execution);
        break;
      case 'heartbeat':
        engine.advanceTo(ev.ts);
        break;
      case 'frame':
        recorded.push(ev);
        continue;
    }
    inputs++;
    // A day's scenario sets are being built: wait rather than hold the rest of the file in memory.
    if (engine.holding) await engine.settled();
  }
  await engine.settled();
  engine.flush();
  const n = Math.max(produced.length, recorded.length);
  for (let k = 0; k < n; k++) {
    const want = recorded[k];
    const got = produced[k];
    const actual = got ? `${got.channel}#${got.seq} ${got.digest}` : '(no frame)';
    const expected = want ? `${want.channel}#${want.seq} ${want.digest}` : '(no frame)';
    if (actual !== expected)
      return { inputs, frames: produced.length, recorded: recorded.length, mismatch: { index: k, expected, actual } };
  }
  return { inputs, frames: produced.length, recorded: recorded.length, mismatch: null };
}
