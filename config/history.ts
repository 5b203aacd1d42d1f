// Loads a market-history file (docs/history-format.md): daily simple returns, or closing prices to
// derive them from, per factor and optionally per instrument, as CSV or NDJSON, with a `# key: value`
// header block for provenance. Every problem is RisklineError('CONFIG_INVALID') with one line naming
// the file, the line and the column or field: `history FILE line N, column EQ_US: expected …`.

import { readFileSync } from 'node:fs';
import { RisklineError } from '../errors/catalogue.js';
import { describe } from '../engine/validate.js';
import { displayPath } from './issues.js';
import { epochDayOf, type DailyReturns } from '../engine/risk/history.js';

export type HistoryFormat = 'csv' | 'ndjson';
export type HistoryKind = 'returns' | 'prices';

export interface History extends DailyReturns {
  file: string;
  format: HistoryFormat;
  /** What the file's values were: returns as given, or prices the returns were derived from. */
  kind: HistoryKind;
  /** `# source:` of the header block, or null when the file does not say. */
  source: string | null;
  /** True when the source starts with "synthetic": not market data. */
  synthetic: boolean;
  /** `# generator:` of the header block, or null. */
  generator: string | null;
  /** Every `# key: value` of the header block. */
  meta: Readonly<Record<string, string>>;
  /** First and last day of returns (ISO dates) and the number of days. */
  from: string;
  to: string;
  days: number;
  /** ISO dates of the return days, ascending. */
  dates: string[];
}

export interface HistoryOptions {
  /** Factor ids in the market's order (market.json): every one must have a series. */
  factors: readonly string[];
  /** Instrument ids that may have a series of their own. */
  instruments: Iterable<string>;
  /** Fewest days of returns accepted (the risk window); default 1. */
  minDays?: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function fail(file: string, line: number | null, field: string, expected: string, received: string): never {
  const where = line === null ? `history ${file}` : `history ${file} line ${line}`;
  throw new RisklineError('CONFIG_INVALID', `${where}, ${field}: expected ${expected}, received ${received}`);
}

/** The format from the file name: `.csv`, or `.ndjson` / `.jsonl`. */
export function historyFormat(file: string): HistoryFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  return fail(file, null, 'file name', 'a name ending .csv, .ndjson or .jsonl', describe(file));
}

/** Reads and checks a history file; errors and `History.file` name it relative to the working folder. */
export function loadHistory(file: string, options: HistoryOptions): History {
  const shown = displayPath(file);
  const format = historyFormat(shown);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return fail(shown, null, 'file', 'a readable file', e.code ?? describe(e.message));
  }
  return parseHistory(text, shown, format, options);
}

/** One series being read: its column, whether it is a factor, and its values per row (NaN: none). */
interface Series {
  name: string;
  factor: boolean;
  values: number[];
}

/** What the two formats hand to the common checks: values per row, dates, their lines. */
interface Rows {
  kind: HistoryKind;
  meta: Record<string, string>;
  series: Series[];
  dates: string[];
  lines: number[];
  /** Line of the CSV header (where a missing factor column is reported); NDJSON: 0. */
  headerLine: number;
}

