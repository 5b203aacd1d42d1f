// `riskline bench`: runs scenarios, writes one JSON result each, prints the Markdown table.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RisklineError } from '../errors/catalogue.js';
import { machine, markdownTable, writeResult, type Scenario, type ScenarioResult } from './harness.js';
import { busPipeline } from './scenarios/bus-pipeline.js';
import { engineCore } from './scenarios/engine-core.js';
import { failover } from './scenarios/failover.js';
import { fanout } from './scenarios/fanout.js';
import { fixCodec } from './scenarios/fix-codec.js';
import { kafkaPipeline } from './scenarios/kafka-pipeline.js';
import { riskIncremental } from './scenarios/risk-incremental.js';
import { riskLag } from './scenarios/risk-lag.js';
import { riskMc } from './scenarios/risk-mc.js';
import { riskReval } from './scenarios/risk-reval.js';
import { soak } from './scenarios/soak.js';
import { terminal } from './scenarios/terminal.js';
import { fixRoundtrip } from './scenarios/fix-roundtrip.js';
import { pretradeBench } from './scenarios/pretrade.js';
import { storeSink } from './scenarios/store-sink.js';
import { alertLatency } from './scenarios/alert-latency.js';

const SCENARIOS: Scenario[] = [
  engineCore,
  busPipeline,
  kafkaPipeline,
  failover,
  soak,
  riskMc,
  riskReval,
  riskIncremental,
  riskLag,
  fanout,
  terminal,
  fixRoundtrip,
  pretradeBench,
  storeSink,
  alertLatency,
  fixCodec,
];

const defaultOut = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'bench', 'results');

async function runBench(
  names: string[],
  opts: { quick?: boolean; out?: string },
  log = (l: string) => process.stderr.write(l + '\n'),
): Promise<ScenarioResult[]> {
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length)
    throw new RisklineError(
      'USAGE',
      `bench: unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  const chosen = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
  const results: ScenarioResult[] = [];
  for (const s of chosen) {
    log(`▶ ${s.name}: ${s.description}${opts.quick ? ' (quick)' : ''}`);
    const r = await s.run({ quick: !!opts.quick, log: (l) => log(`  ${l}`) });
    const result: ScenarioResult = { scenario: s.name, date: new Date().toISOString(), machine: machine(), ...r };
    log(`  → ${writeResult(opts.out ?? defaultOut, result)}`);
    results.push(result);
  }
  return results;
}

export async function runBenchCommand(
  names: string[],
  opts: { quick?: boolean; list?: boolean; out?: string },
): Promise<void> {
  if (opts.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(16)} ${s.description}\n`);
    return;
  }
  const { exitWith } = await import('../app/exit.js');
  try {
    const results = await runBench(names, opts);
    process.stdout.write(markdownTable(results) + '\n');
  } catch (err) {
    exitWith(err);
  }
}
