-- batch_reports_replaced_later: reports of a batch that a later import has since replaced,
-- which stop the batch from being undone.
-- Grain: one row per such report.
-- Params: $batch_id
select a.name as agency, rp.year, newer.batch_id as later_batch
from reports as rp
join reports as newer on newer.replaces = rp.id
join agencies as a on a.id = rp.agency_id
where rp.batch_id = $batch_id and rp.status = 'replaced' and newer.status <> 'undone'
order by newer.batch_id desc
