// The desk's alerts over HTTP (docs/architecture.md, "Acknowledgement and assignment"): the book of
// alerts with who acknowledged each and who owns its episode, one alert with its audit, and the two
// actions, through the same AlertEntry as the WebSocket's ops.

import { RisklineError } from '../../errors/catalogue.js';
import { AlertEntry, parseAcknowledge, parseAssign, type AlertListQuery } from '../alerts/entry.js';
import { json, jsonBody, type Route } from '../route.js';

export const ALERTS_PATH = '/v1/alerts';
/** An action's body is a note at most. */
const ACTION_BODY_LIMIT = 8 * 1024;
const DEFAULT_LIST = 200;

export interface AlertRouteDeps {
  alerts: AlertEntry;
}

export function alertRoutes(d: AlertRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: ALERTS_PATH,
      auth: true,
      handler: ({ req, identity }) => json(200, { alerts: d.alerts.list(identity.entitlement, listQuery(req.url)) }),
    },
    {
      method: 'GET',
      path: `${ALERTS_PATH}/:id`,
      auth: true,
      handler: ({ params, identity }) => json(200, d.alerts.get(identity.entitlement, params.id)),
    },
    {
      method: 'POST',
      path: `${ALERTS_PATH}/:id/acknowledge`,
      auth: true,
      handler: async ({ req, params, identity }) =>
        json(
          202,
          await d.alerts.acknowledge(identity, params.id, parseAcknowledge(await jsonBody(req, ACTION_BODY_LIMIT, {}))),
        ),
    },
    {
      method: 'POST',
      path: `${ALERTS_PATH}/:id/assign`,
      auth: true,
      handler: async ({ req, params, identity }) =>
        json(202, await d.alerts.assign(identity, params.id, parseAssign(await jsonBody(req, ACTION_BODY_LIMIT)))),
    },
  ];
}

/** `?portfolio=&open=true|false&unacknowledged=true&limit=N`: BAD_REQUEST naming a bad parameter. */
function listQuery(url: URL): AlertListQuery {
  const p = url.searchParams;
  const flag = (name: string): boolean | undefined => {
    const v = p.get(name);
    if (v === null) return undefined;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new RisklineError('BAD_REQUEST', `${name}: expected true or false, received ${JSON.stringify(v)}`);
  };
  const limitText = p.get('limit');
  const limit = limitText === null ? DEFAULT_LIST : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new RisklineError('BAD_REQUEST', `limit: expected an integer 1..1000, received ${JSON.stringify(limitText)}`);
  const q: AlertListQuery = { portfolio: p.get('portfolio'), limit };
  const open = flag('open');
  const unacknowledged = flag('unacknowledged');
  if (open !== undefined) q.open = open;
  if (unacknowledged !== undefined) q.unacknowledged = unacknowledged;
  return q;
}
