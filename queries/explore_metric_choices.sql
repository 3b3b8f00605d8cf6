-- explore_metric_choices: the catalogue metrics that some current report states, in the order of the form.
-- Grain: one row per metric code.
-- Params: none
with stated as (
    select distinct rf.metric
    from report_facts as rf
)
select m.code, m.header, m.section, m.row_label, m.column_label, m.unit
from metrics as m
join stated as s on s.metric = m.code
order by m.display_order
