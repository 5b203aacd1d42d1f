// gateways/asyncapi.yaml is the client contract of /v1/stream: it must be a valid AsyncAPI 3.0
// document, its examples must validate, and it must name exactly what the code has: every channel
// kind, every op, every error code of the catalogue, every close code the gateway sends. Client
// messages are checked against the protocol's own parser, server messages built by every
// constructor of gateways/protocol.ts against the payload schemas (through JSON and msgpack).
// Real engine and gateway frames are checked in asyncapi-frames.test.ts.

import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { CHANNEL_KINDS } from '../../../engine/frames.js';
import { ERRORS, RisklineError, type ErrorCode } from '../../../errors/catalogue.js';
import { ID_PATTERN } from '../../../config/schema.js';
import {
  MAX_CHANNELS_PER_REQUEST,
  MSGPACK_SUBPROTOCOL,
  OPS,
  STREAM_PATH,
  decodeServerMessage,
  encodeServerMessage,
  errorMessage,
  parseClientValue,
  pongMessage,
  statusMessage,
  subscribedMessage,
  unsubscribedMessage,
  type ServerMessage,
} from '../../../gateways/protocol.js';
import { Schemas, allRefs, parseDocument, readDocumentText, resolveRef, specErrors } from './asyncapi-document.js';

const text = readDocumentText();
const doc = parseDocument(text);
const schemas = new Schemas(doc);

/** The message as a JSON client and a msgpack client decode it. */
function asReceived(msg: ServerMessage): { encoding: string; value: unknown }[] {
  return [
    { encoding: 'json', value: JSON.parse(encodeServerMessage(msg, 'json').toString('utf8')) },
    { encoding: 'msgpack', value: decodeServerMessage(encodeServerMessage(msg, 'msgpack'), true) },
  ];
}

/** Server messages that do not match exactly their own message of the document. */
function mismatches(messages: ServerMessage[]): string[] {
  const out: string[] = [];
  for (const msg of messages) {
    for (const { encoding, value } of asReceived(msg)) {
      const matched = schemas.matching('receive', value);
      if (matched.length !== 1 || matched[0] !== msg.type) {
        out.push(
          `${encoding} ${JSON.stringify(msg).slice(0, 200)} matched [${matched}]: ${schemas.why(msg.type, value)}`,
        );
      }
    }
  }
  return out;
}

t.test('the document is a valid AsyncAPI 3.0.0 document whose every $ref resolves', async (t) => {
  t.equal(specErrors(doc), null, 'valid against @asyncapi/specs 3.0.0');
  const refs = allRefs(doc);
  t.ok(refs.length > 50, `${refs.length} refs`);
  for (const ref of new Set(refs)) t.doesNotThrow(() => resolveRef(doc, ref), ref);
  t.equal(doc.channels.stream.address, STREAM_PATH);
  t.equal(Object.values(doc.servers)[0].pathname, STREAM_PATH);
  t.match(text, MSGPACK_SUBPROTOCOL);

  // The checks can fail: a wrong action, a malformed schema and a dangling $ref are caught.
  const broken = parseDocument(text) as unknown as { operations: Record<string, { action: string }> };
  broken.operations.sendRequest.action = 'publish';
  t.not(specErrors(broken), null, 'an AsyncAPI 2 action is refused');
  const badSchema = parseDocument(text);
  badSchema.components.schemas.TickData.required = 'instrument';
  t.not(specErrors(badSchema), null, 'a malformed payload schema is refused');
  t.throws(() => resolveRef(doc, '#/components/schemas/NoSuchSchema'), /does not resolve/);
});

t.test('every example validates against its own message and no other', async (t) => {
  let n = 0;
  for (const direction of ['send', 'receive'] as const) {
    for (const name of schemas.messagesOf[direction]) {
      const examples = doc.components.messages[name].examples ?? [];
      t.ok(examples.length > 0, `${name} has an example`);
      for (const ex of examples) {
        n++;
        t.same(
          schemas.matching(direction, ex.payload),
          [name],
          `${name} ${ex.name ?? ''}: ${schemas.why(name, ex.payload)}`,
        );
      }
    }
  }
  t.ok(n >= 20, `${n} examples`);
});

