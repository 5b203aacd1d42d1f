// Real frames against gateways/asyncapi.yaml: every frame an engine with every risk part publishes
// (two event days, trading, limits that breach and clear, opening frames before the scenario sets)
// and every frame the gateway makes itself (merged snapshots, ticks, a bus alert), as a JSON and a
// msgpack client receive it, matches exactly its own message and branch; the engine's what-if
// answer matches `whatIf`. Mutations of real frames are refused, so the checks can fail.

import t from 'tap';
import {
  decodeServerMessage,
  encodeServerMessage,
  whatIfMessage,
  type ServerMessage,
} from '../../../gateways/protocol.js';
import { parseDocument, readDocumentText, Schemas } from './asyncapi-document.js';
import { realOutput, type RealOutput } from './asyncapi-frames.js';

const schemas = new Schemas(parseDocument(readDocumentText()));
let real: RealOutput;

t.before(async () => {
  real = await realOutput();
});

type FrameMessage = Extract<ServerMessage, { type: 'snapshot' | 'update' }>;
const frames = (): FrameMessage[] => real.sent.map((s) => s.message as FrameMessage);
const kindOf = (m: FrameMessage): string => m.channel.slice(0, m.channel.indexOf(':'));

interface Branch {
  title: string;
  /** An alerts frame's data is an alert or an action on one: a oneOf of refs. */
  properties: { channel: { pattern: string }; data: { $ref?: string; oneOf?: { $ref: string }[] } };
}

const dataSchemas = (data: Branch['properties']['data']): string[] =>
  (data.oneOf ?? [data]).map((r) => r.$ref!.split('/').at(-1)!);

/** The branches of a frame message's oneOf whose channel pattern and data schema a frame matches. */
function branches(type: 'snapshot' | 'update', value: FrameMessage): string[] {
  const list = schemas.doc.components.messages[type].payload.oneOf as Branch[];
  return list
    .filter((b) => new RegExp(b.properties.channel.pattern).test(value.channel))
    .filter((b) => dataSchemas(b.properties.data).some((name) => schemas.schema(name)(value.data)))
    .map((b) => b.title);
}

