// The alerts role: every alert on the `alerts` topic (the engine's limit breaches and clearances,
// other producers' alerts) to the desk's configured webhooks (services/alerts/webhook.ts). A batch's
// offsets commit once each of its alerts is delivered to every webhook that wants it or dead-lettered
// with the reason, so an alert read before a crash is delivered again after it (at least once; the
// `Riskline-Alert-Id` header lets a receiver drop a repeat).

import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { RisklineConfig } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';
import type { Alert } from '../../engine/model.js';
import { alertOf } from '../../services/alerts/read.js';
import { Webhooks, type WebhookTarget } from '../../services/alerts/webhook.js';
import type { Batch, Bus, ConsumedMessage, Subscription } from '../../streams/bus.js';
import { dlqMessage } from '../../streams/dlq.js';
import { decodeEnvelopeAuto } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';

export interface AlertsRole {
  close(): Promise<void>;
}

export interface AlertsRoleOptions {
  bus: Bus;
  config: RisklineConfig;
  logger: Logger;
  registry: Registry;
}

export const alertsGroup = (prefix: string): string => `${prefix}alerts`;

export async function startAlertsRole(o: AlertsRoleOptions): Promise<AlertsRole> {
  const { bus, config } = o;
  const logger = o.logger.child({ role: 'alerts' });
  const producer = bus.producer();
  const dlqTopic = config.topics.prefix + TOPIC.dlq;
  const delivered = new Counter({
    name: 'riskline_alert_webhooks_total',
    help: 'Alert deliveries to webhooks, by webhook and outcome (delivered, dead_lettered)',
    labelNames: ['webhook', 'outcome'],
    registers: [o.registry],
  });
  /** The bus record each alert in flight came from, for its DLQ record. */
  const sources = new Map<Alert, ConsumedMessage>();
  const webhooks = new Webhooks(config.alerts.webhooks as WebhookTarget[], {
    ...config.alerts,
    onDelivered: (_a, target) => delivered.inc({ webhook: target.id, outcome: 'delivered' }),
    deadLetter: async (alert, target, reason) => {
      delivered.inc({ webhook: target.id, outcome: 'dead_lettered' });
      logger.warn({ alert: alert.id, webhook: target.id }, `alert not delivered: ${reason}`);
      const m = sources.get(alert);
      if (m !== undefined) await producer.send(dlqTopic, [dlqMessage(m, new RisklineError('UNAVAILABLE', reason))]);
    },
  });
  const onBatch = async (batch: Batch) => {
    const pending: Promise<void>[] = [];
    for (const m of batch.messages) {
      let alert: Alert | null;
      try {
        alert = alertOf(decodeEnvelopeAuto(m.value));
      } catch {
        continue; // a bad record on `alerts`: the gateway and the store count and dead-letter those
      }
      if (alert === null) continue;
      sources.set(alert, m);
      const a = alert;
      pending.push(webhooks.deliver(a).finally(() => sources.delete(a)));
    }
    await Promise.all(pending);
  };
  let sub: Subscription | null = null;
  try {
    sub = await bus.subscribe({
      group: alertsGroup(config.topics.prefix),
      topics: [config.topics.prefix + TOPIC.alerts],
      onBatch,
    });
  } catch (err) {
    await producer.close();
    throw err;
  }
  logger.info({ webhooks: config.alerts.webhooks.map((w) => w.id) }, 'alerts: delivering to webhooks');
  return {
    async close() {
      await sub?.close();
      await producer.close();
    },
  };
}
