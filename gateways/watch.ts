// `watch()`: one channel as lines, for programs and tests (the `riskline watch` command is
// gateways/watch/session.ts). It subscribes, keeps the channel's state with applyFrame, gives one
// compact line per frame, and on a seq gap asks for a snapshot instead of applying an update to
// state it no longer has. It does not reconnect: `closed` says how the connection ended.

import { DEFAULT_WATCH_URL } from '../config/values.js';
import { RisklineError } from '../errors/catalogue.js';
import { checkChannel } from './protocol.js';
import { WatchConnection } from './watch/connection.js';
import { formatFrame, gapLine } from './watch/lines.js';
import { WatchState } from './watch/state.js';

export { formatFrame } from './watch/lines.js';

export interface WatchOptions {
  channel: string;
  url?: string;
  token?: string;
  /** Connection timeout in ms (default 10 s). */
  timeoutMs?: number;
}

export interface WatchHandle {
  close(): Promise<void>;
  /** Resolves when the connection ends, with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * Connects, subscribes and streams lines to `out`. Resolves once the server confirms the
 * subscription; rejects with a RisklineError when the connection or the subscription is refused.
 */
export async function watch(options: WatchOptions, out: (line: string) => void): Promise<WatchHandle> {
  const bad = checkChannel(options.channel);
  if (bad !== null) throw new RisklineError('BAD_CHANNEL', bad);
  const url = options.url ?? DEFAULT_WATCH_URL;
  const state = new WatchState(url, [options.channel], [], Date.now());
  const conn: WatchConnection = new WatchConnection(
    {
      url,
      ...(options.token ? { token: options.token } : {}),
      channels: [options.channel],
      handshakeTimeoutMs: options.timeoutMs ?? 10_000,
      reconnect: null,
    },
    {
      message: (msg) => {
        switch (msg.type) {
          case 'subscribed':
            return out(`subscribed ${msg.channels.join(', ')}`);
          case 'error':
            return out(`error ${msg.code}: ${msg.message}`);
          case 'snapshot':
          case 'update': {
            const outcome = state.apply(msg, Date.now());
            if (outcome.kind === 'gap') {
              const asked = outcome.askSnapshot && conn.requestSnapshot(msg.channel);
              out(gapLine(msg.channel, outcome.expected, msg.seq, asked));
            } else if (outcome.kind === 'applied' && outcome.held.state !== undefined) {
              out(formatFrame(outcome.held.kind, msg, outcome.held.state));
            }
            return;
          }
          default:
            return;
        }
      },
      phase: (p) => {
        if (p.state === 'closed') out(`closed ${p.reason}`);
      },
      badMessage: (err) => out(`bad message from server: ${err.message}`),
    },
  );
  await conn.start();
  return {
    close: async () => void (await conn.close()),
    closed: conn.ended.then(({ code, reason }) => ({ code, reason })),
  };
}
