#!/usr/bin/env node
// `riskline`: the command line. Parsing only; each command's work lives in app/commands/.
// Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error (one line on stderr).

import { Command, CommanderError, Option } from 'commander';
import { BACKEND_VALUES, DEFAULT_WATCH_URL, LOG_LEVEL_VALUES } from '../config/values.js';
import { exitWith } from './exit.js';
import { tuneHeap } from './heap.js';

tuneHeap();

/** Commander's message, with a suggestion it puts on a line of its own, as one line. */
const oneLine = (s: string): string =>
  s
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ');

const program = new Command();
program
  .name('riskline')
  .description(
    'Real-time streaming risk and market-data engine: live positions, P&L, exposures and VaR/ES over WebSockets.',
  )
  .version('0.1.0')
  .exitOverride()
  // Exit 2 is one line on stderr, commander's own errors included.
  .configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(`riskline: ${oneLine(s)} (run with --help for usage)\n`),
  })
  .addHelpText('after', '\nExit codes: 0 ok, 1 runtime failure, 2 usage or configuration error (one line on stderr).');

const ROLES_TEXT =
  'feed, engine, gateway, router (FIX order router), venue (simulated FIX venues), store (history into PostgreSQL), alerts (alerts to webhooks)';
const serverOptions = (cmd: Command, rolesDefault: string, portNote = '') =>
  cmd
    .option('--config <file>', 'JSON settings merged over config/riskline.json (may replace data files under "files")')
    .option('--host <host>', 'listen address (env RISKLINE_HOST; default 127.0.0.1)')
    .option('--port <port>', `listen port (env RISKLINE_PORT; default 8080, 0 picks a free one)${portNote}`)
    .option(
      '--kafka <brokers>',
      'Kafka bootstrap brokers, comma-separated (env KAFKA_BROKERS; default: the in-process bus)',
    )
    .option('--database <url>', 'PostgreSQL URL for the store role (env DATABASE_URL)')
    .option(
      '--store <embedded>',
      'keep history in a PostgreSQL of its own under database.dir, adding the store role (env RISKLINE_STORE)',
    )
    .option(
      '--roles <list>',
      `roles this process runs, comma-separated: ${ROLES_TEXT} (env RISKLINE_ROLES; ${rolesDefault})`,
    )
    .addOption(
      new Option(
        '--backend <name>',
        'risk backend: auto (the best that runs here: cuda, then cpu, then ts), or one by name — cuda (a GPU), cpu (the native C++ addon), gpujs, ts (the TypeScript reference); a named backend that cannot run here is exit 2 with its reason (env RISKLINE_BACKEND)',
      ).choices(BACKEND_VALUES),
    )
    .addOption(
      new Option(
        '--log-level <level>',
        'log level (env RISKLINE_LOG_LEVEL); readable lines on a terminal, JSON otherwise',
      ).choices(LOG_LEVEL_VALUES),
    );

serverOptions(
  program
    .command('start')
    .description('Run the engine: simulated market, live book, WebSocket and HTTP on one port.')
    .option('--record <file>', 'record every engine input and frame digest to an NDJSON file (for replay --verify)'),
  'default: feed, engine, gateway',
).action(async (opts) => (await import('./commands/start.js')).start(opts));

program
  .command('bench')
  .description('Run benchmark scenarios; writes bench/results/<scenario>.json and prints a Markdown table.')
  .argument('[scenario...]', 'scenarios to run (default: all); see --list')
  .option('--quick', 'short runs (the whole suite in under a minute)')
  .option('--list', 'list the scenarios and exit')
  .option('--out <dir>', 'where result files go (default bench/results)')
  .action(async (scenarios: string[], opts) => (await import('../bench/run.js')).runBenchCommand(scenarios, opts));

