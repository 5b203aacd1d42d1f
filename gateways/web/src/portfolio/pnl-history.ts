// P&L against VaR over the session: one sample per risk run of each portfolio the page follows —
// its P&L (unrealised + realised, from the positions state of that moment) and its 1-day VaR and
// ES at 99 % — kept from when the page opened, bounded to a trading day of one-second runs.
import type { LiveStream } from '../live.js';

export interface PnlSample {
  asOf: number;
  inputSeq: number;
  pnl: number;
  var99: number;
  es99: number;
}

/** A day at one risk run per second; older samples are dropped first. */
export const MAX_SAMPLES = 30_000;

const histories = new WeakMap<LiveStream, Map<string, PnlSample[]>>();

/** The session's samples by portfolio, recorded from the first call for this stream on. */
export function pnlHistory(live: LiveStream): Map<string, PnlSample[]> {
  let byPortfolio = histories.get(live);
  if (byPortfolio !== undefined) return byPortfolio;
  const samples = new Map<string, PnlSample[]>();
  histories.set(live, samples);
  live.listen((changed) => {
    for (const channel of changed) {
      if (!channel.startsWith('risk:')) continue;
      const id = channel.slice(5);
      const risk = live.channels.get(channel);
      const totals = live.channels.get(`positions:${id}`)?.data.totals as
        { unrealizedPnl?: number; realizedPnl?: number } | undefined;
      const v = risk?.data.var as Record<string, number> | undefined;
      const es = risk?.data.es as Record<string, number> | undefined;
      if (risk === undefined || totals?.unrealizedPnl === undefined || v?.['99'] === undefined) continue;
      let list = samples.get(id);
      if (list === undefined) samples.set(id, (list = []));
      if (list.length > 0 && list[list.length - 1].inputSeq === risk.inputSeq) continue;
      list.push({
        asOf: risk.asOf,
        inputSeq: risk.inputSeq,
        pnl: totals.unrealizedPnl + (totals.realizedPnl ?? 0),
        var99: v['99'],
        es99: es?.['99'] ?? NaN,
      });
      if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
    }
  });
  byPortfolio = samples;
  return byPortfolio;
}
