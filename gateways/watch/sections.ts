// One portfolio as `riskline watch` shows it: a header (id, name, base currency, asOf and its age,
// inputSeq), totals, exposures, risk at the headline confidence and horizon by method, the largest
// VaR contributors, the worst stress scenario, the latest alert, and the positions table. Each part
// reads the channel state applyFrame merged; what is not there yet shows as "—".

import { channelOf } from '../../engine/frames.js';
import {
  age,
  amount,
  clockTime,
  confidenceLabel,
  count,
  horizonLabel,
  isNumber,
  MISSING,
  price,
  quantity,
} from './format.js';
import type { HeldChannel, PortfolioLabel, WatchView } from './state.js';
import { alignTable, pairs, seg, type Cell, type Column, type Line, type Tone } from './table.js';

/** A portfolio's lines: `essential` always shows, `extra` when there is room, then the table. */
export interface Section {
  essential: Line[];
  extra: Line[];
  table: TableLines | null;
}
export interface TableLines {
  /** Aligned header and rows; rows beyond the room given are summed up in one "… N more" line. */
  header: Line;
  rows: Line[];
  /** What a row is, for the "… N more positions" line. */
  noun: string;
  /** Shown instead of the table when it has no row. */
  empty: string;
}

const INDENT = '  ';
/** Contributors and stress positions listed on one line. */
const TOP = 5;
/** Method order in the risk table; others follow by name. */
const METHODS = ['parametric', 'historical', 'monteCarlo'];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Red for a loss or a short, green for a gain when `gain` is asked. */
export function signTone(v: unknown, gain = false): Tone | undefined {
  if (!isNumber(v)) return undefined;
  if (v < 0) return 'neg';
  return gain && v > 0 ? 'pos' : undefined;
}

interface PortfolioChannels {
  positions?: HeldChannel;
  exposures?: HeldChannel;
  risk?: HeldChannel;
  alerts?: HeldChannel;
  orders?: HeldChannel;
}

function channelsOf(view: WatchView, id: string): { held: PortfolioChannels; watched: Set<string> } {
  const held: PortfolioChannels = {};
  const watched = new Set<string>();
  for (const kind of ['positions', 'exposures', 'risk', 'alerts', 'orders'] as const) {
    const name = channelOf(kind, id);
    const h = view.held.get(name);
    if (h !== undefined) held[kind] = h;
    if (view.subscribed.has(name) || h !== undefined || (kind === 'alerts' && view.subscribed.has('alerts:*'))) {
      watched.add(kind);
    }
  }
  return { held, watched };
}

export function portfolioSection(view: WatchView, p: PortfolioLabel, now: number, width: number): Section {
  const { held, watched } = channelsOf(view, p.id);
  const essential: Line[] = [header(view, p, held, now)];
  const extra: Line[] = [];
  if (watched.has('positions')) essential.push(totalsLine(held.positions?.state));
  if (watched.has('exposures')) essential.push(exposureLine(held.exposures?.state));
  if (watched.has('risk')) {
    const risk = held.risk?.state;
    essential.push(...riskTable(risk, width));
    if (risk !== undefined) extra.push(componentsLine(risk), stressLine(risk));
  }
  if (watched.has('alerts')) extra.push(alertLine(held.alerts?.state, now));
  if (watched.has('orders') && held.orders?.state !== undefined) {
    extra.push([seg(INDENT), seg('Order ', 'dim'), seg(JSON.stringify(held.orders.state))]);
  }
  const table = watched.has('positions') ? positionsTable(held.positions?.state, width) : null;
  return { essential, extra: extra.filter((l) => l.length > 0), table };
}

function header(view: WatchView, p: PortfolioLabel, held: PortfolioChannels, now: number): Line {
  const chans = Object.values(held) as HeldChannel[];
  const asOfs = chans.map((h) => h.asOf).filter(isNumber);
  const asOf = asOfs.length ? Math.max(...asOfs) : undefined;
  const seqs = [held.positions, held.exposures].map((h) => h?.inputSeq).filter(isNumber);
  const inputSeq = seqs.length ? Math.max(...seqs) : held.risk?.inputSeq;
  const base = p.baseCurrency ?? str(held.positions?.state?.baseCurrency) ?? str(held.exposures?.state?.baseCurrency);
  const line: Line = [seg(p.id, 'head')];
  if (p.name !== undefined && p.name !== p.id) line.push(seg(`  ${p.name}`, 'dim'));
  line.push(seg(`  ${base ?? MISSING}`));
  line.push(seg('  asOf ', 'dim'), seg(clockTime(asOf, now)));
  if (asOf !== undefined) line.push(seg(` (${age(asOf, now)})`, 'dim'));
  line.push(seg('  inputSeq ', 'dim'), seg(count(inputSeq)));
  const riskSeq = held.risk?.inputSeq;
  if (isNumber(riskSeq) && isNumber(inputSeq) && riskSeq !== inputSeq) {
    line.push(seg('  risk at ', 'dim'), seg(count(riskSeq)));
  }
  const tag = view.gateway?.stale
    ? seg('  STALE', 'bad')
    : view.connection.state !== 'connected'
      ? seg('  OFFLINE', 'warn')
      : chans.some((h) => h.awaitingSnapshot && h.state !== undefined)
        ? seg('  RESYNC', 'warn')
        : null;
  if (tag) line.push(tag);
  return line;
}

