// How a command ends: catalogue errors become one line on stderr and their exit code (2 for usage
// and configuration, 1 for runtime failures); anything else is a runtime failure.
import { RisklineError } from '../errors/catalogue.js';

export function exitWith(err: unknown): never {
  if (err instanceof RisklineError) {
    process.stderr.write(`riskline: ${err.message}\n`);
    process.exit(err.spec.exit);
  }
  process.stderr.write(`riskline: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
