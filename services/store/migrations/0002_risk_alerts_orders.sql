-- Risk snapshots, alerts and orders as the engine and the router published them. A risk snapshot is
-- the whole risk frame of a portfolio (VaR and ES by method, components, stress, backtest,
-- provenance) kept once per portfolio per `database.riskEveryMs` of event time: the first frame of
-- each such bucket, so a redelivery or a second engine's frame of the same bucket changes nothing.
-- Alerts are kept by their id (ids are deterministic: the same breach has the same id in every
-- engine process). An order is kept as it stands now, replaced only by a later state of it (more
-- events); its whole history of events is in its data.

create table risk_snapshots (
  portfolio text not null,
  bucket timestamptz not null,
  as_of timestamptz not null,
  input_seq bigint not null,
  seq bigint not null,
  data jsonb not null,
  primary key (portfolio, bucket)
);
create index risk_snapshots_bucket_brin on risk_snapshots using brin (bucket);

create table alerts (
  id text primary key,
  portfolio text not null,
  limit_id text not null,
  state text not null check (state in ('breached', 'cleared')),
  severity text not null,
  message text not null,
  value double precision,
  threshold double precision,
  ts timestamptz not null,
  stored_at timestamptz not null default now()
);
create index alerts_portfolio_ts on alerts (portfolio, ts);

create table orders (
  id text primary key,
  portfolio text not null,
  instrument text not null,
  side text not null,
  status text not null,
  qty double precision not null,
  cum_qty double precision not null,
  avg_px double precision not null,
  version integer not null,
  data jsonb not null,
  updated_at timestamptz not null
);
create index orders_portfolio_updated on orders (portfolio, updated_at);
