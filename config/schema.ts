// The configuration schema: one zod schema per file, and the RisklineConfig type the loader returns.
// Objects are strict so a misspelt key is an error, not a silently ignored setting. Error messages
// that start with "expected" are completed by the loader with ", received <value>".

import { z } from 'zod';
import type { LimitDef as EngineLimitDef } from '../engine/limits.js';
import type { AssetClass, Instrument, PortfolioDef } from '../engine/model.js';
import { TOPIC, type TopicConfig, type TopicName } from '../streams/topics.js';
import { isLoopback } from '../gateways/identity/loopback.js';
import { scenariosFileSchema, type ScenarioDef } from './scenario-schema.js';

// ---- shared pieces ---------------------------------------------------------------------------

import {
  ASSET_CLASS_VALUES,
  BACKEND_VALUES,
  CONCENTRATION_DIMENSION_VALUES,
  DEFAULT_SPREAD_BPS,
  LIMIT_METRIC_VALUES,
  LOG_LEVEL_VALUES,
  ROLE_VALUES,
  SEVERITY_VALUES,
} from './values.js';

export { ASSET_CLASS_VALUES, BACKEND_VALUES, LIMIT_METRIC_VALUES, LOG_LEVEL_VALUES, ROLE_VALUES, SEVERITY_VALUES };

export type Role = (typeof ROLE_VALUES)[number];
export type Backend = (typeof BACKEND_VALUES)[number];
export type LogLevel = (typeof LOG_LEVEL_VALUES)[number];
export type LimitMetric = (typeof LIMIT_METRIC_VALUES)[number];

/** Ids appear in channel names (`ticks:<id>`) and URLs: no spaces, colons or slashes. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_EXPECTED = "expected an id of letters, digits, '.', '_' or '-' (no spaces or colons, at most 64 characters)";
export const idSchema = z.string({ error: 'expected string id' }).regex(ID_PATTERN, { error: ID_EXPECTED });

export const currencySchema = z
  .string({ error: 'expected currency code' })
  .regex(/^[A-Z]{3}$/, { error: 'expected a three-letter upper-case currency code such as "USD"' });

const isoDate = z.iso.date({ error: 'expected ISO date YYYY-MM-DD' });
const finite = z.number();
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();

/** Integer in [lo, hi] with one message for every way of missing it. */
export function intRange(lo: number, hi?: number) {
  const error = hi === undefined ? `expected integer >= ${lo}` : `expected integer ${lo}..${hi}`;
  const s = z.number({ error }).int({ error }).min(lo, { error });
  return hi === undefined ? s : s.max(hi, { error });
}

export const portSchema = intRange(0, 65535);
export const roleSchema = z.enum(ROLE_VALUES);
export const backendSchema = z.enum(BACKEND_VALUES);
export const logLevelSchema = z.enum(LOG_LEVEL_VALUES);
export const brokerSchema = z
  .string({ error: 'expected host:port' })
  .regex(/^[^\s:,]+:\d{1,5}$/, { error: 'expected host:port' });
export const hostSchema = z.string().min(1, { error: 'expected a non-empty host name' });

// ---- settings (riskline.json and --config) ---------------------------------------------------

/** A /metrics token: long enough that it cannot be guessed (a random 128-bit hex string is 32). */
export const metricsTokenSchema = z
  .string({ error: 'expected a token string or null' })
  .min(32, { error: 'expected a token of at least 32 characters' });

