// Logs (pino) go to stderr, so stdout stays free for command output such as `watch`: readable lines
// (pino-pretty) when stderr is a terminal, JSON lines otherwise (for collectors and tests). A command
// may hold its start-up lines until its input has proved valid, so that a usage or configuration
// error (exit 2) stands alone on stderr; warnings and errors are never held.
import { pino, type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Hold lines below `warn` until release() or discard() (default false). */
  hold?: boolean;
  /** Readable lines instead of JSON (default: stderr is a terminal). */
  pretty?: boolean;
  /** Where lines go (default: stderr); tests capture them here. */
  write?: (line: string) => void;
}

export interface CommandLogger {
  logger: Logger;
  /** Whether lines are readable text rather than JSON. */
  pretty: boolean;
  /** Writes the held lines, in order, and stops holding. */
  release(): void;
  /** Drops the held lines and stops holding: the error line that follows must stand alone. */
  discard(): void;
  /** Writes out anything buffered, before the process exits. */
  flushSync(): void;
}

/** Held lines beyond this are written out: a bound on memory, reached only by chatty debug runs. */
const MAX_HELD = 1000;
const WARN = 40;

type Sink = DestinationStream & { flushSync?(): void; flush?(cb?: (err?: Error) => void): void };

/** Passes lines on, or holds those below warn; pino tells it each line's level (its metadata hook). */
class HoldingStream {
  readonly [pino.symbols.needsMetadataGsym] = true as const;
  lastLevel = 0;
  private held: string[] | null;

  constructor(
    private readonly out: Sink,
    hold: boolean,
  ) {
    this.held = hold ? [] : null;
  }

  write(line: string): void {
    if (this.held === null || this.lastLevel >= WARN) return void this.out.write(line);
    this.held.push(line);
    if (this.held.length > MAX_HELD) this.release();
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const line of held) this.out.write(line);
  }

  discard(): void {
    this.held = null;
  }

  /** pino's logger.flush() lands here. */
  flush(cb?: (err?: Error) => void): void {
    if (this.out.flush) this.out.flush(cb);
    else cb?.();
  }

  flushSync(): void {
    this.out.flushSync?.();
  }
}

/** pino-pretty is loaded only for a terminal: JSON runs (services, tests) never pay for it. */
async function prettySink(write: (line: string) => void): Promise<Sink> {
  const { prettyFactory, isColorSupported } = await import('pino-pretty');
  const format = prettyFactory({
    colorize: isColorSupported,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
  return { write: (line: string) => write(format(line)) };
}

export async function createLogger(o: LoggerOptions): Promise<CommandLogger> {
  const pretty = o.pretty ?? process.stderr.isTTY === true;
  const write = o.write ?? ((line: string) => void process.stderr.write(line));
  let out: Sink;
  if (pretty) out = await prettySink(write);
  else if (o.write) out = { write: o.write };
  else out = pino.destination({ dest: 2, sync: false });
  const stream = new HoldingStream(out, o.hold ?? false);
  const logger = pino({ name: 'riskline', level: o.level, base: { pid: process.pid } }, stream);
  return {
    logger,
    pretty,
    release: () => stream.release(),
    discard: () => stream.discard(),
    flushSync: () => stream.flushSync(),
  };
}
