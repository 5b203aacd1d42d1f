// Numbers as a desk reads them: fixed decimals, thousands separators, a sign on P&L.

const fixed = new Map<number, Intl.NumberFormat>();

export function money(v: unknown, decimals = 0): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  let f = fixed.get(decimals);
  if (f === undefined)
    fixed.set(
      decimals,
      (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })),
    );
  return f.format(v);
}

export function signed(v: unknown, decimals = 0): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  return (v > 0 ? '+' : '') + money(v, decimals);
}

/** How old data is, in words short enough for a status line. */
export function age(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