program
  .command('watch')
  .description(
    'Watch portfolios live: a table of positions, exposures and risk on a terminal (every portfolio the token may see, unless named), one line per frame in a pipe, or the raw messages with --json.',
  )
  .argument(
    '[channel...]',
    'channels to watch instead of whole portfolios: ticks:<instrument> | positions:<portfolio> | exposures:<portfolio> | risk:<portfolio> | alerts:<portfolio> | alerts:* (every entitled portfolio) | orders:<portfolio>',
  )
  .option('--url <url>', "the gateway's WebSocket endpoint", DEFAULT_WATCH_URL)
  .option('--token <jwt>', 'bearer token when the gateway requires one')
  .option(
    '--portfolio <ids>',
    'portfolios to show, comma-separated, repeatable (default, when no channel is named: every portfolio GET /v1/portfolios lists for the token)',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option(
    '--channels <kinds>',
    'what to watch of each portfolio, comma-separated, from positions, exposures, risk, alerts, orders (default: positions,exposures,risk)',
  )
  .addOption(
    new Option(
      '--format <mode>',
      'table (redrawn in place on a terminal), lines (one per frame) or json (each server message) (default: table on a terminal, lines otherwise)',
    ).choices(['table', 'lines', 'json']),
  )
  .option('--json', 'each server message as one JSON line, as received (same as --format json)')
  .option('--refresh <hz>', 'table redraws per second at most, 0.2 to 30', '4')
  .option('--once', 'print one table once every channel has its state (or after 10 s), then exit 0')
  .action(async (channels: string[], opts) => (await import('./commands/watch.js')).watchCommand(channels, opts));

serverOptions(
  program
    .command('replay')
    .description('Replay an NDJSON or CSV file of ticks/executions through the engine; --verify checks a recording.')
    .argument('<file>', 'NDJSON (.ndjson/.jsonl) or CSV (.csv) file')
    .option('--speed <x>', 'event-time speed factor, or "max" for as fast as possible', 'max')
    .option('--verify', 're-run a recording made with `start --record` and compare every frame digest'),
  'default: feed,engine, and gateway when a port is given',
  '; without one (flag, env or --config) replay runs no gateway and takes no port',
).action(async (file: string, opts) => (await import('./commands/replay.js')).replayCommand(file, opts));

program
  .command('token')
  .description('Sign a JWT granting access to portfolios (needs RISKLINE_JWT_SECRET or --secret).')
  .requiredOption('--portfolios <list>', 'portfolio ids, comma-separated, or * for all')
  .option('--ttl <duration>', 'lifetime, e.g. 8h or 30m, at most auth.maxLifetimeS', '12h')
  .option('--secret <secret>', 'HS256 secret of at least 32 bytes (default: env RISKLINE_JWT_SECRET)')
  .option('--sub <subject>', 'who the token names (default: the OS user name)')
  .option('--roles <list>', 'roles, comma-separated; risk-officer sees every portfolio')
  .option('--config <file>', 'JSON settings merged over config/riskline.json (issuer, audience, lifetime)')
  .action(async (opts) => (await import('./commands/token.js')).tokenCommand(opts));

program
  .command('report')
  .description(
    "Build a portfolio's daily risk report from the store: HTML and PDF written to --out and kept in the store's reports table.",
  )
  .requiredOption('--portfolio <id>', 'the portfolio')
  .requiredOption('--date <day>', 'the UTC day, YYYY-MM-DD')
  .option('--out <dir>', 'where <portfolio>-<day>.html and .pdf go (default: the current folder)')
  .option('--database-url <url>', "the store's PostgreSQL (env DATABASE_URL; default database.url of the config)")
  .option(
    '--store <embedded>',
    'the store `riskline start --store embedded` keeps under database.dir (env RISKLINE_STORE): its running server, else one started for the report',
  )
  .option('--config <file>', 'JSON settings merged over config/riskline.json')
  .action(async (opts) => (await import('./commands/report.js')).reportCommand(opts));

// `riskline` alone: a usage error, said in one line like every other (help is one flag away).
if (process.argv.length <= 2) {
  const names = program.commands.map((c) => c.name());
  process.stderr.write(
    `riskline: a command is needed: ${names.slice(0, -1).join(', ')} or ${names.at(-1)} (riskline --help explains each)\n`,
  );
  process.exit(2);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // --help and --version end with exit code 0; every other commander error is a usage error.
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  exitWith(err);
}
