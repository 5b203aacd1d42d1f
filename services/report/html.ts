// The daily risk report as one self-contained HTML document (inline CSS and SVG, nothing fetched),
// in the order the desk reads it: positions, exposures, VaR and ES by method, component VaR, stress,
// the backtest's traffic light, fees, and P&L against VaR. Every section says the moment and table it
// comes from; a section the store holds nothing for says so instead of showing zeros. All text is
// escaped; every figure cell carries its key and exact value (data-k, data-v) for checking.

import type { BacktestSummary, ExposureCell, RiskMethod } from '../../engine/model.js';
import { pnlChartSvg } from './chart.js';
import { confidenceLabel, esc, fixed, money, percent, signed, utc } from './format.js';
import type {
  ExposuresSection,
  FeeAccrual,
  PnlSection,
  PositionsSection,
  ReportModel,
  RiskSection,
  Stamp,
} from './model.js';
import { REPORT_CSS } from './style.js';

const METHOD_NAMES: Record<RiskMethod, string> = {
  parametric: 'Delta-normal',
  historical: 'Historical simulation',
  monteCarlo: 'Monte Carlo',
};
const methodName = (m: string) => METHOD_NAMES[m as RiskMethod] ?? m;

/** A figure cell: the text as printed, its key and the exact number behind it. */
function num(text: string, key?: string, value?: number): string {
  const neg = typeof value === 'number' && value < 0 ? ' neg' : '';
  const data = key === undefined ? '' : ` data-k="${esc(key)}" data-v="${exact(value)}"`;
  return `<td class="num${neg}"${data}>${esc(text)}</td>`;
}

/** The number as JavaScript writes it (it reads back to the same double); empty when there is none. */
const exact = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

const td = (text: string) => `<td>${esc(text)}</td>`;
const th = (text: string, numeric = false) => `<th${numeric ? ' class="num"' : ''}>${esc(text)}</th>`;
const head = (cols: [string, boolean?][]) => `<thead><tr>${cols.map(([c, n]) => th(c, n)).join('')}</tr></thead>`;

function stamp(s: Stamp): string {
  return `<p class="stamp">as of ${esc(utc(s.asOf))} · inputSeq ${esc(fixed(s.inputSeq, 0))} · source: ${esc(s.source)}</p>`;
}

const none = (text: string) => `<p class="note">${esc(text)}</p>`;

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
}