t.test('every real frame matches exactly its own message, in JSON and msgpack', async (t) => {
  const failures: string[] = [];
  const seen = new Map<string, number>();
  for (const { source, message } of real.sent) {
    const json = JSON.parse(encodeServerMessage(message, 'json').toString('utf8')) as FrameMessage;
    const packed = decodeServerMessage(encodeServerMessage(message, 'msgpack'), true);
    for (const [encoding, value] of [
      ['json', json],
      ['msgpack', packed],
    ] as const) {
      const matched = schemas.matching('receive', value);
      if (matched.length !== 1 || matched[0] !== message.type) {
        failures.push(
          `${source} ${encoding} ${json.channel} #${json.seq} matched [${matched}]: ${schemas.why(message.type, value)}`,
        );
      }
    }
    const key = `${source} ${kindOf(json)} ${json.type}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  t.same(failures.slice(0, 20), [], `${failures.length} of ${real.sent.length} frames fail`);
  // What the run must have produced for the check to mean something: every kind and type that exists.
  for (const key of [
    'engine positions snapshot',
    'engine positions update',
    'engine exposures snapshot',
    'engine exposures update',
    'engine risk snapshot',
    'engine alerts snapshot',
    'engine alerts update',
    'gateway positions snapshot',
    'gateway exposures snapshot',
    'gateway risk snapshot',
    'gateway ticks snapshot',
    'gateway ticks update',
    'gateway alerts snapshot',
    'gateway alerts update',
  ]) {
    t.ok((seen.get(key) ?? 0) > 0, `${key}: ${seen.get(key) ?? 0}`);
  }
});

t.test('each real frame matches one branch of its message: the one of its channel kind', async (t) => {
  const wrong: string[] = [];
  const seen = new Set<string>();
  // One frame of each source, kind and type is enough here; the previous test checked them all.
  for (const m of frames()) {
    const key = `${kindOf(m)} ${m.type} ${Object.keys(m.data).length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const got = branches(m.type, m);
    if (got.length !== 1 || !got[0].startsWith(kindOf(m).replace(/s$/, '')))
      wrong.push(`${m.channel} ${m.type}: [${got}]`);
  }
  t.same(wrong, []);
  t.ok(seen.size >= 9, `${seen.size} shapes`);
});

t.test('risk frames carry every simulation part, provenance alone before the sets, or neither', async (t) => {
  const risk = frames().filter((m) => kindOf(m) === 'risk');
  const parts = ['measures', 'components', 'nonLinearity', 'stress', 'backtest', 'provenance'];
  const forms = new Set(risk.map((m) => parts.filter((p) => p in m.data).join(',')));
  t.same([...forms].sort(), ['', 'measures,components,nonLinearity,stress,backtest,provenance', 'provenance'].sort());
  type Full = { stress: { worst: unknown[] }[]; backtest: unknown[]; measures: { scaling?: string }[] };
  const full = risk.filter((m) => 'stress' in m.data).map((m) => m.data as Full);
  t.ok(
    full.some((d) => d.stress[0].worst.length > 0),
    'stress names the worst positions',
  );
  t.ok(
    full.some((d) => d.backtest.length >= 2),
    'backtests of several methods',
  );
  t.ok(
    full.some((d) => d.measures.some((x) => x.scaling === 'sqrt-time')),
    'a scaled horizon',
  );
  const alerts = frames()
    .filter((m) => kindOf(m) === 'alerts')
    .map((m) => m.data.state);
  t.ok(alerts.includes('breached') && alerts.includes('cleared'), 'alerts raised and cleared');
});

t.test("the engine's what-if answer matches whatIf", async (t) => {
  for (const id of [1, 'q1']) {
    const msg = whatIfMessage(id, real.whatIf);
    const value = JSON.parse(encodeServerMessage(msg, 'json').toString('utf8')) as unknown;
    t.same(schemas.matching('receive', value), ['whatIf'], schemas.why('whatIf', value));
  }
  t.ok(real.whatIf.measures.length >= 4, 'historical and Monte Carlo, two horizons');
});

type Obj = Record<string, unknown>;
/** Keys, or a number for the n-th value of an object or array. */
type Path = (string | number)[];

function at(value: unknown, path: Path): Obj {
  let x = value;
  for (const step of path) x = typeof step === 'number' ? Object.values(x as Obj)[step] : (x as Obj)[step];
  return x as Obj;
}
const set =
  (path: Path, value: unknown) =>
  (m: Obj): void => {
    at(m, path.slice(0, -1))[path.at(-1) as string] = value;
  };
const del =
  (path: Path) =>
  (m: Obj): void => {
    delete at(m, path.slice(0, -1))[path.at(-1) as string];
  };

/** A deep copy of the first real frame of a kind and type (that `where` admits), changed by `edit`. */
function mutated(kind: string, type: string, edit: (m: Obj) => void, where?: (m: FrameMessage) => boolean): Obj {
  const found = frames().find((m) => kindOf(m) === kind && m.type === type && (where?.(m) ?? true));
  if (found === undefined) throw new Error(`no ${kind} ${type} frame`);
  const copy = structuredClone(found) as unknown as Obj;
  edit(copy);
  return copy;
}

t.test('real frames changed to break the contract are refused', async (t) => {
  const withRows = (m: FrameMessage) => Object.keys((m.data as { rows: object }).rows).length > 0;
  const full = (m: FrameMessage) => 'stress' in m.data;
  const cases: [string, Obj][] = [
    ['an extra envelope field', mutated('positions', 'snapshot', set(['extra'], 1))],
    ['an extra data field', mutated('positions', 'snapshot', set(['data', 'extra'], 1))],
    ['no totals', mutated('positions', 'snapshot', del(['data', 'totals']))],
    ['a row with an extra field', mutated('positions', 'update', set(['data', 'rows', 0, 'x'], 1), withRows)],
    ['a snapshot row without qty', mutated('positions', 'snapshot', del(['data', 'rows', 0, 'qty']), withRows)],
    ['an update row without any field', mutated('positions', 'update', set(['data', 'rows', 0], {}), withRows)],
    ['a string amount', mutated('positions', 'snapshot', set(['data', 'totals', 'nav'], '1000'))],
    ['no inputSeq', mutated('exposures', 'snapshot', del(['inputSeq']))],
    ['an exposures snapshot missing a section', mutated('exposures', 'snapshot', del(['data', 'bySector']))],
    [
      'an exposures update called a snapshot',
      mutated('exposures', 'update', set(['type'], 'snapshot'), (m) => !('byInstrument' in m.data)),
    ],
    [
      'an exposures update with nothing changed',
      mutated('exposures', 'update', (m) => {
        const data = m.data as Obj;
        for (const k of Object.keys(data)) if (k !== 'portfolio' && k !== 'baseCurrency') delete data[k];
      }),
    ],
    [
      'an unknown asset class',
      mutated(
        'exposures',
        'snapshot',
        set(['data', 'byAssetClass', 'crypto'], { long: 1, short: 0, net: 1, gross: 1 }),
      ),
    ],
    ['a risk update', mutated('risk', 'snapshot', set(['type'], 'update'))],
    ['measures without backtest', mutated('risk', 'snapshot', del(['data', 'backtest']), full)],
    ['a risk frame without basis', mutated('risk', 'snapshot', del(['data', 'basis']))],
    ['an unknown method', mutated('risk', 'snapshot', set(['data', 'measures', 0, 'method'], 'filtered'), full)],
    [
      'a provenance set of both kinds',
      mutated('risk', 'snapshot', set(['data', 'provenance', 'sets', 0, 'seed'], 1), full),
    ],
    ['positions data on a ticks channel', mutated('positions', 'snapshot', set(['channel'], 'ticks:AAPL'))],
    ['a tick on a positions channel', mutated('ticks', 'update', set(['channel'], 'positions:P-USD'))],
    ['an alert of unknown severity', mutated('alerts', 'update', set(['data', 'severity'], 'fatal'))],
    ['an alert without its id', mutated('alerts', 'snapshot', del(['data', 'id']))],
    ['seq 0', mutated('ticks', 'snapshot', set(['seq'], 0))],
    ['the alerts wildcard as a frame channel', mutated('alerts', 'update', set(['channel'], 'alerts:*'))],
  ];
  for (const [what, value] of cases) t.same(schemas.matching('receive', value), [], what);
});
