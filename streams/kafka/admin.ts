// The topic catalogue on a Kafka cluster: topics that are missing are created with the configured
// partitions, replication, retention and cleanup policy; topics that exist are checked against the
// catalogue, and every mismatch is reported in one error naming topic, setting, wanted and found.
// Partitions are never changed behind an operator's back: that would move keys between partitions.

import type { Admin } from 'kafkajs';
import kafkajs from 'kafkajs';
import { RisklineError } from '../../errors/catalogue.js';
import type { TopicSpec } from '../bus.js';

const { ConfigResourceTypes } = kafkajs;

/** Compacted state topics roll segments often so compaction keeps them short to read on a rebuild. */
const COMPACT_CONFIG = { 'segment.ms': '60000', 'min.cleanable.dirty.ratio': '0.1', 'delete.retention.ms': '60000' };

export function topicConfig(spec: TopicSpec): Record<string, string> {
  const c: Record<string, string> = { 'cleanup.policy': spec.cleanup };
  if (spec.retentionMs !== undefined) c['retention.ms'] = String(spec.retentionMs);
  if (spec.cleanup === 'compact') Object.assign(c, COMPACT_CONFIG);
  return c;
}

/** Creates what is missing, then checks every topic; returns partitions per topic. */
export async function ensureKafkaTopics(admin: Admin, specs: TopicSpec[]): Promise<Map<string, number>> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor ?? 1,
        configEntries: Object.entries(topicConfig(s)).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  // Every topic is checked, created ones too: a topic another client created a moment ago may
  // have been missing from the listing, and kafkajs reports "already exists" only as `false`.
  const present = specs;
  const problems: string[] = [];
  const partitions = new Map<string, number>();
  if (present.length > 0) {
    const meta = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((s) => ({
        type: ConfigResourceTypes.TOPIC,
        name: s.name,
        configNames: ['cleanup.policy', 'retention.ms'],
      })),
    });
    for (const s of present) {
      const m = meta.topics.find((t) => t.name === s.name)!;
      const n = m.partitions.length;
      partitions.set(s.name, n);
      if (n !== s.partitions) problems.push(`${s.name}: partitions ${n}, catalogue says ${s.partitions}`);
      const rf = m.partitions[0]?.replicas.length ?? 0;
      if (s.replicationFactor !== undefined && rf !== s.replicationFactor)
        problems.push(`${s.name}: replication factor ${rf}, catalogue says ${s.replicationFactor}`);
      const entries = configs.resources.find((r) => r.resourceName === s.name)?.configEntries ?? [];
      const get = (name: string) => entries.find((e) => e.configName === name)?.configValue;
      if (get('cleanup.policy') !== s.cleanup)
        problems.push(`${s.name}: cleanup.policy ${get('cleanup.policy')}, catalogue says ${s.cleanup}`);
      if (s.retentionMs !== undefined && get('retention.ms') !== String(s.retentionMs))
        problems.push(`${s.name}: retention.ms ${get('retention.ms')}, catalogue says ${s.retentionMs}`);
    }
  }
  if (problems.length > 0) {
    throw new RisklineError(
      'CONFIG_INVALID',
      `topics: the cluster's topics differ from the catalogue (config/topics.json): ${problems.join('; ')}`,
    );
  }
  return partitions;
}
