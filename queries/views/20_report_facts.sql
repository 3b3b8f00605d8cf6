-- report_facts: the current definition (first made by schema/0002_report_views.sql); recreated on every migrate.
-- 0002_report_views: the current reports as analysts read them. report_facts is one row per stated
-- cell with its agency and region; report_summary is one row per report with the derived figures of
-- data-contract.md §5 (computed here, never stored: principle 5). Group subtotals add the stated 总计 cells of the
-- group's rows; a rate is null where its denominator is 0 or missing.

create or replace view report_facts as
select rp.id as report_id, a.id as agency_id, a.name as agency, a.kind, r.path as region, rp.year,
       rp.version, b.is_demo, f.metric, f.value, f.approximate, f.origin
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join batches as b on b.id = rp.batch_id
join facts as f on f.report_id = rp.id;
