// "Explain this number": a VaR or ES figure's provenance — method, parameters, scenario set and
// seed, history source, backend, asOf, inputSeq — and its largest component-VaR contributors.
import { useEffect, useRef } from 'react';
import { money, signed } from '../format.js';
import type { Measure, RiskData, ScenarioSet } from './risk-data.js';

const TOP = 10;

/** The provenance lines of one measure, in the words a risk manager reads them. */
export function provenanceOf(risk: RiskData, m: Measure): [string, string][] {
  const p = risk.provenance;
  const lines: [string, string][] = [
    ['Method', m.method],
    ['Horizon', `${m.horizonDays} day${m.horizonDays === 1 ? '' : 's'}`],
    ['Confidence', `${(m.confidence * 100).toFixed(1)} %`],
  ];
  if (m.method === 'parametric' && p?.parametric) {
    lines.push(['Covariance', p.parametric.covariance]);
    if (risk.horizonDays !== m.horizonDays) lines.push(['Scaling', 'square-root of time']);
  } else {
    const set = (p?.sets as ScenarioSet[] | undefined)?.find(
      (s) => s.method === m.method && s.horizonDays === m.horizonDays,
    );
    if (set) {
      lines.push(['Scenarios', money(set.scenarios)]);
      if (set.seed !== undefined) lines.push(['Seed', String(set.seed)]);
      if (set.set !== undefined) lines.push(['Scenario set', String(set.set)]);
      if (set.distribution) lines.push(['Distribution', set.distribution]);
      if (set.covariance) lines.push(['Covariance', set.covariance]);
      if (set.from) lines.push(['Window', `${set.from} to ${set.to ?? ''}`]);
    }
  }
  if (p?.history) {
    const h = p.history;
    lines.push(['History', `${h.file ?? ''} ${h.from ?? ''} to ${h.to ?? ''} (${h.days ?? '?'} days)`.trim()]);
    if (h.source) lines.push(['History source', h.source]);
  }
  lines.push(['Backend', p?.backendDetail ? `${p.backend}: ${p.backendDetail}` : (p?.backend ?? risk.backend)]);
  lines.push(['As of', new Date(risk.asOf).toISOString()]);
  lines.push(['Input seq', String(risk.inputSeq)]);
  if (risk.basis) lines.push(['Basis', `positions seq ${risk.basis.positions}, exposures seq ${risk.basis.exposures}`]);
  return lines;
}

export function Explain(props: { risk: RiskData; measure: Measure; figure: 'var' | 'es'; onClose: () => void }) {
  const { risk, measure } = props;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const comps = [...(risk.components ?? [])]
    .sort((a, b) => Math.abs(b.componentVar) - Math.abs(a.componentVar))
    .slice(0, TOP);
  const basis = risk.provenance?.components;
  const name = props.figure === 'var' ? 'VaR' : 'ES';
  return (
    <dialog ref={ref} className="explain" onClose={props.onClose}>
      <h3>
        {name} {money(measure[props.figure])}
      </h3>
      <table className="provenance">
        <tbody>
          {provenanceOf(risk, measure).map(([k, v]) => (
            <tr key={k} data-provenance={k}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>
        Largest contributors
        {basis && ` (component VaR, ${basis.method}, ${basis.horizonDays} d, ${(basis.confidence * 100).toFixed(0)} %)`}
      </h4>
      <table className="contributors">
        <thead>
          <tr>
            <th>Instrument</th>
            <th className="num">Qty</th>
            <th className="num">Component VaR</th>
            <th className="num">Component ES</th>
          </tr>
        </thead>
        <tbody>
          {comps.map((c) => (
            <tr key={c.instrument} data-contributor={c.instrument}>
              <td>{c.instrument}</td>
              <td className="num">{money(c.qty)}</td>
              <td className="num">{signed(c.componentVar)}</td>
              <td className="num">{signed(c.componentEs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button autoFocus>Close</button>
      </form>
    </dialog>
  );
}