t.test('every channel kind, op and server message type is documented, and nothing else', async (t) => {
  const frameChannel = new RegExp(doc.components.schemas.FrameChannel.pattern as string);
  const clientChannel = new RegExp(doc.components.schemas.Channel.pattern as string);
  for (const kind of CHANNEL_KINDS) {
    t.ok(frameChannel.test(`${kind}:X1`) && clientChannel.test(`${kind}:X1`), `${kind}: channel names`);
  }
  t.notOk(frameChannel.test('limits:X1') || clientChannel.test('limits:X1'), 'no kind the code lacks');
  const branches = (message: string): string[] =>
    (doc.components.messages[message].payload.oneOf as { properties: { channel: { pattern: string } } }[]).map((b) =>
      b.properties.channel.pattern.replace(/^\^|:$/g, ''),
    );
  t.same(branches('snapshot').sort(), [...CHANNEL_KINDS].sort(), 'a snapshot branch per kind');
  // Risk frames are always complete: the engine never writes a risk update.
  t.same(
    branches('update').sort(),
    CHANNEL_KINDS.filter((k) => k !== 'risk').sort(),
    'an update branch per kind but risk',
  );

  const opOf = (name: string) =>
    (doc.components.messages[name].payload.properties as { op: { const: string } }).op.const;
  t.same(schemas.messagesOf.send.map(opOf).sort(), [...OPS].sort(), 'the ops of protocol.ts');
  const typeOf = (name: string) =>
    (doc.components.messages[name].payload.properties as { type: { const: string } }).type.const;
  const built: ServerMessage[] = [
    subscribedMessage(1, ['ticks:AAPL']),
    unsubscribedMessage(1, ['ticks:AAPL']),
    errorMessage(1, new RisklineError('BAD_REQUEST')),
    pongMessage(1),
    statusMessage(true, 1, 'down'),
  ];
  const types = [
    ...new Set([...built.map((m) => m.type), 'snapshot', 'update', 'whatIf', 'order', 'alertAction']),
  ].sort();
  t.same(schemas.messagesOf.receive.map(typeOf).sort(), types, 'the server message types of protocol.ts');
});

/** Fields a closed shape may leave out; every other property of a closed object is required. */
const OPTIONAL: Record<string, string[]> = {
  // No price: a market order (or, on a replace, one that becomes one).
  'messages.orderRequest': ['price'],
  'messages.replaceOrderRequest': ['price'],
  // An acknowledgement needs no note; an action names an assignee only when it assigns.
  'messages.acknowledgeAlertRequest': ['note'],
  'messages.assignAlertRequest': ['note'],
  'schemas.AlertAction': ['assignee', 'note'],
  // An update's row: only the fields that changed (at least one).
  'schemas.PositionRowChange': [
    'instrument',
    'qty',
    'avgCost',
    'mark',
    'marketValue',
    'unrealizedPnl',
    'realizedPnl',
    'exposure',
  ],
  'schemas.ExposuresUpdate': ['totals', 'byInstrument', 'byAssetClass', 'bySector', 'byCurrency', 'byCountry'],
  // Analytics only when configured (engine/analytics/).
  'schemas.RiskData': ['measures', 'components', 'nonLinearity', 'stress', 'backtest', 'provenance', 'analytics'],
  'schemas.RiskMeasure': ['scaling'],
  'schemas.RiskProvenance': ['history', 'components'],
  // The days after the history file's, from the store's bars, when risk.history.fromStore has some.
  'schemas.RiskProvenance.history': ['stored'],
  'schemas.RiskProvenance.parametric': ['lambda'],
};

/**
 * Object schemas with named properties, by path: for a closed one (additionalProperties: false) the
 * properties it does not require, for an open one null.
 */
function unrequired(schema: unknown, path: string, out: Map<string, string[] | null>): Map<string, string[] | null> {
  if (Array.isArray(schema)) schema.forEach((s) => unrequired(s, path, out));
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return out;
  const s = schema as { type?: string; properties?: Record<string, unknown>; required?: string[] } & Record<
    string,
    unknown
  >;
  if (s.type === 'object' && s.properties !== undefined) {
    const closed = s.additionalProperties === false;
    out.set(path, closed ? Object.keys(s.properties).filter((p) => !(s.required ?? []).includes(p)) : null);
  }
  for (const [name, sub] of Object.entries(s.properties ?? {})) unrequired(sub, `${path}.${name}`, out);
  for (const key of ['items', 'additionalProperties', 'allOf', 'oneOf']) unrequired(s[key], path, out);
  return out;
}

/** Shapes left open: client messages (the server ignores other fields), and one closed by its branches. */
const OPEN = [
  'messages.subscribe',
  'messages.unsubscribe',
  'messages.snapshotRequest',
  'messages.ping',
  'schemas.SetProvenance',
];

t.test('every shape is closed and requires all its fields, but the documented open and optional ones', async (t) => {
  const found = new Map<string, string[] | null>();
  for (const [name, schema] of Object.entries(doc.components.schemas)) unrequired(schema, `schemas.${name}`, found);
  for (const [name, m] of Object.entries(doc.components.messages)) unrequired(m.payload, `messages.${name}`, found);
  t.ok(found.size >= 30, `${found.size} object shapes`);
  const optional = Object.fromEntries([...found].filter(([, names]) => names !== null && names.length > 0));
  t.same(optional, OPTIONAL, 'optional fields');
  const open = [...found].filter(([, names]) => names === null).map(([path]) => path);
  t.same(open.sort(), [...OPEN].sort(), 'open shapes');
});

