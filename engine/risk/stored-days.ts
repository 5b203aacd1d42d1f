// The days a history file does not have, from the store's bars: each stored day's closing marks
// (the last 1-minute bar of the UTC day) become that day's realised factor returns, fitted exactly
// as the engine fits the days it lives through (realised.ts), and are appended after the file's
// last day. So an engine started after running for weeks has those weeks in its historical window,
// its EWMA covariance and its backtests, as the process that lived through them had. Pure: the
// closes are read by the caller (services/store/history.ts).

import type { InstrumentTable } from '../instruments.js';
import { isoOfEpochDay } from './history.js';
import { realisedFactorReturns } from './realised.js';
import type { HistorySource } from './risk-model.js';

/** Closing marks per stored day: `closes[d][i]` for `days[d]` and instrument `instruments[i]`, NaN where none. */
export interface StoredCloses {
  /** Epoch days, ascending. */
  days: number[];
  instruments: string[];
  closes: number[][];
}

/** What the store added to a history: its days of returns (the first stored day is their base only). */
export interface StoredDays {
  days: number;
  from: string;
  to: string;
}

/**
 * The history with the stored days after its last appended (earlier ones are the file's to give).
 * A day's return needs the day before: the first stored day after the file is the base, unless
 * the file's own last day is stored too. An instrument without a close on a day keeps its last one
 * (its move is counted on the day it is next seen), as the live engine's marks do.
 */
export function withStoredDays(
  history: HistorySource,
  t: InstrumentTable,
  stored: StoredCloses,
): HistorySource & { stored?: StoredDays } {
  const last = history.epochDays.length > 0 ? history.epochDays[history.epochDays.length - 1] : -Infinity;
  const column = stored.instruments.map((id) => t.index(id));
  const k = t.factors.length;
  let previous: Float64Array | null = null;
  const days: number[] = [];
  const rows: Float64Array[] = [];
  for (let d = 0; d < stored.days.length; d++) {
    const close: Float64Array = previous === null ? new Float64Array(t.count).fill(NaN) : Float64Array.from(previous);
    stored.closes[d].forEach((c, j) => {
      if (column[j] >= 0 && c > 0) close[column[j]] = c;
    });
    if (previous !== null && stored.days[d] > last) {
      days.push(stored.days[d]);
      rows.push(realisedFactorReturns(t, previous, close, new Float64Array(k)));
    }
    previous = close;
  }
  if (days.length === 0) return history;
  const n = history.epochDays.length;
  const epochDays = new Int32Array(n + days.length);
  epochDays.set(history.epochDays);
  epochDays.set(days, n);
  const factorReturns = new Float64Array((n + days.length) * k);
  factorReturns.set(history.factorReturns);
  rows.forEach((r, d) => factorReturns.set(r, (n + d) * k));
  // The file's own instrument series have no value on the stored days: the factor model stands in.
  const instruments = new Map([...history.instruments].map(([id, s]) => [id, padded(s, days.length)]));
  return {
    ...history,
    epochDays,
    factorReturns,
    instruments,
    stored: { days: days.length, from: isoOfEpochDay(days[0]), to: isoOfEpochDay(days[days.length - 1]) },
  };
}

function padded(series: Float64Array, extra: number): Float64Array {
  const out = new Float64Array(series.length + extra).fill(NaN);
  out.set(series);
  return out;
}
