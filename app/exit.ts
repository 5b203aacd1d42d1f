// How a command ends: catalogue errors become one line on stderr and their exit code (2 for usage
// and configuration, 1 for runtime failures); anything else is a runtime failure.
import { RisklineError } from '../errors/catalogue.js';

/** The part of a command's logger that decides what its held start-up lines become. */
export interface HeldLog {
  release(): void;
  discard(): void;
  flushSync(): void;
}

export function exitWith(err: unknown, log?: HeldLog): never {
  const code = err instanceof RisklineError ? err.spec.exit : 1;
  // Exit 2 is one line and nothing else; a runtime failure keeps the lines that led up to it.
  if (code === 2) log?.discard();
  else log?.release();
  log?.flushSync();
  const text =
    err instanceof RisklineError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`riskline: ${text}\n`);
  process.exit(code);
}