t.test("the error codes are the catalogue's, with its HTTP statuses and messages", async (t) => {
  const codes = Object.keys(ERRORS);
  const expected = Object.fromEntries(
    codes.map((c) => [c, { http: ERRORS[c as ErrorCode].http, message: ERRORS[c as ErrorCode].message }]),
  );
  const yamlLines = codes.map(
    (c) => `    ${c}: { http: ${expected[c].http}, message: ${JSON.stringify(expected[c].message)} }`,
  );
  t.same(doc.components.schemas.ErrorCode.enum, codes, 'ErrorCode enum = errors/catalogue.ts, in its order');
  const listed = doc.components['x-error-codes'];
  const hint = isDeepStrictEqual(listed, expected) ? '' : `; it should read:\n${yamlLines.join('\n')}`;
  t.same(listed, expected, `components.x-error-codes = the catalogue${hint}`);
});

/** Close codes passed to a socket's close/end anywhere in gateways/ (the server and the watch client). */
function closeCodesInSource(): Map<number, string[]> {
  const dir = fileURLToPath(new URL('../../../gateways/', import.meta.url));
  const found = new Map<number, string[]>();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.includes('vendor'),
  );
  for (const file of files) {
    for (const m of readFileSync(dir + file, 'utf8').matchAll(/\.(?:close|end)\(\s*(\d{4})\b/g)) {
      const code = Number(m[1]);
      found.set(code, [...(found.get(code) ?? []), file]);
    }
  }
  return found;
}

t.test('every close code the gateway uses is documented, and every documented server code is used', async (t) => {
  const documented = doc.channels.stream['x-close-codes'];
  const used = closeCodesInSource();
  t.ok(used.size >= 3, `close codes in gateways/: ${[...used.keys()]}`);
  for (const [code, files] of used) t.ok(String(code) in documented, `${code} (${files.join(', ')}) is documented`);
  for (const [code, c] of Object.entries(documented)) {
    t.ok(c.meaning.length > 20, `${code} says what it means`);
    t.ok(['server', 'client', 'transport', 'none'].includes(c.by), `${code} says who sends it`);
    if (c.by === 'server' || c.by === 'client') t.ok(used.has(Number(code)), `${code} (${c.by}) is sent by gateways/`);
  }
});

t.test("each refused upgrade is answered with its catalogue code and that code's HTTP status", async (t) => {
  const refusals = Object.entries(doc.channels.stream['x-upgrade-refusals']);
  t.ok(refusals.length >= 5, `${refusals.length} refusals`);
  for (const [status, { code, when }] of refusals) {
    t.equal(ERRORS[code as ErrorCode]?.http, Number(status), `${status}: ${code} (${when})`);
  }
});

t.test("ids and channel names follow the configuration's id pattern", async (t) => {
  t.equal(doc.components.schemas.Id.pattern, ID_PATTERN.source);
  const id = ID_PATTERN.source.replace(/^\^|\$$/g, '');
  t.ok((doc.components.schemas.Channel.pattern as string).includes(id));
  t.ok((doc.components.schemas.FrameChannel.pattern as string).includes(id));
});

// ---- client messages: the schema and the parser agree ---------------------------------------------

