-- briefing_data_date: when the stored data last changed — the latest import or undo — for 领导简报's footer.
-- Grain: one row; changed_at is null in a database without imports.
-- Params: none
select max(greatest(b.created_at, coalesce(b.undone_at, b.created_at))) as changed_at
from batches as b
