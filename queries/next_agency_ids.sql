-- next_agency_ids: reserve ids for the agencies a commit creates.
-- Grain: $n rows.
-- Params: $n
select nextval('agency_id') as id from range($n)
