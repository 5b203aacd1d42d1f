// The VaR backtest per method: exceptions over the window, Kupiec (coverage), Christoffersen
// (independence), conditional coverage, and the Basel traffic-light zone in words and colour.
import { memo } from 'react';
import { ZoneBadge } from '../book.js';
import { Panel } from '../panel.js';
import type { RiskData } from './risk-data.js';

const p = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');

export const Backtest = memo(function Backtest(props: { risk: RiskData | undefined }) {
  const { risk } = props;
  return (
    <Panel title="Backtest" name="backtest" asOf={risk?.asOf} inputSeq={risk?.inputSeq}>
      <table className="backtest">
        <thead>
          <tr>
            <th>Method</th>
            <th className="num">Conf.</th>
            <th className="num">Days</th>
            <th className="num">Exceptions</th>
            <th className="num" title="Kupiec proportion-of-failures test, p-value">
              Kupiec p
            </th>
            <th className="num" title="Christoffersen independence test, p-value">
              Christoffersen p
            </th>
            <th className="num" title="Conditional coverage, p-value">
              Cond. cov. p
            </th>
            <th>Zone</th>
          </tr>
        </thead>
        <tbody>
          {(risk?.backtest ?? []).map((b) => (
            <tr key={`${b.method}-${b.confidence}`} data-backtest={b.method}>
              <td>{b.method}</td>
              <td className="num">{(b.confidence * 100).toFixed(0)} %</td>
              <td className="num">{b.observations}</td>
              <td className="num">{b.exceptions}</td>
              <td className="num">{p(b.kupiec.pValue)}</td>
              <td className="num">{p(b.christoffersen.pValue)}</td>
              <td className="num">{p(b.conditionalCoverage.pValue)}</td>
              <td>
                <ZoneBadge zone={b.zone} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
});
