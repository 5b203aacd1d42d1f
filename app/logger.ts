// Structured logs (pino) to stderr, so stdout stays free for command output such as `watch`.
import { pino, type Logger } from 'pino';

export function createLogger(level: string, name = 'riskline'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: false }));
}