function totalsLine(state: Obj | undefined): Line {
  const t = obj(state?.totals);
  const rows = Object.values(obj(state?.rows)).map(obj);
  const open = rows.filter((r) => isNumber(r.qty) && r.qty !== 0).length;
  return pairs(
    [
      { label: 'NAV', value: amount(t.nav), tone: signTone(t.nav) },
      { label: 'MV', value: amount(t.marketValue), tone: signTone(t.marketValue) },
      { label: 'cash', value: amount(t.cash), tone: signTone(t.cash) },
      { label: 'uPnL', value: amount(t.unrealizedPnl), tone: signTone(t.unrealizedPnl, true) },
      { label: 'rPnL', value: amount(t.realizedPnl), tone: signTone(t.realizedPnl, true) },
      { label: 'open', value: state === undefined ? MISSING : `${count(open)}/${count(rows.length)}` },
    ],
    seg(INDENT),
  );
}

function exposureLine(state: Obj | undefined): Line {
  const t = obj(state?.totals);
  const line = pairs(
    [
      { label: 'gross', value: amount(t.gross) },
      { label: 'net', value: amount(t.net), tone: signTone(t.net) },
      { label: 'long', value: amount(t.long) },
      { label: 'short', value: amount(t.short), tone: signTone(t.short) },
    ],
    seg(`${INDENT}Exposure`, 'head'),
  );
  const classes = Object.entries(obj(state?.byAssetClass))
    .map(([k, v]) => ({ k, cell: obj(v) }))
    .filter((c) => isNumber(c.cell.net))
    .sort((a, b) => Math.abs(Number(b.cell.gross ?? b.cell.net)) - Math.abs(Number(a.cell.gross ?? a.cell.net)));
  if (classes.length > 0) {
    line.push(seg('  │ ', 'dim'));
    classes.forEach((c, i) => {
      if (i > 0) line.push(seg(' · ', 'dim'));
      line.push(seg(`${c.k} `, 'dim'), seg(amount(c.cell.net), signTone(c.cell.net)));
    });
  }
  return line;
}

/** The confidence and horizon the risk is headlined at: the components' set's, else the widest delta-normal level. */
export function headline(risk: Obj): { horizonDays: number; confidence: number } | null {
  const c = obj(obj(risk.provenance).components);
  if (isNumber(c.horizonDays) && isNumber(c.confidence))
    return { horizonDays: c.horizonDays, confidence: c.confidence };
  const levels = Array.isArray(risk.confidence) ? risk.confidence.filter(isNumber) : [];
  if (!isNumber(risk.horizonDays) || levels.length === 0) return null;
  return { horizonDays: risk.horizonDays, confidence: Math.max(...levels) };
}

/** VaR and ES by method at one confidence and horizon; the delta-normal fields stand in when no measures came. */
export function measuresAt(risk: Obj, h: { horizonDays: number; confidence: number }): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const m of list(risk.measures)) {
    const method = str(m.method);
    if (method === undefined || m.horizonDays !== h.horizonDays) continue;
    if (!isNumber(m.confidence) || Math.abs(m.confidence - h.confidence) > 1e-9) continue;
    out.set(method, m);
  }
  if (out.size === 0 && risk.horizonDays === h.horizonDays) {
    const label = String(Math.round(h.confidence * 1000) / 10);
    const v = obj(risk.var)[label];
    const es = obj(risk.es)[label];
    if (isNumber(v) || isNumber(es)) out.set(str(risk.method) ?? 'parametric', { var: v, es });
  }
  const rank = (m: string) => (METHODS.includes(m) ? METHODS.indexOf(m) : METHODS.length);
  return new Map([...out].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
}

function riskTable(risk: Obj | undefined, width: number): Line[] {
  const h = risk === undefined ? null : headline(risk);
  const measures = risk === undefined || h === null ? new Map<string, Obj>() : measuresAt(risk, h);
  if (h === null || measures.size === 0) return [[seg(`${INDENT}Risk`, 'head'), seg(`  ${MISSING}`)]];
  const title = `Risk ${horizonLabel(h.horizonDays)} ${confidenceLabel(h.confidence)}`;
  const methods = [...measures.keys()];
  const columns: Column[] = [
    { title, align: 'left', drop: 0 },
    ...methods.map((m, i) => ({ title: m, align: 'right' as const, drop: i === 0 ? 0 : methods.length - i })),
  ];
  const row = (label: string, field: 'var' | 'es'): Cell[] => [
    { text: label },
    ...methods.map((m) => ({ text: amount(measures.get(m)?.[field]) })),
  ];
  return alignTable(columns, [row('VaR', 'var'), row('ES', 'es')], width, INDENT);
}

