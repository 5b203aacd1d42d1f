import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { RisklineError } from '../../../errors/catalogue.js';
import { defaultConfigDir, loadConfig } from '../../../config/load.js';
import { shockPaths, type ScenarioDef } from '../../../config/scenario-schema.js';

const DIR = defaultConfigDir();
const ROOT = path.dirname(DIR);
const scenarios = (): ScenarioDef[] => loadConfig({ env: {} }).scenarios;
const valueAt = (s: ScenarioDef, p: string): number => {
  const [kind, key] = p.split('.') as [keyof ScenarioDef['shocks'], string];
  return (s.shocks[kind] as Record<string, number>)[key];
};

/** Published levels (closes) each historical shock is computed from, independently of the file. */
const LEVELS: [string, string, number, number, 'return' | 'bp' | 'points'][] = [
  ['CRASH-1987', 'equity.US', 282.7, 224.84, 'return'],
  ['CRASH-1987', 'equity.UK', 2301.9, 1801.6, 'return'],
  ['CRASH-1987', 'equity.JP', 21910.08 + 3836.48, 21910.08, 'return'],
  ['LEHMAN-2008', 'equity.US', 1251.7, 899.22, 'return'],
  ['LEHMAN-2008', 'equity.UK', 5416.7, 3932.1, 'return'],
  ['LEHMAN-2008', 'equity.JP', 12214.76, 8276.43, 'return'],
  ['LEHMAN-2008', 'vol.equity', 25.66, 69.95, 'points'],
  ['COVID-2020', 'equity.US', 3386.15, 2237.4, 'return'],
  ['COVID-2020', 'equity.UK', 7457.02, 4993.89, 'return'],
  ['COVID-2020', 'equity.EU', 3865.18, 2485.54, 'return'],
  ['COVID-2020', 'equity.JP', 23400.7, 16887.78, 'return'],
  ['COVID-2020', 'ratesBp.USD', 1.56, 0.76, 'bp'],
  ['COVID-2020', 'vol.equity', 14.38, 61.59, 'points'],
  ['RATES-2022', 'ratesBp.USD', 1.52, 3.88, 'bp'],
  ['RATES-2022', 'ratesBp.EUR', -0.18, 2.57, 'bp'],
  ['RATES-2022', 'ratesBp.GBP', 0.97, 3.67, 'bp'],
  ['RATES-2022', 'ratesBp.JPY', 0.07, 0.42, 'bp'],
  ['RATES-2022', 'equity.US', 4766.18, 3839.5, 'return'],
  ['RATES-2022', 'equity.EU', 4298.41, 3793.62, 'return'],
  ['RATES-2022', 'equity.UK', 7384.54, 7451.74, 'return'],
  ['RATES-2022', 'equity.JP', 28791.71, 26094.5, 'return'],
  ['RATES-2022', 'equity.CH', 12875.66, 10729.4, 'return'],
  ['RATES-2022', 'fx.JPY', 1.137, 1, 'return'], // USDJPY +13.7%: one yen is worth 1/1.137 as many dollars
  ['RATES-2022', 'vol.equity', 17.22, 21.67, 'points'],
];

t.test("each historical shock matches its published levels, to the file's precision", async (t) => {
  const all = scenarios();
  for (const [id, p, from, to, unit] of LEVELS) {
    const s = all.find((x) => x.id === id) as ScenarioDef;
    const v = valueAt(s, p);
    const expected = unit === 'return' ? to / from - 1 : unit === 'bp' ? (to - from) * 100 : (to - from) / 100;
    const decimals = (String(v).split('.')[1] ?? '').length;
    t.ok(Math.abs(v - expected) <= 0.5 * 10 ** -decimals + 1e-12, `${id} ${p}: ${v} vs ${expected.toFixed(6)}`);
  }
});

t.test('docs/stress-scenarios.md lists every historical shock with its value, and nothing else', async (t) => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'stress-scenarios.md'), 'utf8');
  const rows = new Map<string, number>();
  for (const m of doc.matchAll(/^\|\s*([A-Z0-9-]+)\s*\|\s*([a-zA-Z]+\.[A-Za-z0-9_]+)\s*\|\s*(-?[\d.]+)\s*\|/gm)) {
    rows.set(`${m[1]} ${m[2]}`, Number(m[3]));
  }
  const historical = scenarios().filter((s) => s.kind === 'historical');
  t.ok(historical.length >= 4, 'the 1987, 2008, 2020 and 2022 scenarios');
  let n = 0;
  for (const s of historical) {
    t.ok(s.sources.length > 0, `${s.id} has sources`);
    for (const p of shockPaths(s.shocks)) {
      n++;
      t.equal(rows.get(`${s.id} ${p}`), valueAt(s, p), `${s.id} ${p} documented`);
    }
  }
  t.equal(rows.size, n, 'no documented shock is missing from the file');
});