/** Parses the text of a history file; `file` names it in errors. */
export function parseHistory(text: string, file: string, format: HistoryFormat, options: HistoryOptions): History {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline ends a line
  if (lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  const known = { factors: new Set(options.factors), instruments: new Set(options.instruments) };
  const rows = format === 'csv' ? readCsv(lines, file, known) : readNdjson(lines, file, known);
  return build(rows, file, format, options);
}

/** `# key: value` lines before the data; `# kind:` must be returns or prices. */
function readMeta(lines: string[], file: string): { meta: Record<string, string>; kind: HistoryKind; next: number } {
  const meta: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const s = lines[i].trim();
    if (s === '') continue;
    if (!s.startsWith('#')) break;
    const m = /^#\s*([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(s);
    if (m) meta[m[1].toLowerCase()] = m[2].trim();
  }
  const kind = meta.kind ?? 'returns';
  if (kind !== 'returns' && kind !== 'prices') {
    const at = lines.findIndex((l) => /^#\s*kind\s*:/i.test(l.trim()));
    fail(file, at + 1, 'kind', 'returns or prices', describe(kind));
  }
  return { meta, kind, next: i };
}

interface Known {
  factors: ReadonlySet<string>;
  instruments: ReadonlySet<string>;
}

function seriesOf(name: string, known: Known, file: string, line: number, field: string): Series {
  if (known.factors.has(name)) return { name, factor: true, values: [] };
  if (known.instruments.has(name)) return { name, factor: false, values: [] };
  return fail(file, line, field, 'a factor id of market.json or an instrument id of instruments.json', describe(name));
}

function readDate(cell: string, previous: string | null, file: string, line: number): string {
  if (Number.isNaN(epochDayOf(cell))) fail(file, line, 'column date', 'an ISO date YYYY-MM-DD', describe(cell));
  if (previous !== null && !(cell > previous)) {
    fail(file, line, 'column date', `a date after ${previous} (ascending, no repeats)`, describe(cell));
  }
  return cell;
}

/** A value cell: a finite decimal number; empty (NaN) only for an instrument's column. */
function readCell(cell: string, s: Series, file: string, line: number, field: string): number {
  if (cell === '' && !s.factor) return NaN;
  if (!NUMBER.test(cell)) {
    const finite = /^[+-]?(inf(inity)?|nan)$/i.test(cell) ? 'a finite number' : 'a number';
    return fail(file, line, field, finite, describe(cell));
  }
  const v = Number(cell);
  if (!Number.isFinite(v)) fail(file, line, field, 'a finite number', describe(cell));
  return v;
}

function readCsv(lines: string[], file: string, known: Known): Rows {
  const { meta, kind, next } = readMeta(lines, file);
  if (next >= lines.length) fail(file, next + 1, 'header', 'a header row date,<series>,…', 'end of file');
  const headerLine = next + 1;
  const names = lines[next]
    .replace(/\r$/, '')
    .split(',')
    .map((c) => c.trim());
  if (names[0] !== 'date') fail(file, headerLine, 'column 1', 'the header "date"', describe(names[0]));
  const series: Series[] = [];
  const seen = new Set<string>();
  for (let c = 1; c < names.length; c++) {
    const name = names[c];
    if (seen.has(name)) fail(file, headerLine, `column ${c + 1}`, 'each series once', `${describe(name)} again`);
    seen.add(name);
    series.push(seriesOf(name, known, file, headerLine, `column ${c + 1}`));
  }
  const dates: string[] = [];
  const at: number[] = [];
  for (let i = next + 1; i < lines.length; i++) {
    const s = lines[i].replace(/\r$/, '');
    if (s.trim() === '' || s.startsWith('#')) continue;
    const cells = s.split(',');
    const n = i + 1;
    if (cells.length !== names.length) {
      fail(file, n, 'row', `${names.length} comma-separated values (the header's)`, `${cells.length}`);
    }
    dates.push(readDate(cells[0].trim(), dates.length > 0 ? dates[dates.length - 1] : null, file, n));
    at.push(n);
    for (let c = 0; c < series.length; c++) {
      series[c].values.push(readCell(cells[c + 1].trim(), series[c], file, n, `column ${series[c].name}`));
    }
  }
  return { kind, meta, series, dates, lines: at, headerLine };
}

function readNdjson(lines: string[], file: string, known: Known): Rows {
  const { meta, next } = readMeta(lines, file);
  let kind = meta.kind as HistoryKind | undefined;
  const bySeries = new Map<string, Series>();
  const dates: string[] = [];
  const at: number[] = [];
  for (let i = next; i < lines.length; i++) {
    const s = lines[i].trim();
    if (s === '' || s.startsWith('#')) continue;
    const n = i + 1;
    let rec: unknown;
    try {
      rec = JSON.parse(s);
    } catch {
      fail(file, n, 'json', 'a JSON object', 'invalid JSON');
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec))
      fail(file, n, 'json', 'a JSON object', describe(rec));
    const obj = rec as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key !== 'date' && key !== 'returns' && key !== 'prices')
        fail(file, n, `field ${key}`, 'date, returns or prices', 'an unknown field');
    }
    const k: HistoryKind = 'prices' in obj ? 'prices' : 'returns';
    if ('prices' in obj && 'returns' in obj) fail(file, n, 'field prices', 'returns or prices, not both', 'both');
    if (kind !== undefined && k !== kind) fail(file, n, `field ${k}`, `${kind} on every line`, k);
    kind = k;
    const date =
      typeof obj.date === 'string'
        ? obj.date
        : fail(file, n, 'field date', 'an ISO date YYYY-MM-DD', describe(obj.date));
    dates.push(readDate(date, dates.length > 0 ? dates[dates.length - 1] : null, file, n));
    at.push(n);
    readNdjsonValues(obj[k], k, bySeries, known, { file, n, row: dates.length - 1 });
  }
  const series = [...bySeries.values()];
  for (const s of series) while (s.values.length < dates.length) s.values.push(NaN);
  return { kind: kind ?? 'returns', meta, series, dates, lines: at, headerLine: 0 };
}

