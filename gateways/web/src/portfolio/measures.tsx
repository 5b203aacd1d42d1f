// VaR and ES by method, horizon and confidence, each figure a button that opens its provenance.
import { memo, useState } from 'react';
import { money } from '../format.js';
import { Panel } from '../panel.js';
import { Explain } from './explain.js';
import { measureKey, type Measure, type RiskData } from './risk-data.js';

export const Measures = memo(function Measures(props: { risk: RiskData | undefined }) {
  const { risk } = props;
  // The dialog explains the figure as it was clicked: that run's provenance, not the next one's.
  const [open, setOpen] = useState<{ risk: RiskData; measure: Measure; figure: 'var' | 'es' } | null>(null);
  const measures = risk?.measures ?? [];
  const figure = (m: Measure, which: 'var' | 'es') => (
    <button
      className="figure"
      title={`Explain this ${which === 'var' ? 'VaR' : 'ES'}`}
      onClick={() => risk && setOpen({ risk, measure: m, figure: which })}
    >
      {money(m[which])}
    </button>
  );
  return (
    <Panel title="VaR and ES" name="measures" asOf={risk?.asOf} inputSeq={risk?.inputSeq}>
      <table className="measures">
        <thead>
          <tr>
            <th>Method</th>
            <th>Days</th>
            <th>Conf.</th>
            <th className="num">VaR</th>
            <th className="num">ES</th>
          </tr>
        </thead>
        <tbody>
          {measures.map((m) => (
            <tr key={measureKey(m)} data-measure={measureKey(m)}>
              <td>{m.method}</td>
              <td className="num">{m.horizonDays}</td>
              <td className="num">{(m.confidence * 100).toFixed(1).replace(/\.0$/, '')} %</td>
              <td className="num">{figure(m, 'var')}</td>
              <td className="num">{figure(m, 'es')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <Explain {...open} onClose={() => setOpen(null)} />}
    </Panel>
  );
});
