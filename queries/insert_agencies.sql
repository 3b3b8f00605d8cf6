-- insert_agencies: agencies named by an import and not yet known in their region, from the registered frame `new_agencies`.
-- Grain: one row per new agency.
-- Params: none; the caller registers `new_agencies`.
insert into agencies (id, name, kind, region_id, created_batch)
select na.id, na.name, na.kind, na.region_id, na.created_batch
from new_agencies as na
