-- quality_coverage: which agencies of a region reported for each year, and which are missing.
-- Expected as defined by the expected_reports macro (schema 0003): on the 单位名单 and active that year,
-- or, for agencies not on it, reported the year before.
-- Grain: one row per (agency that reported or is listed, year with any current report in the region).
-- Params: $region, $year_from, $year_to, $kinds
select er.agency, er.kind, er.region, er.year,
       case when er.reported then 'reported'
            when er.expected then 'missing'
            else 'not_expected' end as status
from expected_reports($region, $kinds) as er
where er.year between $year_from and $year_to
order by er.kind = '汇总' desc, er.region, er.agency, er.year