export function renderReport(m: ReportModel): string {
  const title = `Daily risk report — ${m.portfolio} — ${m.day}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    header(m),
    section('positions', 'Positions', positions(m.positions)),
    section('exposures', 'Exposures', exposures(m.exposures)),
    section('var', 'VaR and ES by method', measures(m.risk)),
    section('components', 'Component VaR: largest contributors', components(m.risk)),
    section('stress', 'Stress scenarios', stress(m.risk)),
    section('backtest', 'Backtest traffic light', backtest(m.risk)),
    section('fees', 'Fees', fees(m)),
    section('pnl', 'P&L against VaR over the day', pnl(m.pnl, m.positions?.baseCurrency)),
    `<footer>Riskline daily risk report · ${esc(m.portfolio)} · ${esc(m.day)} (UTC day) · built ${esc(utc(m.builtAt))} from the store. VaR and ES are positive losses in the base currency; P&amp;L is signed.</footer>`,
    '</body></html>',
  ].join('\n');
}

function header(m: ReportModel): string {
  const base = m.positions?.baseCurrency ?? '';
  const t = m.positions?.totals;
  const v = m.risk?.measures.find((r) => r.method === 'parametric' && r.horizonDays === 1)?.values;
  const v99 = v?.find((x) => x.confidence === 0.99);
  const zones = m.risk?.backtest.map((b) => b.zone) ?? [];
  const worst = (['red', 'yellow', 'green'] as const).find((z) => zones.includes(z));
  const box = (label: string, value: string, key?: string, n?: number) =>
    `<div><span class="label">${esc(label)}</span><span class="value"${key && Number.isFinite(n) ? ` data-k="${key}" data-v="${exact(n)}"` : ''}>${value}</span></div>`;
  return [
    `<h1>Daily risk report</h1>`,
    '<dl class="meta">',
    `<dt>Portfolio</dt><dd id="portfolio">${esc(m.portfolio)}</dd>`,
    `<dt>Day</dt><dd id="day">${esc(m.day)} (UTC)</dd>`,
    `<dt>Base currency</dt><dd>${esc(base || '—')}</dd>`,
    `<dt>Reflects</dt><dd>${m.reflects === null ? '—' : `${esc(utc(m.reflects.asOf))} · inputSeq ${esc(fixed(m.reflects.inputSeq, 0))}`}</dd>`,
    `<dt>Built</dt><dd>${esc(utc(m.builtAt))}</dd>`,
    '</dl>',
    '<div class="summary">',
    box(`NAV (${base})`, esc(money(t?.nav)), 'summary|nav', t?.nav),
    box('P&L (unrealised + realised)', esc(signed(t === undefined ? NaN : t.unrealizedPnl + t.realizedPnl))),
    box('VaR 99 % 1-day (delta-normal)', esc(money(v99?.var)), 'summary|var99', v99?.var),
    box('ES 99 % 1-day (delta-normal)', esc(money(v99?.es)), 'summary|es99', v99?.es),
    box('Backtest', worst === undefined ? '—' : zone(worst)),
    '</div>',
  ].join('');
}

function positions(p: PositionsSection | null): string {
  if (p === null) return none('No positions state is stored for this portfolio on this day.');
  const t = p.totals;
  const totals =
    `<table class="totals">${head([
      ['NAV', true],
      ['Cash', true],
      ['Market value', true],
      ['Unrealised P&L', true],
      ['Realised P&L', true],
    ])}<tbody><tr>` +
    num(money(t.nav), 'nav', t.nav) +
    num(money(t.cash), 'cash', t.cash) +
    num(money(t.marketValue), 'marketValue', t.marketValue) +
    num(signed(t.unrealizedPnl), 'unrealizedPnl', t.unrealizedPnl) +
    num(signed(t.realizedPnl), 'realizedPnl', t.realizedPnl) +
    '</tr></tbody></table>';
  const rows = p.rows
    .map((r) => {
      const k = (f: string) => `pos|${r.instrument}|${f}`;
      return (
        `<tr>${td(r.instrument)}` +
        num(fixed(r.qty, 2), k('qty'), r.qty) +
        num(fixed(r.avgCost, 4), k('avgCost'), r.avgCost) +
        num(fixed(r.mark, 4), k('mark'), r.mark) +
        num(money(r.marketValue), k('marketValue'), r.marketValue) +
        num(signed(r.unrealizedPnl), k('unrealizedPnl'), r.unrealizedPnl) +
        num(signed(r.realizedPnl), k('realizedPnl'), r.realizedPnl) +
        num(money(r.exposure), k('exposure'), r.exposure) +
        '</tr>'
      );
    })
    .join('');
  const cols: [string, boolean?][] = [
    ['Instrument'],
    ['Quantity', true],
    ['Avg cost', true],
    ['Mark', true],
    [`Market value (${p.baseCurrency})`, true],
    ['Unrealised P&L', true],
    ['Realised P&L', true],
    ['Exposure', true],
  ];
  return (
    stamp(p.stamp) +
    totals +
    `<p class="muted">${esc(fixed(p.rows.length, 0))} positions, largest exposure first; average cost and mark in the instrument's currency, the rest in ${esc(p.baseCurrency)}.</p>` +
    `<table class="positions">${head(cols)}<tbody>${rows}</tbody></table>`
  );
}

function cellRow(label: string, c: ExposureCell, key: string): string {
  return (
    `<tr>${td(label)}` +
    num(money(c.long), `${key}|long`, c.long) +
    num(money(c.short), `${key}|short`, c.short) +
    num(money(c.net), `${key}|net`, c.net) +
    num(money(c.gross), `${key}|gross`, c.gross) +
    '</tr>'
  );
}

function exposures(e: ExposuresSection | null): string {
  if (e === null) return none('No exposures state is stored for this portfolio on this day.');
  const cols: [string, boolean?][] = [[''], ['Long', true], ['Short', true], ['Net', true], ['Gross', true]];
  const total = e.totals === null ? '' : cellRow('Total', e.totals, 'exp|total');
  const tables = e.tables
    .filter((t) => t.cells.length > 0)
    .map(
      (t) =>
        `<div><h3>By ${esc(t.title.toLowerCase())}</h3><table>${head([[t.title], ...cols.slice(1)])}<tbody>` +
        t.cells.map((c) => cellRow(c.key, c, `exp|${t.title}|${c.key}`)).join('') +
        '</tbody></table></div>',
    )
    .join('');
  return (
    stamp(e.stamp) +
    `<table>${head(cols)}<tbody>${total.replace('<tr>', '<tr class="total">')}</tbody></table>` +
    tables
  );
}

