// The screen of `riskline watch` as a pure function of what it holds: (view, width, height, now)
// → lines. The status line comes first; each portfolio's essential lines (header, totals,
// exposures, risk) come before its extra lines (contributors, stress, alert), and the positions
// tables share whatever room is left, largest positions first, each cut with "… N more".
// Nothing here reads the terminal or the clock.

import { amount, clockTime, duration, MISSING, rate } from './format.js';
import { portfolioSection, ticksSection, type Section } from './sections.js';
import type { WatchView } from './state.js';
import { fit, paint, seg, type Line } from './table.js';

/** How long an error frame stays in the status line. */
const ERROR_SHOWN_MS = 5 * 60_000;

export interface RenderOptions {
  /** ANSI colour (a terminal without NO_COLOR). */
  color?: boolean;
}

/** The screen: at most `height` lines (Infinity for no limit), none wider than `width`. */
export function renderWatch(
  view: WatchView,
  width: number,
  height: number,
  now: number,
  options: RenderOptions = {},
): string[] {
  const w = Math.max(1, Math.floor(width));
  const sections: Section[] = view.portfolios.map((p) => portfolioSection(view, p, now, w));
  const ticks = ticksSection(view, now, w);
  if (ticks !== null) sections.push(ticks);
  const body = layout(sections, Math.max(0, Math.floor(height) - 1));
  return [statusLine(view, now), ...body].slice(0, Math.max(1, height)).map((l) => paint(fit(l, w), !!options.color));
}

export function statusLine(view: WatchView, now: number): Line {
  const line: Line = [seg('riskline watch', 'head'), seg(' · ', 'dim')];
  const c = view.connection;
  switch (c.state) {
    case 'connecting':
      line.push(seg('connecting…', 'warn'));
      break;
    case 'connected':
      line.push(seg('connected', 'ok'));
      break;
    case 'reconnecting':
      line.push(
        seg(`reconnecting in ${duration(Math.max(0, c.retryAt - now))} (attempt ${c.attempt})`, 'warn'),
        seg(`: ${c.reason}`, 'dim'),
      );
      break;
    case 'closed':
      line.push(seg(`closed: ${c.reason}`, 'bad'));
      break;
  }
  line.push(seg(' · ', 'dim'));
  const g = view.gateway;
  if (g === null) line.push(seg('gateway live', 'ok'));
  else if (g.stale) {
    line.push(seg(`gateway STALE since ${clockTime(g.since, now)}`, 'bad'));
    if (g.reason) line.push(seg(`: ${g.reason}`, 'bad'));
  } else line.push(seg('gateway live', 'ok'));
  const e = view.lastError;
  if (e !== null && now - e.at < ERROR_SHOWN_MS) {
    line.push(
      seg(' · ', 'dim'),
      seg(`error ${e.code}: ${e.message}`, 'bad'),
      seg(` (${duration(now - e.at)} ago)`, 'dim'),
    );
  }
  line.push(seg(' · ', 'dim'), seg(`${rate(view.framesPerSecond)} frames/s`));
  line.push(seg(' · ', 'dim'), seg(clockTime(now, now).replace(/\.\d+Z$/, 'Z'), 'dim'));
  line.push(seg(' · ', 'dim'), seg(view.url, 'dim'));
  return line;
}

/** Fits the sections into `room` lines: essentials first, then extras, then the tables' rows. */
function layout(sections: Section[], room: number): Line[] {
  if (sections.length === 0) return [[seg(`no portfolio or channel to show ${MISSING}`, 'dim')]];
  const essential = sections.reduce((n, s) => n + s.essential.length, 0);
  if (essential > room) return cutSections(sections, room);
  let left = room - essential;
  const extras = sections.map((s) => {
    const take = Math.min(s.extra.length, left);
    left -= take;
    return s.extra.slice(0, take);
  });
  const tableRoom = allocate(
    sections.map((s) => (s.table === null ? 0 : s.table.rows.length === 0 ? 1 : 1 + s.table.rows.length)),
    left,
  );
  return sections.flatMap((s, i) => [...s.essential, ...extras[i], ...tableLines(s, tableRoom[i])]);
}

/** Whole sections while their essential lines fit, then one line saying how many were left out. */
function cutSections(sections: Section[], room: number): Line[] {
  const out: Line[] = [];
  let shown = 0;
  for (const s of sections) {
    if (out.length + s.essential.length > room - 1) break;
    out.push(...s.essential);
    shown++;
  }
  if (room > 0) {
    out.push([
      seg(`… ${amount(sections.length - shown)} more (name fewer with --portfolio, or use a taller terminal)`, 'dim'),
    ]);
  }
  return out.slice(0, room);
}

/** Lines per table: all of each when they fit, else shared out one line at a time. */
export function allocate(needs: readonly number[], room: number): number[] {
  const total = needs.reduce((a, b) => a + b, 0);
  if (total <= room) return [...needs];
  const got = needs.map(() => 0);
  let left = room;
  while (left > 0) {
    let gave = false;
    for (let i = 0; i < needs.length && left > 0; i++) {
      if (got[i] < needs[i]) {
        got[i]++;
        left--;
        gave = true;
      }
    }
    if (!gave) break;
  }
  return got;
}

function tableLines(s: Section, lines: number): Line[] {
  const t = s.table;
  if (t === null || lines <= 0) return [];
  if (t.rows.length === 0) return [[seg(t.empty, 'dim')]];
  const more = (n: number): Line => [seg(`  … ${amount(n)} more ${t.noun}`, 'dim')];
  if (lines >= 1 + t.rows.length) return [t.header, ...t.rows];
  if (lines === 1) return [[seg(`  … ${amount(t.rows.length)} ${t.noun} (no room)`, 'dim')]];
  const shown = lines - 2;
  return [t.header, ...t.rows.slice(0, shown), more(t.rows.length - shown)];
}
