-- Limits gained a warning line (engine/limits.ts): an alert's state may now be 'warning' too.
alter table alerts drop constraint alerts_state_check;
alter table alerts add constraint alerts_state_check check (state in ('warning', 'breached', 'cleared'));