export const serverSchema = z.strictObject({
  host: hostSchema.default('127.0.0.1'),
  port: portSchema.default(8080),
  maxPayloadBytes: intRange(1).default(65536),
  slowClientBufferBytes: intRange(1).default(1048576),
  /** uWebSockets.js, or node:http with `ws` (the fallback, also taken when uWS's native build does not load). */
  transport: z.enum(['uws', 'ws']).default('uws'),
  /** A WebSocket silent this long is closed (pings go out in between); uWS rounds to 4 s. */
  idleTimeoutS: intRange(8, 3600).default(120),
  /** A client that reads nothing for this long is closed with 1013. */
  maxSlowMs: intRange(1000).default(60000),
  /**
   * A client whose ping (sent behind its data) is not answered within this many ms is behind by
   * that much, in buffers the server cannot see (the kernel's hold seconds): it is conflated as if
   * its buffer were full, until it answers.
   */
  maxLagMs: intRange(50).default(500),
  /** Largest HTTP request body read at all (routes have lower limits of their own). */
  maxBodyBytes: intRange(1024).default(1048576),
  /** Ticks go out at most once per instrument per this many ms (null: engine.conflationMs). */
  tickConflationMs: intRange(1).nullable().default(null),
  limits: z
    .strictObject({
      maxConnections: intRange(1).default(10000),
      /** Per token subject; not applied when the gateway runs open on loopback. */
      maxConnectionsPerSubject: intRange(1).default(1000),
      upgradesPerSecond: intRange(1).default(200),
      upgradeBurst: intRange(1).default(1000),
      messagesPerSecond: intRange(1).default(100),
      messageBurst: intRange(1).default(200),
      maxSubscriptionsPerConnection: intRange(1).default(1000),
      /** Browser origins allowed besides the gateway's own (scheme://host:port); "*" allows any. */
      allowedOrigins: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  /** Bearer token guarding /metrics on the gateway's port (env RISKLINE_METRICS_TOKEN); null: open on loopback only. */
  metricsToken: metricsTokenSchema.nullable().default(null),
});

/** Every server setting at its default: what a gateway built without settings (tests, benchmarks) runs with. */
export const SERVER_DEFAULTS = serverSchema.parse({});

export const engineSchema = z.strictObject({
  /**
   * Run the engine role on a worker thread of its own when the process has other roles too and the
   * bus is in process, so its revaluations never hold up the feed or fan-out (false: one thread).
   */
  ownThread: z.boolean().default(true),
  markSource: z.enum(['mid', 'last']).default('mid'),
  conflationMs: intRange(1).default(100),
  snapshotEveryMs: intRange(1).default(10000),
  /** Exposure limits of portfolios the market moved are checked this often (event time; fills at once). */
  limitCheckMs: intRange(1).default(10),
  /** A held instrument with no tick for this long (event time) is alerted as stale at the limit checks; null: off. */
  staleAfterMs: intRange(1000).nullable().default(300_000),
  /** Execution ids remembered per portfolio for idempotence. */
  dedupeWindow: intRange(1).default(10000),
  /** A partition's changed portfolios are checkpointed after this many executions... */
  checkpointEvery: intRange(1).default(5000),
  /** ...or once this much event time has passed since the last checkpoint. */
  checkpointEveryMs: intRange(1).default(10000),
  /**
   * Event time the book is valued at before the first input. null: the simulator's start, or a
   * replay's first event (or its `start` record), or, for an engine alone, the wall clock at start.
   */
  valuationTime: z.iso
    .datetime({ offset: true, error: 'expected ISO datetime such as "2026-01-02T14:30:00Z" or null' })
    .nullable()
    .default(null),
});

export const riskSchema = z.strictObject({
  backend: backendSchema.default('auto'),
  confidence: z
    .array(z.number().gt(0, { error: 'expected number in (0, 1)' }).lt(1, { error: 'expected number in (0, 1)' }))
    .min(1)
    .default([0.95, 0.99]),
  horizonDays: positive.default(1),
  intervalMs: intRange(1).default(1000),
  riskFreeRate: finite.default(0.03),
  /** Native worker threads for the heavy kernels; null: every core (env RISKLINE_THREADS). */
  threads: intRange(1, 256).nullable().default(null),
  /** Horizons every simulation method reports (docs/risk.md "Conventions"). */
  horizons: z.array(intRange(1, 250)).min(1).default([1, 10]),
  methods: z
    .array(z.enum(['parametric', 'historical', 'monteCarlo']))
    .min(1)
    .default(['parametric', 'historical', 'monteCarlo']),
  /** RiskMetrics decay of the EWMA factor covariance (parametric and Monte Carlo). */
  ewmaLambda: z
    .number()
    .gt(0, { error: 'expected number in (0, 1)' })
    .lt(1, { error: 'expected number in (0, 1)' })
    .default(0.94),
  history: z
    .strictObject({
      /** Daily factor returns (docs/history-format.md), relative to the settings file naming it. */
      file: z.string().min(1).default('history/demo-factors.csv'),
      /** Days of historical simulation. */
      window: intRange(20, 5000).default(500),
      /**
       * Days after the file's from the store's 1-minute bars (the database of this process's store role,
       * or database.url), read at the engine's start: the days the engine lived through survive a restart.
       */
      fromStore: z.boolean().default(false),
    })
    .nullable()
    .prefault({}),
  monteCarlo: z
    .strictObject({
      scenarios: intRange(100, 1_000_000).default(10_000),
      seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(42),
      /** 0: normal shocks; else Student-t degrees of freedom. */
      dof: z
        .number()
        .int()
        .refine((v) => v === 0 || v >= 3, { error: 'expected 0 (normal) or an integer ≥ 3' })
        .default(5),
    })
    .prefault({}),
  /** Options are re-priced in every scenario when their underlying moved this much since, or this often. */
  reprice: z
    .strictObject({ moveThreshold: z.number().gt(0).max(1).default(0.01), everyMs: intRange(1000).default(60_000) })
    .prefault({}),
  backtest: z
    .strictObject({ confidence: z.number().gt(0).lt(1).default(0.99), observations: intRange(20, 5000).default(250) })
    .prefault({}),
  /** Positions listed with component VaR/ES in each risk frame, largest first. */
  topComponents: intRange(0, 100_000).default(50),
});

// ---- analytics: returns, attribution and fees per portfolio (engine/analytics/) ----------------

const DAY_MS = 86_400_000;

export const analyticsSchema = z.strictObject({
  /** Returns are sampled this often in event time; it divides a day, so each UTC day roll is a sample. */
  intervalMs: intRange(1000, DAY_MS)
    .refine((v) => DAY_MS % v === 0, { error: 'expected a divisor of a day (86400000 ms), such as 60000' })
    .default(60_000),
  /** Returns kept for the statistics: intraday intervals, and days. */
  intradayWindow: intRange(2, 100_000).default(1440),
  dailyWindow: intRange(2, 10_000).default(252),
  /** Annualisation: daily returns × this many a year; intraday × this × intervals a day. */
  daysPerYear: intRange(1, 366).default(252),
  /** Annual rates: the risk-free rate of Sharpe and the target return of Sortino (per period: ÷ periods a year). */
  riskFreeRate: finite.default(0.03),
  sortinoTarget: finite.default(0),
  /** The instrument beta is measured against, in each portfolio's base currency; null: no beta. */
  benchmark: idSchema.nullable().default('SPY'),
  fees: z
    .strictObject({
      dayCount: z.enum(['act/365', 'act/360']).default('act/365'),
      managementRate: z.number().min(0).max(1).default(0.02),
      performanceRate: z.number().min(0).max(1).default(0.2),
      /** Annual hurdle over the high-water mark before a performance fee is earned (simple, per period). */
      hurdleRate: z.number().min(0).max(1).default(0.05),
      /** Fees crystallise (become payable) at the end of each such UTC period. */
      crystallisation: z.enum(['monthly', 'quarterly', 'annual']).default('annual'),
    })
    .prefault({}),
});

const spreadBpsSchema = z.strictObject({
  equity: nonNegative.default(DEFAULT_SPREAD_BPS.equity),
  etf: nonNegative.default(DEFAULT_SPREAD_BPS.etf),
  future: nonNegative.default(DEFAULT_SPREAD_BPS.future),
  fx: nonNegative.default(DEFAULT_SPREAD_BPS.fx),
  option: nonNegative.default(DEFAULT_SPREAD_BPS.option),
  bond: nonNegative.default(DEFAULT_SPREAD_BPS.bond),
});

export const simulatorSchema = z.strictObject({
  seed: z.number().int().default(42),
  ticksPerSecond: positive.default(20000),
  batchSize: intRange(1).default(256),
  /** How often the simulated feed sends the ticks that are due (ms): lower is fresher, in smaller batches. */
  sendEveryMs: intRange(1, 1000).default(5),
  factorStepMs: positive.default(100),
  jumpIntensityPerYear: nonNegative.default(4),
  jumpMean: finite.default(0),
  jumpVol: nonNegative.default(0.03),
  spreadBps: spreadBpsSchema.prefault({}),
  executionsPerSecond: nonNegative.default(5),
  /** Event time of the first tick; null means the wall clock at start-up. */
  startTime: z.iso
    .datetime({ offset: true, error: 'expected ISO datetime such as "2026-01-02T14:30:00Z" or null' })
    .nullable()
    .default(null),
});

export const busSchema = z.strictObject({
  queueCapacity: intRange(1).default(16384),
  queueBytes: intRange(1024).default(16 * 1024 * 1024),
  maxBatch: intRange(1).default(1024),
  /**
   * With the gateway in the process: the in-process bus and the roles beside it (feed, engine) run
   * on a worker thread, so fan-out has the main thread to itself and never holds up the engine's
   * inputs (false: the bus on the main thread).
   */
  ownThread: z.boolean().default(true),
});

export const kafkaSchema = z.strictObject({
  brokers: z
    .array(brokerSchema, { error: 'expected list of "host:port" strings or null' })
    .min(1)
    .nullable()
    .default(null),
  clientId: z.string().min(1).default('riskline'),
  connectionTimeoutMs: intRange(1).default(3000),
  requestTimeoutMs: intRange(1).default(30000),
  retry: z.strictObject({ initialMs: intRange(1).default(300), maxMs: intRange(1).default(2000) }).prefault({}),
  /** A stop waits this long for the cluster (leaving groups, flushing sends), then exits anyway. */
  shutdownTimeoutMs: intRange(100).default(5000),
  producer: z
    .strictObject({
      lingerMs: intRange(0).default(1),
      // Below the broker's default message.max.bytes (1 MiB): one request's batch per partition.
      batchBytes: intRange(1024).default(512 * 1024),
      compression: z.enum(['none', 'gzip']).default('none'),
    })
    .prefault({}),
  consumer: z
    .strictObject({
      sessionTimeoutMs: intRange(6000).default(10000),
      heartbeatMs: intRange(100).default(1000),
      maxBytesPerPartition: intRange(1024).default(4 * 1024 * 1024),
      maxWaitMs: intRange(1).default(100),
    })
    .prefault({}),
});

/** `--store` / RISKLINE_STORE: `embedded`, a PostgreSQL of the store's own. */
export const storeFlagSchema = z.literal('embedded');

export const databaseSchema = z.strictObject({
  /** PostgreSQL for the store role (env DATABASE_URL, --database); null with `embedded` false: no store. */
  url: z.string({ error: 'expected database URL string or null' }).min(1).nullable().default(null),
  /** Start a PostgreSQL of the store's own under `dir` (`riskline start --store embedded`). */
  embedded: z.boolean().default(false),
  dir: z.string().min(1).default('data/postgres'),
  /** The embedded server's loopback port (null: a free one). */
  port: intRange(1, 65535).nullable().default(null),
  /** Ticks go in by binary COPY, or by batched INSERT where COPY does not work. */
  write: z.enum(['copy', 'insert']).default('copy'),
  /** Where records wait on disk while PostgreSQL is away, and how many bytes before the consumer waits too. */
  spillDir: z.string().min(1).default('data/store'),
  spillMaxBytes: intRange(1024).default(1024 * 1024 * 1024),
  /** Longest wait between tries to reach PostgreSQL again. */
  retryMaxMs: intRange(1).default(10_000),
  /** A portfolio's risk frame is kept once per this many ms of event time (the first of each bucket). */
  riskEveryMs: intRange(1000).default(60_000),
  /**
   * Days kept: ticks and 1 s bars (ticks by whole days), risk snapshots and the positions and exposures
   * snapshots beside them, 1 min bars; executions, orders, alerts, their acknowledgements and
   * assignments, and daily reports are kept (the book's record and its audit).
   */
  retention: z
    .strictObject({
      ticksDays: intRange(1).default(30),
      riskDays: intRange(1).default(90),
      barsDays: intRange(1).default(365),
    })
    .prefault({}),
  /** How often the 1 s and 1 min bars are rolled up from the ticks stored since the last time. */
  barsEveryMs: intRange(100).default(5000),
  /** How often retention runs and closed days get their instrument index. */
  maintenanceEveryMs: intRange(1000).default(3_600_000),
});

// ---- alerts: the alerts role's webhooks (services/alerts/) -------------------------------------

const webhookSchema = z.strictObject({
  id: idSchema,
  /** http(s) endpoint the alerts are POSTed to. */
  url: z.url({ protocol: /^https?$/, error: 'expected an http or https URL' }),
  /** HMAC-SHA256 key of the `Riskline-Signature` header (at least 16 characters). */
  secret: z.string().min(16, { error: 'expected a secret of at least 16 characters' }),
  severities: z.array(z.enum(SEVERITY_VALUES)).min(1).optional(),
  portfolios: z.array(idSchema).min(1).optional(),
});

export const alertsSchema = z.strictObject({
  webhooks: z.array(webhookSchema).default([]),
  /** Tries per alert and webhook, the first wait between them (doubling) and its cap, and each try's timeout. */
  maxAttempts: intRange(1, 100).default(6),
  firstBackoffMs: intRange(1).default(500),
  maxBackoffMs: intRange(1).default(30_000),
  timeoutMs: intRange(1).default(5000),
  /** Alerts a webhook may have waiting before the next goes straight to the DLQ. */
  maxQueued: intRange(1).default(1000),
});

// ---- orders: the order router (gateways/orders/) and the venue simulator ------------------------

/** PEM files (paths from the working directory): the acceptor's `cert` and `key`, the CA the initiator trusts. */
export const fixTlsSchema = z.strictObject({
  cert: z.string().min(1).nullable().default(null),
  key: z.string().min(1).nullable().default(null),
  /** The CA that signed the other side's certificate (null: the system's). */
  ca: z.string().min(1).nullable().default(null),
  /** The name the acceptor's certificate must carry (default: host). */
  servername: z.string().min(1).nullable().default(null),
});
export type FixTls = z.output<typeof fixTlsSchema>;

const pretradeLimitFields = {
  /** Largest quantity of one order (units). */
  maxQuantity: positive,
  /** Largest notional of one order: in US dollars, or in the portfolio's base currency where a portfolio overrides it. */
  maxNotional: positive,
  /** Largest position after the order, per instrument (units). */
  maxPosition: positive,
  /** Largest VaR 99 % 1-day one order may add (currency as maxNotional; null: no limit of its own). */
  maxIncrementalVar: positive.nullable(),
};

export const ordersSchema = z.strictObject({
  /** Where the router keeps its FIX session stores and its order journal (relative to the working directory). */
  dir: z.string().min(1).default('data/orders'),
  /** fsync the FIX stores and the journal at every flush (a machine crash loses nothing; costs latency). */
  fsync: z.boolean().default(false),
  /** Order ids (and first ClOrdIDs) are `<prefix><UTC date>-<n>`, unique across restarts and days. */
  idPrefix: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,15}$/, { error: 'expected 1-16 letters or digits' })
    .default('RL'),
  pretrade: z
    .strictObject({
      ...pretradeLimitFields,
      maxQuantity: pretradeLimitFields.maxQuantity.default(1_000_000),
      maxNotional: pretradeLimitFields.maxNotional.default(50_000_000),
      maxPosition: pretradeLimitFields.maxPosition.default(10_000_000),
      maxIncrementalVar: pretradeLimitFields.maxIncrementalVar.default(1_000_000),
      /** A limit price at most this fraction from the last mark (0.05: ±5 %). */
      collarPct: z.number().positive().max(1).default(0.05),
      /** Instruments no order may trade. */
      restricted: z.array(idSchema).default([]),
      /** Per-portfolio overrides (the base currencies differ: a yen book needs yen limits). */
      portfolios: z.record(idSchema, z.strictObject(pretradeLimitFields).partial()).default({}),
    })
    .prefault({}),
  routing: z
    .strictObject({
      /** Primary venue by instrument id or asset class (instrument first); else the first venue trading the class. */
      primary: z.record(z.string().min(1), idSchema).default({}),
      /** Try the next venue trading the class when the primary is down or rejects the order. */
      fallback: z.boolean().default(true),
      /** Orders of at least `minQty` go out in legs to up to `maxVenues` connected venues of the route (null: never). */
      split: z
        .strictObject({ minQty: positive, maxVenues: intRange(2, 16) })
        .nullable()
        .default(null),
    })
    .prefault({}),
  /** FIX clients may send orders to a Riskline acceptor on this port (null: none). */
  clients: z
    .strictObject({
      host: hostSchema.default('127.0.0.1'),
      port: portSchema,
      /** TLS for the client sessions (its `cert` and `key`), null for plain TCP. */
      tls: fixTlsSchema.nullable().default(null),
      /** Each client session: its CompIDs and the portfolios it may trade. */
      sessions: z
        .array(
          z.strictObject({
            senderCompId: z.string().min(1),
            targetCompId: z.string().min(1),
            portfolios: z.array(z.union([z.literal('*'), idSchema])).min(1),
          }),
        )
        .min(1),
    })
    .nullable()
    .default(null),
  /** The router's alerts (gateways/orders/order-alerts.ts): a venue session down this long is raised, up this long cleared. */
  alerts: z
    .strictObject({ sessionDownMs: intRange(0).default(10_000), sessionUpMs: intRange(0).default(5_000) })
    .prefault({}),
  /** The venue role: house liquidity quoted around each instrument's market. */
  venue: z
    .strictObject({
      levels: intRange(1, 50).default(5),
      qty: positive.default(1000),
      /** Distance between levels, as a fraction of the price. */
      step: positive.default(0.0005),
      /** An instrument is re-quoted at most this often (ms). */
      requoteMs: intRange(0).default(1000),
    })
    .prefault({}),
});
export type OrdersConfig = z.output<typeof ordersSchema>;

