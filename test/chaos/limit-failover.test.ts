// A limit breach outlives the engine process that raised it. Engine A raises a VaR breach and
// checkpoints it, then is SIGKILLed; engine B takes the portfolio over from that checkpoint and,
// when executions bring VaR back under the limit, clears the breach. On the alerts topic there
// must be exactly one breach alert and one clearance, under the ids the limit's breach count gives.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { newestCheckpoints } from '../../app/roles/ownership.js';
import type { Frame } from '../../engine/frames.js';
import type { Alert, Execution } from '../../engine/model.js';
import type { BusMessage } from '../../streams/bus.js';
import { decodeEnvelopeAuto, encodeEnvelope } from '../../streams/envelope.js';
import type { KafkaBus } from '../../streams/kafka/bus.js';
import { TOPIC } from '../../streams/topics.js';
import { eventually, kafkaConfig, testBus } from '../e2e/kafka/helpers.js';

const CLI = new URL('../../dist/app/cli.js', import.meta.url).pathname;
const PORTFOLIO = 'VAR-BOOK';
const LIMIT = 'VAR-CAP';
// 40,000 AAPL at 230 (9.2m, about 30 % a year) has a one-day VaR95 near 300k; 50 shares, a few hundred.
const VAR_MAX = 100_000;
const RAISE_ID = `${LIMIT}:${PORTFOLIO}:1:raise`;
const CLEAR_ID = `${LIMIT}:${PORTFOLIO}:1:clear`;

/** A config of one portfolio with a VaR95 cap, checkpointed after every batch of executions. */
function limitConfig() {
  const base = kafkaConfig();
  const portfolios = join(base.dir, 'portfolios.json');
  const limits = join(base.dir, 'limits.json');
  writeFileSync(
    portfolios,
    JSON.stringify([{ id: PORTFOLIO, name: PORTFOLIO, baseCurrency: 'USD', cash: { USD: 1e9 }, holdings: [] }]),
  );
  writeFileSync(
    limits,
    JSON.stringify([{ id: LIMIT, portfolio: PORTFOLIO, metric: 'var95', max: VAR_MAX, severity: 'critical' }]),
  );
  // A checkpoint after every batch of executions: the one after the breach carries it.
  return kafkaConfig({ roles: ['engine'], engine: { checkpointEvery: 1 }, files: { portfolios, limits } }, base.prefix);
}

/** Engine processes started with one config file, their stderr kept for failure messages. */
class Engines {
  readonly children: ChildProcess[] = [];
  private readonly logs: string[] = [];
  /** The last error a retried read met (a partition still electing its leader, say). */
  readError = '';

  constructor(private readonly file: string) {}

