-- batch_history: every import batch, newest first, with how many reports it wrote and how many are still current.
-- Grain: one row per batch.
-- Params: none
with counts as (
    select rp.batch_id,
           count(*) as reports,
           count(*) filter (where rp.status = 'current') as still_current,
           count(rp.replaces) as replaced_earlier
    from reports as rp
    group by rp.batch_id
)
select b.id as batch_id, b.created_at, b.created_by, b.via, b.files, b.is_demo,
       coalesce(c.reports, 0) as reports,
       coalesce(c.still_current, 0) as still_current,
       coalesce(c.replaced_earlier, 0) as replaced_earlier,
       b.undone_at, b.undone_by
from batches as b
left join counts as c on c.batch_id = b.id
order by b.id desc
