-- What the daily risk report needs besides the risk snapshots. state_snapshots keeps a portfolio's
-- positions and exposures state (the engine's snapshot frames of its positions:<id> and
-- exposures:<id> channels, each the channel's whole state) once per `database.riskEveryMs` of event
-- time: the first snapshot of each bucket, the same buckets as risk_snapshots, so the two join on
-- (portfolio, bucket). Key: portfolio, kind and bucket; a redelivery or a replay
-- stores nothing twice. Kept `database.retention.riskDays`, as risk snapshots are.
-- reports keeps each built daily report (riskline report) as a document: its HTML and its PDF, and
-- the risk snapshot (as_of, input_seq) it reflects; built again for the same day, it is replaced.

create table state_snapshots (
  portfolio text not null,
  kind text not null check (kind in ('positions', 'exposures')),
  bucket timestamptz not null,
  as_of timestamptz not null,
  input_seq bigint not null,
  seq bigint not null,
  data jsonb not null,
  primary key (portfolio, kind, bucket)
);
create index state_snapshots_bucket_brin on state_snapshots using brin (bucket);

create table reports (
  portfolio text not null,
  day date not null,
  html text not null,
  pdf bytea not null,
  built_at timestamptz not null default now(),
  as_of timestamptz,
  input_seq bigint,
  primary key (portfolio, day)
);
