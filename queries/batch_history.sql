-- batch_history: every import batch, newest first, with how many reports it wrote and how many are still current.
-- Grain: one row per batch.
-- Params: none
select b.id as batch_id, b.created_at, b.created_by, b.via, b.files, b.is_demo,
       count(rp.id) as reports,
       count(rp.id) filter (where rp.status = 'current') as still_current,
       count(rp.replaces) as replaced_earlier,
       b.undone_at, b.undone_by
from batches as b
left join reports as rp on rp.batch_id = b.id
group by all
order by b.id desc