const many = (n: number) => Array.from({ length: n }, (_, k) => `ticks:I${k}`);
const ACCEPTED: unknown[] = [
  { op: 'subscribe', id: 1, channels: ['positions:P-USD', 'risk:P-USD'] },
  { op: 'subscribe', id: 'a', channels: ['alerts:*', 'alerts:*', 'orders:P1'] },
  { op: 'subscribe', id: 2, channels: many(MAX_CHANNELS_PER_REQUEST) },
  { op: 'unsubscribe', id: 0, channels: ['ticks:AAPL'] },
  { op: 'snapshot', id: 3, channel: 'exposures:P2' },
  { op: 'snapshot', id: 3.5, channel: 'alerts:*' },
  { op: 'ping', id: 4 },
  { op: 'ping', id: '', note: 'other fields are ignored' },
  { op: 'whatIf', id: 'q', portfolio: 'P', instrument: 'X', qty: -2.5 },
  { op: 'whatIf', id: 1, portfolio: 'P'.repeat(200), instrument: 'X', qty: 1e9 },
];
const REFUSED: unknown[] = [
  {},
  [],
  'ping',
  null,
  { op: 'nope', id: 1 },
  { op: 1, id: 1 },
  { op: 'ping' },
  { op: 'ping', id: null },
  { op: 'ping', id: true },
  { op: 'ping', id: {} },
  { op: 'subscribe', id: 1 },
  { op: 'subscribe', id: 1, channels: [] },
  { op: 'subscribe', id: 1, channels: 'positions:P' },
  { op: 'subscribe', id: 1, channels: [1] },
  { op: 'subscribe', id: 1, channels: many(MAX_CHANNELS_PER_REQUEST + 1) },
  { op: 'subscribe', id: 1, channels: ['nope:X'] },
  { op: 'subscribe', id: 1, channels: ['ticks:*'] },
  { op: 'subscribe', id: 1, channels: ['positions:*'] },
  { op: 'subscribe', id: 1, channels: ['positions:'] },
  { op: 'unsubscribe', id: 1, channels: ['risk:P', 'x'.repeat(201)] },
  { op: 'snapshot', id: 1 },
  { op: 'snapshot', id: 1, channel: 5 },
  { op: 'snapshot', id: 1, channel: 'ticks:*' },
  { op: 'whatIf', id: 1, portfolio: 'P', instrument: 'X', qty: 0 },
  { op: 'whatIf', id: 1, portfolio: 'P', instrument: 'X', qty: '1' },
  { op: 'whatIf', id: 1, portfolio: 'P', instrument: 'X' },
  { op: 'whatIf', id: 1, portfolio: '', instrument: 'X', qty: 1 },
  { op: 'whatIf', id: 1, portfolio: 'P'.repeat(201), instrument: 'X', qty: 1 },
  { op: 'whatIf', id: 1, portfolio: 'P', instrument: 5, qty: 1 },
  { op: 'whatIf', id: 1, portfolio: 'P', instrument: 'X', qty: 1, side: 'buy' },
];

t.test('client messages: what the schema accepts the protocol parses, what it refuses is refused', async (t) => {
  for (const value of ACCEPTED) {
    const parsed = parseClientValue(value);
    const op = (value as { op: string }).op;
    const name = schemas.messagesOf.send.find(
      (n) => (doc.components.messages[n].payload.properties as { op: { const: string } }).op.const === op,
    );
    t.ok(parsed.ok, `parsed: ${JSON.stringify(value).slice(0, 80)}`);
    t.same(schemas.matching('send', value), [name], `documented as ${name}: ${schemas.why(name!, value)}`);
  }
  for (const value of REFUSED) {
    const parsed = parseClientValue(value);
    const shown = JSON.stringify(value)?.slice(0, 80);
    t.notOk(parsed.ok, `refused by the parser: ${shown}`);
    t.same(schemas.matching('send', value), [], `refused by the document: ${shown}`);
  }
  // Well-formed names of ids no configuration can have: parsed, then answered UNKNOWN_CHANNEL.
  for (const channel of ['positions:has space', 'ticks:a:b', 'risk:-lead']) {
    const value = { op: 'subscribe', id: 1, channels: [channel] };
    t.ok(parseClientValue(value).ok, `${channel} parses`);
    t.same(schemas.matching('send', value), [], `${channel} is outside the documented names`);
  }
});

// ---- server messages from every constructor ---------------------------------------------------------

t.test('every server message constructor builds a documented message, in JSON and msgpack', async (t) => {
  const errors: ServerMessage[] = [];
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    errors.push(errorMessage(7, new RisklineError(code)), errorMessage('r-1', new RisklineError(code, `${code} here`)));
    errors.push(errorMessage(null, new RisklineError(code)));
  }
  // The parser's own refusals, as the server sends them.
  for (const value of REFUSED) {
    const parsed = parseClientValue(value);
    if (!parsed.ok) errors.push(errorMessage(parsed.id, parsed.error));
  }
  const messages: ServerMessage[] = [
    ...errors,
    subscribedMessage(1, ['positions:P-USD', 'alerts:*']),
    subscribedMessage('s', many(MAX_CHANNELS_PER_REQUEST)),
    unsubscribedMessage(2, ['ticks:AAPL']),
    pongMessage(3),
    pongMessage('p'),
    statusMessage(true, 1_796_547_864_582, 'riskline-gateway unreachable'),
    statusMessage(false, 1_796_547_869_020, null),
  ];
  t.same(mismatches(messages), [], `${messages.length} messages`);
});

t.test('a server message that breaks its schema is refused (the checks can fail)', async (t) => {
  const bad: unknown[] = [
    { ...pongMessage(1), extra: true },
    { type: 'pong' },
    { ...errorMessage(1, new RisklineError('BAD_REQUEST')), code: 'NO_SUCH_CODE' },
    { ...statusMessage(true, 1, 'x'), reason: 5 },
    { ...subscribedMessage(1, ['positions:P']), channels: [] },
    { ...subscribedMessage(1, ['positions:P']), channels: ['nope:P'] },
    { type: 'pang', id: 1 },
  ];
  for (const value of bad) t.same(schemas.matching('receive', value), [], JSON.stringify(value));
});
