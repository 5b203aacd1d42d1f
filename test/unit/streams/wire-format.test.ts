import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { validateExecution, validateTick } from '../../../engine/validate.js';
import { decodeEnvelope, decodeEnvelopeAuto } from '../../../streams/envelope.js';
import { partitionFor } from '../../../streams/partitioner.js';
import { InstrumentBytes } from '../../../codecs/msgpack-cursor.js';
import { readTickBatch } from '../../../streams/tick-batch.js';
import { examplesPath, renderWireExamples } from '../../../tools/wire-examples.js';

const committed = readFileSync(examplesPath(), 'utf8');
const reference = readFileSync(path.join(path.dirname(examplesPath()), 'wire-format.md'), 'utf8');

interface Example {
  title: string;
  topic: string;
  key: string;
  partition: number;
  partitions: number;
  json: Uint8Array;
  msgpack: Uint8Array;
}

/** The examples as the document shows them: its `json` blocks and the bytes column of its `text` (hex) blocks. */
function parse(md: string): Example[] {
  return md
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const title = section.slice(0, section.indexOf('\n'));
      const route = /^- topic `([^`]+)` \(codec \w+\), key `([^`]+)`, partition (\d+) of (\d+)$/m.exec(section);
      const json = /^```json\n(.*)\n```$/m.exec(section);
      const dump = /^```text\n([\s\S]*?)\n```$/m.exec(section);
      if (route === null || json === null || dump === null)
        throw new Error(`example "${title}" is not in the expected form`);
      const hex = dump[1]
        .split('\n')
        .filter((line) => /^[0-9a-f]{4,} {2}/.test(line))
        .flatMap((line) =>
          line
            .slice(line.indexOf('  ') + 2, line.indexOf('  ') + 2 + 47)
            .trim()
            .split(' '),
        );
      return {
        title,
        topic: route[1],
        key: route[2],
        partition: Number(route[3]),
        partitions: Number(route[4]),
        json: new TextEncoder().encode(json[1]),
        msgpack: Uint8Array.from(hex, (h) => parseInt(h, 16)),
      };
    });
}

const examples = parse(committed);

t.test('docs/wire-format.examples.md is what the encoders produce now (regenerate: npm run gen:wire)', async (t) => {
  t.equal(renderWireExamples(), committed);
});

t.test('every message type is shown, in both encodings', async (t) => {
  const types = examples.map((e) => decodeEnvelope(e.json, 'json').type);
  t.strictSame([...new Set(types)].sort(), ['alert', 'execution', 'frame', 'heartbeat', 'tick', 'ticks']);
});

t.test("each example's JSON and MessagePack decode to the same envelope", async (t) => {
  for (const e of examples) {
    const fromJson = decodeEnvelope(e.json, 'json');
    const fromMsgpack = decodeEnvelope(e.msgpack, 'msgpack');
    t.strictSame(fromMsgpack, fromJson, e.title);
    t.strictSame(decodeEnvelopeAuto(e.json), fromJson, `${e.title}: JSON is recognised by its first byte`);
    t.strictSame(decodeEnvelopeAuto(e.msgpack), fromJson, `${e.title}: MessagePack is recognised too`);
  }
});

t.test('each example is routed by the murmur2 partitioner', async (t) => {
  for (const e of examples) t.equal(partitionFor(e.key, e.partitions), e.partition, e.title);
});

t.test('the input examples are valid inputs', async (t) => {
  for (const e of examples) {
    const env = decodeEnvelope(e.msgpack);
    if (env.type === 'tick') t.doesNotThrow(() => validateTick(env.body), e.title);
    if (env.type === 'execution') t.doesNotThrow(() => validateExecution(env.body), e.title);
    if (env.type === 'ticks') {
      const seen: string[] = [];
      const ids = ['AAPL', 'AMZN'];
      const n = readTickBatch(e.msgpack, new InstrumentBytes((id) => ids.indexOf(id)), {
        tick: (i) => void seen.push(ids[i]),
        bad: (_k, _s, _e, err) => t.fail(err.message),
      });
      t.equal(n, 2, 'the zero-allocation reader takes the batch');
      t.strictSame(seen, ['AAPL', 'AMZN']);
      for (const [id] of env.body as [string][]) t.equal(partitionFor(id, e.partitions), e.partition, `${id} is on it`);
    }
  }
});

t.test("the reference's kcat lines send generated examples, with their keys", async (t) => {
  const lines = [...reference.matchAll(/^echo '([^'|]+)\|(\{[^']*\})' \|\n\s+kcat -P .* -t (\S+) /gm)];
  t.equal(lines.length, 2, 'a tick and an execution');
  for (const [, key, json, topic] of lines) {
    const e = examples.find((x) => new TextDecoder().decode(x.json) === json);
    t.ok(e, `${topic}: the JSON is a generated example`);
    t.equal(key, e?.key, `${topic}: with its key`);
    t.equal(topic, e?.topic);
  }
});
