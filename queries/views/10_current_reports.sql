-- current_reports: the reports analysts read: a correction is a new report, and the one it replaces is kept with
-- another status.
create or replace view current_reports as
select * from reports where status = 'current';
