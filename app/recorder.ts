// Records what the engine consumed and published, as an NDJSON replay file: every input (ticks,
// executions, heartbeats) in the order applied, and the digest of every frame published. Replaying
// the inputs must reproduce the digests exactly (`riskline replay FILE --verify`).

import { createWriteStream, type WriteStream } from 'node:fs';
import { frameDigest } from './digest.js';
import type { EncodedFrame } from '../engine/frames.js';
import type { Execution } from '../engine/model.js';

export class Recorder {
  private readonly out: WriteStream;
  private buffer: string[] = [];

  constructor(
    readonly file: string,
    /** The engine's valuation time before its first input: the recording's first record. */
    valuationTime: number,
  ) {
    this.out = createWriteStream(file, { flags: 'w' });
    this.out.write(`# riskline recording: inputs in applied order and frame digests\n`);
    this.out.write(`${JSON.stringify({ type: 'start', ts: valuationTime })}\n`);
  }

  tick(instrument: string, ts: number, bid: number, ask: number, last: number): void {
    this.push(JSON.stringify({ type: 'tick', instrument, ts, bid, ask, last }));
  }

  execution(e: Execution): void {
    this.push(JSON.stringify({ type: 'execution', ...e }));
  }

  heartbeat(ts: number): void {
    this.push(JSON.stringify({ type: 'heartbeat', ts }));
  }

  frame(f: EncodedFrame): void {
    this.push(JSON.stringify({ type: 'frame', channel: f.channel, seq: f.seq, digest: frameDigest(f) }));
  }

  private push(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length >= 4096) this.drain();
  }

  private drain(): void {
    if (this.buffer.length === 0) return;
    this.out.write(this.buffer.join('\n') + '\n');
    this.buffer = [];
  }

  close(): Promise<void> {
    this.drain();
    return new Promise((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
