// Fee accrual (engine/analytics/fees.ts) against closed forms and examples worked by hand.
import t from 'tap';
import { accrueDay, netNav, openFees, periodOf, type FeeSchedule } from '../../../../engine/analytics/fees.js';

const DAY = 86_400_000;
const JAN1 = Date.parse('2026-01-01T00:00:00Z');
const schedule = (over: Partial<FeeSchedule> = {}): FeeSchedule => ({
  dayCount: 'act/365',
  managementRate: 0.02,
  performanceRate: 0.2,
  hurdleRate: 0,
  crystallisation: 'annual',
  ...over,
});
const near = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

t.test('management fee on a flat NAV: accrued = G (1 − (1 − r/365)^n), act/365 and act/360', async (t) => {
  const G = 1_000_000;
  for (const [dayCount, basis] of [
    ['act/365', 365],
    ['act/360', 360],
  ] as const) {
    const f = schedule({ dayCount, performanceRate: 0 });
    let s = openFees(G, JAN1 + 9 * 3600_000); // opened at 09:00: the first day roll accrues one day
    for (let n = 1; n <= 90; n++) {
      s = accrueDay(s, G, JAN1 + n * DAY, f);
      // Each day's fee is on the NAV net of the fees accrued before it.
      t.ok(near(s.accruedManagement, G * (1 - (1 - 0.02 / basis) ** n)), `${dayCount} day ${n}`);
    }
    t.ok(near(netNav(s, G), G * (1 - 0.02 / basis) ** 90), `${dayCount}: net NAV`);
  }
});

t.test('a gap of several days accrues them all at the next day roll, on that NAV', async (t) => {
  const f = schedule({ performanceRate: 0 });
  const s0 = accrueDay(openFees(1e6, JAN1), 1e6, JAN1 + DAY, f);
  const s3 = accrueDay(s0, 2e6, JAN1 + 4 * DAY, f);
  t.ok(near(s3.lastManagement, (2e6 - s0.accruedManagement) * 0.02 * (3 / 365)), 'three days at once');
  t.equal(accrueDay(s3, 2e6, JAN1 + 4 * DAY, f), s3, 'the same day twice accrues nothing');
});

t.test('performance fee above the high-water mark grown by the hurdle; reversed when the gain goes', async (t) => {
  const f = schedule({ managementRate: 0, hurdleRate: 0.1 });
  let s = openFees(1_000_000, JAN1);
  // Day 73 (a fifth of a year): hurdle NAV 1,000,000 × (1 + 0.1 × 73/365) = 1,020,000.
  for (let n = 1; n < 73; n++) s = accrueDay(s, 1_000_000, JAN1 + n * DAY, f);
  s = accrueDay(s, 1_120_000, JAN1 + 73 * DAY, f);
  t.ok(near(s.hurdleNav, 1_020_000), 'hurdle NAV');
  t.ok(near(s.accruedPerformance, 0.2 * 100_000), '20 % of the 100,000 above it');
  t.ok(near(s.lastPerformance, 20_000), 'the day accrued all of it');
  t.ok(near(netNav(s, 1_120_000), 1_100_000), 'net NAV');
  s = accrueDay(s, 1_010_000, JAN1 + 74 * DAY, f);
  t.equal(s.accruedPerformance, 0, 'below the hurdle: nothing accrued');
  t.ok(near(s.lastPerformance, -20_000), 'the accrual is reversed');
  t.equal(s.highWaterMark, 1_000_000, 'the mark moves only at crystallisation');
});

t.test('crystallisation at the period end: fees payable, accruals restart, the mark moves up', async (t) => {
  const f = schedule({ managementRate: 0.0365, hurdleRate: 0, crystallisation: 'monthly' });
  const jan31 = Date.parse('2026-01-31T00:00:00Z');
  let s = openFees(1_000_000, jan31 - DAY);
  s = accrueDay(s, 1_000_000, jan31, f); // closes 30 January: 1,000,000 × 0.0365 / 365 = 100
  t.ok(near(s.accruedManagement, 100), 'management 100 a day');
  // Closing 31 January (the roll into February) at 1,200,100: the month's fees crystallise.
  s = accrueDay(s, 1_200_100, jan31 + DAY, f);
  const management = (1_200_100 - 100) * 0.0001; // 120 on the net NAV before it
  const performance = 0.2 * (1_200_100 - 100 - management - 1_000_000);
  t.ok(near(s.crystallised, 100 + management + performance), 'both fees crystallised');
  t.equal(s.accruedManagement, 0);
  t.equal(s.accruedPerformance, 0);
  t.ok(near(s.highWaterMark, 1_200_100 - 100 - management - performance), 'mark at the net NAV paid on');
  t.equal(s.periodStart, jan31 + DAY, 'the hurdle runs from the new period');
  t.ok(near(netNav(s, 1_200_100), s.highWaterMark), 'net NAV = the new mark');
  // A period with no performance fee leaves the mark where it was.
  const feb28 = Date.parse('2026-03-01T00:00:00Z');
  let q = s;
  for (let d = jan31 + 2 * DAY; d <= feb28; d += DAY) q = accrueDay(q, 1_100_000, d, f);
  t.equal(q.highWaterMark, s.highWaterMark, 'no fee paid: mark kept');
  t.ok(q.crystallised > s.crystallised, "February's management fee crystallised on 1 March");
});

t.test('crystallisation periods are UTC months, quarters and years', async (t) => {
  const at = (iso: string) => Date.parse(iso);
  t.not(periodOf(at('2026-03-31T23:59:59Z'), 'monthly'), periodOf(at('2026-04-01T00:00:00Z'), 'monthly'));
  t.not(periodOf(at('2026-03-31T00:00:00Z'), 'quarterly'), periodOf(at('2026-04-01T00:00:00Z'), 'quarterly'));
  t.equal(periodOf(at('2026-04-01T00:00:00Z'), 'quarterly'), periodOf(at('2026-06-30T00:00:00Z'), 'quarterly'));
  t.equal(periodOf(at('2026-01-01T00:00:00Z'), 'annual'), periodOf(at('2026-12-31T23:00:00Z'), 'annual'));
});
