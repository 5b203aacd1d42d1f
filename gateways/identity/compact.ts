// The first look at a token, before any cryptography: its size, its three base64url parts and its
// protected header. A token that fails here is refused without jose ever parsing it, so a crafted
// or huge value costs a length check and a regular expression, and each trap gets its own reason.

import { AuthFailure, shown } from './failure.js';

/** header.payload.signature, each base64url without padding (RFC 7515 §7.1). */
const COMPACT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

export interface ProtectedHeader {
  alg: string;
  typ: string | undefined;
  kid: string | undefined;
}

/** Checks size and shape and decodes the protected header; every failure is an AuthFailure. */
export function readCompact(token: string, maxBytes: number): ProtectedHeader {
  // A JWS is ASCII, so its length in characters is its length in bytes.
  if (token.length > maxBytes) {
    throw new AuthFailure('oversized', `token refused: ${token.length} bytes, more than the ${maxBytes} allowed`);
  }
  const parts = COMPACT.exec(token);
  if (parts === null) {
    const dots = token.split('.').length - 1;
    const why = dots === 2 ? 'a part is not base64url' : `${dots + 1} parts, not 3`;
    throw new AuthFailure('malformed', `token refused: not a compact JWS (${why})`);
  }
  const header = decodeHeader(parts[1]);
  if (header.alg === 'none' || parts[3] === '') {
    throw new AuthFailure('unsigned', 'token refused: unsigned (alg "none" or no signature)');
  }
  return header;
}

function decodeHeader(part: string): ProtectedHeader {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new AuthFailure('malformed', 'token refused: its header is not base64url-encoded JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuthFailure('malformed', 'token refused: its header is not a JSON object');
  }
  const h = value as Record<string, unknown>;
  if (typeof h.alg !== 'string') throw new AuthFailure('malformed', 'token refused: its header has no "alg"');
  for (const name of ['typ', 'kid'] as const) {
    if (h[name] !== undefined && typeof h[name] !== 'string') {
      throw new AuthFailure('malformed', `token refused: header "${name}" is not a string`);
    }
  }
  return { alg: h.alg, typ: h.typ as string | undefined, kid: h.kid as string | undefined };
}

/** RFC 7515 §4.1.9: "JWT" and "application/JWT" are the same type, compared without case. */
export function normalTyp(typ: string): string {
  const t = typ.toLowerCase();
  return t.startsWith('application/') ? t.slice('application/'.length) : t;
}

/** The header checks the configuration pins: algorithm, type, and a `kid` where a key set is used. */
export function checkHeader(
  h: ProtectedHeader,
  pinned: { algorithms: readonly string[]; tokenTypes: readonly string[]; needKid: boolean },
): void {
  if (!pinned.algorithms.includes(h.alg)) {
    throw new AuthFailure(
      'algorithm',
      `token refused: algorithm ${shown(h.alg, 16)} is not accepted (expected ${pinned.algorithms.join('|')})`,
    );
  }
  const wanted = pinned.tokenTypes.map(normalTyp);
  if (h.typ === undefined || !wanted.includes(normalTyp(h.typ))) {
    const got = h.typ === undefined ? 'none' : shown(h.typ, 32);
    throw new AuthFailure('type', `token refused: typ ${got}, expected ${pinned.tokenTypes.join('|')}`);
  }
  if (pinned.needKid && (h.kid === undefined || h.kid === '')) {
    throw new AuthFailure('key', 'token refused: no "kid" in its header, which a key set (JWKS) needs');
  }
}
