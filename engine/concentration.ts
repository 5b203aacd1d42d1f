// Concentration: the largest share of a portfolio's gross exposure held in one key of a dimension
// (one position, one asset class, sector, currency or country). Shares are of gross (long − short,
// options delta-adjusted, in the base currency), so a dimension's shares sum to 1 and a portfolio
// with no exposure has no concentration (0). Read from the book's sums: a bucket dimension costs
// its few buckets, the instrument dimension one multiply per position.

import { DIMENSIONS, type Book } from './book.js';
import type { ConcentrationDimension } from './limits.js';

export interface Share {
  /** The largest key's share of gross exposure, 0–1. */
  share: number;
  /** That key: an instrument id, asset class, sector, currency or country ('' when there is none). */
  key: string;
}

const pair = new Float64Array(2);
let rate = new Float64Array(8);

/** The largest share of gross exposure in one key of `dim` in portfolio `port`. */
export function largestShare(book: Book, port: number, dim: ConcentrationDimension): Share {
  const buckets = book.portfolioBuckets[port];
  book.bucketValue(buckets[0], pair);
  const gross = pair[0] - pair[1];
  if (!(gross > 0)) return { share: 0, key: '' };
  return dim === 'instrument' ? largestPosition(book, port, gross) : largestBucket(book, port, dim, gross);
}

function largestBucket(book: Book, port: number, dim: ConcentrationDimension, gross: number): Share {
  const d = DIMENSIONS.indexOf(dim as (typeof DIMENSIONS)[number]);
  let best = 0;
  let key = '';
  for (const b of book.portfolioBuckets[port]) {
    if (book.bDim[b] !== d) continue;
    book.bucketValue(b, pair);
    const g = pair[0] - pair[1];
    if (g > best) {
      best = g;
      key = book.bKey[b];
    }
  }
  return { share: best / gross, key };
}

function largestPosition(book: Book, port: number, gross: number): Share {
  const t = book.t;
  // One rate per currency into the base, as bucketValue has it, not one division per position.
  const base = t.usdPer[book.base[port]];
  if (rate.length < book.nc) rate = new Float64Array(book.nc);
  for (let c = 0; c < book.nc; c++) rate[c] = t.usdPer[c] / base;
  let best = 0;
  let at = -1;
  for (const p of book.portfolioPositions[port]) {
    const i = book.pInst[p];
    const g = Math.abs(book.pExp[p]) * rate[t.currency[i]];
    if (g > best) {
      best = g;
      at = i;
    }
  }
  return { share: best / gross, key: at < 0 ? '' : t.ids[at] };
}
