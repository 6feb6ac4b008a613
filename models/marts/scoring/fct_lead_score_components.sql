{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per as_of_date per scoring rule that applies: the points behind
    fct_lead_scores. Every active rule of seed `scoring_rules` is evaluated against
    int_lead_features_wide; adding a rule is one seed row. -#}
{%- set rules = active_rules('scoring_rules', ['rule_id', 'condition_sql'], 'rule_id') -%}

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
    select lead_id, {{ sql_string(rule.rule_id) }} as rule_id
    from features
    where ({{ rule.condition_sql }})
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select lead_id, cast(null as {{ dbt.type_string() }}) as rule_id
    from features
    where 1 = 0
    {%- endfor %}
),

final as (
    select
        matches.lead_id,
        {{ as_of_date() }} as as_of_date,
        cast(matches.rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(scoring_rules.score_type as {{ dbt.type_string() }}) as score_type,
        cast(scoring_rules.description as {{ dbt.type_string() }}) as rule_description,
        cast(scoring_rules.points as bigint) as points
    from matches
    inner join scoring_rules on scoring_rules.rule_id = matches.rule_id
)

select * from final
