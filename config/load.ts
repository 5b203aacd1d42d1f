// Loads the configuration: riskline.json (with an optional --config file deep-merged over it), the
// data files, then environment variables, then command-line flags — flags win over the environment,
// which wins over files. Every failure is RisklineError('CONFIG_INVALID') with one line naming the
// file (or variable, or flag), the JSON path and what was expected.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { RisklineError } from '../errors/catalogue.js';
import { crossCheck } from './checks.js';
import {
  configError,
  describeValue,
  displayPath,
  formatPath,
  formatZodIssue,
  readJsonFile,
  type JsonPath,
} from './issues.js';
import {
  DATA_FILE_KEYS,
  DATA_FILE_SCHEMAS,
  MIN_SECRET_BYTES,
  authProblem,
  backendSchema,
  brokerSchema,
  hostSchema,
  jwtSecretSchema,
  logLevelSchema,
  storeFlagSchema,
  metricsTokenSchema,
  portSchema,
  roleSchema,
  settingsFileSchema,
  type DataFileKey,
  type DataSections,
  type RisklineConfig,
  type SettingsFile,
} from './schema.js';

export { formatZodIssue, formatPath } from './issues.js';

/** Command-line overrides (commander hands over strings; lists may be comma-separated strings). */
export interface ConfigFlags {
  host?: string;
  port?: string | number;
  kafka?: string | readonly string[];
  database?: string;
  roles?: string | readonly string[];
  backend?: string;
  store?: string;
}

export interface LoadConfigOptions {
  /** `--config FILE`: JSON deep-merged over riskline.json; its `files` entries replace data files. */
  configFile?: string;
  /** Folder holding riskline.json and the data files; defaults to the package's `config/`. */
  configDir?: string;
  flags?: ConfigFlags;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Default file name of each data section inside the config folder. */
export const DATA_FILES: Record<DataFileKey, string> = {
  instruments: 'instruments.json',
  portfolios: 'portfolios.json',
  market: 'market.json',
  limits: 'limits.json',
  scenarios: 'scenarios.json',
  venues: 'venues.json',
  topics: 'topics.json',
};
export const SETTINGS_FILE = 'riskline.json';

/** The package's `config/` folder, found from this module whether it runs as .ts or from dist/. */
export function defaultConfigDir(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'config');
    if (path.dirname(dir) === dir) {
      throw new RisklineError('CONFIG_INVALID', `cannot find the package root (package.json) above ${start}`);
    }
  }
}

// ---- merging and attributing ------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; anything else (arrays, scalars, null) in `over` replaces `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function hasPath(obj: unknown, p: JsonPath): boolean {
  let cur = obj;
  for (const key of p) {
    if (typeof cur !== 'object' || cur === null || !(String(key) in cur)) return false;
    cur = (cur as Json)[String(key)];
  }
  return true;
}

// Zod internals, read only to name the keys an object accepts when an unknown key is found.
type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);

function unwrap(s: unknown, data: unknown): unknown {
  for (;;) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type)) s = def.innerType;
    else if (def.type === 'union' && typeof def.discriminator === 'string' && isObject(data)) {
      const disc = def.discriminator;
      const hit = (def.options as unknown[]).find((o) => {
        const field = (defOf(o).shape as Record<string, z.ZodType> | undefined)?.[disc];
        return field?.safeParse(data[disc]).success;
      });
      if (!hit) return s;
      s = hit;
    } else return s;
  }
}

