// A FIX session's TLS settings (config `fix.tls`, `orders.clients.tls`) as Node's TLS options,
// the PEM files read once at start; a file that cannot be read is CONFIG_INVALID naming it.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import type { FixTls } from '../../../config/schema.js';
import { RisklineError } from '../../../errors/catalogue.js';

function pem(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new RisklineError('CONFIG_INVALID', `${field}: cannot read ${path}: ${(err as Error).message}`);
  }
}

/** An initiator's: the acceptor's certificate checked against `ca` (or the system's CAs) and the name. */
export function initiatorTls(tls: FixTls, host: string, where: string): ConnectionOptions {
  return {
    ca: tls.ca === null ? undefined : pem(tls.ca, `${where}.ca`),
    cert: tls.cert === null ? undefined : pem(tls.cert, `${where}.cert`),
    key: tls.key === null ? undefined : pem(tls.key, `${where}.key`),
    servername: tls.servername ?? host,
    rejectUnauthorized: true,
  };
}

/** An acceptor's: its certificate and key, both required. */
export function acceptorTls(tls: FixTls, where: string): TlsOptions {
  if (tls.cert === null || tls.key === null)
    throw new RisklineError('CONFIG_INVALID', `${where}: an acceptor needs cert and key`);
  return { cert: pem(tls.cert, `${where}.cert`), key: pem(tls.key, `${where}.key`) };
}