/** A copy of the config folder whose scenarios.json is changed, and the one-line error it gives. */
function failure(t: Test, change: (s: Record<string, unknown>[]) => void): string {
  const dir = t.testdir({});
  for (const f of readdirSync(DIR).filter((f) => f.endsWith('.json'))) cpSync(path.join(DIR, f), path.join(dir, f));
  const file = path.join(dir, 'scenarios.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  change(data);
  writeFileSync(file, JSON.stringify(data, null, 2));
  try {
    loadConfig({ env: {}, configDir: dir });
  } catch (err) {
    t.ok(err instanceof RisklineError && err.code === 'CONFIG_INVALID', 'CONFIG_INVALID');
    const msg = (err as Error).message;
    t.notMatch(msg, /\n/, 'one line');
    return msg.replace(/^.*scenarios\.json: /, '');
  }
  t.fail('expected loadConfig to throw');
  return '';
}

type Raw = {
  id: string;
  kind: string;
  shocks: Record<string, Record<string, unknown>>;
  sources?: { covers: string[] }[];
};
const byId = (s: unknown[], id: string) => (s as Raw[]).find((x) => x.id === id) as Raw;
const at = (s: unknown[], id: string) => (s as Raw[]).findIndex((x) => x.id === id);

t.test('scenario errors are one line naming the scenario and the field', async (t) => {
  const cases: [string, (s: Record<string, unknown>[]) => void, string][] = [
    [
      'the same currency twice',
      (s) => void (byId(s, 'USD-RALLY').shocks.factors = { FX_EUR: -0.1 }),
      `[${at(JSON.parse(readFileSync(path.join(DIR, 'scenarios.json'), 'utf8')), 'USD-RALLY')}].shocks.factors.FX_EUR: scenario "USD-RALLY": currency EUR is set twice (fx.EUR and factors.FX_EUR): give one move`,
    ],
    [
      'a string for basis points',
      (s) => void (byId(s, 'RATES-UP-100BP').shocks.ratesBp.USD = '100'),
      '.shocks.ratesBp.USD: scenario "RATES-UP-100BP": expected basis points such as 100, received "100"',
    ],
    [
      'an unknown shock kind',
      (s) => void (byId(s, 'TECH-SELLOFF').shocks.rates = {}),
      '.shocks.rates: scenario "TECH-SELLOFF": unknown key (expected one of equity, sector, ratesBp, creditBp, sovereignBp, fx, vol, factors)',
    ],
    [
      'an unknown rating bucket',
      (s) => void (byId(s, 'CREDIT-WIDENING').shocks.creditBp['AA+'] = 10),
      '.shocks.creditBp["AA+"]: scenario "CREDIT-WIDENING": unknown key (expected one of AAA, AA, A, BBB, BB, B, CCC)',
    ],
    [
      'USD moved against itself',
      (s) => void (byId(s, 'USD-RALLY').shocks.fx.USD = 0.1),
      '.shocks.fx.USD: scenario "USD-RALLY": USD is the reference currency: move the others against it',
    ],
    [
      'a historical shock no source covers',
      (s) =>
        void byId(s, 'COVID-2020').sources?.forEach((src) => (src.covers = src.covers.filter((c) => c !== 'fx.GBP'))),
      '.shocks.fx.GBP: scenario "COVID-2020": no source covers this shock (list it in a source\'s "covers")',
    ],
    [
      'an unknown market',
      (s) => void (byId(s, 'TECH-SELLOFF').shocks.equity.MOON = -0.5),
      '.shocks.equity.MOON: scenario "TECH-SELLOFF": unknown factor "EQ_MOON" (not in market.json factors)',
    ],
    [
      'a curve the model lacks',
      (s) => void (byId(s, 'RATES-UP-100BP').shocks.ratesBp.CHF = 50),
      '.shocks.ratesBp.CHF: scenario "RATES-UP-100BP": unknown factor "RATES_CHF" (not in market.json factors)',
    ],
    [
      'a currency without an FX instrument',
      (s) => void (byId(s, 'USD-RALLY').shocks.fx.NOK = -0.1),
      '.shocks.fx.NOK: scenario "USD-RALLY": unknown factor "FX_NOK" (not in market.json factors)',
    ],
    [
      'an unknown vol market',
      (s) => void (byId(s, 'VOL-SPIKE').shocks.vol.XX = 0.1),
      '.shocks.vol.XX: scenario "VOL-SPIKE": unknown market "XX" (expected "equity", "fx" or the suffix of an EQ_ factor)',
    ],
    [
      'an unknown sovereign',
      (s) => void (byId(s, 'EURO-CRISIS').shocks.sovereignBp.ZZ = 100),
      '.shocks.sovereignBp.ZZ: scenario "EURO-CRISIS": no instrument has country "ZZ"',
    ],
  ];
  for (const [what, change, expected] of cases) {
    const msg = failure(t, change);
    t.ok(msg.endsWith(expected), `${what}: ${msg}`);
  }
});
