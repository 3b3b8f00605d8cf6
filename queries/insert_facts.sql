-- insert_facts: the cells of a commit, from the registered frame `new_facts`.
-- Grain: one row per (report, metric).
-- Params: none; the caller registers `new_facts`.
insert into facts (report_id, metric, value, raw, unit, approximate, origin)
select nf.report_id, nf.metric, nf.value, nf.raw, nf.unit, nf.approximate, nf.origin
from new_facts as nf
