-- One-second and one-minute bars of every instrument's mid (the tick's `last` as the exchange prints it is
-- the simulator's mid), kept by the sink in the same transaction as the ticks they come from: a batch
-- stored once is counted once, and a batch that arrives late (a replay, a spill drained) merges into its
-- bars by time (open from the earliest tick, close from the latest). Queries read them like any table.

create table bars_1s (
  instrument text not null,
  bucket timestamptz not null,
  open double precision not null,
  high double precision not null,
  low double precision not null,
  close double precision not null,
  ticks integer not null,
  first_ts timestamptz not null,
  last_ts timestamptz not null,
  primary key (instrument, bucket)
);
create index bars_1s_bucket_brin on bars_1s using brin (bucket);

create table bars_1m (like bars_1s including all);
