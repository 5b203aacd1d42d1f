// `GET /v1/portfolios/:id/positions|exposures|risk`: one channel's state as the gateway holds it,
// as ONE view at ONE inputSeq. The view is read and serialised in the same synchronous turn, so no
// frame can be applied between reading `inputSeq` and reading `data`, and the reply is a copy that
// later frames never change. Entitlement is checked before existence, as for subscriptions.

import { RisklineError } from '../../errors/catalogue.js';
import { channelOf } from '../../engine/frames.js';
import type { ChannelStore } from '../channels.js';
import { entitled, type Identity } from '../identity/identity.js';
import { json, type HttpReply, type Route } from '../route.js';

export const VIEW_KINDS = ['positions', 'exposures', 'risk'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

/** What these routes read of the gateway's store. */
export type PortfolioStateSource = Pick<ChannelStore, 'hasPortfolio' | 'get'>;

export interface PortfolioViewRouteDeps {
  store: PortfolioStateSource;
}

/** The body of every view reply; `data` is the channel's merged state (see asyncapi.yaml for its shape). */
export interface PortfolioView {
  portfolio: string;
  channel: string;
  inputSeq: number;
  asOf: number;
  seq: number;
  data: Record<string, unknown>;
}

export const viewPath = (kind: ViewKind): string => `/v1/portfolios/:id/${kind}`;

/** An id as shown in a message: a crafted path cannot make an error body large. */
const shown = (id: string): string => (id.length > 80 ? `${id.slice(0, 80)}…` : id);

/**
 * The reply for one portfolio channel: FORBIDDEN, NOT_FOUND, UNAVAILABLE (no state yet, or a gap
 * waits for the engine's next snapshot), or 200 with the view.
 */
export function viewReply(store: PortfolioStateSource, identity: Identity, kind: ViewKind, id: string): HttpReply {
  if (!entitled(identity.entitlement, id)) {
    throw new RisklineError('FORBIDDEN', `not entitled to portfolio ${shown(id)} (${kind})`);
  }
  if (!store.hasPortfolio(id)) throw new RisklineError('NOT_FOUND', `no such portfolio: ${shown(id)}`);
  const channel = channelOf(kind, id);
  const ch = store.get(channel);
  if (ch === undefined || ch.state === undefined) {
    throw new RisklineError(
      'UNAVAILABLE',
      `${kind} of ${id}: no state yet (the gateway has not received the engine's first ${channel} snapshot)`,
    );
  }
  if (ch.needsSnapshot) {
    throw new RisklineError(
      'UNAVAILABLE',
      `${kind} of ${id}: frames after seq ${ch.seq} were missed; waiting for the engine's next snapshot`,
    );
  }
  const view: PortfolioView = {
    portfolio: id,
    channel,
    inputSeq: ch.inputSeq,
    asOf: ch.asOf,
    seq: ch.seq,
    data: ch.state,
  };
  // json() serialises here, before anything else can run: the reply is the copy.
  return json(200, view);
}

export function portfolioViewRoutes(d: PortfolioViewRouteDeps): Route[] {
  return VIEW_KINDS.map((kind): Route => ({
    method: 'GET',
    path: viewPath(kind),
    auth: true,
    handler: ({ identity, params }) => viewReply(d.store, identity, kind, params.id),
  }));
}
