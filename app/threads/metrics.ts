// One /metrics for a process whose roles run on several threads: each thread has its own
// prom-client registry, and the thread that serves /metrics merges the others' text into its own.

import { Registry } from 'prom-client';

/** Metric families in Prometheus text, by name (`# HELP name …` opens each), in order. */
export function families(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of text.split(/\n(?=# HELP )/)) {
    const name = /^# HELP (\S+)/.exec(block)?.[1];
    if (name) out.set(name, block.endsWith('\n') ? block : `${block}\n`);
  }
  return out;
}

/**
 * Several registries' text as one: a family more than one has (the process metrics every thread
 * may collect) is taken from the first that has it.
 */
export function mergeMetrics(texts: string[]): string {
  const merged = new Map<string, string>();
  for (const text of texts) for (const [name, block] of families(text)) if (!merged.has(name)) merged.set(name, block);
  return [...merged.values()].join('');
}

/** This thread's registry, with the text of other threads' registries after its own. */
export class MergedRegistry extends Registry {
  private readonly others: (() => Promise<string>)[] = [];

  /** Adds another thread's metrics (read at every scrape). */
  include(read: () => Promise<string>): void {
    this.others.push(read);
  }

  /** This registry's own families, without the other threads'. */
  ownMetrics(): Promise<string> {
    return super.metrics();
  }

  override async metrics(): Promise<string> {
    const texts = await Promise.all([super.metrics(), ...this.others.map((read) => read().catch(() => ''))]);
    return mergeMetrics(texts);
  }
}
