{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
        tags=['after_ml'],
    )
}}

{#- One row per lead per as-of date: the rule-based score of int_lead_rule_scores (every
    snapshot date of the run) next to the published predictive model's conversion
    probability and reasons (source ml.lead_predictions; null where no model scored the
    lead on that date).

    first_mql_date is the first as-of date on which the lead was an MQL, as known on the
    row's date (never later than it): from the scores of this run's dates plus, on an
    incremental run, the rows kept from earlier runs on other dates (their MQL dates and
    their recorded first MQL dates). Dates of this run are re-derived, so re-running a run
    gives the same answer. -#}
{{- scoring_assert_incremental_schema({'lead_score': 'numeric', 'first_mql_date': 'any'}) }}

with

rule_scores as (
    select * from {{ ref('int_lead_rule_scores') }}
),

predictions as (
    select * from {{ source('ml', 'lead_predictions') }}
),

{%- if is_incremental() %}

earlier_runs as (
    select * from {{ this }}
    where as_of_date not in (select distinct as_of_date from rule_scores)
),
{%- endif %}

mql_dates as (
    select lead_id, as_of_date as mql_date
    from rule_scores
    where is_mql
    {%- if is_incremental() %}
    union all
    select lead_id, as_of_date as mql_date
    from earlier_runs
    where is_mql
    union all
    select lead_id, first_mql_date as mql_date
    from earlier_runs
    where first_mql_date is not null
    {%- endif %}
),

first_mqls as (
    select
        rule_scores.lead_id,
        rule_scores.as_of_date,
        min(mql_dates.mql_date) as first_mql_date
    from rule_scores
    inner join mql_dates
        on mql_dates.lead_id = rule_scores.lead_id
        and mql_dates.mql_date <= rule_scores.as_of_date
    group by rule_scores.lead_id, rule_scores.as_of_date
),

final as (
    select
        cast(rule_scores.lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(rule_scores.as_of_date as date) as as_of_date,
        cast(rule_scores.grade as {{ dbt.type_string() }}) as grade,
        cast(rule_scores.score_reasons as {{ dbt.type_string() }}) as score_reasons,
        cast(predictions.score_reasons as {{ dbt.type_string() }}) as predicted_score_reasons,
        cast(predictions.model_version as {{ dbt.type_string() }}) as model_version,
        cast(rule_scores.fit_score as {{ score_points_type() }}) as fit_score,
        cast(rule_scores.engagement_score as {{ score_points_type() }}) as engagement_score,
        cast(rule_scores.lead_score as {{ score_points_type() }}) as lead_score,
        cast(rule_scores.engagement_level as bigint) as engagement_level,
        cast(rule_scores.bant_count as bigint) as bant_count,
        cast(predictions.conversion_probability as {{ type_double() }}) as conversion_probability,
        cast(rule_scores.is_mql as boolean) as is_mql,
        cast(rule_scores.has_budget as boolean) as has_budget,
        cast(rule_scores.has_authority as boolean) as has_authority,
        cast(rule_scores.has_need as boolean) as has_need,
        cast(rule_scores.has_timeline as boolean) as has_timeline,
        cast(first_mqls.first_mql_date as date) as first_mql_date
    from rule_scores
    left join predictions
        on predictions.lead_id = rule_scores.lead_id
        and predictions.as_of_date = rule_scores.as_of_date
    left join first_mqls
        on first_mqls.lead_id = rule_scores.lead_id
        and first_mqls.as_of_date = rule_scores.as_of_date
)

select * from final
