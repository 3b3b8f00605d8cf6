-- regions_all: every region with its path.
-- Grain: one row per region.
-- Params: none
select r.id, r.name, r.parent_id, r.path
from regions as r
order by r.path
