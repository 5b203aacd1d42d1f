// What a person does about an alert: acknowledges it (seen, owned) or assigns its episode to someone.
// An action travels as an `alert-action` record on the `alerts` topic, keyed by portfolio like the
// alerts themselves, so every reader (each gateway's desk, the store's audit) sees it after the
// alert it is about, in the same order.

import type { ErrorCode } from '../../errors/catalogue.js';
import { fail, isFiniteNumber, isObject, isText } from '../../engine/validate.js';

export type AlertActionKind = 'acknowledge' | 'assign';

export interface AlertAction {
  /** Unique per action (the gateway that took it names it). */
  id: string;
  /** The alert it is about. */
  alert: string;
  portfolio: string;
  action: AlertActionKind;
  /** Who did it: the caller's token subject ("anonymous" on an open loopback gateway). */
  by: string;
  /** `assign`: who owns the episode from now on. */
  assignee?: string;
  note?: string;
  /** When the gateway took it, epoch ms (wall clock: a person's action, not a market event). */
  ts: number;
}

/** Longest note kept with an action. */
export const MAX_NOTE = 500;
/** Longest alert id, subject or assignee. */
export const MAX_NAME = 200;
const FIELDS: ReadonlySet<string> = new Set(['id', 'alert', 'portfolio', 'action', 'by', 'assignee', 'note', 'ts']);

/** An `alert-action` record's body, checked field by field (`<where>: <field>: expected …`). */
export function validateAlertAction(
  obj: unknown,
  where = 'alert action',
  code: ErrorCode = 'DECODE_FAILED',
): AlertAction {
  if (!isObject(obj)) return fail(code, where, 'action', 'an object', obj);
  const { id, alert, portfolio, action, by, assignee, note, ts } = obj;
  for (const [field, v] of [
    ['id', id],
    ['alert', alert],
    ['portfolio', portfolio],
    ['by', by],
  ] as const)
    if (!isText(v, MAX_NAME)) fail(code, where, field, `a non-empty string of at most ${MAX_NAME} characters`, v);
  if (action !== 'acknowledge' && action !== 'assign')
    return fail(code, where, 'action', '"acknowledge" or "assign"', action);
  if (action === 'assign' ? !isText(assignee, MAX_NAME) : assignee !== undefined)
    fail(
      code,
      where,
      'assignee',
      action === 'assign' ? 'who the episode is assigned to' : 'nothing (only an assign names one)',
      assignee,
    );
  if (note !== undefined && !isText(note, MAX_NOTE))
    fail(code, where, 'note', `a non-empty string of at most ${MAX_NOTE} characters`, note);
  if (!isFiniteNumber(ts)) fail(code, where, 'ts', 'epoch milliseconds', ts);
  const extra = Object.keys(obj).find((k) => !FIELDS.has(k));
  if (extra !== undefined)
    fail(code, where, extra, 'no such field (an alert action has exactly the documented ones)', obj[extra]);
  const out: AlertAction = {
    id: id as string,
    alert: alert as string,
    portfolio: portfolio as string,
    action,
    by: by as string,
    ts,
  };
  if (assignee !== undefined) out.assignee = assignee as string;
  if (note !== undefined) out.note = note as string;
  return out;
}
