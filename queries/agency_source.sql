-- agency_source: the original file a report was imported from, with its bytes, for download.
-- Grain: one row (or none, for a report without a stored file).
-- Params: $report_id
select s.file_name, s.kind, s.encoding, s.sha256, s.size_bytes, s.content
from reports as rp
join sources as s on s.id = rp.source_id
where rp.id = $report_id
