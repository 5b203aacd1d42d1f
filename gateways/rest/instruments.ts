// `GET /v1/instruments`: the instrument reference data the gateway was configured with: what an
// instrument is (kind, currency, sector, country, multiplier) and its contract terms. The risk
// model's own parameters (seed price, factor loadings, volatilities) are not reference data and
// stay inside the engine. Instruments are not entitled per portfolio: any caller may list them.

import type { Instrument } from '../../engine/model.js';
import { json, type Route } from '../route.js';

export const INSTRUMENTS_PATH = '/v1/instruments';

/** One row of the reply; kind-specific terms appear only on their kind. */
export interface InstrumentRef {
  id: string;
  kind: Instrument['kind'];
  name?: string;
  currency: string;
  sector: string;
  country: string;
  multiplier: number;
  underlying?: string;
  expiry?: string;
  base?: string;
  strike?: number;
  right?: 'call' | 'put';
  coupon?: number;
  maturity?: string;
  rating?: string;
}

export function instrumentRef(i: Instrument): InstrumentRef {
  const ref: InstrumentRef = {
    id: i.id,
    kind: i.kind,
    ...(i.name !== undefined ? { name: i.name } : {}),
    currency: i.currency,
    sector: i.sector,
    country: i.country,
    multiplier: i.multiplier,
  };
  switch (i.kind) {
    case 'future':
      return { ...ref, ...(i.underlying !== undefined ? { underlying: i.underlying } : {}), expiry: i.expiry };
    case 'fx':
      return { ...ref, base: i.base };
    case 'option':
      return { ...ref, underlying: i.underlying, strike: i.strike, expiry: i.expiry, right: i.right };
    case 'bond':
      return { ...ref, coupon: i.coupon, maturity: i.maturity, rating: i.rating };
    default:
      return ref;
  }
}

/** What the route is given: the configured instrument definitions (config.instruments). */
export type InstrumentInfo = Instrument;

export interface InstrumentRouteDeps {
  instruments: readonly InstrumentInfo[];
}

export function instrumentRoutes(d: InstrumentRouteDeps): Route[] {
  const rows = d.instruments.map(instrumentRef);
  return [
    {
      method: 'GET',
      path: INSTRUMENTS_PATH,
      auth: true,
      handler: () => json(200, rows),
    },
  ];
}
