-- overview_missing: agencies of a region expected to report for $year that have not (expected as in the
-- expected_reports macro: on the 单位名单 and active, or reported the year before).
-- Grain: one row per such agency.
-- Params: $region, $year, $kinds
select er.agency, er.kind, er.region,
       case er.basis when 'roster' then '单位名单' else '上年已报送' end as basis,
       (select max(rp.year) from current_reports as rp
        where rp.agency_id = er.agency_id and rp.year < $year) as last_reported
from expected_reports($region, $kinds) as er
where er.year = $year and er.expected and not er.reported
order by er.kind, er.agency
