-- explore_metric_choices: the catalogue metrics on the form versions of the current reports, in the order of
-- the form. (Which cells some report actually states would need a scan of every stored cell.)
-- Grain: one row per metric code.
-- Params: none
select m.code, m.header, m.section, m.row_label, m.column_label, m.unit
from metrics as m
where m.version = 'both'
   or m.version in (select distinct rp.version from current_reports as rp)
order by m.display_order
