{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead, as-of date and scoring rule that applies: every point of the lead score
    is a row here. Every active rule of seed `scoring_rules` is evaluated against every
    (lead, as_of_date) of int_lead_features_wide; adding a rule is one seed row. Conditions
    and the quantity / recency columns are SQL read from the real seed (active_rules), the
    points, cap and texts are joined from ref('scoring_rules'). -#}
{%- set rules = active_rules(
    'scoring_rules', ['rule_id', 'condition_sql', 'quantity_column', 'recency_column'], 'rule_id'
) -%}
{#- A bad condition stops the build naming the rule, before anything is written (not in a
    unit test: its fixture rows stand in for the features table). -#}
{%- if execute and model.resource_type != 'unit_test' -%}
    {%- set features_relation = load_relation(ref('int_lead_features_wide')) -%}
    {%- if features_relation is not none -%}
        {%- do validate_rules(
            rules, 'rule_id', 'condition_sql', rule_feature_columns(features_relation), 'scoring rule') -%}
    {%- endif -%}
{%- endif -%}
{{- scoring_assert_incremental_schema({'points': 'numeric', 'raw_points': 'numeric', 'decay_factor': 'any'}) }}

with

features as (
    select * from {{ ref('int_lead_features_wide') }}
),

scoring_rules as (
    select * from {{ ref('scoring_rules') }}
    where is_active
),

matches as (
    {%- for rule in rules %}
    -- rule {{ rule.rule_id }}
    select
        lead_id,
        as_of_date,
        {{ sql_string(rule.rule_id) }} as rule_id,
        {%- if rule.quantity_column %}
        cast(coalesce({{ rule.quantity_column }}, 0) as bigint) as quantity,
        {%- else %}
        cast(1 as bigint) as quantity,
        {%- endif %}
        {%- if rule.recency_column %}
        cast({{ rule.recency_column }} as bigint) as recency_days
        {%- else %}
        cast(null as bigint) as recency_days
        {%- endif %}
    from features
    where ({{ rule.condition_sql }})
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        lead_id,
        as_of_date,
        cast(null as {{ dbt.type_string() }}) as rule_id,
        cast(null as bigint) as quantity,
        cast(null as bigint) as recency_days
    from features
    where 1 = 0
    {%- endfor %}
),

valued as (
    select
        matches.lead_id,
        matches.as_of_date,
        matches.rule_id,
        scoring_rules.score_type,
        scoring_rules.rule_family,
        scoring_rules.description as rule_description,
        matches.quantity,
        case when scoring_rules.score_type = 'engagement' then matches.recency_days end as recency_days,
        cast(scoring_rules.points * matches.quantity as {{ score_points_type() }}) as raw_points,
        cast(scoring_rules.cap as {{ score_points_type() }}) as cap
    from matches
    inner join scoring_rules on scoring_rules.rule_id = matches.rule_id
),

decayed as (
    select
        *,
        {{ score_decay_factor('recency_days') }} as decay_factor
    from valued
),

final as (
    select
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(as_of_date as date) as as_of_date,
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(score_type as {{ dbt.type_string() }}) as score_type,
        cast(rule_family as {{ dbt.type_string() }}) as rule_family,
        cast(rule_description as {{ dbt.type_string() }}) as rule_description,
        cast(quantity as bigint) as quantity,
        cast(recency_days as bigint) as recency_days,
        cast(raw_points as {{ score_points_type() }}) as raw_points,
        cast(decay_factor as {{ type_double() }}) as decay_factor,
        cast(cap as {{ score_points_type() }}) as cap,
        {{ score_capped_points('raw_points', 'decay_factor', 'cap') }} as points
    from decayed
)

select * from final
