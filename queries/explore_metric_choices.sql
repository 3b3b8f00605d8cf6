-- explore_metric_choices: the catalogue metrics that some current report states, in the order of the form.
-- A metric's rows sit together in facts (queries/insert_facts.sql), so the semi join reads little.
-- Grain: one row per metric code.
-- Params: none
select m.code, m.header, m.section, m.row_label, m.column_label, m.unit
from metrics as m
semi join facts as f on f.metric = m.code and f.report_id in (select rp.id from current_reports as rp)
order by m.display_order
