// The live risk terminal's files (built from gateways/web into dist/web by `npm run build`), served
// by the gateway: `/` the page, `/assets/<hashed name>` its bundles. Read once at start and kept in
// memory (gzipped once too): the page is a few files. Hashed assets are immutable for a year; the
// page is revalidated each load, under a content security policy that allows this origin's scripts
// only (AG Grid writes its theme as inline styles, hence style-src 'unsafe-inline'), and connections
// to this origin and, where sign-in goes through an OpenID Connect provider, the provider's.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AuthConfig } from '../config/schema.js';
import { RisklineError } from '../errors/catalogue.js';
import { errorReply, type HttpReply, type HttpRequest, type Route } from './route.js';

/** Where `npm run build` writes the terminal, from here (dist/gateways or the sources under test). */
export const WEB_DIR = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../dist/web/' : '../web/', import.meta.url),
);

/**
 * The page's content security policy. With an OpenID Connect client configured (auth.oidcClientId)
 * the page fetches the issuer's discovery document and token endpoint itself, so connect-src also
 * names the issuer's origin; nothing else changes.
 */
export function contentSecurityPolicy(auth?: Pick<AuthConfig, 'issuer' | 'oidcClientId'> | null): string {
  const connect = ["'self'"];
  if (auth != null && auth.oidcClientId !== null) connect.push(new URL(auth.issuer).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The policy without an OpenID Connect client. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface WebFile {
  type: string;
  body: Buffer;
  gzip: Buffer | null;
}

function load(file: string): WebFile {
  const body = readFileSync(file);
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const text = type.startsWith('text/') || type.startsWith('application/json') || type === 'image/svg+xml';
  return { type, body, gzip: text ? gzipSync(body) : null };
}

function reply(req: HttpRequest, f: WebFile, cache: string, extra: Record<string, string> = {}): HttpReply {
  const gz = f.gzip !== null && /\bgzip\b/.test(req.header('accept-encoding') ?? '');
  return {
    status: 200,
    headers: {
      'content-type': f.type,
      'cache-control': cache,
      'x-content-type-options': 'nosniff',
      ...(gz ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      ...extra,
    },
    body: gz ? f.gzip! : f.body,
  };
}

/**
 * The routes of the terminal; when it was not built, `/` says how to build it (503). `auth` shapes
 * the page's content security policy (see contentSecurityPolicy).
 */
export function webRoutes(dir = WEB_DIR, auth?: Pick<AuthConfig, 'issuer' | 'oidcClientId'> | null): Route[] {
  const csp = contentSecurityPolicy(auth);
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    const missing = (): HttpReply =>
      errorReply(
        new RisklineError('UNAVAILABLE', `the terminal is not built (${index} is missing): run npm run build`),
      );
    return [{ method: 'GET', path: '/', handler: missing }];
  }
  const page = load(index);
  const assets = new Map<string, WebFile>();
  const assetDir = join(dir, 'assets');
  if (existsSync(assetDir)) for (const name of readdirSync(assetDir)) assets.set(name, load(join(assetDir, name)));
  return [
    {
      method: 'GET',
      path: '/',
      handler: ({ req }) =>
        reply(req, page, 'no-cache', {
          'content-security-policy': csp,
          'referrer-policy': 'no-referrer',
        }),
    },
    {
      method: 'GET',
      path: '/assets/:file',
      handler: ({ req, params }) => {
        const f = assets.get(params.file);
        if (f === undefined) return errorReply(new RisklineError('NOT_FOUND', `no asset ${params.file}`));
        return reply(req, f, 'public, max-age=31536000, immutable');
      },
    },
  ];
}