function measures(r: RiskSection | null): string {
  if (r === null) return none('No risk snapshot is stored for this portfolio on this day.');
  if (r.measures.length === 0) return stamp(r.stamp) + none('The risk snapshot holds no VaR or ES by method.');
  const cols: [string, boolean?][] = [['Method'], ['Horizon']];
  for (const c of r.confidences) cols.push([`VaR ${confidenceLabel(c)}`, true], [`ES ${confidenceLabel(c)}`, true]);
  const rows = r.measures
    .map((m) => {
      const cells = m.values
        .map((v) => {
          const k = `${m.method}|${m.horizonDays}|${v.confidence}`;
          return num(money(v.var), `var|${k}`, v.var) + num(money(v.es), `es|${k}`, v.es);
        })
        .join('');
      const horizon = `${m.horizonDays} day${m.horizonDays === 1 ? '' : 's'}${m.scaled ? ' (√t)' : ''}`;
      return `<tr>${td(methodName(m.method))}${td(horizon)}${cells}</tr>`;
    })
    .join('');
  return (
    stamp(r.stamp) +
    `<table>${head(cols)}<tbody>${rows}</tbody></table>` +
    (r.measures.some((m) => m.scaled) ? '<p class="muted">(√t): 1-day figure scaled by √horizon.</p>' : '')
  );
}

function components(r: RiskSection | null): string {
  if (r === null) return none('No risk snapshot is stored for this portfolio on this day.');
  const c = r.components;
  if (c.rows.length === 0) return stamp(r.stamp) + none('The risk snapshot holds no component VaR.');
  const of =
    c.of === null
      ? 'the VaR they are of is not named in the snapshot'
      : `${methodName(c.of.method)}, ${c.of.horizonDays}-day, ${confidenceLabel(c.of.confidence)}: VaR ${money(c.total)}`;
  const rows = c.rows
    .map((x) => {
      const k = (f: string) => `comp|${x.instrument}|${f}`;
      return (
        `<tr>${td(x.instrument)}` +
        num(fixed(x.qty, 2), k('qty'), x.qty) +
        num(money(x.componentVar), k('componentVar'), x.componentVar) +
        num(percent(x.share), k('share'), x.share) +
        num(money(x.componentEs), k('componentEs'), x.componentEs) +
        num(fixed(x.marginalVar, 6), k('marginalVar'), x.marginalVar) +
        '</tr>'
      );
    })
    .join('');
  const cols: [string, boolean?][] = [
    ['Instrument'],
    ['Quantity', true],
    ['Component VaR', true],
    ['Share of VaR', true],
    ['Component ES', true],
    ['Marginal VaR', true],
  ];
  return (
    stamp(r.stamp) +
    `<p class="muted">The ${esc(fixed(c.rows.length, 0))} largest of ${esc(fixed(c.count, 0))} Euler contributions (${esc(of)}).</p>` +
    `<table>${head(cols)}<tbody>${rows}</tbody></table>`
  );
}

function stress(r: RiskSection | null): string {
  if (r === null) return none('No risk snapshot is stored for this portfolio on this day.');
  if (r.stress.length === 0) return stamp(r.stamp) + none('The risk snapshot holds no stress results.');
  const rows = r.stress
    .map(
      (s) =>
        `<tr>${td(s.name)}${td(s.scenario)}` +
        num(signed(s.pnl), `stress|${s.scenario}`, s.pnl) +
        td(s.worst.map((w) => `${w.instrument} ${signed(w.pnl)}`).join(', ')) +
        '</tr>',
    )
    .join('');
  return (
    stamp(r.stamp) +
    `<table>${head([['Scenario'], ['Id'], ['P&L', true], ['Worst positions']])}<tbody>${rows}</tbody></table>`
  );
}

const zone = (z: string) => `<span class="zone zone-${esc(z)}">${esc(z)}</span>`;

function backtest(r: RiskSection | null): string {
  if (r === null) return none('No risk snapshot is stored for this portfolio on this day.');
  if (r.backtest.length === 0) return stamp(r.stamp) + none('The risk snapshot holds no backtest.');
  const row = (b: BacktestSummary) => {
    const k = (f: string) => `bt|${b.method}|${f}`;
    return (
      `<tr>${td(methodName(b.method))}${td(confidenceLabel(b.confidence))}` +
      num(fixed(b.observations, 0), k('observations'), b.observations) +
      num(fixed(b.fromHistory, 0), k('fromHistory'), b.fromHistory) +
      num(fixed(b.exceptions, 0), k('exceptions'), b.exceptions) +
      num(fixed(b.kupiec.lr, 3), k('kupiecLr'), b.kupiec.lr) +
      num(fixed(b.kupiec.pValue, 4), k('kupiecP'), b.kupiec.pValue) +
      num(fixed(b.christoffersen.pValue, 4), k('christoffersenP'), b.christoffersen.pValue) +
      `<td data-k="${esc(k('zone'))}">${zone(b.zone)}</td></tr>`
    );
  };
  const cols: [string, boolean?][] = [
    ['Method'],
    ['Confidence'],
    ['Observations', true],
    ['From history', true],
    ['Exceptions', true],
    ['Kupiec LR', true],
    ['Kupiec p', true],
    ['Christoffersen p', true],
    ['Basel zone'],
  ];
  return (
    stamp(r.stamp) +
    `<table>${head(cols)}<tbody>${r.backtest.map(row).join('')}</tbody></table>` +
    '<p class="muted">Basel traffic light on 1-day VaR exceptions; Kupiec tests the exception rate, Christoffersen their independence.</p>'
  );
}

