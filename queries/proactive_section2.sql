-- proactive_section2: section 二 of each agency's report for the focus year, by form version: normative documents
-- (2021 issued/repealed/in force; 2019 made/published/public total), the decisions shared by both versions, and
-- fees (2021 money in 万元; 2019 fee item counts — a different thing, kept in their own columns).
-- Grain: one row per agency (name and region) with a current report for $year; 汇总 reports left out.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rs.report_id, rs.agency, rs.region, rs.kind, rs.version
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year = $year
      and rs.kind <> '汇总'
)
select s.agency, s.region, s.kind, s.version,
       max(f.value) filter (where f.metric = 's2.normdocs.issued') as normdocs_issued,
       max(f.value) filter (where f.metric = 's2.normdocs.repealed') as normdocs_repealed,
       max(f.value) filter (where f.metric = 's2.normdocs.in_force') as normdocs_in_force,
       max(f.value) filter (where f.metric = 's2.normdocs.made') as normdocs_made,
       max(f.value) filter (where f.metric = 's2.normdocs.published') as normdocs_published,
       max(f.value) filter (where f.metric = 's2.normdocs.public_total') as normdocs_public_total,
       max(f.value) filter (where f.metric = 's2.licensing.decisions') as licensing_decisions,
       max(f.value) filter (where f.metric = 's2.penalties.decisions') as penalties_decisions,
       max(f.value) filter (where f.metric = 's2.coercion.decisions') as coercion_decisions,
       max(f.value) filter (where f.metric = 's2.fees.amount_wan') as fees_amount_wan,
       max(f.value) filter (where f.metric = 's2.fees.prev_items') as fee_items_prev,
       max(f.value) filter (where f.metric = 's2.fees.delta') as fee_items_delta
from scope as s
left join (select report_id, metric, value from facts
           where metric in ('s2.normdocs.issued', 's2.normdocs.repealed', 's2.normdocs.in_force', 's2.normdocs.made',
                       's2.normdocs.published', 's2.normdocs.public_total', 's2.licensing.decisions',
                       's2.penalties.decisions', 's2.coercion.decisions', 's2.fees.amount_wan', 's2.fees.prev_items',
                       's2.fees.delta')) as f
       on f.report_id = s.report_id
group by s.report_id, s.agency, s.region, s.kind, s.version
order by s.agency, s.region
