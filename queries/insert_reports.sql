-- insert_reports: the reports of a commit, from the registered frame `new_reports`.
-- Grain: one row per report.
-- Params: none; the caller registers `new_reports`.
insert into reports (id, agency_id, year, version, batch_id, source_id, source_row, imported_by,
                     status, replaces, replace_reason)
select nr.id, nr.agency_id, nr.year, nr.version, nr.batch_id, nr.source_id, nr.source_row, nr.imported_by,
       'current', nr.replaces, nr.replace_reason
from new_reports as nr
