-- delete_demo_agencies: agencies the demo created, unless a user's report belongs to them.
-- Grain: agencies created by demo batches with no report left.
-- Params: none
delete from agencies
where created_batch in (select b.id from batches as b where b.is_demo)
  and id not in (select rp.agency_id from reports as rp)
