// `riskline watch CHANNEL`: one line per frame until Ctrl-C or the server closes.
import { RisklineError } from '../../errors/catalogue.js';
import { checkChannel } from '../../gateways/protocol.js';
import { watch } from '../../gateways/watch.js';
import { exitWith } from '../exit.js';

export async function watchCommand(channel: string, opts: { url: string; token?: string }): Promise<void> {
  // `riskline watch … | head` closes stdout early: that is the reader leaving, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
  try {
    // A channel that cannot exist is a usage error (exit 2), found before connecting.
    const bad = checkChannel(channel);
    if (bad !== null) throw new RisklineError('USAGE', `watch: ${bad}`);
    const handle = await watch({ channel, url: opts.url, token: opts.token }, (line) =>
      process.stdout.write(line + '\n'),
    );
    process.once('SIGINT', () => void handle.close());
    process.once('SIGTERM', () => void handle.close());
    const { code, reason } = await handle.closed;
    if (code !== 1000 && code !== 1005) {
      process.stderr.write(`riskline: connection closed (${code}${reason ? `: ${reason}` : ''})\n`);
      process.exitCode = 1;
    }
  } catch (err) {
    exitWith(err);
  }
}
