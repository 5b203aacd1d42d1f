// `riskline token`: sign an HS256 JWT that the gateway's verifier accepts — its issuer, audience,
// token type and lifetime come from the same configuration (config/riskline.json, --config, env
// RISKLINE_JWT_SECRET). A secret under 32 bytes, a lifetime over auth.maxLifetimeS, or a gateway
// that verifies tokens from a JWKS instead are refused (exit 2), since the token would be too.

import { userInfo } from 'node:os';
import { loadConfig } from '../../config/load.js';
import { ID_PATTERN, MIN_SECRET_BYTES, type AuthConfig } from '../../config/schema.js';
import { RisklineError } from '../../errors/catalogue.js';
import { ROLE_PATTERN } from '../../gateways/identity/claims.js';
import { signToken } from '../../gateways/identity/sign.js';
import { algorithmsOf, tokenTypesOf } from '../../gateways/identity/verifier.js';
import { exitWith } from '../exit.js';

export interface TokenOptions {
  portfolios: string;
  /** 30m, 8h, 1d; default 12h. */
  ttl?: string;
  secret?: string;
  sub?: string;
  roles?: string;
  config?: string;
}

export interface TokenDeps {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
  /** The clock, ms since the epoch. */
  now?: number;
}

const usage = (message: string) => new RisklineError('USAGE', message);
const UNIT_S = { s: 1, m: 60, h: 3600, d: 86400 } as const;

function ttlSeconds(ttl: string, max: number): number {
  const m = /^(\d{1,7})([smhd])$/.exec(ttl);
  if (m === null) throw usage(`--ttl: expected a duration like 30m or 8h, received ${JSON.stringify(ttl)}`);
  const s = Number(m[1]) * UNIT_S[m[2] as keyof typeof UNIT_S];
  if (s === 0) throw usage('--ttl: expected a duration above zero, received 0');
  if (s > max) throw usage(`--ttl: ${ttl} is ${s} s, over auth.maxLifetimeS (${max} s): the gateway would refuse it`);
  return s;
}

function listOf(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function portfoliosOf(raw: string): string[] | '*' {
  if (raw.trim() === '*') return '*';
  const ids = listOf(raw);
  if (ids.length === 0) throw usage('--portfolios: expected ids separated by commas, or *');
  const bad = ids.find((id) => !ID_PATTERN.test(id));
  if (bad !== undefined) throw usage(`--portfolios: ${JSON.stringify(bad)} is not a portfolio id`);
  return ids;
}

function rolesOf(raw: string | undefined): string[] {
  const roles = raw === undefined ? [] : listOf(raw);
  const bad = roles.find((r) => !ROLE_PATTERN.test(r));
  if (bad !== undefined) throw usage(`--roles: ${JSON.stringify(bad)} is not a role name`);
  return roles;
}

function defaultSubject(): string {
  try {
    return userInfo().username || 'riskline-cli';
  } catch {
    return 'riskline-cli'; // no passwd entry (a container's random uid)
  }
}

/** The secret to sign with: --secret, else the configuration's (RISKLINE_JWT_SECRET or auth.jwtSecret). */
function secretFor(opts: TokenOptions, auth: AuthConfig): string {
  if (auth.jwksUrl !== null) {
    throw usage('token: the gateway verifies tokens from a JWKS (auth.jwksUrl); ask its identity provider for one');
  }
  if (!algorithmsOf(auth).includes('HS256')) {
    throw usage(`token: auth.algorithms is ${algorithmsOf(auth).join('|')}; this command signs HS256 only`);
  }
  const secret = opts.secret ?? auth.jwtSecret;
  if (secret === null) throw usage('token: no secret; set RISKLINE_JWT_SECRET or pass --secret');
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_SECRET_BYTES) {
    throw usage(
      `--secret: expected at least ${MIN_SECRET_BYTES} bytes (256 bits), received ${bytes} bytes (not shown)`,
    );
  }
  return secret;
}

/** The token `riskline token` prints. */
export async function issueToken(opts: TokenOptions, deps: TokenDeps = {}): Promise<string> {
  const portfolios = portfoliosOf(opts.portfolios);
  const roles = rolesOf(opts.roles);
  const subject = opts.sub ?? defaultSubject();
  if (subject === '' || subject.length > 256) throw usage('--sub: expected 1..256 characters');
  const { auth } = loadConfig({ configFile: opts.config, configDir: deps.configDir, env: deps.env ?? process.env });
  const secret = secretFor(opts, auth);
  return signToken({
    secret,
    subject,
    portfolios,
    roles,
    issuer: auth.issuer,
    audience: auth.audience,
    ttlS: ttlSeconds(opts.ttl ?? '12h', auth.maxLifetimeS),
    tokenType: tokenTypesOf(auth)[0],
    now: deps.now,
  });
}

export async function tokenCommand(opts: TokenOptions): Promise<void> {
  try {
    process.stdout.write((await issueToken(opts)) + '\n');
  } catch (err) {
    exitWith(err);
  }
}
