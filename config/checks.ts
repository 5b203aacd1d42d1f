// Cross-file checks the per-file schemas cannot express: references between files, currency
// coverage by FX instruments, and the correlation matrix against its factor list.

import { correlationProblem } from '../engine/correlations.js';
import type { Instrument } from '../engine/model.js';
import type { DataFileKey, DataSections, MarketConfig } from './schema.js';
import { factorOfShock, shockPaths } from './scenario-schema.js';
import type { ScenarioDef } from './scenario-schema.js';

export interface ConfigProblem {
  /** Which data file the problem is in. */
  file: DataFileKey;
  /** JSON path inside that file. */
  path: (string | number)[];
  message: string;
}

/** The shared correlation rule, its problem reported in market.json. */
function checkCorrelations(market: MarketConfig): ConfigProblem[] {
  const problem = correlationProblem(market.correlations, market.factors.length);
  return problem === null
    ? []
    : [{ file: 'market', path: ['correlations', ...problem.path], message: problem.message }];
}

function duplicates<T extends { id: string }>(file: DataFileKey, items: readonly T[], what: string): ConfigProblem[] {
  const seen = new Map<string, number>();
  const out: ConfigProblem[] = [];
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) {
      out.push({ file, path: [i, 'id'], message: `duplicate ${what} id "${item.id}" (first at [${first}])` });
    } else {
      seen.set(item.id, i);
    }
  });
  return out;
}

/** Currencies that have an FX instrument quoting them against USD. */
function convertibleCurrencies(instruments: readonly Instrument[]): Set<string> {
  const out = new Set<string>(['USD']);
  for (const inst of instruments) {
    if (inst.kind !== 'fx') continue;
    if (inst.currency === 'USD') out.add(inst.base);
    else if (inst.base === 'USD') out.add(inst.currency);
  }
  return out;
}

const noFx = (ccy: string) =>
  `currency ${ccy} has no FX instrument converting it to USD (add an fx instrument such as ${ccy}USD or USD${ccy})`;

/** Every cross-file rule; an empty list means the configuration is consistent. */
export function crossCheck(d: DataSections): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  out.push(...duplicates('instruments', d.instruments, 'instrument'));
  out.push(...duplicates('portfolios', d.portfolios, 'portfolio'));
  out.push(...duplicates('market', d.market.factors, 'factor').map((p) => ({ ...p, path: ['factors', ...p.path] })));
  out.push(...duplicates('limits', d.limits, 'limit'));
  out.push(...duplicates('scenarios', d.scenarios, 'scenario'));
  out.push(...duplicates('venues', d.venues, 'venue'));

  const instruments = new Map(d.instruments.map((inst) => [inst.id, inst]));
  const factors = new Set(d.market.factors.map((f) => f.id));
  const unknownFactors = (file: ConfigProblem['file'], path: (string | number)[], keys: Record<string, number>) => {
    for (const f of Object.keys(keys))
      if (!factors.has(f))
        out.push({ file, path: [...path, f], message: `unknown factor "${f}" (not in market.json factors)` });
  };
  const fx = convertibleCurrencies(d.instruments);

  d.instruments.forEach((inst, i) => {
    if (inst.kind === 'option' || (inst.kind === 'future' && inst.underlying !== undefined)) {
      const u = inst.underlying as string;
      if (!instruments.has(u)) {
        out.push({ file: 'instruments', path: [i, 'underlying'], message: `unknown underlying instrument "${u}"` });
      } else if (u === inst.id || instruments.get(u)?.kind === 'option') {
        out.push({
          file: 'instruments',
          path: [i, 'underlying'],
          message: `underlying "${u}" must be a non-option instrument other than itself`,
        });
      }
    }
    unknownFactors('instruments', [i, 'factors'], inst.factors);
    if (!fx.has(inst.currency)) out.push({ file: 'instruments', path: [i, 'currency'], message: noFx(inst.currency) });
    if (inst.kind === 'fx' && !fx.has(inst.base)) {
      out.push({ file: 'instruments', path: [i, 'base'], message: noFx(inst.base) });
    }
  });

  d.portfolios.forEach((p, i) => {
    if (!fx.has(p.baseCurrency))
      out.push({ file: 'portfolios', path: [i, 'baseCurrency'], message: noFx(p.baseCurrency) });
    for (const ccy of Object.keys(p.cash)) {
      if (!fx.has(ccy)) out.push({ file: 'portfolios', path: [i, 'cash', ccy], message: noFx(ccy) });
    }
    p.holdings.forEach((h, j) => {
      if (!instruments.has(h.instrument)) {
        out.push({
          file: 'portfolios',
          path: [i, 'holdings', j, 'instrument'],
          message: `unknown instrument "${h.instrument}"`,
        });
      }
    });
  });

  out.push(...checkCorrelations(d.market));

  const portfolios = new Set(d.portfolios.map((p) => p.id));
  d.limits.forEach((l, i) => {
    if (l.portfolio !== '*' && !portfolios.has(l.portfolio)) {
      out.push({ file: 'limits', path: [i, 'portfolio'], message: `unknown portfolio "${l.portfolio}" (or "*")` });
    }
  });

  out.push(...checkScenarios(d, factors, fx));
  return out;
}

/** Each scenario's shocks name factors, currencies and countries that exist (docs/stress-scenarios.md). */
function checkScenarios(d: DataSections, factors: Set<string>, fx: Set<string>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const countries = new Set(d.instruments.map((inst) => inst.country));
  d.scenarios.forEach((s, i) => {
    const at = (kind: string, key: string, message: string) =>
      out.push({ file: 'scenarios', path: [i, 'shocks', kind, key], message: `scenario "${s.id}": ${message}` });
    for (const p of shockPaths(s.shocks)) {
      const [kind, key] = p.split('.') as [keyof ScenarioDef['shocks'], string];
      const factor = factorOfShock(kind, key);
      if (factor !== null && !factors.has(factor)) {
        at(kind, key, `unknown factor "${factor}" (not in market.json factors)`);
      } else if (kind === 'fx' && !fx.has(key)) at(kind, key, noFx(key));
      else if (kind === 'vol' && key !== 'equity' && key !== 'fx' && !factors.has(`EQ_${key}`)) {
        at(kind, key, `unknown market "${key}" (expected "equity", "fx" or the suffix of an EQ_ factor)`);
      } else if (kind === 'sovereignBp' && !countries.has(key)) {
        at(kind, key, `no instrument has country "${key}"`);
      }
    }
  });
  return out;
}
