// `riskline watch [CHANNEL...]`: a live table of positions, exposures and risk on a terminal, one
// line per frame in a pipe, or the raw JSON messages (--json), until Ctrl-C. Options are checked
// before anything connects; a refused token or URL is one line and exit 2.
import { parseWatchOptions, type RawWatchOptions } from '../../gateways/watch/options.js';
import { runWatch, type WatchIO } from '../../gateways/watch/session.js';
import { exitWith } from '../exit.js';

/** Width of the table where stdout is not a terminal (COLUMNS wins when set). */
const PIPE_COLUMNS = 120;

function terminalIO(): WatchIO {
  const out = process.stdout;
  const tty = out.isTTY === true;
  const noColor = (process.env.NO_COLOR ?? '') !== '';
  const dumb = process.env.TERM === 'dumb';
  return {
    write: (text) => void out.write(text),
    notice: (line) => void process.stderr.write(`riskline: watch: ${line}\n`),
    live: tty && !dumb,
    color: tty && !dumb && !noColor,
    size: () => ({
      columns: tty ? out.columns || 80 : Number(process.env.COLUMNS) || PIPE_COLUMNS,
      rows: tty ? out.rows || 24 : Infinity,
    }),
    onResize: (fn) => {
      out.on('resize', fn);
      return () => void out.off('resize', fn);
    },
    now: Date.now,
  };
}

export async function watchCommand(channels: string[], opts: RawWatchOptions): Promise<void> {
  // `riskline watch … | head` closes stdout early: that is the reader leaving, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
  const io = terminalIO();
  let stop: (() => Promise<void>) | null = null;
  try {
    const plan = parseWatchOptions(channels, opts, process.stdout.isTTY === true);
    const session = await runWatch(plan, io);
    stop = () => session.stop();
    const onSignal = () => void session.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await session.done;
    await session.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  } catch (err) {
    // The terminal comes back (the table's screen left) before the one line is written.
    await stop?.();
    exitWith(err);
  }
}
