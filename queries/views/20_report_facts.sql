-- report_facts: the current reports as analysts read them, one row per stated cell with its agency and region.
create or replace view report_facts as
select rp.id as report_id, a.id as agency_id, a.name as agency, a.kind, r.path as region, rp.year,
       rp.version, b.is_demo, f.metric, f.value, f.approximate, f.origin
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join batches as b on b.id = rp.batch_id
join facts as f on f.report_id = rp.id;
