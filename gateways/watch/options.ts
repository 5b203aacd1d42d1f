// The options of `riskline watch`, checked before anything connects: each mistake is one USAGE
// line (exit 2) naming the option and what it received.

import { RisklineError } from '../../errors/catalogue.js';
import { checkChannel } from '../protocol.js';

export type WatchFormat = 'table' | 'lines' | 'json';
export const WATCH_FORMATS: readonly WatchFormat[] = ['table', 'lines', 'json'];
/** The channel kinds `--channels` may name for each portfolio. */
export const PORTFOLIO_KINDS = ['positions', 'exposures', 'risk', 'alerts', 'orders'] as const;
export type PortfolioKind = (typeof PORTFOLIO_KINDS)[number];
export const DEFAULT_KINDS: readonly PortfolioKind[] = ['positions', 'exposures', 'risk'];
export const DEFAULT_REFRESH_HZ = 4;
export const REFRESH_MIN_HZ = 0.2;
export const REFRESH_MAX_HZ = 30;

/** What commander hands over (strings as typed). */
export interface RawWatchOptions {
  url: string;
  token?: string;
  /** Each --portfolio value as typed (comma-separated ids). */
  portfolio?: string[];
  channels?: string;
  format?: string;
  json?: boolean;
  refresh?: string;
  once?: boolean;
}

export interface WatchPlan {
  url: string;
  token?: string;
  /** Channels named on the command line, as given. */
  channels: string[];
  /** Portfolios named with --portfolio. */
  portfolios: string[];
  kinds: PortfolioKind[];
  /** No channel and no portfolio named: every portfolio the gateway lists for the token. */
  allPortfolios: boolean;
  format: WatchFormat;
  refreshHz: number;
  once: boolean;
}

const usage = (message: string) => new RisklineError('USAGE', `watch: ${message}`);

export function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw usage(
      `--url: expected a ws:// or wss:// address like ws://127.0.0.1:8080/v1/stream, received ${JSON.stringify(raw)}`,
    );
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    throw usage(
      `--url: expected a ws:// or wss:// address, received ${JSON.stringify(raw)} (${u.protocol.replace(/:$/, '')})`,
    );
  }
  return raw;
}

/** --portfolio values as given (repeatable), each a comma-separated list. */
function checkPortfolios(values: string[]): string[] {
  const out: string[] = [];
  for (const id of values.flatMap((v) => v.split(',').map((s) => s.trim()))) {
    if (id === '')
      throw usage('--portfolio: an id is empty (ids are comma-separated, e.g. --portfolio GLOBAL-MACRO,US-TECH-LS)');
    const bad = checkChannel(`positions:${id}`);
    if (bad !== null) throw usage(`--portfolio ${JSON.stringify(id)}: not a portfolio id (${bad})`);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

function checkKinds(raw: string): PortfolioKind[] {
  const kinds = raw.split(',').map((s) => s.trim());
  const out: PortfolioKind[] = [];
  for (const k of kinds) {
    if (!(PORTFOLIO_KINDS as readonly string[]).includes(k)) {
      throw usage(
        `--channels: expected kinds from ${PORTFOLIO_KINDS.join(', ')} (comma-separated), received ${JSON.stringify(k)}`,
      );
    }
    if (!out.includes(k as PortfolioKind)) out.push(k as PortfolioKind);
  }
  return out;
}

function checkRefresh(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_REFRESH_HZ;
  const hz = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(hz) || hz < REFRESH_MIN_HZ || hz > REFRESH_MAX_HZ) {
    throw usage(
      `--refresh: expected redraws per second from ${REFRESH_MIN_HZ} to ${REFRESH_MAX_HZ}, received ${JSON.stringify(raw)}`,
    );
  }
  return hz;
}

function checkFormat(raw: RawWatchOptions, isTTY: boolean): WatchFormat {
  if (raw.json && raw.format !== undefined && raw.format !== 'json') {
    throw usage(`--json and --format ${raw.format} ask for two outputs; give one`);
  }
  if (raw.json) return 'json';
  if (raw.format === undefined) return raw.once || isTTY ? 'table' : 'lines';
  if (!(WATCH_FORMATS as readonly string[]).includes(raw.format)) {
    throw usage(`--format: expected one of ${WATCH_FORMATS.join(', ')}, received ${JSON.stringify(raw.format)}`);
  }
  return raw.format as WatchFormat;
}

/** The plan of a watch, or a USAGE error; `isTTY` says whether stdout is a terminal. */
export function parseWatchOptions(channels: string[], raw: RawWatchOptions, isTTY: boolean): WatchPlan {
  for (const c of channels) {
    const bad = checkChannel(c);
    if (bad !== null) throw usage(bad);
  }
  const url = checkUrl(raw.url);
  if (raw.token !== undefined && raw.token.trim() === '') throw usage('--token is empty');
  const portfolios = checkPortfolios(raw.portfolio ?? []);
  if (raw.channels !== undefined && channels.length > 0 && portfolios.length === 0) {
    throw usage(
      '--channels names the kinds to watch for each --portfolio (or each listed portfolio when no channel is named); with channels named, name the portfolios too',
    );
  }
  const kinds = raw.channels === undefined ? [...DEFAULT_KINDS] : checkKinds(raw.channels);
  const format = checkFormat(raw, isTTY);
  if (raw.once && format !== 'table') throw usage(`--once prints one table; it does not go with --format ${format}`);
  return {
    url,
    ...(raw.token !== undefined ? { token: raw.token } : {}),
    channels: [...new Set(channels)],
    portfolios,
    kinds,
    allPortfolios: channels.length === 0 && portfolios.length === 0,
    format,
    refreshHz: checkRefresh(raw.refresh),
    once: raw.once === true,
  };
}
