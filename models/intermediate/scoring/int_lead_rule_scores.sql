{{ config(materialized='table') }}

{#- The rule-based score of every lead on every as-of date of int_lead_features_wide (the run's
    as-of date and the earlier snapshot dates): fit, engagement and lead score as exact sums of
    fct_lead_score_components (0 when no rule applies), Pardot's grade A–D and engagement
    level 1–4, the MQL flag, the top reasons in words, and BANT flags (doc block
    `scoring_bant`). Reads no ML output: the model-training asset compares the rule score's
    AUC with the model's on it. -#}
with

features as (
    select * from {{ ref('int_lead_features_wide') }}
),

components as (
    select * from {{ ref('fct_lead_score_components') }}
),

opportunities as (
    select * from {{ ref('int_lead_opportunities') }}
),

totals as (
    select
        lead_id,
        as_of_date,
        sum(case when score_type = 'fit' then points else 0 end) as fit_score,
        sum(case when score_type = 'engagement' then points else 0 end) as engagement_score
    from components
    group by lead_id, as_of_date
),

ranked_reasons as (
    select
        lead_id,
        as_of_date,
        rule_description || ' (' || {{ score_points_text('points') }} || ')' as reason,
        row_number() over (
            partition by lead_id, as_of_date order by abs(points) desc, rule_id
        ) as reason_rank
    from components
    where points <> 0
),

reasons as (
    select
        lead_id,
        as_of_date,
        {{ dbt.listagg('reason', "'; '", 'order by reason_rank') }} as score_reasons
    from ranked_reasons
    where reason_rank <= 3
    group by lead_id, as_of_date
),

-- Timeline: an opportunity of the person's own or of their account that was open on the
-- as-of date (created before it, close date not before it) and closes within
-- `bant_timeline_days`. Close dates are as the CRM holds them now.
timeline_opportunities as (
    select distinct
        features.lead_id,
        features.as_of_date
    from features
    inner join opportunities on opportunities.lead_id = features.lead_id
    where
        cast(opportunities.created_at as date) < features.as_of_date
        and opportunities.close_date >= features.as_of_date
        and opportunities.close_date
            < {{ dbt.dateadd('day', var('bant_timeline_days') | int, 'features.as_of_date') }}
),

scored as (
    select
        features.lead_id,
        features.as_of_date,
        cast(coalesce(totals.fit_score, 0) as {{ score_points_type() }}) as fit_score,
        cast(coalesce(totals.engagement_score, 0) as {{ score_points_type() }}) as engagement_score,
        coalesce(reasons.score_reasons, '') as score_reasons,
        coalesce(
            features.revenue_band_order >= {{ var('bant_budget_min_revenue_band_order') }}
            or features.employee_band_order >= {{ var('bant_budget_min_employee_band_order') }},
            false
        ) as has_budget,
        coalesce(features.seniority in ('c_level', 'vp', 'director'), false) as has_authority,
        coalesce(
            features.pricing_page_views_30d >= 1
            or features.demo_page_views_30d >= 1
            or features.demo_requests_90d >= 1
            or features.trial_starts_90d >= 1,
            false
        ) as has_need,
        timeline_opportunities.lead_id is not null as has_timeline
    from features
    left join totals
        on totals.lead_id = features.lead_id and totals.as_of_date = features.as_of_date
    left join reasons
        on reasons.lead_id = features.lead_id and reasons.as_of_date = features.as_of_date
    left join timeline_opportunities
        on timeline_opportunities.lead_id = features.lead_id
        and timeline_opportunities.as_of_date = features.as_of_date
),

final as (
    select
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(as_of_date as date) as as_of_date,
        cast({{ fit_grade('fit_score') }} as {{ dbt.type_string() }}) as grade,
        cast(score_reasons as {{ dbt.type_string() }}) as score_reasons,
        cast(fit_score as {{ score_points_type() }}) as fit_score,
        cast(engagement_score as {{ score_points_type() }}) as engagement_score,
        cast(fit_score + engagement_score as {{ score_points_type() }}) as lead_score,
        cast({{ engagement_level('engagement_score') }} as bigint) as engagement_level,
        cast(
            case when has_budget then 1 else 0 end
            + case when has_authority then 1 else 0 end
            + case when has_need then 1 else 0 end
            + case when has_timeline then 1 else 0 end
            as bigint
        ) as bant_count,
        {{ score_is_mql('fit_score + engagement_score') }} as is_mql,
        has_budget,
        has_authority,
        has_need,
        has_timeline
    from scored
)

select * from final