function readNdjsonValues(
  values: unknown,
  k: HistoryKind,
  bySeries: Map<string, Series>,
  known: Known,
  where: { file: string; n: number; row: number },
): void {
  const { file, n, row } = where;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    fail(file, n, `field ${k}`, 'an object of series id → number', describe(values));
  }
  for (const [name, v] of Object.entries(values as Record<string, unknown>)) {
    const field = `field ${k}.${name}`;
    let s = bySeries.get(name);
    if (s === undefined) {
      s = seriesOf(name, known, file, n, field);
      bySeries.set(name, s);
    }
    while (s.values.length < row) s.values.push(NaN);
    if (v === null && !s.factor) s.values.push(NaN);
    else if (typeof v !== 'number') fail(file, n, field, 'a number', describe(v));
    else s.values.push(v);
  }
  for (const f of known.factors) {
    const s = bySeries.get(f);
    if (s === undefined || s.values.length <= row)
      fail(file, n, `field ${k}.${f}`, 'a number for every factor', 'nothing');
  }
}

/** Returns from the values read: checked (> −1) or derived from prices (> 0); NaN where absent. */
function returnsOf(rows: Rows, s: Series, file: string): Float64Array {
  const v = s.values;
  const field = `column ${s.name}`;
  if (rows.kind === 'returns') {
    for (let d = 0; d < v.length; d++) {
      if (v[d] <= -1) fail(file, rows.lines[d], field, 'a return > -1', String(v[d]));
    }
    return Float64Array.from(v);
  }
  for (let d = 0; d < v.length; d++) {
    if (v[d] <= 0) fail(file, rows.lines[d], field, 'a price > 0', String(v[d]));
  }
  const out = new Float64Array(Math.max(0, v.length - 1));
  for (let d = 1; d < v.length; d++) out[d - 1] = v[d] / v[d - 1] - 1;
  return out;
}

function build(rows: Rows, file: string, format: HistoryFormat, options: HistoryOptions): History {
  const factors = options.factors;
  const missing = factors.filter((f) => !rows.series.some((s) => s.name === f));
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    fail(
      file,
      format === 'csv' ? rows.headerLine : null,
      format === 'csv' ? 'header' : 'series',
      `a series for every factor of market.json`,
      `none for ${missing[0]}${more}`,
    );
  }
  const returns = rows.series.map((s) => returnsOf(rows, s, file));
  const offset = rows.kind === 'prices' ? 1 : 0;
  const days = Math.max(0, rows.dates.length - offset);
  const minDays = Math.max(1, options.minDays ?? 1);
  if (days < minDays) {
    fail(file, null, 'days', `at least ${minDays} days of returns (the risk window)`, `${days}`);
  }
  const k = factors.length;
  const factorReturns = new Float64Array(days * k);
  const instruments = new Map<string, Float64Array>();
  for (let c = 0; c < rows.series.length; c++) {
    const s = rows.series[c];
    const r = returns[c];
    if (s.factor) {
      const j = factors.indexOf(s.name);
      for (let d = 0; d < days; d++) factorReturns[d * k + j] = r[d];
    } else instruments.set(s.name, r);
  }
  const dates = rows.dates.slice(offset);
  const epochDays = Int32Array.from(dates, epochDayOf);
  const source = rows.meta.source ?? null;
  return {
    file,
    format,
    kind: rows.kind,
    source,
    synthetic: source !== null && /^synthetic\b/i.test(source),
    generator: rows.meta.generator ?? null,
    meta: rows.meta,
    from: dates[0],
    to: dates[days - 1],
    days,
    dates,
    epochDays,
    factorReturns,
    factors: [...factors],
    instruments,
  };
}
