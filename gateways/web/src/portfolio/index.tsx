// A portfolio: the live positions grid beside VaR/ES by method (each figure explained on a click)
// and P&L against VaR over the session; below, exposure breakdowns, the stress table, the backtest,
// the what-if panel, and the order ticket with its blotter. Every panel says which input it
// reflects and how old it is.
import type { Theme } from 'ag-grid-community';
import { useCallback, useEffect, useState } from 'react';
import { getJson, type InstrumentRef } from '../api.js';
import type { ChannelState, LiveStream } from '../live.js';
import { DataAge } from '../panel.js';
import { Analytics } from './analytics.js';
import { Backtest } from './backtest.js';
import { DIMENSIONS, Exposures, type Dimension } from './exposures.js';
import { Measures } from './measures.js';
import { OrderTicket } from './order-ticket.js';
import { PnlChart } from './pnl-chart.js';
import { pnlHistory, type PnlSample } from './pnl-history.js';
import { Positions } from './positions.js';
import { asRisk } from './risk-data.js';
import { Stress } from './stress.js';
import { WhatIf } from './what-if.js';

const NO_REFS: ReadonlyMap<string, InstrumentRef> = new Map();
const NO_SAMPLES: readonly PnlSample[] = [];

/** Instrument reference data, fetched once per page and token. */
function useInstruments(token: string | null): { list: InstrumentRef[]; byId: ReadonlyMap<string, InstrumentRef> } {
  const [refs, setRefs] = useState<{ list: InstrumentRef[]; byId: ReadonlyMap<string, InstrumentRef> }>({
    list: [],
    byId: NO_REFS,
  });
  useEffect(() => {
    let on = true;
    getJson<InstrumentRef[]>('/v1/instruments', token).then(
      (list) => on && setRefs({ list, byId: new Map(list.map((i) => [i.id, i])) }),
      () => undefined, // grouping shows "unknown" and the what-if list stays empty; the rest is live
    );
    return () => void (on = false);
  }, [token]);
  return refs;
}

export function Portfolio(props: { id: string; live: LiveStream; theme: Theme; token: string | null }) {
  const { id, live } = props;
  const refs = useInstruments(props.token);
  const [groupBy, setGroupBy] = useState<Dimension | null>(null);
  const [filter, setFilter] = useState('');
  const [pos, setPos] = useState<{ inputSeq?: number; asOf?: number }>(
    () => live.channels.get(`positions:${id}`) ?? {},
  );
  const [exposures, setExposures] = useState<ChannelState | undefined>(() => live.channels.get(`exposures:${id}`));
  const [risk, setRisk] = useState(() => asRisk(live.channels.get(`risk:${id}`)?.data));
  const samples = pnlHistory(live);
  // Called every flush the grid takes (a risk run too): the toolbar re-renders only when the positions moved.
  const onState = useCallback(
    (inputSeq?: number, asOf?: number) =>
      setPos((was) => (was.inputSeq === inputSeq && was.asOf === asOf ? was : { inputSeq, asOf })),
    [],
  );
  useEffect(() => {
    live.subscribe([`positions:${id}`, `exposures:${id}`, `risk:${id}`]);
    return live.listen((changed) => {
      if (changed.has(`exposures:${id}`)) setExposures(live.channels.get(`exposures:${id}`));
      if (changed.has(`risk:${id}`)) setRisk(asRisk(live.channels.get(`risk:${id}`)?.data));
    });
  }, [live, id]);
  return (
    <div className="portfolio">
      <div className="toolbar">
        <a href="#/">Book</a> / <strong>{id}</strong>
        <label>
          Group by{' '}
          <select
            value={groupBy ?? ''}
            onChange={(e) => setGroupBy((e.target.value || null) as Dimension | null)}
            aria-label="Group positions by"
          >
            <option value="">none</option>
            {Object.entries(DIMENSIONS).map(([k, d]) => (
              <option key={k} value={k}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <span className="seq">
          positions: input seq <span data-input-seq={pos.inputSeq ?? ''}>{pos.inputSeq ?? '—'}</span>
          {' · '}
          <DataAge asOf={pos.asOf} />
        </span>
        <input placeholder="Filter positions" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <div className="panes">
        <Positions
          id={id}
          live={live}
          theme={props.theme}
          refs={refs.byId}
          groupBy={groupBy}
          filter={filter}
          onState={onState}
        />
        <div className="side">
          <Measures risk={risk} />
          <PnlChart samples={samples.get(id) ?? NO_SAMPLES} latest={samples.get(id)?.at(-1)?.inputSeq} />
        </div>
      </div>
      <div className="cards">
        <Exposures exposures={exposures} />
        <Stress risk={risk} />
        <Backtest risk={risk} />
        <Analytics risk={risk} />
        <WhatIf portfolio={id} token={props.token} instruments={refs.list} />
        <OrderTicket portfolio={id} token={props.token} live={live} instruments={refs.list} />
      </div>
    </div>
  );
}
