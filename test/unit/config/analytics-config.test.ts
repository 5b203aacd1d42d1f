// The `analytics` settings (config/schema.ts analyticsSchema): defaults, and every way of getting
// them wrong named with the file, the path and what was expected.
import path from 'node:path';
import t, { type Test } from 'tap';
import { displayPath } from '../../../config/issues.js';
import { loadConfig } from '../../../config/load.js';
import { RisklineError } from '../../../errors/catalogue.js';

function failure(t: Test, file: string): string {
  try {
    loadConfig({ env: {}, configFile: file });
  } catch (err) {
    t.ok(err instanceof RisklineError && err.code === 'CONFIG_INVALID', 'CONFIG_INVALID');
    t.notMatch((err as Error).message, /\n/, 'one line');
    return (err as Error).message;
  }
  t.fail('expected loadConfig to throw');
  return '';
}

t.test('the defaults: a minute, a day of minutes, a year of days, SPY, 2 and 20 over a 5 % hurdle', async (t) => {
  const a = loadConfig({ env: {} }).analytics;
  t.same(a, {
    intervalMs: 60_000,
    intradayWindow: 1440,
    dailyWindow: 252,
    daysPerYear: 252,
    riskFreeRate: 0.03,
    sortinoTarget: 0,
    benchmark: 'SPY',
    fees: {
      dayCount: 'act/365',
      managementRate: 0.02,
      performanceRate: 0.2,
      hurdleRate: 0.05,
      crystallisation: 'annual',
    },
  });
});

t.test('bad analytics settings name the file, the path and what was expected', async (t) => {
  const dir = t.testdir({
    'typo.json': JSON.stringify({ analytics: { fees: { hurdle: 0.1 } } }),
    'interval.json': JSON.stringify({ analytics: { intervalMs: 7000 } }),
    'count.json': JSON.stringify({ analytics: { fees: { dayCount: '30/360' } } }),
    'bench.json': JSON.stringify({ analytics: { benchmark: 'NOPE' } }),
    'none.json': JSON.stringify({ analytics: { benchmark: null } }),
  });
  const at = (n: string) => path.join(dir, n);
  t.equal(
    failure(t, at('typo.json')),
    `${displayPath(at('typo.json'))}: analytics.fees.hurdle: unknown key (expected one of dayCount, managementRate, performanceRate, hurdleRate, crystallisation)`,
  );
  t.equal(
    failure(t, at('interval.json')),
    `${displayPath(at('interval.json'))}: analytics.intervalMs: expected a divisor of a day (86400000 ms), such as 60000, received 7000`,
  );
  t.match(
    failure(t, at('count.json')),
    /count\.json: analytics\.fees\.dayCount: expected one of "act\/365"\|"act\/360"/,
  );
  t.equal(
    failure(t, at('bench.json')),
    `${displayPath(at('bench.json'))}: analytics.benchmark: unknown instrument "NOPE" (not in instruments.json)`,
  );
  t.equal(loadConfig({ env: {}, configFile: at('none.json') }).analytics.benchmark, null, 'null: no benchmark');
});
