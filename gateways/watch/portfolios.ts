// Which portfolios `riskline watch` shows when none is named: the gateway's own list,
// `GET /v1/portfolios` on the same host and port as the stream, with the same token (the protocol
// has no positions:* wildcard; only alerts:*). The gateway lists only what the token may see.

import { RisklineError } from '../../errors/catalogue.js';
import type { PortfolioLabel } from './state.js';

/** The HTTP address of a gateway route, from the stream's ws:// or wss:// address. */
export function restUrl(streamUrl: string, path: string): string {
  const u = new URL(streamUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = path;
  u.search = '';
  u.hash = '';
  return u.toString();
}

const ID_MAX = 200;

/** Reads the list: an array of {id, name?, baseCurrency?}, or {portfolios: that array}. */
export function parsePortfolioList(body: unknown, where: string): PortfolioLabel[] {
  const items = Array.isArray(body)
    ? body
    : body !== null && typeof body === 'object' && Array.isArray((body as { portfolios?: unknown }).portfolios)
      ? (body as { portfolios: unknown[] }).portfolios
      : null;
  const bad = (why: string) => new RisklineError('UNAVAILABLE', `${where} answered ${why}; name them with --portfolio`);
  if (items === null) throw bad('something that is not a list of portfolios');
  return items.map((it, i) => {
    const p = (it ?? {}) as Record<string, unknown>;
    if (typeof p.id !== 'string' || p.id === '' || p.id.length > ID_MAX)
      throw bad(`an entry [${i}] without a valid id`);
    const label: PortfolioLabel = { id: p.id };
    if (typeof p.name === 'string') label.name = p.name;
    if (typeof p.baseCurrency === 'string') label.baseCurrency = p.baseCurrency;
    return label;
  });
}

/** The portfolios the gateway lets this token see. */
export async function listPortfolios(
  streamUrl: string,
  token: string | undefined,
  timeoutMs = 10_000,
): Promise<PortfolioLabel[]> {
  const url = restUrl(streamUrl, '/v1/portfolios');
  let res: Response;
  try {
    res = await fetch(url, {
      headers: token
        ? { authorization: `Bearer ${token}`, accept: 'application/json' }
        : { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new RisklineError('UNAVAILABLE', `cannot list portfolios at ${url}: ${cause}`, { cause: err });
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const message = (body as { message?: unknown } | undefined)?.message;
    const said = typeof message === 'string' ? message : `answered ${res.status}`;
    switch (res.status) {
      case 401:
        throw new RisklineError('UNAUTHORIZED', said);
      case 403:
        throw new RisklineError('FORBIDDEN', said);
      case 404:
        throw new RisklineError('NOT_FOUND', `${url}: ${said}; name the portfolios with --portfolio`);
      default:
        throw new RisklineError('UNAVAILABLE', `${url}: ${said}`);
    }
  }
  if (body === undefined) throw new RisklineError('UNAVAILABLE', `${url} answered with something that is not JSON`);
  return parsePortfolioList(body, url);
}
