// A built report kept in the store as a document: one row per portfolio and day in `reports`, its
// HTML and PDF and the moment it reflects; building the same day again replaces it.

import type pg from 'pg';

export interface ReportDocument {
  portfolio: string;
  day: string;
  html: string;
  pdf: Buffer;
  builtAt: number;
  reflects: { asOf: number; inputSeq: number } | null;
}

export async function saveReport(client: pg.ClientBase, d: ReportDocument): Promise<void> {
  await client.query(
    `insert into reports (portfolio, day, html, pdf, built_at, as_of, input_seq)
     values ($1, $2::date, $3, $4, $5, $6, $7)
     on conflict (portfolio, day) do update set html = excluded.html, pdf = excluded.pdf,
       built_at = excluded.built_at, as_of = excluded.as_of, input_seq = excluded.input_seq`,
    [
      d.portfolio,
      d.day,
      d.html,
      d.pdf,
      new Date(d.builtAt).toISOString(),
      d.reflects === null ? null : new Date(d.reflects.asOf).toISOString(),
      d.reflects?.inputSeq ?? null,
    ],
  );
}
