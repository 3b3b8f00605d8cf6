-- current_reports: the current definition (first made by schema/0001_core.sql); recreated on every migrate.
create or replace view current_reports as
select * from reports where status = 'current';