// ---- auth: the gateway's identity settings (gateways/identity/) ----------------------------------

/** HMAC algorithms, the only ones a shared secret may sign with. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** Public-key algorithms, the only ones a JWKS may verify (never an HMAC: see the RSA-key-as-secret trap). */
export const KEY_SET_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
export type JwtAlgorithm = (typeof HMAC_ALGORITHMS)[number] | (typeof KEY_SET_ALGORITHMS)[number];
/** 256 bits: HS256's own key size (RFC 7518 §3.2); anything shorter can be brute-forced offline. */
export const MIN_SECRET_BYTES = 32;

/** A secret as RISKLINE_JWT_SECRET gives it: the loader reports it by length, never by value. */
export const jwtSecretSchema = z.string().refine((v) => Buffer.byteLength(v, 'utf8') >= MIN_SECRET_BYTES);

const algorithmSchema = z.enum([...HMAC_ALGORITHMS, ...KEY_SET_ALGORITHMS]);
// RFC 7515 `typ` is a media type; the header's value is compared case-insensitively.
const tokenTypeSchema = z
  .string({ error: 'expected a media type such as "JWT" or "at+jwt"' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}$/, { error: 'expected a media type such as "JWT" or "at+jwt"' });

const authFields = z.strictObject({
  /** HS256 shared secret (env RISKLINE_JWT_SECRET); at least 32 bytes, checked below without echoing it. */
  jwtSecret: z.string({ error: 'expected secret string or null' }).nullable().default(null),
  /** An identity provider's JWKS (RS256/ES256, keys picked by `kid`, refetched on an unknown one). */
  jwksUrl: z.string({ error: 'expected JWKS URL string or null' }).nullable().default(null),
  /** Accepted `alg` values; null: HS256 with a secret, RS256 and ES256 with a JWKS. Never "none". */
  algorithms: z.array(algorithmSchema).min(1).nullable().default(null),
  issuer: z.string().min(1).default('riskline'),
  audience: z.string().min(1).default('riskline'),
  /** Required `typ` header: one media type or several (RFC 9068 access tokens are "at+jwt"). */
  tokenType: z.union([tokenTypeSchema, z.array(tokenTypeSchema).min(1).max(8)]).default('JWT'),
  /** exp − iat (exp − now without iat) may not exceed this. */
  maxLifetimeS: intRange(60, 7 * 86400).default(43200),
  clockToleranceS: intRange(0, 300).default(30),
  /** Tokens longer than this are refused before they are parsed. */
  maxTokenBytes: intRange(1024, 65536).default(8192),
  /** `?token=` in the URL (it lands in proxy and access logs): development only. */
  allowQueryToken: z.boolean().default(false),
  /** null: tokens required unless no key is set and the gateway listens on loopback; true: always. */
  required: z.boolean().nullable().default(null),
  jwksTimeoutMs: intRange(100, 60_000).default(5000),
  /** After a fetch, an unknown `kid` waits this long before the JWKS is fetched again. */
  jwksCooldownMs: intRange(0, 3_600_000).default(30_000),
  /**
   * The terminal's public client id at the OpenID Connect provider `issuer` names: the sign-in page
   * then offers the authorization-code flow with PKCE (gateways/web/src/oidc.ts). null: pasted tokens only.
   */
  oidcClientId: z.string({ error: 'expected client id string or null' }).min(1).max(256).nullable().default(null),
  /** The scope the terminal asks the provider for (space-separated; must include openid). */
  oidcScope: z
    .string({ error: 'expected a space-separated scope string' })
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, {
      error: 'expected space-separated scope tokens (RFC 6749 §3.3)',
    })
    .default('openid'),
});
export type AuthConfig = z.output<typeof authFields>;

