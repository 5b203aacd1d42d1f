import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import t, { type Test } from 'tap';
import { RisklineError } from '../../../errors/catalogue.js';
import { generateDemoBook, writeDemoBook } from '../../../config/generate-demo-book.js';
import { displayPath, jsonSyntaxErrorOffset } from '../../../config/issues.js';
import { defaultConfigDir, deepMerge, loadConfig, type LoadConfigOptions } from '../../../config/load.js';
import { settingsFileSchema } from '../../../config/schema.js';
import { MarketSimulator, tickColumns, type MarketModel } from '../../../feeds/simulator.js';

const DIR = defaultConfigDir();
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
// tap's t.same formats large values slowly; the demo book is thousands of rows.
const sameBig = (t: Test, a: unknown, b: unknown, msg: string) => t.ok(isDeepStrictEqual(a, b), msg);
const defaults = readJson(path.join(DIR, 'instruments.json')) as { id: string; kind: string }[];

/** A writable copy of the default config folder (JSON files only). */
function copyDefaults(t: Test): string {
  const dir = t.testdir({});
  for (const f of readdirSync(DIR).filter((f) => f.endsWith('.json'))) cpSync(path.join(DIR, f), path.join(dir, f));
  return dir;
}

function edit(file: string, change: (data: never) => void): void {
  const data = readJson(file) as never;
  change(data);
  writeFileSync(file, JSON.stringify(data, null, 2));
}

/** The CONFIG_INVALID message loadConfig throws (and that it is one line). */
function failure(t: Test, opts: LoadConfigOptions): string {
  try {
    loadConfig({ env: {}, ...opts });
  } catch (err) {
    t.ok(err instanceof RisklineError, 'a RisklineError');
    const e = err as RisklineError;
    t.equal(e.code, 'CONFIG_INVALID');
    t.equal(e.spec.exit, 2, 'exits 2');
    t.notMatch(e.message, /\n/, 'one line');
    return e.message;
  }
  t.fail('expected loadConfig to throw');
  return '';
}

t.test('the defaults load and validate', async (t) => {
  const cfg = loadConfig({ env: {} });
  t.equal(cfg.server.host, '127.0.0.1');
  t.equal(cfg.server.port, 8080);
  t.same(cfg.roles, ['feed', 'engine', 'gateway']);
  t.same(cfg.risk.confidence, [0.95, 0.99]);
  t.equal(cfg.risk.backend, 'auto');
  t.equal(cfg.simulator.spreadBps.option, 20);
  t.equal(cfg.simulator.startTime, null);
  t.equal(cfg.kafka.brokers, null);
  t.equal(cfg.database.url, null);
  t.equal(cfg.auth.jwtSecret, null);
  t.equal(cfg.topics.prefix, 'riskline.');
  t.equal(cfg.topics.topics['state.positions'].cleanup, 'compact');
  t.ok(cfg.instruments.length >= 300, `${cfg.instruments.length} instruments`);
  for (const kind of ['equity', 'etf', 'future', 'fx', 'option', 'bond']) {
    t.ok(
      cfg.instruments.some((i) => i.kind === kind),
      `has ${kind}`,
    );
  }
  t.ok(cfg.portfolios.length >= 5);
  t.ok(new Set(cfg.portfolios.map((p) => p.baseCurrency)).size >= 5, 'five base currencies');
  const positions = cfg.portfolios.reduce((n, p) => n + new Set(p.holdings.map((h) => h.instrument)).size, 0);
  t.ok(positions >= 3000, `a few thousand positions: ${positions}`);
  for (const i of cfg.instruments) t.match(i.id, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'channel-safe id');
  t.ok(cfg.limits.length > 0 && cfg.scenarios.length > 0 && cfg.venues.length > 0);
  t.equal(cfg.market.correlations.length, cfg.market.factors.length);
});

