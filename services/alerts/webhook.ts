// Alerts to a desk's webhooks (Slack, Teams, PagerDuty or a phone push service behind an HTTP
// endpoint): a JSON POST per alert and target, signed so the receiver can tell it came from here
// and is not a replay, retried with exponential backoff, and dead-lettered with the reason after
// the last attempt. Each target has its own queue, delivered in order (a breach before its
// clearance), bounded: past `maxQueued` an alert is dead-lettered at once rather than held.
//
// Signature (the scheme Stripe and Slack use): `Riskline-Signature: t=<unix seconds>,v1=<hex>`, where
// hex = HMAC-SHA256(secret, `${t}.${body}`). A receiver recomputes it over the raw body and refuses
// a `t` more than a few minutes old. `Riskline-Alert-Id` carries the alert's id: deliveries are
// at least once, so a receiver drops an id it has seen.

import { createHmac } from 'node:crypto';
import type { Alert, AlertSeverity } from '../../engine/model.js';

export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
  /** Only these severities (default: all). */
  severities?: readonly AlertSeverity[];
  /** Only these portfolios (default: all). */
  portfolios?: readonly string[];
}

export interface WebhookOptions {
  maxAttempts: number;
  firstBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  maxQueued: number;
  /** After the last attempt, or when the target's queue is full. */
  deadLetter(alert: Alert, target: WebhookTarget, reason: string): Promise<void> | void;
  /** Seconds since the epoch for the signature (default: the wall clock). */
  nowS?: () => number;
  onDelivered?(alert: Alert, target: WebhookTarget, attempts: number): void;
}

export function sign(secret: string, t: number, body: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

const wants = (t: WebhookTarget, a: Alert): boolean =>
  (t.severities === undefined || t.severities.includes(a.severity)) &&
  (t.portfolios === undefined || t.portfolios.includes(a.portfolio));

/** One target's queue: its alerts in order, one in flight at a time. */
class TargetQueue {
  private readonly queue: { alert: Alert; done: () => void }[] = [];
  private running = false;
  constructor(
    readonly target: WebhookTarget,
    private readonly o: WebhookOptions,
  ) {}

  push(alert: Alert): Promise<void> {
    if (this.queue.length >= this.o.maxQueued)
      return Promise.resolve(
        this.o.deadLetter(alert, this.target, `${this.o.maxQueued} alerts already wait for this target`),
      );
    return new Promise((done) => {
      this.queue.push({ alert, done });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const { alert, done } = this.queue[0];
      await this.send(alert);
      this.queue.shift();
      done();
    }
    this.running = false;
  }

  /** Delivers one alert, retrying; resolves once it is delivered or dead-lettered. */
  private async send(alert: Alert): Promise<void> {
    const body = JSON.stringify({ type: 'alert', target: this.target.id, alert });
    let wait = this.o.firstBackoffMs;
    let why = '';
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      const t = Math.floor(this.o.nowS?.() ?? Date.now() / 1000);
      try {
        const res = await fetch(this.target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'riskline-signature': sign(this.target.secret, t, body),
            'riskline-alert-id': alert.id,
          },
          body,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return this.o.onDelivered?.(alert, this.target, attempt);
        why = `HTTP ${res.status}`;
        // 4xx other than 408/429: the receiver refuses this alert; trying again would not help.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) break;
      } catch (err) {
        why = (err as Error).name === 'TimeoutError' ? `no answer in ${this.o.timeoutMs} ms` : (err as Error).message;
      }
      if (attempt < this.o.maxAttempts) {
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(this.o.maxBackoffMs, wait * 2);
      }
    }
    await this.o.deadLetter(alert, this.target, `webhook ${this.target.id}: ${why}`);
  }
}

export class Webhooks {
  private readonly queues: TargetQueue[];
  constructor(targets: readonly WebhookTarget[], o: WebhookOptions) {
    this.queues = targets.map((t) => new TargetQueue(t, o));
  }

  /** Resolves once every target that wants the alert has it, or has dead-lettered it. */
  deliver(alert: Alert): Promise<void> {
    return Promise.all(this.queues.filter((q) => wants(q.target, alert)).map((q) => q.push(alert))).then(
      () => undefined,
    );
  }
}
