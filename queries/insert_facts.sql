-- insert_facts: the cells of a commit, from the registered frame `new_facts`.
-- Stored in metric order within the commit: the dashboards read one metric (or a few neighbours, such
-- as s3.new.*) across many reports, and DuckDB skips the row groups whose min/max metric cannot match.
-- A province's queries for one metric then read about one row group per import instead of all of them.
-- Grain: one row per (report, metric).
-- Params: none; the caller registers `new_facts`.
insert into facts (report_id, metric, value, raw, unit, approximate, origin)
select nf.report_id, nf.metric, nf.value, nf.raw, nf.unit, nf.approximate, nf.origin
from new_facts as nf
order by nf.metric, nf.report_id