function fees(m: ReportModel): string {
  const f = m.fees;
  const fills =
    f.fills === 0
      ? none('No fills of this portfolio are stored for this day.')
      : `<h3>Fees charged on the day's fills</h3><p class="stamp">source: executions, ${esc(m.day)} UTC</p>` +
        `<table>${head([['Currency'], ['Fills', true], ['Fills with fees', true], ['Fees charged', true]])}<tbody>` +
        f.byCurrency
          .map(
            (c) =>
              `<tr>${td(c.currency)}` +
              num(fixed(c.fills, 0), `fees|${c.currency}|fills`, c.fills) +
              num(fixed(c.withFees, 0), `fees|${c.currency}|withFees`, c.withFees) +
              num(money(c.total), `fees|${c.currency}|total`, c.total) +
              '</tr>',
          )
          .join('') +
        '</tbody></table>';
  return feeAccrual(f.accrual, m.positions?.baseCurrency ?? '') + fills;
}

function feeAccrual(a: FeeAccrual | null, base: string): string {
  if (a === null)
    return none("No fee accrual is stored for this day: the day's risk snapshots carry no fee accounts (analytics).");
  const s = a.schedule;
  const cols: [string, boolean?][] = [
    [`NAV gross (${base})`, true],
    ['Accrued management', true],
    ['Accrued performance', true],
    ['Crystallised', true],
    ['NAV net', true],
  ];
  const accounts: [string, number][] = [
    ['navGross', a.navGross],
    ['accruedManagement', a.accruedManagement],
    ['accruedPerformance', a.accruedPerformance],
    ['crystallised', a.crystallised],
    ['navNet', a.navNet],
  ];
  const marks: [string, number][] = [
    ['highWaterMark', a.highWaterMark],
    ['hurdleNav', a.hurdleNav],
    ['lastManagement', a.lastManagement],
    ['lastPerformance', a.lastPerformance],
  ];
  const row = (xs: [string, number][]) =>
    `<tr>${xs.map(([k, v]) => num(k.startsWith('last') ? signed(v) : money(v), `fee|${k}`, v)).join('')}</tr>`;
  return (
    stamp(a.stamp) +
    `<h3>Fee accrual</h3><p class="muted">Management ${esc(percent(s.managementRate))} a year, performance ` +
    `${esc(percent(s.performanceRate))} over a hurdle of ${esc(percent(s.hurdleRate))} a year, ${esc(s.dayCount)}, ` +
    `crystallisation ${esc(s.crystallisation)}; accrued at each UTC day roll, the last (or the series' start) ` +
    `${esc(utc(a.lastAccrual))}.</p>` +
    `<table>${head(cols)}<tbody>${row(accounts)}</tbody></table>` +
    `<table>${head([
      ['High-water mark', true],
      ['Hurdle NAV', true],
      ['Last management fee', true],
      ['Last performance change', true],
    ])}` +
    `<tbody>${row(marks)}</tbody></table>`
  );
}

function pnl(p: PnlSection, base: string | undefined): string {
  const c = confidenceLabel(p.confidence);
  const svg = pnlChartSvg(p.points, `P&L against VaR ${c}`);
  if (svg === null)
    return none(
      `The chart needs at least two buckets of the day holding both a risk snapshot and a positions state; ${p.points.length} do.`,
    );
  const last = p.points.at(-1)!;
  return (
    stamp(p.stamp!) +
    svg +
    `<p><span class="key-pnl">━ P&amp;L ${esc(signed(last.pnl))}</span> · <span class="key-var">━ −VaR ${esc(c)} ${esc(money(-last.var))}</span> · <span class="key-es">┅ −ES ${esc(c)} ${esc(money(-last.es))}</span>` +
    ` (${esc(String(p.horizonDays))}-day, delta-normal; ${esc(base ?? '')}) over ${esc(fixed(p.points.length, 0))} buckets.</p>` +
    '<p class="muted">P&amp;L is unrealised plus realised as the engine keeps it, from the positions state of each bucket, as the terminal\'s chart shows it.</p>'
  );
}
