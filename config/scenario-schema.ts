// scenarios.json: named stress scenarios in the desk's grammar (docs/stress-scenarios.md). Each
// shock names what it moves (an equity market, a currency, a rating bucket) and compiles to factor
// returns in engine/risk/stress.ts. Every error is one line naming the scenario and the field.

import { z } from 'zod';
import { formatZodIssue } from './issues.js';

// schema.ts re-exports this module, so the id and currency rules are restated here, not imported.
const idSchema = z
  .string({ error: 'expected string id' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: "expected an id of letters, digits, '.', '_' or '-'" });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'expected a three-letter upper-case currency code such as "EUR"' });
const upperKey = (what: string) =>
  z.string().regex(/^[A-Z][A-Z0-9]*$/, { error: `expected an upper-case ${what} such as "US"` });
const isoDate = z.iso.date({ error: 'expected ISO date YYYY-MM-DD' });

/** Rating buckets of creditBp: a bond rated AA+, AA or AA- is in bucket AA. */
export const RATING_BUCKETS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC'] as const;
export type RatingBucket = (typeof RATING_BUCKETS)[number];

/** Factor-id prefix of each shock that moves exactly one factor (the key is the suffix). */
export const FACTOR_PREFIX = { equity: 'EQ_', sector: 'SEC_', ratesBp: 'RATES_', fx: 'FX_' } as const;

const ret = z
  .number({ error: 'expected a return such as -0.2' })
  .gt(-1, { error: 'expected a return > -1' })
  .lt(10, { error: 'expected a return < 10' });
const bp = z
  .number({ error: 'expected basis points such as 100' })
  .gt(-2000, { error: 'expected basis points in (-2000, 2000)' })
  .lt(2000, { error: 'expected basis points in (-2000, 2000)' });
const volPoints = z
  .number({ error: 'expected an absolute vol shift such as 0.15' })
  .gt(-1, { error: 'expected a vol shift in (-1, 2)' })
  .lt(2, { error: 'expected a vol shift in (-1, 2)' });

export const shocksSchema = z.strictObject({
  /** Equity market return by market (the suffix of an EQ_ factor: US, EU, UK, JP, CH); beta applies. */
  equity: z.record(upperKey('market key (suffix of an EQ_ factor)'), ret).default({}),
  /** Sector factor return, added to the market move through each stock's sector loading. */
  sector: z.record(upperKey('sector key (suffix of a SEC_ factor)'), ret).default({}),
  /** Parallel move of each currency's government curve, in bp. */
  ratesBp: z.record(currency, bp).default({}),
  /** Credit spread move by rating bucket, in bp, for bonds outside the Government sector. */
  creditBp: z.partialRecord(z.enum(RATING_BUCKETS), bp).default({}),
  /** Sovereign spread move by issuer country (instruments.json country), in bp, for Government bonds. */
  sovereignBp: z.record(upperKey('country code'), bp).default({}),
  /** Value in USD of one unit of each currency: EUR -0.1 is EURUSD down 10%. */
  fx: z.record(currency, ret).default({}),
  /** Absolute implied-vol shift: "equity", "fx", or an underlying's equity market key (wins). */
  vol: z
    .record(
      z.string().regex(/^(equity|fx|[A-Z][A-Z0-9]*)$/, { error: 'expected "equity", "fx" or a market key' }),
      volPoints,
    )
    .default({}),
  /** Any other factor's return, by factor id. */
  factors: z.record(z.string().min(1), ret).default({}),
});
export type ScenarioShocks = z.output<typeof shocksSchema>;
type ShockKind = keyof ScenarioShocks;

export const scenarioSourceSchema = z
  .strictObject({
    title: z.string().min(1),
    url: z.url({ error: 'expected an http(s) URL' }).optional(),
    publication: z.string().min(1).optional(),
    /** The window the figures are measured over (closing levels), inclusive. */
    from: isoDate,
    to: isoDate,
    /** Shock fields this source documents, as "equity.US", "ratesBp.USD", "vol.equity". */
    covers: z.array(z.string().regex(/^[a-zA-Z]+\.[A-Za-z0-9_]+$/, { error: 'expected "kind.key"' })).min(1),
    /** The levels read, and anything a reader checking the figure must know. */
    note: z.string().default(''),
  })
  .refine((s) => s.url !== undefined || s.publication !== undefined, { error: 'expected "url" or "publication"' })
  .refine((s) => s.from <= s.to, { error: 'expected "from" <= "to"' });