/** A JWKS must come over https: over plain http anyone on the path could hand us their keys. */
function jwksUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'expected an absolute https URL of a JWKS';
  }
  if (url.username !== '' || url.password !== '') return 'expected a URL without credentials in it';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'expected an https URL (plain http only to a loopback host)';
}

/**
 * With an OIDC client, `issuer` is where the page sends people to sign in and fetches discovery and
 * tokens from: https, or plain http to a loopback host only (development and tests), as for the JWKS.
 */
function oidcIssuerProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `expected the OpenID Connect issuer as an absolute https URL when auth.oidcClientId is set, received ${JSON.stringify(raw)}`;
  }
  if (url.username !== '' || url.password !== '') return 'expected an issuer URL without credentials in it';
  if (url.search !== '' || url.hash !== '')
    return 'expected an issuer URL without a query or fragment (OpenID Connect Discovery §3)';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'expected an https issuer URL when auth.oidcClientId is set (plain http only to a loopback host)';
}

/** RFC 7518 §3.2: an HMAC key at least as long as its hash (HS384: 48 bytes, HS512: 64). */
export function minSecretBytes(algorithms: readonly string[] | null): number {
  const bits = (algorithms ?? []).map((alg) => (/^HS(\d+)$/.exec(alg) ? Number(alg.slice(2)) : 0));
  return Math.max(MIN_SECRET_BYTES, ...bits.map((b) => b / 8));
}