/** Keys of the strict object at `p` in `schema`, following `data` through unions. */
function keysAt(schema: z.ZodType, data: unknown, p: JsonPath): string[] {
  let s: unknown = unwrap(schema, data);
  let d = data;
  for (const key of p) {
    const def = defOf(s);
    if (def.type === 'object') s = (def.shape as Record<string, unknown>)[String(key)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return [];
    if (s === undefined) return [];
    d = isObject(d) || Array.isArray(d) ? (d as Json)[String(key)] : undefined;
    s = unwrap(s, d);
  }
  const def = defOf(s);
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function parseOrThrow<S extends z.ZodType>(
  schema: S,
  data: unknown,
  where: (issue: z.core.$ZodIssue) => string,
): z.output<S> {
  const r = schema.safeParse(data, { reportInput: true });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const allowed = issue.code === 'unrecognized_keys' ? keysAt(schema, data, issue.path) : undefined;
  const more = r.error.issues.length - 1;
  const tail = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
  return throwLine(`${where(issue)}: ${formatZodIssue(issue, allowed)}${tail}`);
}

function throwLine(line: string): never {
  throw new RisklineError('CONFIG_INVALID', line);
}

// ---- environment and flag overrides ---------------------------------------------------------

type Settings = Omit<SettingsFile, 'files'>;
type Raw = string | number | readonly string[];

interface Field {
  env: string | null;
  flag: keyof ConfigFlags | null;
  expected: string;
  schema: z.ZodType;
  list?: boolean;
  numeric?: boolean;
  /** Never echoed in an error; set but empty is an error too, not "unset". */
  secret?: boolean;
  set: (s: Settings, v: never) => void;
}

const list = (raw: Raw) =>
  (typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : [String(raw)])
    .map((x) => String(x).trim())
    .filter((x) => x !== '');

const FIELDS: Field[] = [
  {
    env: 'RISKLINE_HOST',
    flag: 'host',
    expected: 'a non-empty host name',
    schema: hostSchema,
    set: (s, v: string) => void (s.server.host = v),
  },
  {
    env: 'RISKLINE_PORT',
    flag: 'port',
    expected: 'integer 0..65535',
    schema: portSchema,
    numeric: true,
    set: (s, v: number) => void (s.server.port = v),
  },
  {
    env: 'KAFKA_BROKERS',
    flag: 'kafka',
    expected: 'a comma-separated list of host:port',
    schema: brokerSchema.array().min(1),
    list: true,
    set: (s, v: string[]) => void (s.kafka.brokers = v),
  },
  {
    env: 'DATABASE_URL',
    flag: 'database',
    expected: 'a database URL',
    schema: hostSchema,
    set: (s, v: string) => void (s.database.url = v),
  },
  {
    env: 'RISKLINE_BACKEND',
    flag: 'backend',
    expected: `one of ${backendSchema.options.join('|')}`,
    schema: backendSchema,
    set: (s, v: Settings['risk']['backend']) => void (s.risk.backend = v),
  },
  {
    env: 'RISKLINE_JWT_SECRET',
    flag: null,
    expected: `a secret of at least ${MIN_SECRET_BYTES} bytes (256 bits)`,
    schema: jwtSecretSchema,
    secret: true,
    set: (s, v: string) => {
      s.auth.jwtSecret = v;
      // The file's auth section was checked without it: both a secret and a JWKS, or RS256 pinned.
      const p = authProblem(s.auth);
      if (p !== null) throwLine(`RISKLINE_JWT_SECRET: ${formatPath(['auth', ...p.path])}: ${p.message}`);
    },
  },
  {
    env: 'RISKLINE_JWKS_URL',
    flag: null,
    expected: "an identity provider's JWKS URL (https, or http to a loopback host)",
    schema: hostSchema,
    set: (s, v: string) => {
      s.auth.jwksUrl = v;
      const p = authProblem(s.auth);
      if (p !== null) throwLine(`RISKLINE_JWKS_URL: ${formatPath(['auth', ...p.path])}: ${p.message}`);
    },
  },
  {
    env: 'RISKLINE_ROLES',
    flag: 'roles',
    expected: `a comma-separated list of ${roleSchema.options.join('|')}`,
    schema: roleSchema.array().min(1),
    list: true,
    set: (s, v: Settings['roles']) => void (s.roles = v),
  },
  {
    env: 'RISKLINE_STORE',
    flag: 'store',
    expected: 'embedded',
    schema: storeFlagSchema,
    // History kept by a PostgreSQL of the store's own under database.dir: the store role joins the others.
    set: (s) => {
      s.database.embedded = true;
      if (!s.roles.includes('store')) s.roles = [...s.roles, 'store'];
    },
  },
  {
    env: 'RISKLINE_LOG_LEVEL',
    flag: null,
    expected: `one of ${logLevelSchema.options.join('|')}`,
    schema: logLevelSchema,
    set: (s, v: Settings['log']['level']) => void (s.log.level = v),
  },
  {
    env: 'RISKLINE_METRICS_TOKEN',
    flag: null,
    expected: 'a token of at least 32 characters',
    schema: metricsTokenSchema,
    secret: true,
    set: (s, v: string) => void (s.server.metricsToken = v),
  },
];

/** A secret in an error line: its length, never its value. */
const secretShown = (v: string) => (v === '' ? 'an empty string' : `${Buffer.byteLength(v, 'utf8')} bytes (not shown)`);

function applyOverride(settings: Settings, field: Field, label: string, raw: Raw): void {
  let value: unknown = raw;
  if (field.list) value = list(raw);
  else if (field.numeric && typeof raw === 'string') value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  const r = field.schema.safeParse(value);
  if (!r.success) {
    const shown = field.secret
      ? secretShown(String(raw))
      : Array.isArray(raw)
        ? JSON.stringify(raw.join(','))
        : describeValue(raw);
    throwLine(`${label}: expected ${field.expected}, received ${shown}`);
  }
  field.set(settings, r.data as never);
}

// ---- the loader ------------------------------------------------------------------------------

export function loadConfig(opts: LoadConfigOptions = {}): RisklineConfig {
  const dir = path.resolve(opts.configDir ?? defaultConfigDir());
  const env = opts.env ?? process.env;
  const baseFile = path.join(dir, SETTINGS_FILE);
  const base = readJsonFile(baseFile);
  if (!isObject(base)) throwLine(`${displayPath(baseFile)}: expected a JSON object, received ${describeValue(base)}`);
  let over: Json | undefined;
  const overFile = opts.configFile === undefined ? undefined : path.resolve(opts.configFile);
  if (overFile !== undefined) {
    const raw = readJsonFile(overFile);
    if (!isObject(raw)) throwLine(`${displayPath(overFile)}: expected a JSON object, received ${describeValue(raw)}`);
    over = raw;
  }

  const merged = deepMerge(base, over);
  const parsed = parseOrThrow(settingsFileSchema, merged, (issue) => {
    const p = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    return displayPath(overFile !== undefined && hasPath(over, p) ? overFile : baseFile);
  });
  const { files, ...settings } = parsed;

  const filePaths = {} as Record<DataFileKey, string>;
  for (const key of DATA_FILE_KEYS) {
    const fromOver = overFile !== undefined ? (over?.files as Record<string, string> | undefined)?.[key] : undefined;
    filePaths[key] =
      fromOver !== undefined && overFile !== undefined
        ? path.resolve(path.dirname(overFile), fromOver)
        : path.resolve(dir, files?.[key] ?? DATA_FILES[key]);
  }

  for (const field of FIELDS) {
    const v = field.env === null ? undefined : env[field.env];
    if (v !== undefined && (v !== '' || field.secret === true)) applyOverride(settings, field, field.env as string, v);
  }
  for (const field of FIELDS) {
    const v = field.flag === null ? undefined : opts.flags?.[field.flag];
    if (v !== undefined) applyOverride(settings, field, `--${field.flag}`, v);
  }

  // The history file is named relative to the settings file that names it, like the data files.
  if (settings.risk.history) {
    const fromOver = overFile !== undefined && hasPath(over, ['risk', 'history', 'file']);
    settings.risk.history.file = path.resolve(fromOver ? path.dirname(overFile) : dir, settings.risk.history.file);
  }

  const data = {} as Record<DataFileKey, unknown>;
  for (const key of DATA_FILE_KEYS) {
    const shown = displayPath(filePaths[key]);
    data[key] = parseOrThrow(DATA_FILE_SCHEMAS[key], readJsonFile(filePaths[key]), () => shown);
  }
  const sections = data as unknown as DataSections & { topics: RisklineConfig['topics'] };
  const problems = crossCheck(sections);
  if (problems.length > 0) {
    const [first] = problems;
    const more = problems.length - 1;
    const tail = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
    throw configError(displayPath(filePaths[first.file]), first.path, first.message + tail);
  }
  const benchmark = settings.analytics.benchmark;
  if (benchmark !== null && !sections.instruments.some((i) => i.id === benchmark)) {
    const named = overFile !== undefined && hasPath(over, ['analytics', 'benchmark']) ? overFile : baseFile;
    const known = `not in ${path.basename(filePaths.instruments)}`;
    throw configError(displayPath(named), ['analytics', 'benchmark'], `unknown instrument "${benchmark}" (${known})`);
  }
  return { ...settings, ...sections };
}
