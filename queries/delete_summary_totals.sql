-- delete_summary_totals: drop the stored 汇总 comparisons of the regions a write touched, before they are
-- recomputed.
-- Grain: every row of the regions listed.
-- Params: $regions (region ids)
delete from summary_totals
where list_contains($regions, region_id)
