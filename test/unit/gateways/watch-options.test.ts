// The options of `riskline watch`: each mistake is one USAGE line naming the option (exit 2),
// found before anything connects.

import t from 'tap';
import { parseWatchOptions } from '../../../gateways/watch/options.js';

const URL = 'ws://127.0.0.1:8080/v1/stream';

t.test(
  'defaults: every portfolio, positions+exposures+risk, a table on a terminal and lines in a pipe, 4 Hz',
  async (t) => {
    t.same(parseWatchOptions([], { url: URL }, true), {
      url: URL,
      channels: [],
      portfolios: [],
      kinds: ['positions', 'exposures', 'risk'],
      allPortfolios: true,
      format: 'table',
      refreshHz: 4,
      once: false,
    });
    t.equal(parseWatchOptions([], { url: URL }, false).format, 'lines');
    t.equal(parseWatchOptions([], { url: URL, once: true }, false).format, 'table', '--once is a table anywhere');
    t.equal(parseWatchOptions([], { url: URL, json: true }, true).format, 'json');
    t.equal(parseWatchOptions([], { url: URL, format: 'table' }, false).format, 'table');
  },
);

t.test('portfolios: repeatable and comma-separated, duplicates dropped; channels as named', async (t) => {
  const p = parseWatchOptions(
    ['ticks:AAPL', 'ticks:AAPL', 'alerts:*'],
    {
      url: URL,
      token: 'jwt',
      portfolio: ['A, B', 'C', 'A'],
      channels: 'risk,alerts,risk',
      refresh: '0.5',
    },
    true,
  );
  t.match(p, {
    token: 'jwt',
    channels: ['ticks:AAPL', 'alerts:*'],
    portfolios: ['A', 'B', 'C'],
    kinds: ['risk', 'alerts'],
    allPortfolios: false,
    refreshHz: 0.5,
  });
  t.equal(parseWatchOptions(['risk:X'], { url: URL }, true).allPortfolios, false, 'a channel named: no listing');
});

t.test('each bad option is one USAGE line naming it', async (t) => {
  const cases: [string[], Record<string, unknown>, RegExp][] = [
    [['nonsense'], {}, /^watch: channel "nonsense" is not one of ticks:<instrument>/],
    [['positions:*'], {}, /the wildcard is only allowed as alerts:\*/],
    [
      [],
      { url: 'localhost:8080' },
      /^watch: --url: expected a ws:\/\/ or wss:\/\/ address, received "localhost:8080" \(localhost\)$/,
    ],
    [
      [],
      { url: 'http://127.0.0.1:8080/v1/stream' },
      /--url: expected a ws:\/\/ or wss:\/\/ address, received "http:.*" \(http\)$/,
    ],
    [
      [],
      { url: 'not a url' },
      /^watch: --url: expected a ws:\/\/ or wss:\/\/ address like ws:\/\/127\.0\.0\.1:8080\/v1\/stream, received "not a url"$/,
    ],
    [[], { token: '  ' }, /^watch: --token is empty$/],
    [[], { portfolio: ['A,,B'] }, /^watch: --portfolio: an id is empty/],
    [[], { portfolio: ['P*'] }, /^watch: --portfolio "P\*": not a portfolio id/],
    [
      [],
      { channels: 'positions,greeks' },
      /^watch: --channels: expected kinds from positions, exposures, risk, alerts, orders \(comma-separated\), received "greeks"$/,
    ],
    [['risk:A'], { channels: 'risk' }, /^watch: --channels names the kinds to watch for each --portfolio/],
    [[], { format: 'html' }, /^watch: --format: expected one of table, lines, json, received "html"$/],
    [[], { json: true, format: 'table' }, /^watch: --json and --format table ask for two outputs; give one$/],
    [[], { refresh: 'fast' }, /^watch: --refresh: expected redraws per second from 0\.2 to 30, received "fast"$/],
    [[], { refresh: '0' }, /--refresh: .* received "0"$/],
    [[], { refresh: '31' }, /--refresh: .* received "31"$/],
    [[], { refresh: '' }, /--refresh: .* received ""$/],
    [[], { once: true, json: true }, /^watch: --once prints one table; it does not go with --format json$/],
    [[], { once: true, format: 'lines' }, /--once .* --format lines$/],
  ];
  for (const [channels, opts, message] of cases) {
    t.throws(
      () => parseWatchOptions(channels, { url: URL, ...opts }, true),
      { code: 'USAGE', message },
      JSON.stringify([channels, opts]),
    );
  }
});
