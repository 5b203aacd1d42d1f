// The Python client of docs/wire-format.md, run as the document prints it (extracted at test time,
// so the two cannot drift) with confluent-kafka and msgpack against an engine on the test broker:
// what it sends applies, what it reads (positions, risk, dead letters with their reasons) is right.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { startRiskline } from '../../../app/compose.js';
import { REASON_MAX } from '../../../streams/dlq.js';
import { pythonWithClients } from '../../../tools/python/venv.js';
import { brokers, eventually, kafkaConfig } from './helpers.js';

const HEADING = '### Python client';

/** The first ```python block under HEADING in docs/wire-format.md. */
function documentedClient(): string {
  const doc = readFileSync(new URL('../../../docs/wire-format.md', import.meta.url), 'utf8');
  const at = doc.indexOf(`\n${HEADING}\n`);
  if (at < 0) throw new Error(`docs/wire-format.md has no "${HEADING}" section`);
  const block = /```python\n([\s\S]*?)\n```/.exec(doc.slice(at));
  if (!block) throw new Error(`no python block under "${HEADING}" in docs/wire-format.md`);
  return block[1] + '\n';
}

/** Runs a script; resolves with its stdout and stderr whatever its exit, rejecting only when it cannot start. */
function runPython(python: string, file: string, env: Record<string, string>, timeoutMs: number) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    execFile(python, [file], { env: { ...process.env, ...env }, timeout: timeoutMs }, (error, out, err) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(error!);
      else resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, out, err });
    });
  });
}

type Line = [kind: string, value: Record<string, unknown>];
type Row = { qty: number; avgCost: number; mark: number; realizedPnl: number } | null;
type Positions = { seq: number; type: string; asOf: number; inputSeq: number; totals: { cash: number } } & {
  rows: Record<string, Row>;
};

/** What the checks assert with (tap's Test). */
type Asserts = Pick<typeof t, 'equal' | 'ok' | 'match' | 'same'>;

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

t.test('the Python client of docs/wire-format.md, as printed, against an engine on Kafka', async (t) => {
  const python = await pythonWithClients();
  const file = join(t.testdir({}), 'client.py');
  writeFileSync(file, documentedClient());
  const { config, prefix } = kafkaConfig({ roles: ['engine'] });
  const before = Date.now();
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }) });
  t.teardown(() => running.close());
  // The client is a trader arriving at a running engine: it starts once the engine holds every
  // partition (a fresh group's first join can fail while the coordinator loads, and be retried).
  const partitions = config.topics.topics['orders.executions'].partitions;
  await eventually(
    () =>
      Array.from({ length: partitions }, (_, p) => p).every((p) => running.engine!.ownership.owns(p))
        ? true
        : undefined,
    30_000,
    'the engine holds every executions partition',
  );
  const started = Date.now();
  const env = { RISKLINE_BROKERS: brokers().join(','), RISKLINE_TOPIC_PREFIX: prefix, RISKLINE_WAIT_S: '45' };
  const run = await runPython(python, file, env, 60_000);
  t.equal(run.code, 0, 'the client runs to its end', { stdout: run.out, stderr: run.err });
  const lines: Line[] = run.out
    .trim()
    .split('\n')
    .map((l) => [l.slice(0, l.indexOf(' ')), JSON.parse(l.slice(l.indexOf(' ') + 1)) as Record<string, unknown>]);
  const of = (kind: string) => lines.filter(([k]) => k === kind).map(([, v]) => v);

  const sent = of('sent').map((s) => `${s.topic as string}:${String(s.key)}:${s.refused as number}`);
  t.same(
    sent.sort(),
    ['md.ticks:AAPL:0', 'md.ticks:AAPL:2', 'md.ticks:MSFT:0', 'md.ticks:null:1'].concat([
      'orders.executions:GLOBAL-MACRO:0',
      'orders.executions:GLOBAL-MACRO:1',
    ]),
    'ticks (two partitions), refused ticks, the fill, a refused fill and a keyless bad record',
  );
  checkPositions(t, of('positions') as Positions[], config, { before, started });
  const risk = of('risk') as { var: Record<string, number>; es: Record<string, number> }[];
  t.ok(risk.length > 0 && risk.every((r) => r.var['95'] > 0 && r.es['99'] > r.var['99']), 'risk frames read');
  checkDeadLetters(t, of('dlq'));
  t.equal(of('done').length, 1, 'the client saw everything it waited for');
});

function checkPositions(
  t: Asserts,
  frames: Positions[],
  config: ReturnType<typeof kafkaConfig>['config'],
  times: { before: number; started: number },
) {
  const opening = frames[0];
  t.match(opening, { seq: 1, type: 'snapshot', inputSeq: 0 }, 'the opening snapshot: no input applied');
  t.ok(opening.asOf >= times.before && opening.asOf <= times.started, 'valued at the wall clock at start');
  const held = config.portfolios.find((p) => p.id === 'GLOBAL-MACRO')!.holdings;
  const aapl0 = held.find((h) => h.instrument === 'AAPL')!;
  t.equal(opening.rows.AAPL!.qty, aapl0.qty, 'AAPL as configured');
  const last = frames[frames.length - 1];
  const aapl = last.rows.AAPL!;
  t.equal(aapl.qty, aapl0.qty - 10, 'the fill sold 10 AAPL');
  t.ok(near(aapl.mark, (199.99 + 200.03) / 2), `AAPL marked at the mid of the tick, ${aapl.mark}`);
  t.ok(near(aapl.realizedPnl, (200.5 - aapl0.price) * 10 - 1.25), 'realised P&L net of the fees');
  t.ok(near(last.totals.cash - opening.totals.cash, 200.5 * 10 - 1.25), 'cash: the proceeds less the fees');
  t.ok(near(last.rows.AMZN!.mark, (181.24 + 181.3) / 2), "AMZN's late tick (newest for AMZN) applied");
  t.ok(near(last.rows.MSFT!.mark, 410.2), 'MSFT marked');
}

function checkDeadLetters(t: Asserts, dlq: Record<string, unknown>[]) {
  const by = (error: string) => dlq.filter((d) => d.error === error);
  t.equal(dlq.length, 4, 'four dead letters, one per refused tuple or record');
  t.match(by('STALE_TICK'), [{ key: 'AAPL', source: 'md.ticks' }]);
  const [stale, newest] = /^AAPL: tick at (\d+) is older than the newest mark at (\d+)$/
    .exec(by('STALE_TICK')[0]?.reason as string)!
    .slice(1)
    .map(Number);
  t.equal(newest - stale, 1000, "both times: the stale tick's and AAPL's newest mark's");
  t.match(by('INVALID_TICK'), [{ key: 'AAPL', reason: /^ticks\[1\]: ask: expected a price >= bid 200\.05/ }]);
  t.match(by('INVALID_EXECUTION'), [{ key: 'GLOBAL-MACRO', source: 'orders.executions' }]);
  t.equal(by('INVALID_EXECUTION')[0]?.reason, 'execution: side: expected "buy" or "sell", received "SELL"');
  const keyless = by('DECODE_FAILED')[0];
  t.equal(keyless?.key, '', 'a keyless record is dead-lettered with an empty key, not a null one');
  t.match(keyless?.reason, /^not valid msgpack: \d+ bytes decoded as one value, 1 byte left over at byte \d+$/);
  for (const d of dlq) t.ok(!/\n/.test(d.reason as string) && (d.reason as string).length <= REASON_MAX, 'one line');
}
