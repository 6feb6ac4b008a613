{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per as_of_date. fit_score and engagement_score are the sums of the
    points of the rules that apply (fct_lead_score_components); lead_score = fit + engagement.
    grade A–D comes from fit, engagement_level 1–4 from engagement, is_mql from lead_score
    (vars `fit_grade_thresholds`, `engagement_level_thresholds`, `mql_threshold`).

    conversion_probability (first version, replaced by a trained model later): the share of
    leads in the same grade × engagement level cell that converted into a won opportunity of
    their own (their converted lead's opportunity, or a contact role on it) closed before
    the as-of date, shrunk toward the overall share with the weight of
    `conversion_prior_weight` pseudo-leads: (won + k · overall) / (n + k). It describes the
    cell as it is today, customers included, so it is a ranking aid, not a forecast. -#}
with

features as (
    select lead_id, as_of_date from {{ ref('int_lead_features_wide') }}
),

components as (
    select * from {{ ref('fct_lead_score_components') }}
    where as_of_date = {{ as_of_date() }}
),

opportunities as (
    select
        lead_id,
        max(case when is_won and close_date < {{ as_of_date() }} then 1 else 0 end) as has_won_opportunity
    from {{ ref('int_lead_opportunities') }}
    where link_type in ('converted_lead', 'contact_role')
    group by lead_id
),

totals as (
    select
        lead_id,
        sum(case when score_type = 'fit' then points else 0 end) as fit_score,
        sum(case when score_type = 'engagement' then points else 0 end) as engagement_score
    from components
    group by lead_id
),

ranked_reasons as (
    select
        lead_id,
        rule_description || ' (' || case when points > 0 then '+' else '' end
            || {{ dbt.cast('points', dbt.type_string()) }} || ')' as reason,
        row_number() over (
            partition by lead_id order by abs(points) desc, rule_id
        ) as reason_rank
    from components
    where points <> 0
),

reasons as (
    select
        lead_id,
        {{ dbt.listagg('reason', "'; '", 'order by reason_rank') }} as score_reasons
    from ranked_reasons
    where reason_rank <= 3
    group by lead_id
),

scored as (
    select
        features.lead_id,
        coalesce(totals.fit_score, 0) as fit_score,
        coalesce(totals.engagement_score, 0) as engagement_score,
        coalesce(opportunities.has_won_opportunity, 0) as has_won_opportunity,
        reasons.score_reasons
    from features
    left join totals on totals.lead_id = features.lead_id
    left join opportunities on opportunities.lead_id = features.lead_id
    left join reasons on reasons.lead_id = features.lead_id
),

banded as (
    select
        *,
        {{ fit_grade('fit_score') }} as grade,
        {{ engagement_level('engagement_score') }} as engagement_level
    from scored
),

cells as (
    select
        grade,
        engagement_level,
        count(*) as lead_count,
        sum(has_won_opportunity) as won_count
    from banded
    group by grade, engagement_level
),

overall as (
    select
        case when count(*) = 0 then 0.0 else cast(sum(has_won_opportunity) as double precision) / count(*) end
            as conversion_rate
    from banded
),

final as (
    select
        banded.lead_id,
        {{ as_of_date() }} as as_of_date,
        cast(banded.grade as {{ dbt.type_string() }}) as grade,
        cast(coalesce(banded.score_reasons, '') as {{ dbt.type_string() }}) as score_reasons,
        cast(banded.fit_score as bigint) as fit_score,
        cast(banded.engagement_score as bigint) as engagement_score,
        cast(banded.fit_score + banded.engagement_score as bigint) as lead_score,
        cast(banded.engagement_level as bigint) as engagement_level,
        cast(
            (cells.won_count + {{ var('conversion_prior_weight') }} * overall.conversion_rate)
            / (cells.lead_count + {{ var('conversion_prior_weight') }})
            as double precision
        ) as conversion_probability,
        banded.fit_score + banded.engagement_score >= {{ var('mql_threshold') }} as is_mql
    from banded
    inner join cells
        on cells.grade = banded.grade and cells.engagement_level = banded.engagement_level
    cross join overall
)

select * from final