/**
 * What is wrong with a combination of auth settings, as a path inside `auth` and a message that
 * never contains the secret; null when nothing. Also run after RISKLINE_JWT_SECRET is applied.
 */
export function authProblem(a: AuthConfig): { path: string[]; message: string } | null {
  if (a.jwtSecret !== null) {
    const bytes = Buffer.byteLength(a.jwtSecret, 'utf8');
    const need = minSecretBytes(a.algorithms);
    if (bytes < need) {
      const got = bytes === 0 ? 'an empty string' : `${bytes} bytes (not shown)`;
      return {
        path: ['jwtSecret'],
        message: `expected a secret of at least ${need} bytes (${need * 8} bits), received ${got}`,
      };
    }
  }
  if (a.jwtSecret !== null && a.jwksUrl !== null) {
    return { path: ['jwksUrl'], message: 'expected either auth.jwtSecret or auth.jwksUrl, not both' };
  }
  if (a.jwksUrl !== null) {
    const why = jwksUrlProblem(a.jwksUrl);
    if (why !== null) return { path: ['jwksUrl'], message: why };
  }
  if (a.algorithms !== null && (a.jwtSecret !== null || a.jwksUrl !== null)) {
    const hmac = a.jwtSecret !== null;
    const allowed: readonly string[] = hmac ? HMAC_ALGORITHMS : KEY_SET_ALGORITHMS;
    const wrong = a.algorithms.find((alg) => !allowed.includes(alg));
    if (wrong !== undefined) {
      const kind = hmac ? 'with auth.jwtSecret' : 'with auth.jwksUrl';
      return { path: ['algorithms'], message: `expected ${allowed.join('|')} ${kind}, received "${wrong}"` };
    }
  }
  if (a.required === false && (a.jwtSecret !== null || a.jwksUrl !== null)) {
    return { path: ['required'], message: 'expected true or null when a key is set (false means running open)' };
  }
  if (a.oidcClientId !== null) {
    const why = oidcIssuerProblem(a.issuer);
    if (why !== null) return { path: ['issuer'], message: why };
    if (a.jwksUrl === null) {
      return {
        path: ['jwksUrl'],
        message: "expected the provider's JWKS URL when auth.oidcClientId is set (its tokens are checked against it)",
      };
    }
    if (!a.oidcScope.split(' ').includes('openid')) {
      return {
        path: ['oidcScope'],
        message: `expected a scope including "openid", received ${JSON.stringify(a.oidcScope)}`,
      };
    }
  }
  return null;
}

