-- One-second and one-minute bars of every instrument's `last`, rolled up from the stored ticks by the
-- store's bars job (services/store/bars.ts), out of the ingest path: every few seconds it recomputes
-- whole the buckets the batches stored since its last run touched, so a late batch (a replay, a
-- spill drained) or one delivered twice gives the same bars as the ticks themselves. tick_batches
-- gains each batch's earliest tick, so the job knows the span to recompute; store_state keeps the
-- job's watermark (the stored_at it has rolled up to) across restarts.

create table bars_1s (
  instrument text not null,
  bucket timestamptz not null,
  open double precision not null,
  high double precision not null,
  low double precision not null,
  close double precision not null,
  ticks integer not null,
  primary key (instrument, bucket)
);
create index bars_1s_bucket_brin on bars_1s using brin (bucket);

create table bars_1m (like bars_1s including all);

alter table tick_batches add column first_ts timestamptz;
create index tick_batches_stored_at on tick_batches (stored_at);

create table store_state (
  key text primary key,
  value timestamptz not null
);
