// Time-weighted return: the period is cut at every external flow, so money put in or taken out is
// not counted as performance. A flow (positive: cash in) falls at the end of the sub-period it
// arrives in; the next sub-period starts from the NAV that includes it.

/** Return of one sub-period, or null where the starting NAV is not positive (no return to speak of). */
export function periodReturn(navStart: number, navEnd: number, flow = 0): number | null {
  if (!(navStart > 0)) return null;
  return (navEnd - flow) / navStart - 1;
}
