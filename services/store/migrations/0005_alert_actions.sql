-- The desk's audit: every acknowledgement and assignment of an alert (services/alerts/actions.ts), by whom and when.
-- Kept like the alerts themselves (no retention): who acknowledged what is what a desk is asked for afterwards.
create table alert_actions (
  id text primary key,
  alert_id text not null,
  portfolio text not null,
  action text not null check (action in ('acknowledge', 'assign')),
  by_subject text not null,
  assignee text,
  note text,
  ts timestamptz not null,
  stored_at timestamptz not null default now()
);
create index alert_actions_alert on alert_actions (alert_id, ts);
create index alert_actions_portfolio_ts on alert_actions (portfolio, ts);
