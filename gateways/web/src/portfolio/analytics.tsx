// Performance and fees off the risk frame's `analytics` (engine/analytics/): intraday and daily
// returns with their volatility, Sharpe, Sortino, maximum drawdown and beta; the day's return
// attribution by asset class and sector with the cash, trading and compounding lines that close it;
// the fee accounts and NAV gross and net. Each cell carries its exact value in `data-value`.
import { memo, useState } from 'react';
import type { ReturnStats } from '../../../../engine/analytics/model.js';
import { money, signed } from '../format.js';
import { Panel } from '../panel.js';
import type { RiskData } from './risk-data.js';

const pct = (v: number | null, d = 2) => (v === null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(d)} %`);
const ratio = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(2));
const utc = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

/** A number cell that keeps the value it shows for tests and copy-paste. */
function Num(props: { name: string; v: number | null; text: string }) {
  return (
    <td className="num" data-analytics={props.name} data-value={props.v === null ? '' : String(props.v)}>
      {props.text}
    </td>
  );
}

function StatsRow(props: { label: string; name: string; s: ReturnStats }) {
  const { s, name } = props;
  return (
    <tr data-series={name}>
      <td title={`${s.observations} of ${s.window} returns, ${s.periodsPerYear} a year`}>{props.label}</td>
      <Num name={`${name}.lastReturn`} v={s.lastReturn} text={pct(s.lastReturn, 3)} />
      <Num name={`${name}.volatility`} v={s.volatility} text={pct(s.volatility)} />
      <Num name={`${name}.sharpe`} v={s.sharpe} text={ratio(s.sharpe)} />
      <Num name={`${name}.sortino`} v={s.sortino} text={ratio(s.sortino)} />
      <Num name={`${name}.maxDrawdown`} v={s.maxDrawdown} text={pct(s.maxDrawdown)} />
      <Num name={`${name}.beta`} v={s.beta} text={ratio(s.beta)} />
      <Num name={`${name}.observations`} v={s.observations} text={String(s.observations)} />
    </tr>
  );
}

function Line(props: { label: string; name: string; v: number }) {
  return (
    <tr>
      <td>{props.label}</td>
      <Num name={props.name} v={props.v} text={pct(props.v, 3)} />
    </tr>
  );
}

export const Analytics = memo(function Analytics(props: { risk: RiskData | undefined }) {
  const { risk } = props;
  const a = risk?.analytics;
  const [by, setBy] = useState<'byAssetClass' | 'bySector'>('byAssetClass');
  const tools = (
    <select value={by} onChange={(e) => setBy(e.target.value as typeof by)} aria-label="Attribution by">
      <option value="byAssetClass">by asset class</option>
      <option value="bySector">by sector</option>
    </select>
  );
  return (
    <Panel title="Performance and fees" name="analytics" asOf={risk?.asOf} inputSeq={risk?.inputSeq} tools={tools}>
      {!a ? (
        <p className="muted">No analytics configured.</p>
      ) : (
        <>
          <p className="muted">
            Sampled {utc(a.sampledAt)} UTC every {a.intervalMs / 1000} s · day to date{' '}
            <span data-analytics="dayToDate" data-value={String(a.dayToDate)}>
              {pct(a.dayToDate, 3)}
            </span>
            {a.benchmark !== null && ` · beta to ${a.benchmark}`}
          </p>
          <table className="analytics-returns">
            <thead>
              <tr>
                <th>Returns</th>
                <th className="num">Last</th>
                <th className="num" title="annualised">
                  Vol.
                </th>
                <th className="num">Sharpe</th>
                <th className="num">Sortino</th>
                <th className="num">Max DD</th>
                <th className="num">Beta</th>
                <th className="num">Obs.</th>
              </tr>
            </thead>
            <tbody>
              <StatsRow label="Intraday" name="intraday" s={a.intraday} />
              <StatsRow label="Daily" name="daily" s={a.daily} />
            </tbody>
          </table>
          <table className="analytics-attribution">
            <thead>
              <tr>
                <th>Attribution since {utc(a.attribution.from)}</th>
                <th className="num">Contribution</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(a.attribution[by])
                .sort((x, y) => y[1] - x[1])
                .map(([k, v]) => (
                  <Line key={k} label={k} name={`${by}.${k}`} v={v} />
                ))}
              <Line label="cash (FX)" name="cash" v={a.attribution.cash} />
              <Line label="trading" name="trading" v={a.attribution.trading} />
              <Line label="compounding" name="compounding" v={a.attribution.compounding} />
              <Line label="total" name="total" v={a.attribution.total} />
            </tbody>
          </table>
          <Fees fees={a.fees} />
        </>
      )}
    </Panel>
  );
});

function Fees(props: { fees: NonNullable<RiskData['analytics']>['fees'] }) {
  const f = props.fees;
  const rows: [string, string, number, string][] = [
    ['NAV gross', 'navGross', f.navGross, money(f.navGross)],
    ['NAV net of fees', 'navNet', f.navNet, money(f.navNet)],
    [
      `Management accrued (${pct(f.managementRate)}, ${f.dayCount})`,
      'accruedManagement',
      f.accruedManagement,
      money(f.accruedManagement),
    ],
    [
      `Performance accrued (${pct(f.performanceRate)} over hurdle ${pct(f.hurdleRate)})`,
      'accruedPerformance',
      f.accruedPerformance,
      money(f.accruedPerformance),
    ],
    [`Crystallised (${f.crystallisation})`, 'crystallised', f.crystallised, money(f.crystallised)],
    ['High-water mark', 'highWaterMark', f.highWaterMark, money(f.highWaterMark)],
    ['Hurdle NAV', 'hurdleNav', f.hurdleNav, money(f.hurdleNav)],
    [
      `Last accrual ${utc(f.lastAccrual)}`,
      'lastDay',
      f.lastManagement + f.lastPerformance,
      signed(f.lastManagement + f.lastPerformance),
    ],
  ];
  return (
    <table className="analytics-fees">
      <tbody>
        {rows.map(([label, name, v, text]) => (
          <tr key={name}>
            <td>{label}</td>
            <Num name={`fees.${name}`} v={v} text={text} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