export const authSchema = authFields.superRefine((a, ctx) => {
  const p = authProblem(a);
  // `input: undefined` keeps the loader from appending the received value: it may be the secret.
  if (p !== null) ctx.addIssue({ code: 'custom', path: p.path, message: p.message, input: undefined });
});

export const rolesSchema = z.array(roleSchema).min(1);

export const logSchema = z.strictObject({ level: logLevelSchema.default('info') });

/** Data files a --config file may replace, relative to the file that names them. */
export const DATA_FILE_KEYS = [
  'instruments',
  'portfolios',
  'market',
  'limits',
  'scenarios',
  'venues',
  'topics',
] as const;
export type DataFileKey = (typeof DATA_FILE_KEYS)[number];

const filesSchema = z.strictObject(
  Object.fromEntries(DATA_FILE_KEYS.map((k) => [k, z.string().min(1).optional()])) as Record<
    DataFileKey,
    z.ZodOptional<z.ZodString>
  >,
);

const settingsShape = {
  server: serverSchema.prefault({}),
  engine: engineSchema.prefault({}),
  risk: riskSchema.prefault({}),
  analytics: analyticsSchema.prefault({}),
  simulator: simulatorSchema.prefault({}),
  bus: busSchema.prefault({}),
  kafka: kafkaSchema.prefault({}),
  database: databaseSchema.prefault({}),
  orders: ordersSchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  auth: authSchema.prefault({}),
  roles: rolesSchema.default(['feed', 'engine', 'gateway']),
  log: logSchema.prefault({}),
};

