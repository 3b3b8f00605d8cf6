-- trends_compare: agencies side by side for one year: every cell of the form each one's report states.
-- Grain: one row per (catalogue metric, agency) stated in a current report for $year.
-- Params: $region, $year, $agencies
select case m.section when '一' then '一、总体情况' when '二' then '二、主动公开政府信息情况'
                      when '三' then '三、收到和处理政府信息公开申请情况'
                      else '四、政府信息公开行政复议、行政诉讼情况' end as section,
       m.header, m.unit, m.display_order, rf.agency, rf.region, rf.value
from report_facts as rf
join metrics as m on m.code = rf.metric
where in_region(rf.region, $region)
  and rf.year = $year
  and list_contains($agencies, rf.agency)
order by m.display_order, rf.agency
