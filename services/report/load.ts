// What the daily report reads from the store for one portfolio and one UTC day: the day's last risk
// snapshot and last positions and exposures state whole, the headline VaR/ES and the P&L totals of
// every bucket of the day (the chart's series, without the rest of each row), and the day's fills'
// fees by instrument. Also whether the store knows a portfolio at all and which days it holds.

import type pg from 'pg';

export interface StoredRow {
  bucket: number;
  asOf: number;
  inputSeq: number;
  data: Record<string, unknown>;
}

export interface DayRows {
  portfolio: string;
  /** YYYY-MM-DD, a UTC day. */
  day: string;
  risk: StoredRow | null;
  positions: StoredRow | null;
  exposures: StoredRow | null;
  /** Each bucket's headline VaR and ES by confidence ("99": …), in bucket order. */
  riskSeries: {
    bucket: number;
    asOf: number;
    inputSeq: number;
    var: Record<string, unknown>;
    es: Record<string, unknown>;
  }[];
  /** Each bucket's P&L totals from the positions state, in bucket order. */
  pnlSeries: { bucket: number; unrealizedPnl: number; realizedPnl: number }[];
  /** The day's fills by instrument: how many, how many carried fees, and the fees' sum. */
  fills: { instrument: string; fills: number; withFees: number; total: number }[];
}

/** The UTC day's bounds as timestamps PostgreSQL reads. */
export function dayBounds(day: string): [string, string] {
  const from = Date.parse(`${day}T00:00:00Z`);
  return [new Date(from).toISOString(), new Date(from + 86_400_000).toISOString()];
}

const ms = (d: unknown): number => (d instanceof Date ? d.getTime() : Number(d));

function storedRow(r: { bucket: Date; as_of: Date; input_seq: string; data: Record<string, unknown> }): StoredRow {
  return { bucket: ms(r.bucket), asOf: ms(r.as_of), inputSeq: Number(r.input_seq), data: r.data };
}

export async function loadDay(client: pg.ClientBase, portfolio: string, day: string): Promise<DayRows> {
  const [from, to] = dayBounds(day);
  const args = [portfolio, from, to];
  const lastRisk = await client.query(
    `select bucket, as_of, input_seq, data from risk_snapshots
     where portfolio = $1 and bucket >= $2 and bucket < $3 order by bucket desc limit 1`,
    args,
  );
  const lastState = await client.query(
    `select distinct on (kind) kind, bucket, as_of, input_seq, data from state_snapshots
     where portfolio = $1 and bucket >= $2 and bucket < $3 order by kind, bucket desc`,
    args,
  );
  const riskSeries = await client.query(
    `select bucket, as_of, input_seq, data->'var' as var, data->'es' as es from risk_snapshots
     where portfolio = $1 and bucket >= $2 and bucket < $3 order by bucket`,
    args,
  );
  const pnlSeries = await client.query(
    `select bucket, data->'totals' as totals from state_snapshots
     where portfolio = $1 and kind = 'positions' and bucket >= $2 and bucket < $3 order by bucket`,
    args,
  );
  const fills = await client.query(
    `select instrument, count(*)::int as fills, count(fees)::int as with_fees, coalesce(sum(fees), 0) as total
     from executions where portfolio = $1 and ts >= $2 and ts < $3 group by instrument order by instrument`,
    args,
  );
  const state = (kind: string) => {
    const r = lastState.rows.find((x) => x.kind === kind);
    return r === undefined ? null : storedRow(r);
  };
  return {
    portfolio,
    day,
    risk: lastRisk.rows.length === 0 ? null : storedRow(lastRisk.rows[0]),
    positions: state('positions'),
    exposures: state('exposures'),
    riskSeries: riskSeries.rows.map((r) => ({
      bucket: ms(r.bucket),
      asOf: ms(r.as_of),
      inputSeq: Number(r.input_seq),
      var: r.var ?? {},
      es: r.es ?? {},
    })),
    pnlSeries: pnlSeries.rows.map((r) => ({
      bucket: ms(r.bucket),
      unrealizedPnl: Number(r.totals?.unrealizedPnl ?? NaN),
      realizedPnl: Number(r.totals?.realizedPnl ?? NaN),
    })),
    fills: fills.rows.map((r) => ({
      instrument: r.instrument,
      fills: r.fills,
      withFees: r.with_fees,
      total: Number(r.total),
    })),
  };
}

/** Whether the store holds anything of the portfolio (risk, state or fills), on any day. */
export async function storeKnows(client: pg.ClientBase, portfolio: string): Promise<boolean> {
  const { rows } = await client.query(
    `select exists (select 1 from risk_snapshots where portfolio = $1)
         or exists (select 1 from state_snapshots where portfolio = $1) as known`,
    [portfolio],
  );
  return rows[0].known === true;
}

/** The first and last UTC day the store holds a risk snapshot of the portfolio, or null. */
export async function storedDays(client: pg.ClientBase, portfolio: string): Promise<[string, string] | null> {
  const { rows } = await client.query(
    `select to_char(min(bucket) at time zone 'UTC', 'YYYY-MM-DD') as first,
            to_char(max(bucket) at time zone 'UTC', 'YYYY-MM-DD') as last
     from risk_snapshots where portfolio = $1`,
    [portfolio],
  );
  return rows[0].first === null ? null : [rows[0].first, rows[0].last];
}
