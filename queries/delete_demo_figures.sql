-- delete_demo_figures: the figures of the demo reports, before the reports themselves go.
-- Grain: all figures of reports written by demo batches.
-- Params: none
delete from report_figures
where report_id in (select rp.id from reports as rp join batches as b on b.id = rp.batch_id where b.is_demo)