  launch(): ChildProcess {
    const k = this.children.length;
    this.logs.push('');
    const child = spawn(process.execPath, [CLI, 'start', '--config', this.file, '--roles', 'engine', '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (this.logs[k] = (this.logs[k] + d.toString()).slice(-20_000)));
    this.children.push(child);
    return child;
  }

  /** Polls `probe` until it gives a value; a read that throws is retried (topics just created). */
  until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
    const tolerant = async () => {
      try {
        return await probe();
      } catch (err) {
        this.readError = (err as Error).message;
        return undefined;
      }
    };
    return eventually(tolerant, timeoutMs, what).catch((err: Error) => {
      const engines = this.logs.map((l, k) => `engine ${k}:\n${l.slice(-3000)}`).join('\n');
      throw new Error(`${err.message} (last read error: ${this.readError || 'none'})\n${engines}`);
    });
  }
}

/** Every alert of the portfolio on the alerts topic, from the beginning, with the process that wrote it. */
async function readAlerts(bus: KafkaBus, topic: string): Promise<{ src: string; alert: Alert }[]> {
  const out: { src: string; alert: Alert }[] = [];
  const partitions = Array.from({ length: bus.partitions(topic) }, (_, p) => p);
  await bus.readToEnd(topic, partitions, (m) => {
    const env = decodeEnvelopeAuto(m.value);
    const frame = env.body as Frame;
    if (env.type === 'frame' && frame.channel === `alerts:${PORTFOLIO}`)
      out.push({ src: env.src, alert: frame.data as unknown as Alert });
  });
  return out;
}

/** Executions and heartbeats of the portfolio, at event times ahead of every engine's opening valuation time. */
function inputs() {
  const t0 = Math.ceil(Date.now() / 1000) * 1000 + 600_000;
  let seq = 0;
  const exec = (id: string, side: Execution['side'], qty: number, dt: number): BusMessage => {
    const ts = t0 + dt;
    const body: Execution = { id, portfolio: PORTFOLIO, instrument: 'AAPL', side, qty, price: 230, ts };
    return { key: PORTFOLIO, value: encodeEnvelope({ v: 1, type: 'execution', src: 'chaos', ts, seq: seq++, body }) };
  };
  // Event time moves on (and risk falls due) without a trade.
  const heartbeat = (dt: number): BusMessage => ({
    key: PORTFOLIO,
    value: encodeEnvelope({ v: 1, type: 'heartbeat', src: 'chaos', ts: t0 + dt, seq: seq++, body: null }),
  });
  return { exec, heartbeat };
}

t.test(
  'a VaR breach raised before a SIGKILL is neither raised again nor left uncleared by the new owner',
  async (t) => {
    const { config, file, prefix } = limitConfig();
    const bus = await testBus(config);
    t.teardown(() => bus.close());
    const producer = bus.producer();
    t.teardown(() => producer.close());
    const engines = new Engines(file);
    t.teardown(() => engines.children.forEach((c) => c.kill('SIGKILL')));
    const { exec, heartbeat } = inputs();
    const executionsTopic = prefix + TOPIC.executions;
    const alertsTopic = prefix + TOPIC.alerts;
    const positionsTopic = prefix + TOPIC.positions;

    // Engine A alone owns the portfolio. The second buy's publication (risk due by then) raises the
    // breach, and the checkpoint after its batch holds it.
    const a = engines.launch();
    await producer.send(executionsTopic, [exec('V1', 'buy', 40_000, 0), exec('V2', 'buy', 100, 2000)]);
    const raised = await engines.until(
      async () => (await readAlerts(bus, alertsTopic)).find((x) => x.alert.id === RAISE_ID),
      60_000,
      'engine A to raise the breach',
    );
    t.match(raised.alert, { state: 'breached', limit: LIMIT, threshold: VAR_MAX, severity: 'critical' });
    t.ok(raised.alert.value > VAR_MAX, `VaR95 ${raised.alert.value} above ${VAR_MAX}`);
    const statePartitions = Array.from({ length: bus.partitions(positionsTopic) }, (_, p) => p);
    await engines.until(
      async () => {
        const cp = (await newestCheckpoints(bus, positionsTopic, statePartitions)).get(PORTFOLIO);
        const holds = cp?.state.limits?.some(([id, n, breached]) => id === LIMIT && n === 1 && breached);
        return holds && cp!.input.offset >= 2 ? true : undefined;
      },
      30_000,
      'a checkpoint holding the breach',
    );

    a.kill('SIGKILL');
    await new Promise((r) => (a.exitCode !== null || a.signalCode !== null ? r(null) : a.once('exit', r)));

    // Engine B takes over from the checkpoint; the position is then almost all sold.
    engines.launch();
    await producer.send(executionsTopic, [exec('V3', 'sell', 40_050, 4000), heartbeat(6000)]);
    const cleared = await engines.until(
      async () => (await readAlerts(bus, alertsTopic)).find((x) => x.alert.id === CLEAR_ID),
      90_000,
      'engine B to clear the breach',
    );
    t.match(cleared.alert, { state: 'cleared', limit: LIMIT, severity: 'info' });
    t.ok(cleared.alert.value < VAR_MAX, `VaR95 ${cleared.alert.value} back under ${VAR_MAX}`);
    t.not(cleared.src, raised.src, 'the clearance comes from the process that took over');

    const all = await readAlerts(bus, alertsTopic);
    t.same(
      all.map((x) => [x.alert.id, x.alert.state]),
      [
        [RAISE_ID, 'breached'],
        [CLEAR_ID, 'cleared'],
      ],
      'exactly one breach alert and one clearance were delivered',
    );
  },
);
