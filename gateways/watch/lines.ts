// `riskline watch --format lines` (the default when stdout is not a terminal): one compact line
// per frame, given the channel's state after the frame applied. Greppable, and what scripts of
// the earlier `watch CHANNEL` read.

import type { ChannelKind } from '../../engine/frames.js';
import type { FrameMessage } from './state.js';

const num = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const px = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

function n(v: unknown, fmt = num): string {
  return typeof v === 'number' && Number.isFinite(v) ? fmt.format(v) : '-';
}

function iso(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** One human line for a frame, given the channel's state after applying it. */
export function formatFrame(kind: ChannelKind, f: FrameMessage, state: Record<string, unknown>): string {
  const head = `${f.channel} #${f.seq} ${f.type === 'snapshot' ? 'S' : 'U'} ${iso(f.ts)}`;
  switch (kind) {
    case 'positions': {
      const t = { ...state, ...obj(state.totals) };
      const changed = Object.keys(obj(f.data.rows)).length;
      const total = Object.keys(obj(state.rows)).length;
      return `${head} NAV ${n(t.nav)} uPnL ${n(t.unrealizedPnl)} rPnL ${n(t.realizedPnl)} rows ${changed}/${total}`;
    }
    case 'exposures': {
      const t = { ...state, ...obj(state.totals) };
      return `${head} gross ${n(t.gross)} net ${n(t.net)} long ${n(t.long)} short ${n(t.short)}`;
    }
    case 'risk': {
      const parts: string[] = [];
      for (const [label, v] of Object.entries(obj(state.var))) parts.push(`VaR${label} ${n(v)}`);
      for (const [label, v] of Object.entries(obj(state.es))) parts.push(`ES${label} ${n(v)}`);
      const method = typeof state.method === 'string' ? ` (${state.method})` : '';
      return `${head} ${parts.join(' ') || 'no risk figures'}${method}`;
    }
    case 'ticks':
      return `${head} bid ${n(state.bid, px)} ask ${n(state.ask, px)} last ${n(state.last, px)}`;
    case 'alerts': {
      const sev = typeof state.severity === 'string' ? state.severity.toUpperCase() : 'ALERT';
      return `${head} ${sev} ${typeof state.message === 'string' ? state.message : JSON.stringify(state)}`;
    }
    case 'orders':
      return `${head} ${JSON.stringify(f.data)}`;
  }
}

/** The line for a gap: what was expected, what came, and that a snapshot was asked for. */
export function gapLine(channel: string, expected: number | null, got: number, asked: boolean): string {
  const what = `${channel} gap: expected seq ${expected ?? '(snapshot)'}, got ${got}`;
  return asked ? `${what}; requesting a snapshot` : `${what}; waiting for the snapshot asked for`;
}
