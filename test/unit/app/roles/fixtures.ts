// Shared pieces of the engine role's part tests: the default configuration's book on a real
// engine, and bus records as a consumer is handed them.
import { pino } from 'pino';
import { engineOptions } from '../../../../app/compose.js';
import { Engine } from '../../../../engine/engine.js';
import type { EncodedFrame, FramePrefix } from '../../../../engine/frames.js';
import { tsBackend } from '../../../../engine/risk/ts-backend.js';
import type { ConsumedMessage } from '../../../../streams/bus.js';
import { encodeEnvelope, type Codec, type MessageType } from '../../../../streams/envelope.js';
import { TOPIC } from '../../../../streams/topics.js';
import { testConfig } from '../../../e2e/helpers.js';

export const config = testConfig();
export const P = config.topics.prefix;
export const TICKS = P + TOPIC.ticks;
export const EXECUTIONS = P + TOPIC.executions;
/** The engine's valuation time; inputs come after it. */
export const T0 = Date.parse('2026-11-25T14:30:00Z');
export const silent = pino({ level: 'silent' });

export function newEngine(
  sink: (frames: EncodedFrame[]) => void = () => undefined,
  prefix?: FramePrefix,
  publishes: 'all' | 'assigned' = 'all',
): Engine {
  // Roles move inputs and frames: the simulation methods (tested in engine/) are left out.
  return new Engine({ ...engineOptions(config, tsBackend, T0), simulation: undefined, publishes }, sink, prefix);
}

/** An envelope's bytes. */
export const env = (type: MessageType, body: unknown, codec: Codec = 'msgpack', ts = T0): Uint8Array =>
  encodeEnvelope({ v: 1, type, src: 'test', ts, seq: 1, body }, codec);

/** A record as handed to onBatch. */
export const record = (topic: string, value: Uint8Array, offset = 0, partition = 0, key = 'k'): ConsumedMessage => ({
  topic,
  partition,
  offset,
  key,
  value,
});
