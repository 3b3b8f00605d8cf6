-- delete_rule_issues: drop the stored violations of the regions a write touched ([] for every region), before
-- they are checked again.
-- Grain: every stored violation of the regions listed.
-- Params: $regions (region ids)
delete from rule_issues
where len($regions) = 0 or list_contains($regions, region_id)