/** riskline.json, and a --config file deep-merged over it. */
export const settingsFileSchema = z.strictObject({ ...settingsShape, files: filesSchema.optional() });
export type SettingsFile = z.output<typeof settingsFileSchema>;

// ---- instruments.json ------------------------------------------------------------------------

const instrumentBase = {
  id: idSchema,
  name: z.string().optional(),
  currency: currencySchema,
  sector: z.string(),
  country: z.string(),
  multiplier: positive,
  price: positive,
  factors: z.record(z.string(), finite),
  idioVol: nonNegative,
};

export const instrumentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...instrumentBase, kind: z.enum(['equity', 'etf']) }),
  z.strictObject({ ...instrumentBase, kind: z.literal('future'), underlying: idSchema.optional(), expiry: isoDate }),
  z.strictObject({ ...instrumentBase, kind: z.literal('fx'), base: currencySchema }),
  z.strictObject({
    ...instrumentBase,
    kind: z.literal('option'),
    underlying: idSchema,
    strike: positive,
    expiry: isoDate,
    right: z.enum(['call', 'put']),
    impliedVol: positive,
  }),
  z.strictObject({
    ...instrumentBase,
    kind: z.literal('bond'),
    duration: nonNegative,
    convexity: finite,
    rating: z.string().min(1),
    coupon: nonNegative,
    maturity: isoDate,
  }),
]);
export const instrumentsFileSchema = z.array(instrumentSchema);

// ---- portfolios.json -------------------------------------------------------------------------

export const portfolioSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  baseCurrency: currencySchema,
  cash: z.record(currencySchema, finite).default({}),
  holdings: z.array(
    z.strictObject({
      instrument: idSchema,
      qty: finite.refine((q) => q !== 0, { error: 'expected non-zero quantity' }),
      price: positive,
    }),
  ),
});
export const portfoliosFileSchema = z.array(portfolioSchema);

// ---- market.json -----------------------------------------------------------------------------

export const marketSchema = z.strictObject({
  factors: z.array(z.strictObject({ id: idSchema, vol: positive })).min(1),
  correlations: z.array(
    z.array(
      z.number().min(-1, { error: 'expected number in [-1, 1]' }).max(1, { error: 'expected number in [-1, 1]' }),
    ),
  ),
});
export type MarketConfig = z.output<typeof marketSchema>;

// ---- limits.json, scenarios.json, venues.json, topics.json -----------------------------------

