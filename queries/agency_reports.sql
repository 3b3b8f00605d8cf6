-- agency_reports: every report ever stored for one agency (current, replaced, undone): who, when, why, which file.
-- Grain: one row per report of the agency. $region is the agency's own region path.
-- Params: $agency, $region
select rp.year, rp.id as report_id, rp.status, rp.version, rp.imported_at, rp.imported_by, rp.replaces,
       rp.replace_reason, rp.ended_at, rp.ended_by, rp.batch_id, b.via, b.created_by as batch_by,
       rp.source_id, s.file_name, s.sha256, s.size_bytes
from reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join batches as b on b.id = rp.batch_id
left join sources as s on s.id = rp.source_id
where a.name = $agency and r.path = $region
order by rp.year desc, rp.imported_at desc, rp.id desc
