// Exposure breakdowns: long and short by asset class, sector, currency or country as diverging
// bars (D3 scales, drawn by React), the net as a tick and in figures.
import { scaleBand, scaleLinear } from 'd3-scale';
import { memo, useState } from 'react';
import { money, signed } from '../format.js';
import { Panel } from '../panel.js';
import type { ChannelState } from '../live.js';

export const DIMENSIONS = {
  assetClass: { label: 'Asset class', section: 'byAssetClass' },
  sector: { label: 'Sector', section: 'bySector' },
  currency: { label: 'Currency', section: 'byCurrency' },
  country: { label: 'Country', section: 'byCountry' },
} as const;
export type Dimension = keyof typeof DIMENSIONS;

interface Cell {
  long: number;
  short: number;
  net: number;
  gross: number;
}

const ROW = 22;
const LABEL = 120;
const FIGURE = 90;
const WIDTH = 440;

export const Exposures = memo(function Exposures(props: { exposures: ChannelState | undefined }) {
  const [dim, setDim] = useState<Dimension>('assetClass');
  const data = props.exposures?.data;
  const section = (data?.[DIMENSIONS[dim].section] as Record<string, Cell> | undefined) ?? {};
  const rows = Object.entries(section).sort((a, b) => b[1].gross - a[1].gross);
  const extent = Math.max(1, ...rows.map(([, c]) => Math.max(c.long, -c.short)));
  const x = scaleLinear()
    .domain([-extent, extent])
    .range([LABEL, WIDTH - FIGURE]);
  const y = scaleBand()
    .domain(rows.map(([k]) => k))
    .range([0, rows.length * ROW])
    .padding(0.2);
  const tools = (
    <select value={dim} onChange={(e) => setDim(e.target.value as Dimension)} aria-label="Exposure by">
      {Object.entries(DIMENSIONS).map(([k, d]) => (
        <option key={k} value={k}>
          {d.label}
        </option>
      ))}
    </select>
  );
  return (
    <Panel
      title="Exposures"
      name="exposures"
      asOf={props.exposures?.asOf}
      inputSeq={props.exposures?.inputSeq}
      tools={tools}
    >
      <svg
        className="bars"
        viewBox={`0 0 ${WIDTH} ${rows.length * ROW + 4}`}
        width="100%"
        role="img"
        aria-label={`Exposure by ${DIMENSIONS[dim].label}`}
      >
        <line x1={x(0)} x2={x(0)} y1={0} y2={rows.length * ROW} className="axis" />
        {rows.map(([k, c]) => (
          <g key={k} data-bucket={k} data-net={c.net} data-gross={c.gross} transform={`translate(0,${y(k) ?? 0})`}>
            <title>{`${k}: long ${money(c.long)}, short ${money(c.short)}, net ${signed(c.net)}, gross ${money(c.gross)}`}</title>
            <text x={LABEL - 4} y={y.bandwidth() / 2} className="label" dominantBaseline="middle" textAnchor="end">
              {k}
            </text>
            <rect className="long" x={x(0)} width={x(c.long) - x(0)} height={y.bandwidth()} />
            <rect className="short" x={x(c.short)} width={x(0) - x(c.short)} height={y.bandwidth()} />
            <line className="net" x1={x(c.net)} x2={x(c.net)} y1={-1} y2={y.bandwidth() + 1} />
            <text x={WIDTH} y={y.bandwidth() / 2} className="figure" dominantBaseline="middle" textAnchor="end">
              {signed(c.net)}
            </text>
          </g>
        ))}
      </svg>
      {data?.totals !== undefined && (
        <p className="totals" data-totals>
          {(['long', 'short', 'net', 'gross'] as const).map((k) => (
            <span key={k} data-total={k}>
              {k} <span className="num">{money((data.totals as Cell)[k])}</span>
            </span>
          ))}
        </p>
      )}
    </Panel>
  );
});
