// The stress table: each scenario's P&L on today's book, worst first; a row opens its worst positions.
import { Fragment, memo, useState } from 'react';
import { signed } from '../format.js';
import { Panel } from '../panel.js';
import { pnlClass } from './positions.js';
import type { RiskData } from './risk-data.js';

export const Stress = memo(function Stress(props: { risk: RiskData | undefined }) {
  const { risk } = props;
  const [open, setOpen] = useState<string | null>(null);
  const rows = [...(risk?.stress ?? [])].sort((a, b) => a.pnl - b.pnl);
  return (
    <Panel title="Stress" name="stress" asOf={risk?.asOf} inputSeq={risk?.inputSeq}>
      <table className="stress">
        <thead>
          <tr>
            <th>Scenario</th>
            <th className="num">P&amp;L</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <Fragment key={s.scenario}>
              <tr data-scenario={s.scenario}>
                <td>
                  <button
                    className="disclose"
                    aria-expanded={open === s.scenario}
                    onClick={() => setOpen(open === s.scenario ? null : s.scenario)}
                    title={s.name}
                  >
                    {open === s.scenario ? '▾' : '▸'} {s.scenario}
                  </button>
                </td>
                <td className={`num ${pnlClass(s.pnl)}`}>{signed(s.pnl)}</td>
              </tr>
              {open === s.scenario && (
                <tr className="detail">
                  <td colSpan={2}>
                    <p className="muted">{s.name}: worst positions</p>
                    <table>
                      <tbody>
                        {s.worst.map((w) => (
                          <tr key={w.instrument} data-worst={w.instrument}>
                            <td>{w.instrument}</td>
                            <td className={`num ${pnlClass(w.pnl)}`}>{signed(w.pnl)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </Panel>
  );
});
