// P&L against VaR over the session (pnl-history.ts): the P&L line inside the −VaR and −ES lines
// at 99 %, so a breach of the day's risk budget is seen as it happens. D3 scales and line
// generators, drawn by React; at most one point per pixel column is drawn.
import { extent } from 'd3-array';
import { scaleLinear, scaleTime } from 'd3-scale';
import { line } from 'd3-shape';
import { memo } from 'react';
import { money, signed } from '../format.js';
import { Panel } from '../panel.js';
import type { PnlSample } from './pnl-history.js';

const W = 440;
const H = 160;
const M = { left: 70, right: 8, top: 8, bottom: 18 };

/** Every k-th sample so at most `max` are drawn, always keeping the newest. */
function thin(samples: readonly PnlSample[], max: number): PnlSample[] {
  if (samples.length <= max) return [...samples];
  const k = Math.ceil(samples.length / max);
  const out = samples.filter((_, i) => i % k === 0);
  if (out[out.length - 1] !== samples[samples.length - 1]) out.push(samples[samples.length - 1]);
  return out;
}

/** `latest`: the newest sample's inputSeq, so the chart redraws when a run is added to the (mutable) list. */
export const PnlChart = memo(function PnlChart(props: { samples: readonly PnlSample[]; latest: number | undefined }) {
  const all = props.samples;
  const last = all[all.length - 1];
  const pts = thin(all, W - M.left - M.right);
  const [t0, t1] = extent(pts, (s) => s.asOf) as [number | undefined, number | undefined];
  const lows = pts.map((s) => -(Number.isFinite(s.es99) ? s.es99 : s.var99));
  const lo = Math.min(0, ...lows, ...pts.map((s) => s.pnl));
  const hi = Math.max(0, ...pts.map((s) => s.pnl));
  const x = scaleTime()
    .domain([t0 ?? 0, Math.max((t1 ?? 1) as number, (t0 ?? 0) + 1000)])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .nice()
    .range([H - M.bottom, M.top]);
  const path = (f: (s: PnlSample) => number) =>
    line<PnlSample>()
      .x((s) => x(s.asOf))
      .y((s) => y(f(s)))
      .defined((s) => Number.isFinite(f(s)))(pts) ?? '';
  return (
    <Panel title="P&L against VaR, this session" name="pnl-var" asOf={last?.asOf} inputSeq={last?.inputSeq}>
      {pts.length < 2 ? (
        <p className="muted">The chart starts with the session&apos;s second risk run.</p>
      ) : (
        <svg className="chart" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="P&L against VaR">
          {y.ticks(4).map((v) => (
            <g key={v}>
              <line className="gridline" x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
              <text className="tick" x={M.left - 4} y={y(v)} textAnchor="end" dominantBaseline="middle">
                {money(v)}
              </text>
            </g>
          ))}
          <path className="es" d={path((s) => -s.es99)} />
          <path className="var" d={path((s) => -s.var99)} />
          <path className="pnl" d={path((s) => s.pnl)} />
          <text className="tick" x={M.left} y={H - 4}>
            {new Date(t0 ?? 0).toISOString().slice(11, 19)}
          </text>
          <text className="tick" x={W - M.right} y={H - 4} textAnchor="end">
            {new Date(t1 ?? 0).toISOString().slice(11, 19)}
          </text>
        </svg>
      )}
      {last && (
        <p className="legend" data-last-pnl={last.pnl} data-last-var={last.var99}>
          <span className="pnl-key">P&amp;L {signed(last.pnl)}</span> ·{' '}
          <span className="var-key">−VaR 99 {money(-last.var99)}</span> ·{' '}
          <span className="es-key">−ES 99 {money(-last.es99)}</span> · used{' '}
          {last.pnl < 0 ? ((-last.pnl / last.var99) * 100).toFixed(0) : 0} % of VaR
        </p>
      )}
    </Panel>
  );
});