function componentsLine(risk: Obj): Line {
  const comps = list(risk.components)
    .filter((c) => isNumber(c.componentVar))
    .sort((a, b) => Number(b.componentVar) - Number(a.componentVar))
    .slice(0, TOP);
  if (comps.length === 0) return [];
  const basis = obj(obj(risk.provenance).components);
  const line: Line = [seg(`${INDENT}Top VaR`, 'head')];
  if (str(basis.method)) {
    line.push(
      seg(` (${str(basis.method)} ${horizonLabel(basis.horizonDays)} ${confidenceLabel(basis.confidence)})`, 'dim'),
    );
  }
  comps.forEach((c, i) => {
    line.push(seg(i === 0 ? '  ' : ' · ', 'dim'), seg(`${str(c.instrument) ?? MISSING} `));
    line.push(seg(amount(c.componentVar), signTone(c.componentVar)));
  });
  return line;
}

function stressLine(risk: Obj): Line {
  const worst = list(risk.stress)
    .filter((s) => isNumber(s.pnl))
    .sort((a, b) => Number(a.pnl) - Number(b.pnl))[0];
  if (worst === undefined) return [];
  const line: Line = [
    seg(`${INDENT}Worst stress  `, 'head'),
    seg(`${str(worst.name) ?? str(worst.scenario) ?? MISSING} `),
    seg(amount(worst.pnl), signTone(worst.pnl, true)),
  ];
  list(worst.worst)
    .slice(0, TOP)
    .forEach((w, i) => {
      line.push(seg(i === 0 ? '  ' : ' · ', 'dim'), seg(`${str(w.instrument) ?? MISSING} `, 'dim'));
      line.push(seg(amount(w.pnl), signTone(w.pnl, true)));
    });
  return line;
}

function alertLine(alert: Obj | undefined, now: number): Line {
  if (alert === undefined) return [seg(`${INDENT}Alert`, 'head'), seg(`  ${MISSING}`)];
  const severity = str(alert.severity) ?? 'alert';
  const tone: Tone = severity === 'critical' ? 'bad' : severity === 'warning' ? 'warn' : 'dim';
  return [
    seg(`${INDENT}Alert  `, 'head'),
    seg(severity.toUpperCase(), tone),
    seg(`  ${clockTime(alert.ts, now)}  `, 'dim'),
    seg(`${str(alert.limit) ?? ''} ${str(alert.state) ?? ''}`.trim()),
    seg(`  ${str(alert.message) ?? ''}`),
  ];
}

const POSITION_COLUMNS: Column[] = [
  { title: 'Instrument', align: 'left', drop: 0, max: 20 },
  { title: 'Qty', align: 'right', drop: 3 },
  { title: 'Price', align: 'right', drop: 4 },
  { title: 'Mkt value', align: 'right', drop: 1 },
  { title: 'uPnL', align: 'right', drop: 2 },
  { title: 'rPnL', align: 'right', drop: 5 },
];

/** Open positions, largest market value (either side) first. */
function positionsTable(state: Obj | undefined, width: number): TableLines {
  const rows = Object.entries(obj(state?.rows))
    .map(([id, r]) => ({ id, r: obj(r) }))
    .filter(({ r }) => isNumber(r.qty) && r.qty !== 0)
    .sort(
      (a, b) =>
        Math.abs(Number(b.r.marketValue) || 0) - Math.abs(Number(a.r.marketValue) || 0) || (a.id < b.id ? -1 : 1),
    );
  const cells = rows.map(({ id, r }): Cell[] => [
    { text: str(r.instrument) ?? id },
    { text: quantity(r.qty), tone: signTone(r.qty) },
    { text: price(r.mark) },
    { text: amount(r.marketValue), tone: signTone(r.marketValue) },
    { text: amount(r.unrealizedPnl), tone: signTone(r.unrealizedPnl, true) },
    { text: amount(r.realizedPnl), tone: signTone(r.realizedPnl, true) },
  ]);
  const [head, ...lines] = alignTable(POSITION_COLUMNS, cells, width, INDENT);
  return {
    header: head,
    rows: lines,
    noun: 'positions',
    empty: state === undefined ? `${INDENT}Positions ${MISSING}` : `${INDENT}no open positions`,
  };
}

/** The instruments of the ticks channels watched, as one more table. */
export function ticksSection(view: WatchView, now: number, width: number): Section | null {
  if (view.instruments.length === 0) return null;
  const cells = view.instruments.map((i): Cell[] => {
    const h = view.held.get(channelOf('ticks', i));
    const s = obj(h?.state);
    return [
      { text: i },
      { text: price(s.bid) },
      { text: price(s.ask) },
      { text: price(s.last) },
      { text: clockTime(h?.asOf, now) },
    ];
  });
  const columns: Column[] = [
    { title: 'Instrument', align: 'left', drop: 0, max: 20 },
    { title: 'Bid', align: 'right', drop: 1 },
    { title: 'Ask', align: 'right', drop: 2 },
    { title: 'Last', align: 'right', drop: 0 },
    { title: 'asOf', align: 'right', drop: 3 },
  ];
  const [head, ...lines] = alignTable(columns, cells, width, INDENT);
  return {
    essential: [[seg('Ticks', 'head')]],
    extra: [],
    table: { header: head, rows: lines, noun: 'instruments', empty: `${INDENT}${MISSING}` },
  };
}
