-- stored_facts_for_pairs: the facts of the current reports of some (agency, year) pairs.
-- Grain: one row per (report, metric); a current report with no facts gives one row with metric null.
-- Params: none; the caller registers a frame `wanted` (agency_id, year).
select rp.agency_id, rp.year, rp.version, rp.id as report_id, f.metric, f.value
from wanted as w
join current_reports as rp on rp.agency_id = w.agency_id and rp.year = w.year
left join facts as f on f.report_id = rp.id
