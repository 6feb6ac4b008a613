-- Score bands and grades partition the same labelled lead-snapshots: their lead and won counts
-- add up to the same totals, and each type's top-down cumulative count reaches that total.
with

calibration as (
    select * from {{ ref('fct_score_calibration') }}
),

totals as (
    select
        band_type,
        sum(lead_count) as lead_count,
        sum(won_count) as won_count,
        max(cumulative_lead_count) as cumulative_lead_count
    from calibration
    group by band_type
)

select band_type, lead_count, won_count, cumulative_lead_count
from totals
where
    lead_count <> cumulative_lead_count
    or lead_count <> (select min(lead_count) from totals)
    or lead_count <> (select max(lead_count) from totals)
    or won_count <> (select min(won_count) from totals)
    or won_count <> (select max(won_count) from totals)
