-- batch_by_id: one import batch.
-- Grain: at most one row.
-- Params: $batch_id
select b.id, b.created_at, b.created_by, b.via, b.is_demo, b.files, b.undone_at, b.undone_by
from batches as b
where b.id = $batch_id
