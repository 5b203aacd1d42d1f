// Incremental VaR/ES of a hypothetical trade ("what if I buy 10,000 of X?"), asked over HTTP
// (`POST /v1/risk/what-if`) or as the WebSocket op `whatIf`: one request shape, checked here with
// zod, the caller's entitlement checked before anything is said about the portfolio, and the
// answer from whatever `RiskQueries` the composition gave this gateway (the engine of the same
// process today; a request/reply over the bus to the owning engine is planned).

import { z } from 'zod';
import type { WhatIf } from '../engine/engine.js';
import { RisklineError } from '../errors/catalogue.js';
import { entitled, type Entitlement } from './identity/identity.js';
import { json, jsonBody, parseRequest, type Route } from './route.js';

export type { WhatIf } from '../engine/engine.js';

export const WHAT_IF_PATH = '/v1/risk/what-if';
/** A what-if body is about a hundred bytes; anything near this is not one. */
export const WHAT_IF_BODY_LIMIT = 16 * 1024;
/** Longest portfolio or instrument id accepted (the channel-name limit of the stream). */
const MAX_ID_LENGTH = 200;

/**
 * How a gateway reaches risk it does not compute itself: an engine in this process (on this thread
 * or, across a port, on another), or none.
 */
export interface RiskQueries {
  /** Throws (or rejects with) RisklineError UNKNOWN_PORTFOLIO, UNKNOWN_INSTRUMENT, BAD_REQUEST or UNAVAILABLE. */
  whatIf(portfolio: string, instrument: string, qty: number): WhatIf | Promise<WhatIf>;
}

const id = (what: string) =>
  z
    .string({ error: `expected a ${what} id (string)` })
    .min(1, { error: `expected a non-empty ${what} id` })
    .max(MAX_ID_LENGTH, { error: `expected at most ${MAX_ID_LENGTH} characters` });

/** The request fields; `qty` is signed (negative sells) and never 0. */
export const whatIfRequestSchema = z.strictObject({
  portfolio: id('portfolio'),
  instrument: id('instrument'),
  qty: z
    .number({ error: 'expected a finite non-zero number (negative sells)' })
    .refine((q) => Number.isFinite(q) && q !== 0, { error: 'expected a finite non-zero number (negative sells)' }),
});
export type WhatIfRequest = z.infer<typeof whatIfRequestSchema>;

/** The request, or BAD_REQUEST naming the first field at fault and what was received. */
export function parseWhatIf(value: unknown): WhatIfRequest {
  return parseRequest(whatIfRequestSchema, value, 'what-if', 'portfolio, instrument, qty');
}

/** Entitlement first, exactly as subscriptions: a caller learns nothing about portfolios it may not see. */
export async function answerWhatIf(queries: RiskQueries, ent: Entitlement, req: WhatIfRequest): Promise<WhatIf> {
  if (!entitled(ent, req.portfolio)) {
    throw new RisklineError('FORBIDDEN', `not entitled to portfolio ${req.portfolio} (what-if)`);
  }
  return queries.whatIf(req.portfolio, req.instrument, req.qty);
}

/** `POST /v1/risk/what-if` with `{portfolio, instrument, qty}`: 200 with the WhatIf, or a catalogue error. */
export function whatIfRoute(queries: RiskQueries): Route {
  return {
    method: 'POST',
    path: WHAT_IF_PATH,
    auth: true,
    handler: async ({ req, identity }) => {
      const body = await jsonBody(req, WHAT_IF_BODY_LIMIT);
      return json(200, await answerWhatIf(queries, identity.entitlement, parseWhatIf(body)));
    },
  };
}
