// Fees, accrued once a day at the UTC day roll of event time, reported beside the book (never
// taken out of its cash): a management fee on NAV and a performance fee on the gain above a
// high-water mark grown by a hurdle, both payable (crystallised) at the end of a period.
//
// Conventions (docs/architecture.md, "Analytics and fees"):
// - days are calendar days between accruals, counted on UTC day numbers (act/365 or act/360); a gap
//   of several days with no input accrues them all at the next day roll;
// - management fee for the days = rate × days / basis × NAV net of the fees accrued before it;
// - performance fee accrued = rate × max(0, NAV after management fees − hurdle NAV), where hurdle
//   NAV = high-water mark × (1 + hurdle rate × days since the period start / basis) (simple, not
//   compounded, and not carried into the next period); it is the whole liability as of the day, so
//   it falls again when performance does;
// - at a period end (the day roll into a new month, quarter or year) both accruals crystallise:
//   they join `crystallised` and restart from zero; the high-water mark moves up to the net NAV
//   then only when a performance fee was crystallised;
// - NAV net = NAV gross − crystallised − accrued management − accrued performance.

export type DayCount = 'act/365' | 'act/360';
export type Crystallisation = 'monthly' | 'quarterly' | 'annual';

export interface FeeSchedule {
  dayCount: DayCount;
  /** Annual management fee rate on NAV (0.02: 2 %). */
  managementRate: number;
  /** Share of the gain above the hurdle NAV (0.2: 20 %). */
  performanceRate: number;
  /** Annual hurdle rate over the high-water mark (0 for a plain high-water mark). */
  hurdleRate: number;
  crystallisation: Crystallisation;
}

/** A portfolio's fee accounts (plain data: it goes into the checkpoint as it is). */
export interface FeeState {
  /** Event time of the last accrual (a UTC midnight), or of the series' start before the first. */
  lastAccrual: number;
  /** Start of the crystallisation period (the hurdle runs from here). */
  periodStart: number;
  highWaterMark: number;
  /** Hurdle NAV at the last accrual. */
  hurdleNav: number;
  accruedManagement: number;
  accruedPerformance: number;
  /** Fees crystallised since the start (payable or paid). */
  crystallised: number;
  /** The last accrual's management fee and its change of the performance-fee accrual. */
  lastManagement: number;
  lastPerformance: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (t: number): number => Math.floor(t / DAY_MS);

/** The fee accounts at the series' start: nothing accrued, the high-water mark at the opening NAV. */
export function openFees(nav: number, at: number): FeeState {
  return {
    lastAccrual: at,
    periodStart: at,
    highWaterMark: nav,
    hurdleNav: nav,
    accruedManagement: 0,
    accruedPerformance: 0,
    crystallised: 0,
    lastManagement: 0,
    lastPerformance: 0,
  };
}

/** NAV net of every fee crystallised or accrued. */
export function netNav(s: FeeState, navGross: number): number {
  return navGross - s.crystallised - s.accruedManagement - s.accruedPerformance;
}

/** Which crystallisation period a time falls in (months, quarters or years since year 0, UTC). */
export function periodOf(t: number, c: Crystallisation): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return c === 'annual' ? y : c === 'quarterly' ? y * 4 + Math.floor(m / 3) : y * 12 + m;
}

/**
 * The accounts after the day roll at `close` (a UTC midnight) with the book at `navGross`: the
 * management fee for the days since the last accrual, the performance-fee accrual as of the
 * close, and crystallisation when the day closed ends a period. Returns a new state.
 */
export function accrueDay(s: FeeState, navGross: number, close: number, f: FeeSchedule): FeeState {
  const days = dayNumber(close) - dayNumber(s.lastAccrual);
  if (days <= 0) return s;
  const basis = f.dayCount === 'act/360' ? 360 : 365;
  const management = Math.max(0, netNav(s, navGross)) * f.managementRate * (days / basis);
  const accruedManagement = s.accruedManagement + management;
  const afterManagement = navGross - s.crystallised - accruedManagement;
  const periodDays = dayNumber(close) - dayNumber(s.periodStart);
  const hurdleNav = s.highWaterMark * (1 + f.hurdleRate * (periodDays / basis));
  const accruedPerformance = f.performanceRate * Math.max(0, afterManagement - hurdleNav);
  const next: FeeState = {
    ...s,
    lastAccrual: close,
    hurdleNav,
    accruedManagement,
    accruedPerformance,
    lastManagement: management,
    lastPerformance: accruedPerformance - s.accruedPerformance,
  };
  if (periodOf(close, f.crystallisation) === periodOf(s.lastAccrual, f.crystallisation)) return next;
  return {
    ...next,
    periodStart: close,
    crystallised: s.crystallised + accruedManagement + accruedPerformance,
    highWaterMark: accruedPerformance > 0 ? afterManagement - accruedPerformance : s.highWaterMark,
    accruedManagement: 0,
    accruedPerformance: 0,
  };
}
