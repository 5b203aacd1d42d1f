// Alert acknowledgement and assignment as every client edge sees it (HTTP in gateways/rest/alerts.ts,
// the WebSocket's ops in gateways/stream-server.ts): requests checked with zod, the caller's
// entitlement to the alert's portfolio checked first (an alert of a portfolio the caller may not see
// is answered as if it did not exist), the desk's refusal as ALERT_STATE, and the action published
// on the `alerts` topic. The desk applies it when it reads it back, as every other gateway does,
// so all of them agree on who acknowledged what and in which order.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RisklineError } from '../../errors/catalogue.js';
import { MAX_NAME, MAX_NOTE, type AlertAction, type AlertActionKind } from '../../services/alerts/actions.js';
import type { AlertDesk, DeskAlert, DeskAlertDetail } from '../../services/alerts/desk.js';
import { entitled, type Entitlement, type Identity } from '../identity/identity.js';
import { parseRequest } from '../route.js';

const note = z
  .string({ error: `expected a note of 1..${MAX_NOTE} characters` })
  .min(1, { error: `expected a note of 1..${MAX_NOTE} characters` })
  .max(MAX_NOTE, { error: `expected a note of at most ${MAX_NOTE} characters` })
  .optional();
const assignee = z
  .string({ error: `expected who to assign it to (1..${MAX_NAME} characters)` })
  .min(1, { error: `expected who to assign it to (1..${MAX_NAME} characters)` })
  .max(MAX_NAME, { error: `expected at most ${MAX_NAME} characters` });

export const acknowledgeSchema = z.strictObject({ note });
export const assignSchema = z.strictObject({ assignee, note });
export type AcknowledgeRequest = z.output<typeof acknowledgeSchema>;
export type AssignRequest = z.output<typeof assignSchema>;

/** An acknowledgement's body from any edge (an empty one is none: `{}`): BAD_REQUEST naming the field. */
export const parseAcknowledge = (value: unknown): AcknowledgeRequest =>
  parseRequest(acknowledgeSchema, value ?? {}, 'acknowledgement', 'note');
export const parseAssign = (value: unknown): AssignRequest =>
  parseRequest(assignSchema, value, 'assignment', 'assignee, note');

/** Most alerts one listing returns. */
export const MAX_LIST = 1000;

export interface AlertListQuery {
  portfolio: string | null;
  open?: boolean;
  unacknowledged?: boolean;
  limit: number;
}

export class AlertEntry {
  constructor(
    private readonly desk: AlertDesk,
    /** Puts the action on the `alerts` topic; resolves once the bus has it. */
    private readonly publish: (action: AlertAction) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller's alerts, newest first; of one portfolio when named. */
  list(ent: Entitlement, q: AlertListQuery): DeskAlert[] {
    if (q.portfolio !== null && !entitled(ent, q.portfolio))
      throw new RisklineError('FORBIDDEN', `not entitled to portfolio ${q.portfolio} (alerts)`);
    return this.desk.list({
      visible: (p) => entitled(ent, p),
      ...(q.portfolio === null ? {} : { portfolio: q.portfolio }),
      ...(q.open === undefined ? {} : { open: q.open }),
      ...(q.unacknowledged === undefined ? {} : { unacknowledged: q.unacknowledged }),
      limit: Math.min(Math.max(1, q.limit), MAX_LIST),
    });
  }

  get(ent: Entitlement, alertId: string): DeskAlertDetail {
    const d = this.desk.detail(alertId);
    if (d === undefined || !entitled(ent, d.portfolio)) throw new RisklineError('NOT_FOUND', `no alert ${alertId}`);
    return d;
  }

  acknowledge(who: Identity, alertId: string, r: AcknowledgeRequest): Promise<AlertAction> {
    return this.act(who, alertId, 'acknowledge', r.note);
  }

  assign(who: Identity, alertId: string, r: AssignRequest): Promise<AlertAction> {
    return this.act(who, alertId, 'assign', r.note, r.assignee);
  }

  private async act(
    who: Identity,
    alertId: string,
    kind: AlertActionKind,
    text: string | undefined,
    to?: string,
  ): Promise<AlertAction> {
    const held = this.get(who.entitlement, alertId);
    const refused = this.desk.refusal(alertId, kind, to);
    if (refused !== null) throw new RisklineError('ALERT_STATE', refused);
    const action: AlertAction = {
      id: randomUUID(),
      alert: alertId,
      portfolio: held.portfolio,
      action: kind,
      by: who.subject,
      ts: this.now(),
    };
    if (to !== undefined) action.assignee = to;
    if (text !== undefined) action.note = text;
    try {
      await this.publish(action);
    } catch (err) {
      throw new RisklineError('UNAVAILABLE', `the ${kind} could not be recorded: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return action;
  }
}
