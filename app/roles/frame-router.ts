// Where the engine's frames go: each channel's topic, codec and key (`positions:P1` → the
// positions topic, keyed P1), and the bus envelope around each frame. A channel's route is
// resolved on its first frame, so per frame there is one map lookup and no string slicing. On a
// msgpack topic the envelope header is written by the engine ahead of the frame, in the same
// buffer (`prefix`), so a frame's bytes are copied out of the engine's writer once.

import type { EncodedFrame, FramePrefix } from '../../engine/frames.js';
import type { BusMessage } from '../../streams/bus.js';
import { encodeFrameEnvelope, writeFrameEnvelopeHeader, type Codec } from '../../streams/envelope.js';
import { TOPIC, type TopicConfig } from '../../streams/topics.js';

/** The topic each kind of channel publishes to. */
const FRAME_TOPIC = {
  positions: TOPIC.positions,
  exposures: TOPIC.exposures,
  risk: TOPIC.risk,
  alerts: TOPIC.alerts,
} as const;

export interface FrameRoute {
  /** Physical topic name. */
  topic: string;
  codec: Codec;
  /** The record key: the channel's id (a portfolio). */
  key: string;
}

/** A physical topic's codec by the catalogue (msgpack when the catalogue does not name it). */
export const codecOf = (topics: TopicConfig, physical: string): Codec =>
  topics.topics[physical.slice(topics.prefix.length) as keyof typeof topics.topics]?.codec ?? 'msgpack';

export class FrameRouter {
  private readonly routes = new Map<string, FrameRoute>();
  /** Envelope sequence number, one per frame this router wraps. */
  private seq = 0;

  constructor(
    private readonly topics: TopicConfig,
    /** Producer id written into envelopes. */
    private readonly src: string,
  ) {}

  route(channel: string): FrameRoute {
    let r = this.routes.get(channel);
    if (r === undefined) {
      const colon = channel.indexOf(':');
      const kind = channel.slice(0, colon) as keyof typeof FRAME_TOPIC;
      if (!(kind in FRAME_TOPIC)) throw new Error(`engine frames have no topic for channel ${channel}`);
      const topic = this.topics.prefix + FRAME_TOPIC[kind];
      r = { topic, codec: codecOf(this.topics, topic), key: channel.slice(colon + 1) };
      this.routes.set(channel, r);
    }
    return r;
  }

  /** The engine's FramePrefix: the envelope header, when the channel's topic is msgpack. */
  readonly prefix: FramePrefix = (w, channel, asOf) => {
    if (this.route(channel).codec !== 'msgpack') return false;
    writeFrameEnvelopeHeader(w, this.src, ++this.seq, asOf);
    return true;
  };

  /** The bus record of a frame on its route (wrapped by `prefix`, or encoded now for a JSON topic). */
  message(f: EncodedFrame, r: FrameRoute): BusMessage {
    return { key: r.key, value: f.wrapped ?? encodeFrameEnvelope(this.src, ++this.seq, f, r.codec) };
  }
}
