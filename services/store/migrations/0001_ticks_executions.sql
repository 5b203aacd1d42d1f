-- Ticks and executions as they came off the bus. Ticks are range-partitioned by day on their event
-- time (partitions are made by the sink for the days it writes and dropped by retention), with a
-- BRIN index on time (ticks arrive in time order, so block ranges summarise well). A btree on
-- (instrument, ts) over the day being written would halve the rate ticks go in (measured by
-- bench/scenarios/store-sink.ts: 230k against 511k rows/s), so the store's maintenance gives each
-- day's partition that index once the day has closed (partitions.ts). A tick batch is stored once: its envelope's
-- (src, seq, ts) goes into tick_batches in the same transaction as its rows, and a batch whose key
-- is already there is skipped, so a redelivery after a crash inserts nothing twice without a
-- unique index over every tick row.

create table ticks (
  ts timestamptz not null,
  instrument text not null,
  bid double precision not null,
  ask double precision not null,
  last double precision not null,
  src text not null,
  seq bigint not null
) partition by range (ts);

create index ticks_ts_brin on ticks using brin (ts);

create table tick_batches (
  src text not null,
  seq bigint not null,
  ts timestamptz not null,
  ticks integer not null,
  stored_at timestamptz not null default now(),
  primary key (src, seq, ts)
);
create index tick_batches_ts_brin on tick_batches using brin (ts);

create table executions (
  id text primary key,
  order_id text,
  portfolio text not null,
  instrument text not null,
  side text not null check (side in ('buy', 'sell')),
  qty double precision not null,
  price double precision not null,
  fees double precision,
  venue text,
  ts timestamptz not null,
  src text not null,
  stored_at timestamptz not null default now()
);
create index executions_ts_brin on executions using brin (ts);
create index executions_portfolio_ts on executions (portfolio, ts);
