// Topic catalogue: logical names used in code, physical names carry the configured prefix.

import type { TopicSpec } from './bus.js';

export const TOPIC = {
  ticks: 'md.ticks',
  orderRequests: 'orders.requests',
  executions: 'orders.executions',
  orderEvents: 'orders.events',
  positions: 'state.positions',
  exposures: 'state.exposures',
  risk: 'risk.snapshots',
  alerts: 'alerts',
  dlq: 'dlq',
} as const;
export type TopicName = (typeof TOPIC)[keyof typeof TOPIC];

export interface TopicConfig {
  prefix: string;
  topics: Record<
    TopicName,
    {
      partitions: number;
      replicationFactor?: number;
      retentionMs?: number;
      cleanup: 'delete' | 'compact';
      codec: 'msgpack' | 'json';
    }
  >;
}

export function topicSpecs(cfg: TopicConfig): TopicSpec[] {
  return (Object.keys(cfg.topics) as TopicName[]).map((name) => ({
    name: cfg.prefix + name,
    ...cfg.topics[name],
  }));
}

/**
 * Engine checkpoints share state.positions with the positions frames (keyed by the bare portfolio
 * id) under their own key, so compaction keeps the newest of each.
 */
const CHECKPOINT_KEY_PREFIX = 'checkpoint:';
export const checkpointKey = (portfolio: string): string => CHECKPOINT_KEY_PREFIX + portfolio;
export const isCheckpointKey = (key: string): boolean => key.startsWith(CHECKPOINT_KEY_PREFIX);