t.test('riskline.json spells out exactly the schema defaults', async (t) => {
  const { files: _files, ...fromFile } = settingsFileSchema.parse(readJson(path.join(DIR, 'riskline.json')));
  const { files: _none, ...fromSchema } = settingsFileSchema.parse({});
  t.same(fromFile, fromSchema);
  // Spelled out, not filled in by the schema: every default is visible in the file itself.
  const { files: _rawFiles, ...raw } = readJson(path.join(DIR, 'riskline.json')) as Record<string, unknown>;
  t.same(raw, JSON.parse(JSON.stringify(fromSchema)), 'the file names every setting with its default');
  const dir = copyDefaults(t);
  writeFileSync(path.join(dir, 'riskline.json'), '{}');
  const cfg = loadConfig({ configDir: dir, env: {} });
  t.same({ ...cfg.server, ...cfg.engine }, { ...loadConfig({ env: {} }).server, ...loadConfig({ env: {} }).engine });
});

t.test('the demo book generator is deterministic and matches the committed files', async (t) => {
  const a = generateDemoBook();
  const b = generateDemoBook();
  sameBig(t, a, b, 'two generations are equal');
  t.notOk(isDeepStrictEqual(generateDemoBook(7).portfolios, a.portfolios), 'another seed gives another book');
  sameBig(t, readJson(path.join(DIR, 'instruments.json')), a.instruments, 'instruments.json is fresh');
  sameBig(t, readJson(path.join(DIR, 'portfolios.json')), a.portfolios, 'portfolios.json is fresh');
  sameBig(t, readJson(path.join(DIR, 'market.json')), a.market, 'market.json is fresh');
  const out = t.testdir({});
  const files = await writeDemoBook(out, a);
  t.equal(files.length, 3);
  for (const f of files) sameBig(t, readJson(f), readJson(path.join(DIR, path.basename(f))), path.basename(f));
  for (const p of a.portfolios) {
    const n = new Set(p.holdings.map((h) => h.instrument)).size;
    t.ok(n >= 450 && n <= 700, `${p.id}: ${n} positions`);
  }
});

t.test('JSON syntax errors name the file, line and column', async (t) => {
  const dir = t.testdir({ 'my.json': '{\n  "server": { "port": 1 },\n}\n', 'empty.json': '' });
  const file = path.join(dir, 'my.json');
  const shown = displayPath(file);
  t.equal(
    failure(t, { configFile: file }),
    `${shown}: not valid JSON (Expected double-quoted property name at line 3 column 1)`,
  );
  t.match(
    failure(t, { configFile: path.join(dir, 'empty.json') }),
    /empty\.json: not valid JSON \(Unexpected end of JSON input at line 1 column 1\)$/,
  );
  t.equal(jsonSyntaxErrorOffset('{"a":tru}'), 5);
  t.equal(jsonSyntaxErrorOffset('[1, 2]'), -1);
  t.equal(jsonSyntaxErrorOffset('"\\x"'), 2);
  t.match(failure(t, { configFile: path.join(dir, 'nope.json') }), /nope\.json: cannot read \(no such file\)$/);
});

