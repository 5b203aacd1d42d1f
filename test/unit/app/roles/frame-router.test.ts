// The engine role's frame router: each channel to its topic, codec and key, resolved once, and the
// bus envelope around each frame, written ahead of the frame by the engine on msgpack topics.
import t from 'tap';
import { FrameRouter } from '../../../../app/roles/frame-router.js';
import { decodeFrame, type EncodedFrame } from '../../../../engine/frames.js';
import { decodeEnvelopeAuto } from '../../../../streams/envelope.js';
import { TOPIC, type TopicConfig } from '../../../../streams/topics.js';
import { config, newEngine, P, T0 } from './fixtures.js';

/** The default topics with exposures written as JSON. */
const jsonExposures: TopicConfig = {
  ...config.topics,
  topics: { ...config.topics.topics, [TOPIC.exposures]: { ...config.topics.topics[TOPIC.exposures], codec: 'json' } },
};

t.test('channels route to their topic, keyed by their id, resolved once', async (t) => {
  const router = new FrameRouter(jsonExposures, 'engine-1');
  t.same(router.route('positions:GLOBAL-MACRO'), {
    topic: P + TOPIC.positions,
    codec: 'msgpack',
    key: 'GLOBAL-MACRO',
  });
  t.same(router.route('exposures:P1'), { topic: P + TOPIC.exposures, codec: 'json', key: 'P1' });
  t.same(router.route('risk:P1').topic, P + TOPIC.risk);
  t.same(router.route('alerts:P1').topic, P + TOPIC.alerts);
  t.equal(router.route('risk:P1'), router.route('risk:P1'), 'the same route object: no work per frame');
  t.throws(() => router.route('ticks:AAPL'), /no topic for channel ticks:AAPL/);
});

t.test('every frame leaves in a v1 frame envelope: one sequence, its asOf, the frame as the body', async (t) => {
  const router = new FrameRouter(jsonExposures, 'engine-1');
  const frames: EncodedFrame[] = [];
  const engine = newEngine((fs) => void frames.push(...fs), router.prefix);
  engine.advanceTo(T0);
  t.ok(
    frames.some((f) => f.channel.startsWith('exposures:')) && frames.some((f) => f.channel.startsWith('positions:')),
  );
  const seqs: number[] = [];
  const wrong: string[] = [];
  for (const f of frames) {
    const r = router.route(f.channel);
    const m = router.message(f, r);
    const env = decodeEnvelopeAuto(m.value);
    if ((f.wrapped !== undefined) !== (r.codec === 'msgpack')) wrong.push(`${f.channel}: wrapped on ${r.codec}`);
    if (m.key !== f.channel.slice(f.channel.indexOf(':') + 1)) wrong.push(`${f.channel}: key ${m.key}`);
    if (env.v !== 1 || env.type !== 'frame' || env.src !== 'engine-1' || env.ts !== f.asOf)
      wrong.push(`${f.channel}: envelope ${JSON.stringify({ ...env, body: undefined })}`);
    if (JSON.stringify(env.body) !== JSON.stringify(decodeFrame(f))) wrong.push(`${f.channel}: body differs`);
    seqs.push(env.seq);
  }
  t.same(
    wrong,
    [],
    `${frames.length} frames: wrapped by the engine on msgpack only, keyed by id, the frame as the body`,
  );
  t.same(
    [...seqs].sort((a, b) => a - b),
    Array.from({ length: frames.length }, (_, k) => k + 1),
    'one envelope sequence over both codecs, no gaps',
  );
});