export const limitSchema = z
  .strictObject({
    id: idSchema,
    portfolio: z.union([z.literal('*'), idSchema], { error: 'expected a portfolio id or "*"' }),
    metric: z.enum(LIMIT_METRIC_VALUES),
    /** Concentration limits only: the shares of gross exposure by instrument (default) or by bucket. */
    dimension: z.enum(CONCENTRATION_DIMENSION_VALUES).optional(),
    max: finite.optional(),
    min: finite.optional(),
    warnAt: z
      .number()
      .gt(0, { error: 'expected a utilisation in (0, 1)' })
      .lt(1, { error: 'expected a utilisation in (0, 1)' })
      .optional(),
    hysteresis: z
      .number()
      .min(0, { error: 'expected a fraction in [0, 0.5]' })
      .max(0.5, { error: 'expected a fraction in [0, 0.5]' })
      .optional(),
    severity: z.enum(SEVERITY_VALUES),
  })
  .refine((l) => l.max !== undefined || l.min !== undefined, { error: 'expected at least one of "max" or "min"' })
  .refine(
    (l) =>
      l.warnAt === undefined || (l.max === undefined && l.min === undefined) || (l.max ?? 0) > 0 || (l.min ?? 0) < 0,
    {
      error: '"warnAt" needs a positive "max" or a negative "min" (a utilisation of zero is undefined)',
    },
  )
  .refine((l) => l.max === undefined || l.min === undefined || l.min <= l.max, {
    error: 'expected "min" <= "max"',
  })
  .refine((l) => l.dimension === undefined || l.metric === 'concentration', {
    error: '"dimension" is for metric "concentration" only',
  })
  .refine(
    (l) => l.metric !== 'concentration' || (l.min === undefined && l.max !== undefined && l.max > 0 && l.max <= 1),
    { error: 'a "concentration" limit takes a "max" in (0, 1] (a share of gross exposure) and no "min"' },
  );
export const limitsFileSchema = z.array(limitSchema);
export type LimitDef = z.output<typeof limitSchema>;

// The stress-scenario grammar lives in its own module (docs/stress-scenarios.md).
export { scenarioSchema, scenariosFileSchema, type ScenarioDef } from './scenario-schema.js';

export const venueSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  assetClasses: z.array(z.enum(ASSET_CLASS_VALUES)).min(1),
  fix: z.strictObject({
    host: hostSchema,
    port: intRange(1, 65535),
    senderCompId: z.string().min(1),
    targetCompId: z.string().min(1),
    heartbeatSec: intRange(1),
    /** TLS on the session (null: plain TCP): the router checks the venue's certificate, the venue role serves it. */
    tls: fixTlsSchema.nullable().default(null),
  }),
});
export const venuesFileSchema = z.array(venueSchema);
export type VenueDef = z.output<typeof venueSchema>;

const topicSpecSchema = z.strictObject({
  partitions: intRange(1),
  replicationFactor: intRange(1).optional(),
  retentionMs: z.int({ error: 'expected integer milliseconds, or -1 for forever' }).min(-1).optional(),
  cleanup: z.enum(['delete', 'compact']),
  codec: z.enum(['msgpack', 'json']),
});
const TOPIC_NAMES = Object.values(TOPIC) as TopicName[];
export const topicsFileSchema = z.strictObject({
  prefix: z.string(),
  topics: z.strictObject(
    Object.fromEntries(TOPIC_NAMES.map((n) => [n, topicSpecSchema])) as Record<TopicName, typeof topicSpecSchema>,
  ),
});

// ---- the whole configuration -----------------------------------------------------------------

export const DATA_FILE_SCHEMAS = {
  instruments: instrumentsFileSchema,
  portfolios: portfoliosFileSchema,
  market: marketSchema,
  limits: limitsFileSchema,
  scenarios: scenariosFileSchema,
  venues: venuesFileSchema,
  topics: topicsFileSchema,
} as const satisfies Record<DataFileKey, z.ZodType>;

type Settings = Omit<SettingsFile, 'files'>;

/** The data files' sections, validated and cross-checked. */
export interface DataSections {
  instruments: Instrument[];
  portfolios: PortfolioDef[];
  market: MarketConfig;
  limits: LimitDef[];
  scenarios: ScenarioDef[];
  venues: VenueDef[];
}

/** Everything a process needs, validated: settings sections plus the data files. */
export interface RisklineConfig extends Settings, DataSections {
  topics: TopicConfig;
}

// Compile-time proof that the schemas produce exactly the engine's shapes.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type _InstrumentShape = Assert<Same<z.output<typeof instrumentSchema>, Instrument>>;
export type _PortfolioShape = Assert<Same<z.output<typeof portfolioSchema>, PortfolioDef>>;
export type _TopicShape = Assert<Same<z.output<typeof topicsFileSchema>, TopicConfig>>;
export type _AssetClasses = Assert<Same<(typeof ASSET_CLASS_VALUES)[number], AssetClass>>;
export type _LimitShape = Assert<Same<LimitDef, EngineLimitDef>>;
