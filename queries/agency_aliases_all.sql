-- agency_aliases_all: every spelling of every agency, with the region path it is keyed in.
-- Grain: one row per (region, alias).
-- Params: none
select r.path, aa.alias_key, aa.agency_id, a.name, a.kind
from agency_aliases as aa
join agencies as a on a.id = aa.agency_id
join regions as r on r.id = aa.region_id
