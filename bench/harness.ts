// The benchmark harness: scenario contract, machine facts, latency histograms, result files and
// the Markdown table. Every figure is reported next to a peer or machine limit measured in the
// same run (`baseline`), because absolute numbers on shared machines are noise.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';

export interface Target {
  metric: string;
  /** The metric must be at least (`>=`) or at most (`<=`) the value. */
  op: '>=' | '<=';
  value: number;
  met?: boolean;
}

export interface ScenarioResult {
  scenario: string;
  date: string;
  machine: { cpus: number; cpuModel: string; node: string };
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  baseline: { name: string; metrics: Record<string, number> } | null;
  /** Headline metric ÷ the same metric of the baseline, when there is one. */
  ratio: number | null;
  targets: Target[];
}

export interface ScenarioContext {
  quick: boolean;
  log: (line: string) => void;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: ScenarioContext): Promise<Omit<ScenarioResult, 'scenario' | 'date' | 'machine'>>;
}

export function machine(): ScenarioResult['machine'] {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model ?? 'unknown', node: process.version };
}

/** Latency histogram with 3 significant digits, from 1 unit (µs, or ns for sub-µs paths) to 60 s in µs. */
export function latencyHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export function percentiles(h: hdr.Histogram, prefix: string, unit: 'us' | 'ns' = 'us'): Record<string, number> {
  return {
    [`${prefix}_p50_${unit}`]: h.getValueAtPercentile(50),
    [`${prefix}_p99_${unit}`]: h.getValueAtPercentile(99),
    [`${prefix}_p999_${unit}`]: h.getValueAtPercentile(99.9),
    [`${prefix}_max_${unit}`]: h.maxValue,
  };
}

export function checkTargets(metrics: Record<string, number>, targets: Target[]): Target[] {
  return targets.map((t) => {
    const v = metrics[t.metric];
    return { ...t, met: v !== undefined && (t.op === '>=' ? v >= t.value : v <= t.value) };
  });
}

export function writeResult(dir: string, result: ScenarioResult): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.scenario}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  return v.toPrecision(3);
};

/** One row per scenario: headline metrics, baseline, ratio and targets. */
export function markdownTable(results: ScenarioResult[]): string {
  const lines = ['| scenario | metrics | baseline (same run) | ratio | targets |', '| --- | --- | --- | --- | --- |'];
  for (const r of results) {
    const metrics = Object.entries(r.metrics)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join('<br>');
    const base = r.baseline
      ? `${r.baseline.name}: ` +
        Object.entries(r.baseline.metrics)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(', ')
      : '—';
    const targets =
      r.targets.map((t) => `${t.met ? '✅' : '❌'} ${t.metric} ${t.op} ${fmt(t.value)}`).join('<br>') || '—';
    lines.push(
      `| ${r.scenario} | ${metrics} | ${base} | ${r.ratio === null ? '—' : r.ratio.toFixed(2)} | ${targets} |`,
    );
  }
  return lines.join('\n');
}
