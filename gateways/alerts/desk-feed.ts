// The gateway's alert desk: its book (services/alerts/desk.ts) fed from the `alerts` topic as the
// gateway reads it, the actions its clients take published back onto that topic, and each action
// read back turned into the next frame of its portfolio's `alerts:` channel, so subscribers see who
// acknowledged or took an alert the moment every gateway knows it.

import type { Logger } from 'pino';
import type { Frame } from '../../engine/frames.js';
import type { Alert } from '../../engine/model.js';
import { validateAlert } from '../../engine/validate.js';
import { validateAlertAction, type AlertAction } from '../../services/alerts/actions.js';
import { AlertDesk } from '../../services/alerts/desk.js';
import type { Bus, Producer } from '../../streams/bus.js';
import { encodeEnvelope, ENVELOPE_VERSION } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import type { ChannelStore } from '../channels.js';
import { AlertEntry } from './entry.js';

export class AlertDeskFeed {
  readonly desk: AlertDesk;
  readonly entry: AlertEntry;
  private readonly producer: Producer;
  private seq = 0;

  constructor(
    bus: Bus,
    topicPrefix: string,
    /** Names this gateway as the actions' producer. */
    private readonly src: string,
    private readonly logger: Logger,
    capacity?: number,
  ) {
    this.desk = new AlertDesk(capacity);
    this.producer = bus.producer();
    const topic = topicPrefix + TOPIC.alerts;
    this.entry = new AlertEntry(this.desk, (a) => this.producer.send(topic, [this.record(a)]));
  }

  /** An engine frame the channel store applied: an alert (not an action) joins the book. */
  frame(frame: Frame): void {
    if (!frame.channel.startsWith('alerts:') || typeof frame.data.state !== 'string') return;
    try {
      this.desk.alert(validateAlert(frame.data, 'alert frame'), frame.asOf, frame.inputSeq);
    } catch (err) {
      this.logger.warn({ channel: frame.channel, reason: (err as Error).message }, 'alert frame left out of the desk');
    }
  }

  /** A bare `alert` record, after the store made it its channel's frame. */
  alert(a: Alert, frame: Frame): void {
    this.desk.alert(a, frame.asOf, frame.inputSeq);
  }

  /**
   * An `alert-action` record: applied to the book and, when it changed it, the frame for the
   * alerts channel (null for a repeat or an alert this desk no longer holds). Throws on a bad record.
   */
  action(body: unknown, store: ChannelStore): Frame | null {
    const a = validateAlertAction(body, 'alert-action record');
    const outcome = this.desk.apply(a);
    if (outcome === 'unknown') {
      this.logger.info({ alert: a.alert, action: a.id }, 'alert action for an alert this desk does not hold');
      return null;
    }
    return outcome === 'applied'
      ? store.acceptEvent('alerts', a.portfolio, a as unknown as Record<string, unknown>, a.ts)
      : null;
  }

  close(): Promise<void> {
    return this.producer.close();
  }

  private record(a: AlertAction) {
    const env = {
      v: ENVELOPE_VERSION,
      type: 'alert-action' as const,
      src: this.src,
      ts: a.ts,
      seq: ++this.seq,
      body: a,
    };
    return { key: a.portfolio, value: encodeEnvelope(env) };
  }
}
