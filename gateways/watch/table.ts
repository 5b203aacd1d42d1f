// Text layout for `riskline watch`: a line is a list of segments, each with an optional tone;
// columns are aligned on visible text and dropped by priority when the terminal is too narrow;
// every line is cut to the width with "…"; ANSI colour is applied last, only when asked, so
// alignment and truncation never count escape codes.

export type Tone = 'neg' | 'pos' | 'head' | 'dim' | 'ok' | 'warn' | 'bad';

export interface Segment {
  text: string;
  tone?: Tone;
}
export type Line = Segment[];

const ANSI: Record<Tone, string> = {
  neg: '\x1b[31m',
  pos: '\x1b[32m',
  head: '\x1b[1m',
  dim: '\x1b[2m',
  ok: '\x1b[32m',
  warn: '\x1b[33m',
  bad: '\x1b[1;31m',
};
const RESET = '\x1b[0m';
export const ELLIPSIS = '…';

export function seg(text: string, tone?: Tone): Segment {
  return tone === undefined ? { text } : { text, tone };
}

/** Visible width of a line (ids and figures are single-width characters). */
export function width(line: Line): number {
  let n = 0;
  for (const s of line) n += s.text.length;
  return n;
}

/** Cuts a line to `max` visible characters, the last one "…" when anything was cut. */
export function fit(line: Line, max: number): Line {
  if (width(line) <= max) return line;
  if (max <= 0) return [];
  const out: Line = [];
  let room = max - 1;
  for (const s of line) {
    if (room <= 0) break;
    const text = s.text.slice(0, room);
    out.push({ ...s, text });
    room -= text.length;
  }
  out.push(seg(ELLIPSIS, 'dim'));
  return out;
}

/** The line as text: with ANSI colour codes, or plain. Trailing spaces are dropped. */
export function paint(line: Line, color: boolean): string {
  let out = '';
  for (const s of line) {
    out += color && s.tone !== undefined && s.text.trim() !== '' ? `${ANSI[s.tone]}${s.text}${RESET}` : s.text;
  }
  return out.trimEnd();
}

/** Label-value pairs on one line ("NAV 1,000  uPnL -5"), values toned by sign where asked. */
export function pairs(items: readonly { label: string; value: string; tone?: Tone }[], lead?: Segment): Line {
  const line: Line = lead ? [lead] : [];
  items.forEach((it, i) => {
    if (i > 0 || (lead !== undefined && lead.text.trim() !== '')) line.push(seg('  '));
    line.push(seg(`${it.label} `, 'dim'), seg(it.value, it.tone));
  });
  return line;
}

export interface Column {
  title: string;
  align: 'left' | 'right';
  /** Columns are dropped highest first when the table is too wide; 0 is never dropped. */
  drop: number;
  /** Longest a cell may be before it is cut with "…" (ids). */
  max?: number;
}
export interface Cell {
  text: string;
  tone?: Tone;
}

const GAP = 2;

/**
 * Aligns a table: a header line, then one line per row. Columns whose `drop` is highest go first
 * while the table is wider than `maxWidth`; what still does not fit is cut by `fit` later.
 */
export function alignTable(columns: readonly Column[], rows: readonly Cell[][], maxWidth: number, indent = ''): Line[] {
  const cut = (c: Column, text: string) =>
    c.max !== undefined && text.length > c.max ? text.slice(0, c.max - 1) + ELLIPSIS : text;
  const widths = columns.map((c, j) => Math.max(c.title.length, ...rows.map((r) => cut(c, r[j]?.text ?? '').length)));
  const kept = columns.map((_, j) => j);
  const total = () => indent.length + kept.reduce((n, j) => n + widths[j], 0) + GAP * (kept.length - 1);
  while (total() > maxWidth) {
    const worst = kept.reduce((a, b) => (columns[b].drop > columns[a].drop ? b : a), kept[0]);
    if (columns[worst].drop === 0) break;
    kept.splice(kept.indexOf(worst), 1);
  }
  const line = (cells: Cell[], tone?: Tone): Line => {
    const out: Line = indent ? [seg(indent)] : [];
    kept.forEach((j, k) => {
      const c = columns[j];
      const text = cut(c, cells[j]?.text ?? '');
      const pad = ' '.repeat(widths[j] - text.length);
      if (k > 0) out.push(seg(' '.repeat(GAP)));
      if (c.align === 'right') out.push(seg(pad), seg(text, cells[j]?.tone ?? tone));
      else out.push(seg(text, cells[j]?.tone ?? tone), seg(pad));
    });
    return out;
  };
  return [
    line(
      columns.map((c) => ({ text: c.title })),
      'head',
    ),
    ...rows.map((r) => line(r)),
  ];
}