t.test('settings errors name the file, the path and what was expected', async (t) => {
  const dir = t.testdir({
    'port.json': JSON.stringify({ server: { port: 'abc' } }),
    'typo.json': JSON.stringify({ server: { prot: 1 } }),
    'enum.json': JSON.stringify({ risk: { backend: 'quantum' } }),
    'conf.json': JSON.stringify({ risk: { confidence: [0.95, 1.5] } }),
    'section.json': JSON.stringify({ simulatr: {} }),
    'array.json': '[]',
  });
  const f = (n: string) => path.join(dir, n);
  const d = (n: string) => displayPath(f(n));
  t.equal(
    failure(t, { configFile: f('port.json') }),
    `${d('port.json')}: server.port: expected integer 0..65535, received "abc"`,
  );
  t.equal(
    failure(t, { configFile: f('typo.json') }),
    `${d('typo.json')}: server.prot: unknown key (expected one of host, port, maxPayloadBytes, slowClientBufferBytes, transport, idleTimeoutS, maxSlowMs, maxLagMs, maxBodyBytes, tickConflationMs, limits, metricsToken)`,
  );
  t.equal(
    failure(t, { configFile: f('enum.json') }),
    `${d('enum.json')}: risk.backend: expected one of "auto"|"ts"|"cpu"|"cuda"|"gpujs", received "quantum"`,
  );
  t.equal(
    failure(t, { configFile: f('conf.json') }),
    `${d('conf.json')}: risk.confidence[1]: expected number in (0, 1), received 1.5`,
  );
  t.match(
    failure(t, { configFile: f('section.json') }),
    /section\.json: simulatr: unknown key \(expected one of server, /,
  );
  t.equal(
    failure(t, { configFile: f('array.json') }),
    `${d('array.json')}: expected a JSON object, received an array of 0`,
  );

  const copy = copyDefaults(t);
  edit(path.join(copy, 'riskline.json'), (s: { engine: Record<string, unknown> }) => {
    s.engine.conflationMS = 5;
  });
  t.equal(
    failure(t, { configDir: copy }),
    `${displayPath(path.join(copy, 'riskline.json'))}: engine.conflationMS: unknown key (expected one of ownThread, markSource, conflationMs, snapshotEveryMs, limitCheckMs, staleAfterMs, dedupeWindow, checkpointEvery, checkpointEveryMs, valuationTime)`,
    'a problem in riskline.json is reported there, not in --config',
  );
});

t.test('data file errors name the file, the path and what was expected', async (t) => {
  const dir = copyDefaults(t);
  const file = path.join(dir, 'instruments.json');
  const optionAt = defaults.findIndex((i) => i.kind === 'option');
  const cases: [string, (xs: Record<string, unknown>[]) => void, string][] = [
    ['strike', (xs) => void (xs[optionAt].strike = -5), `[${optionAt}].strike: expected number > 0, received -5`],
    ['type', (xs) => void (xs[3].price = 'cheap'), '[3].price: expected number, received "cheap"'],
    ['missing', (xs) => void delete xs[4].currency, '[4].currency: missing: expected currency code'],
    [
      'kind',
      (xs) => void (xs[0].kind = 'stock'),
      '[0].kind: expected one of "equity"|"etf"|"future"|"fx"|"option"|"bond", received "stock"',
    ],
    ['key', (xs) => void (xs[optionAt].strik = 1), `[${optionAt}].strik: unknown key (expected one of id, name, `],
    ['id', (xs) => void (xs[1].id = 'BAD:ID'), '[1].id: expected an id of letters, digits'],
    [
      'underlying',
      (xs) => void (xs[optionAt].underlying = 'NOPE'),
      `[${optionAt}].underlying: unknown underlying instrument "NOPE"`,
    ],
    [
      'factor',
      (xs) => void ((xs[2].factors as Record<string, number>).EQ_MARS = 1),
      '[2].factors.EQ_MARS: unknown factor "EQ_MARS" (not in market.json factors)',
    ],
    ['dup', (xs) => void (xs[5].id = xs[0].id), `[5].id: duplicate instrument id "${defaults[0].id}" (first at [0])`],
    [
      'fx',
      (xs) => void (xs[0].currency = 'SEK'),
      '[0].currency: currency SEK has no FX instrument converting it to USD',
    ],
  ];
  for (const [name, change, want] of cases) {
    const bad = path.join(dir, `instruments-${name}.json`);
    writeFileSync(bad, readFileSync(file));
    edit(bad, change as (d: never) => void);
    const conf = path.join(dir, `conf-${name}.json`);
    writeFileSync(conf, JSON.stringify({ files: { instruments: path.basename(bad) } }));
    const msg = failure(t, { configFile: conf });
    t.ok(msg.startsWith(`${displayPath(bad)}: ${want}`), `${name}: ${msg}`);
  }
});

t.test('cross-file and correlation errors', async (t) => {
  const run = (file: string, change: (d: never) => void) => {
    const dir = copyDefaults(t);
    edit(path.join(dir, file), change);
    return { dir, msg: failure(t, { configDir: dir }) };
  };
  let r = run('market.json', (m: { correlations: number[][] }) => {
    const c = m.correlations;
    c[0][1] = c[1][0] = 0.99;
    c[1][2] = c[2][1] = 0.99;
    c[0][2] = c[2][0] = -0.99;
  });
  t.equal(r.msg, `${displayPath(path.join(r.dir, 'market.json'))}: correlations: not positive semi-definite`);
  r = run('market.json', (m: { correlations: number[][] }) => void (m.correlations[0][1] = 0.1));
  t.match(r.msg, /market\.json: correlations\[0\]\[1\]: not symmetric: 0\.1 but correlations\[1\]\[0\] is /);
  r = run('market.json', (m: { correlations: number[][] }) => void m.correlations.pop());
  t.match(r.msg, /market\.json: correlations: expected 21 rows \(one per factor\), received 20$/);
  r = run('market.json', (m: { correlations: number[][] }) => void (m.correlations[2][2] = 0.9));
  t.match(r.msg, /market\.json: correlations\[2\]\[2\]: expected 1 on the diagonal, received 0\.9$/);
  r = run('market.json', (m: { correlations: number[][] }) => void (m.correlations[2][3] = 1.5));
  t.match(r.msg, /market\.json: correlations\[2\]\[3\]: expected number in \[-1, 1\], received 1\.5$/);
  r = run(
    'portfolios.json',
    (p: { holdings: { instrument: string }[] }[]) => void (p[1].holdings[7].instrument = 'GHOST'),
  );
  t.match(r.msg, /portfolios\.json: \[1\]\.holdings\[7\]\.instrument: unknown instrument "GHOST"$/);
  r = run('portfolios.json', (p: { cash: Record<string, number> }[]) => void (p[0].cash.NOK = 5));
  t.match(r.msg, /portfolios\.json: \[0\]\.cash\.NOK: currency NOK has no FX instrument/);
  r = run('limits.json', (l: { portfolio: string }[]) => void (l[0].portfolio = 'NOBODY'));
  t.match(r.msg, /limits\.json: \[0\]\.portfolio: unknown portfolio "NOBODY" \(or "\*"\)$/);
  r = run('limits.json', (l: { max?: number; min?: number }[]) => void delete l[0].max);
  t.match(r.msg, /limits\.json: \[0\]: expected at least one of "max" or "min"$/);
  r = run('limits.json', (l: { warnAt?: number }[]) => void (l[0].warnAt = 1.2));
  t.match(r.msg, /limits\.json: \[0\]\.warnAt: expected a utilisation in \(0, 1\), received 1\.2$/);
  r = run('limits.json', (l: { hysteresis?: number }[]) => void (l[0].hysteresis = -0.1));
  t.match(r.msg, /limits\.json: \[0\]\.hysteresis: expected a fraction in \[0, 0\.5\], received -0\.1$/);
  r = run('limits.json', (l: { max?: number; min?: number; warnAt?: number }[]) => {
    delete l[0].max;
    l[0].min = 0;
    l[0].warnAt = 0.8;
  });
  t.match(r.msg, /limits\.json: \[0\]: "warnAt" needs a positive "max" or a negative "min"/);
  r = run('limits.json', (l: { dimension?: string }[]) => void (l[0].dimension = 'sector'));
  t.match(r.msg, /limits\.json: \[0\]: "dimension" is for metric "concentration" only$/);
  r = run('limits.json', (l: { metric: string; max?: number }[]) => {
    l[0].metric = 'concentration';
    l[0].max = 1.5;
  });
  t.match(
    r.msg,
    /limits\.json: \[0\]: a "concentration" limit takes a "max" in \(0, 1\] \(a share of gross exposure\) and no "min"$/,
  );
  r = run('limits.json', (l: { metric: string; dimension?: string }[]) => {
    l[0].metric = 'concentration';
    l[0].dimension = 'issuer';
  });
  t.match(
    r.msg,
    /limits\.json: \[0\]\.dimension: expected one of "instrument"\|"assetClass"\|"sector"\|"currency"\|"country", received "issuer"$/,
  );
  r = run(
    'scenarios.json',
    (s: { shocks: { factors?: Record<string, number> } }[]) => void ((s[4].shocks.factors ??= {}).EQ_MOON = -0.5),
  );
  t.match(
    r.msg,
    /scenarios\.json: \[4\]\.shocks\.factors\.EQ_MOON: scenario "EQUITY-CRASH-2008": unknown factor "EQ_MOON"/,
  );
  r = run('topics.json', (tp: { topics: Record<string, unknown> }) => void delete tp.topics.dlq);
  t.match(r.msg, /topics\.json: topics\.dlq: missing: expected object$/);
  r = run('venues.json', (v: { fix: { port: number } }[]) => void (v[0].fix.port = 0));
  t.match(r.msg, /venues\.json: \[0\]\.fix\.port: expected integer 1\.\.65535, received 0$/);
});

t.test('the config loader and the simulator apply one correlation rule', async (t) => {
  const load = (change: (c: number[][]) => void) => {
    const dir = copyDefaults(t);
    edit(path.join(dir, 'market.json'), (m: { correlations: number[][] }) => change(m.correlations));
    return { dir, market: readJson(path.join(dir, 'market.json')) as MarketModel };
  };
  // Factor 1 a copy of factor 0 (correlation exactly 1): singular, positive semi-definite.
  const perfect = load((c) => {
    c.forEach((row, j) => (row[1] = c[1][j] = row[0]));
    c[1][1] = 1;
  });
  t.equal(perfect.market.correlations[0][1], 1);
  const cfg = loadConfig({ env: {}, configDir: perfect.dir });
  t.same(cfg.market, perfect.market, 'the config loader accepts it');
  const simulate = (market: MarketModel) =>
    new MarketSimulator({ instruments: cfg.instruments, market, seed: 1, startTime: 0, ticksPerSecond: 1000 });
  const sim = simulate(cfg.market);
  t.equal(sim.fillColumns(tickColumns(1000), 1000), 1000, 'the simulator accepts it');

  // An indefinite 3×3 block in the corner makes the whole matrix indefinite.
  const block = [
    [1, 0.9, -0.9],
    [0.9, 1, 0.9],
    [-0.9, 0.9, 1],
  ];
  const indefinite = load((c) => block.forEach((row, i) => row.forEach((v, j) => (c[i][j] = v))));
  const msg = failure(t, { configDir: indefinite.dir });
  t.equal(msg, `${displayPath(path.join(indefinite.dir, 'market.json'))}: correlations: not positive semi-definite`);
  t.throws(() => simulate(indefinite.market), {
    code: 'CONFIG_INVALID',
    message: 'simulator: correlations: not positive semi-definite',
  });
});

t.test('bad environment variables and flags name the variable or flag', async (t) => {
  const cases: [LoadConfigOptions, string][] = [
    [{ env: { RISKLINE_PORT: 'abc' } }, 'RISKLINE_PORT: expected integer 0..65535, received "abc"'],
    [{ env: { RISKLINE_PORT: '70000' } }, 'RISKLINE_PORT: expected integer 0..65535, received "70000"'],
    [{ env: { RISKLINE_BACKEND: 'tpu' } }, 'RISKLINE_BACKEND: expected one of auto|ts|cpu|cuda|gpujs, received "tpu"'],
    [
      { env: { KAFKA_BROKERS: 'localhost' } },
      'KAFKA_BROKERS: expected a comma-separated list of host:port, received "localhost"',
    ],
    [
      { env: { RISKLINE_ROLES: 'feed,chef' } },
      'RISKLINE_ROLES: expected a comma-separated list of feed|engine|gateway|router|venue|store|alerts|analytics, received "feed,chef"',
    ],
    [
      { env: { RISKLINE_LOG_LEVEL: 'loud' } },
      'RISKLINE_LOG_LEVEL: expected one of fatal|error|warn|info|debug|trace|silent, received "loud"',
    ],
    [{ flags: { port: 70000 } }, '--port: expected integer 0..65535, received 70000'],
    [{ flags: { port: '80x' } }, '--port: expected integer 0..65535, received "80x"'],
    [{ flags: { backend: 'gpu' } }, '--backend: expected one of auto|ts|cpu|cuda|gpujs, received "gpu"'],
    [
      { flags: { roles: ['engine', 'nope'] } },
      '--roles: expected a comma-separated list of feed|engine|gateway|router|venue|store|alerts|analytics, received "engine,nope"',
    ],
    [{ flags: { host: '' } }, '--host: expected a non-empty host name, received ""'],
  ];
  for (const [opts, want] of cases) t.equal(failure(t, opts), want);
});

t.test('precedence: flags over environment over files', async (t) => {
  const dir = t.testdir({
    'c.json': JSON.stringify({ server: { port: 9000 }, risk: { backend: 'cpu' }, kafka: { brokers: ['file:1'] } }),
  });
  const configFile = path.join(dir, 'c.json');
  const env = {
    RISKLINE_PORT: '9100',
    RISKLINE_BACKEND: 'ts',
    KAFKA_BROKERS: 'env1:9092, env2:9092',
    RISKLINE_HOST: '',
  };
  const flags = { port: '9200', kafka: 'flag:9092', roles: 'engine,store', database: 'postgres://db/x' };

  let cfg = loadConfig({ configFile });
  t.equal(cfg.server.port, 9000, 'file over defaults');
  t.equal(cfg.server.host, '127.0.0.1', 'deep merge keeps the rest of the section');
  t.equal(cfg.server.maxPayloadBytes, 65536);
  t.equal(cfg.risk.backend, 'cpu');
  t.same(cfg.kafka.brokers, ['file:1']);
  t.equal(cfg.kafka.clientId, 'riskline');

  cfg = loadConfig({ configFile, env });
  t.equal(cfg.server.port, 9100, 'env over file');
  t.equal(cfg.server.host, '127.0.0.1', 'an empty variable is unset');
  t.equal(cfg.risk.backend, 'ts');
  t.same(cfg.kafka.brokers, ['env1:9092', 'env2:9092']);

  cfg = loadConfig({ configFile, env, flags });
  t.equal(cfg.server.port, 9200, 'flag over env');
  t.equal(cfg.risk.backend, 'ts', 'env still applies where no flag is given');
  t.same(cfg.kafka.brokers, ['flag:9092']);
  t.same(cfg.roles, ['engine', 'store']);
  t.equal(cfg.database.url, 'postgres://db/x');

  cfg = loadConfig({
    env: {
      DATABASE_URL: 'postgres://env',
      RISKLINE_JWT_SECRET: 'a-secret-of-at-least-thirty-two-bytes',
      RISKLINE_LOG_LEVEL: 'debug',
      RISKLINE_HOST: '0.0.0.0',
    },
  });
  t.equal(cfg.database.url, 'postgres://env');
  t.equal(cfg.auth.jwtSecret, 'a-secret-of-at-least-thirty-two-bytes');
  t.equal(cfg.log.level, 'debug');
  t.equal(cfg.server.host, '0.0.0.0');
});

t.test('RISKLINE_JWKS_URL names the identity provider’s key set, checked like the file setting', async (t) => {
  const cfg = loadConfig({
    env: { RISKLINE_JWKS_URL: 'https://idp.example/realms/desk/protocol/openid-connect/certs' },
  });
  t.equal(cfg.auth.jwksUrl, 'https://idp.example/realms/desk/protocol/openid-connect/certs');
  t.equal(
    loadConfig({ env: { RISKLINE_JWKS_URL: 'http://127.0.0.1:9000/jwks' } }).auth.jwksUrl,
    'http://127.0.0.1:9000/jwks',
  );
  t.match(failure(t, { env: { RISKLINE_JWKS_URL: 'http://idp.example/jwks' } }), /^RISKLINE_JWKS_URL: auth\.jwksUrl: /);
  t.match(
    failure(t, {
      env: {
        RISKLINE_JWKS_URL: 'https://idp.example/jwks',
        RISKLINE_JWT_SECRET: 'a-secret-of-at-least-thirty-two-bytes',
      },
    }),
    /^RISKLINE_JWT_SECRET: auth|^RISKLINE_JWKS_URL: auth/,
    'a secret and a key set together are refused',
  );
});

t.test('auth.oidcClientId: an https issuer (http on loopback only) and a JWKS, or a clear error', async (t) => {
  /** loadConfig with `auth` from a --config file. */
  const withAuth = (auth: Record<string, unknown>): LoadConfigOptions => {
    const file = path.join(t.testdir({}), 'over.json');
    writeFileSync(file, JSON.stringify({ auth }));
    return { configFile: file, env: {} };
  };
  const idp = { jwksUrl: 'https://idp.example/jwks', issuer: 'https://idp.example/realms/desk', tokenType: 'at+jwt' };
  let cfg = loadConfig({ env: {} });
  t.equal(cfg.auth.oidcClientId, null, 'no OIDC client by default');
  t.equal(cfg.auth.oidcScope, 'openid');
  cfg = loadConfig(withAuth({ ...idp, oidcClientId: 'riskline-terminal', oidcScope: 'openid profile' }));
  t.equal(cfg.auth.oidcClientId, 'riskline-terminal');
  t.equal(cfg.auth.oidcScope, 'openid profile');
  cfg = loadConfig(
    withAuth({ jwksUrl: 'http://127.0.0.1:9000/jwks', issuer: 'http://127.0.0.1:9000', oidcClientId: 'term' }),
  );
  t.equal(cfg.auth.issuer, 'http://127.0.0.1:9000', 'plain http to a loopback issuer, as for the JWKS');
  t.equal(
    loadConfig(withAuth({ jwksUrl: 'http://[::1]:9000/jwks', issuer: 'http://localhost:9000', oidcClientId: 'x' })).auth
      .issuer,
    'http://localhost:9000',
  );
  t.equal(
    loadConfig(withAuth({ ...idp, issuer: 'riskline' })).auth.issuer,
    'riskline',
    'without a client, the issuer is any string, as before',
  );

  t.match(
    failure(t, withAuth({ ...idp, issuer: 'http://idp.example', oidcClientId: 'term' })),
    /auth\.issuer: expected an https issuer URL when auth\.oidcClientId is set \(plain http only to a loopback host\)$/,
  );
  t.match(
    failure(t, withAuth({ ...idp, issuer: 'riskline', oidcClientId: 'term' })),
    /auth\.issuer: expected the OpenID Connect issuer as an absolute https URL when auth\.oidcClientId is set, received "riskline"$/,
  );
  t.match(
    failure(t, withAuth({ ...idp, issuer: 'https://user:pw@idp.example', oidcClientId: 'term' })),
    /auth\.issuer: expected an issuer URL without credentials in it$/,
  );
  t.match(
    failure(t, withAuth({ ...idp, issuer: 'https://idp.example/?x=1', oidcClientId: 'term' })),
    /auth\.issuer: expected an issuer URL without a query or fragment/,
  );
  t.match(
    failure(t, withAuth({ issuer: 'https://idp.example', oidcClientId: 'term' })),
    /auth\.jwksUrl: expected the provider's JWKS URL when auth\.oidcClientId is set/,
  );
  t.match(
    failure(
      t,
      withAuth({
        issuer: 'https://idp.example',
        oidcClientId: 'term',
        jwtSecret: 'a-secret-of-at-least-thirty-two-bytes',
      }),
    ),
    /auth\.jwksUrl: expected the provider's JWKS URL when auth\.oidcClientId is set/,
    'a shared secret is no way to check an OpenID provider’s tokens',
  );
  t.match(
    failure(t, withAuth({ ...idp, oidcClientId: 'term', oidcScope: 'profile email' })),
    /auth\.oidcScope: expected a scope including "openid", received "profile email"$/,
  );
  t.match(failure(t, withAuth({ ...idp, oidcClientId: '' })), /auth\.oidcClientId: /);
  t.match(failure(t, withAuth({ ...idp, oidcClientId: 42 })), /auth\.oidcClientId: expected client id string or null/);
  t.match(
    failure(t, withAuth({ ...idp, oidcScope: 'openid  two-spaces' })),
    /auth\.oidcScope: expected space-separated scope tokens/,
  );
});

t.test('deepMerge merges objects and replaces everything else', async (t) => {
  t.same(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null }), { a: { b: 1, c: [3] }, d: null });
  t.same(deepMerge({ a: 1 }, undefined), { a: 1 });
});
