-- insert_aliases: remember each spelling of an agency's name an import used; a spelling seen before changes nothing.
-- Grain: one row per new (region, spelling), from the registered frame `new_aliases`.
-- Params: none; the caller registers `new_aliases`.
insert into agency_aliases (region_id, alias, alias_key, agency_id)
select na.region_id, na.alias, na.alias_key, na.agency_id
from new_aliases as na
where not exists (
    select 1 from agency_aliases as aa where aa.region_id = na.region_id and aa.alias = na.alias
)
