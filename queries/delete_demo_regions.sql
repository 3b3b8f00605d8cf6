-- delete_demo_regions: regions the demo created, unless an agency or another region still uses them.
-- Grain: regions created by demo batches that nothing refers to (leaves first, then their parents).
-- Params: none
delete from regions
where created_batch in (select b.id from batches as b where b.is_demo)
  and id not in (select a.region_id from agencies as a)
  and not exists (
      select 1 from regions as child
      where child.path like regions.path || '/%'
        and (child.created_batch not in (select b.id from batches as b where b.is_demo)
             or child.created_batch is null
             or child.id in (select a.region_id from agencies as a))
  )
