{#- How well the rule score ranks: per lead-score band (var `score_band_edges`) and per fit
    grade, how many labelled lead-snapshots fell in it and how many won an opportunity of
    their own within the label horizon afterwards (int_lead_conversion_labels, complete labels
    only, pooled over every snapshot date of the run). Cumulative columns count the band and
    every band above it: what an MQL threshold at the band's lower bound would pass. The
    suggested MQL threshold is the lowest score-band lower bound whose band converts at
    ≥ var `mql_target_conversion_rate` with at least `mql_calibration_min_leads` leads. -#}
{%- set grade_thresholds = var('fit_grade_thresholds') -%}

with

rule_scores as (
    select * from {{ ref('int_lead_rule_scores') }}
),

labels as (
    select * from {{ ref('int_lead_conversion_labels') }}
    where is_label_complete
),

labelled as (
    select
        rule_scores.as_of_date,
        rule_scores.lead_score,
        rule_scores.grade,
        {{ score_band_order('rule_scores.lead_score') }} as score_band_order,
        case when labels.has_won_opportunity_within_horizon then 1 else 0 end as is_won,
        case when labels.is_converted_within_horizon then 1 else 0 end as is_converted
    from rule_scores
    inner join labels
        on labels.lead_id = rule_scores.lead_id and labels.as_of_date = rule_scores.as_of_date
),

score_bands as (
    {{ score_band_spine() }}
),

grades as (
    select
        1 as band_order,
        'D' as band_label,
        cast(null as {{ score_points_type() }}) as band_lower_bound,
        cast({{ grade_thresholds['C'] }} as {{ score_points_type() }}) as band_upper_bound
    union all
    select
        2 as band_order,
        'C' as band_label,
        cast({{ grade_thresholds['C'] }} as {{ score_points_type() }}) as band_lower_bound,
        cast({{ grade_thresholds['B'] }} as {{ score_points_type() }}) as band_upper_bound
    union all
    select
        3 as band_order,
        'B' as band_label,
        cast({{ grade_thresholds['B'] }} as {{ score_points_type() }}) as band_lower_bound,
        cast({{ grade_thresholds['A'] }} as {{ score_points_type() }}) as band_upper_bound
    union all
    select
        4 as band_order,
        'A' as band_label,
        cast({{ grade_thresholds['A'] }} as {{ score_points_type() }}) as band_lower_bound,
        cast(null as {{ score_points_type() }}) as band_upper_bound
),

score_band_counts as (
    select
        score_bands.band_order,
        count(labelled.score_band_order) as lead_count,
        coalesce(sum(labelled.is_won), 0) as won_count,
        coalesce(sum(labelled.is_converted), 0) as converted_count
    from score_bands
    left join labelled on labelled.score_band_order = score_bands.band_order
    group by score_bands.band_order
),

grade_counts as (
    select
        grades.band_order,
        count(labelled.grade) as lead_count,
        coalesce(sum(labelled.is_won), 0) as won_count,
        coalesce(sum(labelled.is_converted), 0) as converted_count
    from grades
    left join labelled on labelled.grade = grades.band_label
    group by grades.band_order
),

bands as (
    select
        'score_band' as band_type,
        score_bands.band_order,
        score_bands.band_label,
        score_bands.band_lower_bound,
        score_bands.band_upper_bound,
        score_band_counts.lead_count,
        score_band_counts.won_count,
        score_band_counts.converted_count
    from score_bands
    inner join score_band_counts on score_band_counts.band_order = score_bands.band_order
    union all
    select
        'grade' as band_type,
        grades.band_order,
        grades.band_label,
        grades.band_lower_bound,
        grades.band_upper_bound,
        grade_counts.lead_count,
        grade_counts.won_count,
        grade_counts.converted_count
    from grades
    inner join grade_counts on grade_counts.band_order = grades.band_order
),

overall as (
    select
        count(*) as lead_count,
        coalesce(sum(is_won), 0) as won_count,
        count(distinct as_of_date) as snapshot_count,
        min(as_of_date) as first_snapshot_date,
        max(as_of_date) as last_snapshot_date
    from labelled
),

cumulated as (
    select
        bands.*,
        sum(bands.lead_count) over (
            partition by bands.band_type order by bands.band_order desc
            rows between unbounded preceding and current row
        ) as cumulative_lead_count,
        sum(bands.won_count) over (
            partition by bands.band_type order by bands.band_order desc
            rows between unbounded preceding and current row
        ) as cumulative_won_count
    from bands
),

rated as (
    select
        cumulated.*,
        case when cumulated.lead_count > 0
            then cast(cumulated.won_count as {{ type_double() }}) / cumulated.lead_count
        end as conversion_rate,
        case when cumulated.lead_count > 0
            then cast(cumulated.converted_count as {{ type_double() }}) / cumulated.lead_count
        end as converted_rate,
        case when cumulated.cumulative_lead_count > 0
            then cast(cumulated.cumulative_won_count as {{ type_double() }}) / cumulated.cumulative_lead_count
        end as cumulative_conversion_rate,
        case when overall.won_count > 0
            then cast(cumulated.cumulative_won_count as {{ type_double() }}) / overall.won_count
        end as cumulative_won_share,
        case when overall.lead_count > 0 and overall.won_count > 0 and cumulated.lead_count > 0
            then (cast(cumulated.won_count as {{ type_double() }}) / cumulated.lead_count)
                / (cast(overall.won_count as {{ type_double() }}) / overall.lead_count)
        end as lift,
        overall.snapshot_count,
        overall.first_snapshot_date,
        overall.last_snapshot_date
    from cumulated
    cross join overall
),

qualifying as (
    select min(band_order) as band_order
    from rated
    where
        band_type = 'score_band'
        and band_lower_bound is not null
        and lead_count >= {{ var('mql_calibration_min_leads') }}
        and conversion_rate >= {{ var('mql_target_conversion_rate') }}
),

suggested as (
    select rated.band_lower_bound as suggested_mql_threshold, rated.band_order
    from rated
    inner join qualifying on qualifying.band_order = rated.band_order
    where rated.band_type = 'score_band'
),

final as (
    select
        {{ as_of_date() }} as as_of_date,
        cast(rated.band_type as {{ dbt.type_string() }}) as band_type,
        cast(rated.band_label as {{ dbt.type_string() }}) as band_label,
        cast(rated.band_order as bigint) as band_order,
        cast(rated.band_lower_bound as {{ score_points_type() }}) as band_lower_bound,
        cast(rated.band_upper_bound as {{ score_points_type() }}) as band_upper_bound,
        cast(rated.snapshot_count as bigint) as snapshot_count,
        cast(rated.lead_count as bigint) as lead_count,
        cast(rated.won_count as bigint) as won_count,
        cast(rated.converted_count as bigint) as converted_count,
        cast(rated.cumulative_lead_count as bigint) as cumulative_lead_count,
        cast(rated.cumulative_won_count as bigint) as cumulative_won_count,
        cast(rated.conversion_rate as {{ type_double() }}) as conversion_rate,
        cast(rated.converted_rate as {{ type_double() }}) as converted_rate,
        cast(rated.lift as {{ type_double() }}) as lift,
        cast(rated.cumulative_conversion_rate as {{ type_double() }}) as cumulative_conversion_rate,
        cast(rated.cumulative_won_share as {{ type_double() }}) as cumulative_won_share,
        cast({{ var('mql_target_conversion_rate') }} as {{ type_double() }}) as target_conversion_rate,
        cast(suggested.suggested_mql_threshold as {{ score_points_type() }}) as suggested_mql_threshold,
        cast({{ var('mql_threshold') }} as {{ score_points_type() }}) as current_mql_threshold,
        coalesce(rated.band_type = 'score_band' and rated.band_order = suggested.band_order, false)
            as is_suggested_mql_band,
        cast(rated.first_snapshot_date as date) as first_snapshot_date,
        cast(rated.last_snapshot_date as date) as last_snapshot_date
    from rated
    left join suggested on 1 = 1
)

select * from final
