-- trends_metric_choices: what the 趋势对比 page can plot: the derived metrics of data-contract.md §5 (computed in
-- trends_series) first, then every catalogue metric under its section; the cross-version 其他处理 rows are
-- kept (trends_series derives them for 2021 reports).
-- Grain: one row per metric key (a catalogue code or a derived.* key).
-- Params: none
with derived(metric, header, unit, is_rate, display_order) as (
    values ('derived.new_applications', '新收申请量', '件', false, 1),
           ('derived.published', '主动公开信息总数', '条', false, 2),
           ('derived.disclosure_rate', '公开率', '', true, 3),
           ('derived.denied', '不予公开合计', '件', false, 4),
           ('derived.unable', '无法提供合计', '件', false, 5),
           ('derived.rejected', '不予处理合计', '件', false, 6),
           ('derived.other_handling', '其他处理合计', '件', false, 7),
           ('derived.appeals', '复议诉讼总数', '件', false, 8),
           ('derived.appeal_intensity', '复议诉讼强度（案件数 ÷ 新收申请）', '', true, 9),
           ('derived.review_rate', '行政复议纠错率', '', true, 10)
)
select d.metric, '派生指标' as section, d.header, d.unit, d.is_rate, d.display_order
from derived as d
union all
select m.code as metric,
       case m.section when '一' then '一、总体情况' when '二' then '二、主动公开政府信息情况'
                      when '三' then '三、收到和处理政府信息公开申请情况'
                      else '四、政府信息公开行政复议、行政诉讼情况' end as section,
       m.header, m.unit, false as is_rate, 100 + m.display_order as display_order
from metrics as m
order by display_order