const scenarioObject = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  description: z.string().default(''),
  kind: z.enum(['historical', 'hypothetical']),
  sources: z.array(scenarioSourceSchema).default([]),
  shocks: shocksSchema,
});

/** Every shock field set, as "kind.key". */
export function shockPaths(s: ScenarioShocks): string[] {
  return (Object.keys(s) as ShockKind[]).flatMap((kind) => Object.keys(s[kind]).map((key) => `${kind}.${key}`));
}

/** The factor a shock field sets alone, or null (credit, sovereign, vol are per instrument). */
export function factorOfShock(kind: ShockKind, key: string): string | null {
  if (kind === 'factors') return key;
  return kind in FACTOR_PREFIX ? FACTOR_PREFIX[kind as keyof typeof FACTOR_PREFIX] + key : null;
}

type Ctx = z.core.$RefinementCtx<z.output<typeof scenarioObject>>;

/** Rules across fields: one move per factor (so one FX move per currency), sources cover the shocks. */
function crossFieldRules(s: z.output<typeof scenarioObject>, ctx: Ctx): void {
  const paths = shockPaths(s.shocks);
  if (paths.length === 0) ctx.addIssue({ code: 'custom', path: ['shocks'], message: 'expected at least one shock' });
  const setBy = new Map<string, string>();
  for (const p of paths) {
    const [kind, key] = p.split('.') as [ShockKind, string];
    const factor = factorOfShock(kind, key);
    if (factor === null) continue;
    const first = setBy.get(factor);
    if (first !== undefined) {
      const what = factor.startsWith('FX_') ? `currency ${factor.slice(3)}` : `factor ${factor}`;
      ctx.addIssue({
        code: 'custom',
        path: ['shocks', kind, key],
        message: `${what} is set twice (${first} and ${p}): give one move`,
      });
    } else setBy.set(factor, p);
  }
  if ('USD' in s.shocks.fx) {
    ctx.addIssue({
      code: 'custom',
      path: ['shocks', 'fx', 'USD'],
      message: 'USD is the reference currency: move the others against it',
    });
  }
  const covered = new Set(s.sources.flatMap((src) => src.covers));
  s.sources.forEach((src, i) =>
    src.covers.forEach((c, j) => {
      if (!paths.includes(c))
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'covers', j],
          message: `"${c}" is not a shock of this scenario`,
        });
    }),
  );
  if (s.kind !== 'historical') return;
  if (s.sources.length === 0)
    ctx.addIssue({ code: 'custom', path: ['sources'], message: 'a historical scenario needs at least one source' });
  for (const p of paths) {
    if (!covered.has(p))
      ctx.addIssue({
        code: 'custom',
        path: ['shocks', ...p.split('.')],
        message: 'no source covers this shock (list it in a source\'s "covers")',
      });
  }
}

export const scenarioSchema = scenarioObject.superRefine(crossFieldRules);
export type ScenarioDef = z.output<typeof scenarioSchema>;

/** Keys allowed where an unknown key was found, for the one-line message. */
function allowedKeys(path: readonly PropertyKey[]): string[] | undefined {
  if (path.length === 0) return Object.keys(scenarioObject.shape);
  if (path.length === 1 && path[0] === 'shocks') return Object.keys(shocksSchema.shape);
  if (path.length === 2 && path[1] === 'creditBp') return [...RATING_BUCKETS];
  if (path.length === 2 && path[0] === 'sources')
    return ['title', 'url', 'publication', 'from', 'to', 'covers', 'note'];
  return undefined;
}

/** The file: each scenario parsed alone, so every message names the scenario it is about. */
export const scenariosFileSchema = z.array(z.unknown()).transform((items, ctx) => {
  const out: ScenarioDef[] = [];
  items.forEach((raw, i) => {
    const r = scenarioSchema.safeParse(raw, { reportInput: true });
    if (r.success) {
      out.push(r.data);
      return;
    }
    const id = (raw as { id?: unknown } | null)?.id;
    const who = typeof id === 'string' ? `scenario "${id}"` : `scenario [${i}]`;
    for (const issue of r.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? allowedKeys(issue.path) : undefined;
      const line = formatZodIssue({ ...issue, path: [] }, keys);
      // An unknown key's message starts with the key's path; keep it in the field path instead.
      const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
      const text = issue.code === 'unrecognized_keys' ? line.replace(/^[^:]*: /, '') : line;
      ctx.addIssue({ code: 'custom', path: [i, ...path], message: `${who}: ${text}` });
    }
  });
  return out;
});
