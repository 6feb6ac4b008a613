-- depends_on: {{ ref('segment_definitions') }}
{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- Every active rule segment of seed `segment_definitions` evaluated on the as-of date's
    features, one row per lead and segment that matter for membership history: the members
    (with the values of the rule's inputs, why they are in), and the members of the previous
    evaluation that no longer match (with the conditions that stopped holding, why they
    left). Rules are validated first (macros/segments/rule_parsing.sql): a bad rule stops the
    build with a message naming it, before anything is written. Each run replaces its as-of
    date, so replaying a past date rebuilds that date's evaluation from its point-in-time
    features. -#}
{%- set segments = active_rules('segment_definitions', ['segment_id', 'rule_sql'], 'segment_id') -%}
{%- set feature_columns = {} -%}
{%- if execute and model.resource_type != 'unit_test' -%}
    {%- set features_relation = load_relation(ref('int_lead_features_wide')) -%}
    {%- if features_relation is not none -%}
        {%- set feature_columns = rule_feature_columns(features_relation) -%}
        {%- do validate_rules(segments, 'segment_id', 'rule_sql', feature_columns, 'segment') -%}
    {%- endif -%}
{%- endif %}

with

features as (
    select * from {{ ref('int_lead_features_wide') }}
    where as_of_date = {{ as_of_date() }}
),

evaluated as (
    {%- for segment in segments %}
    {%- set inputs = rule_input_columns(segment.rule_sql, feature_columns) %}
    {%- set conditions = rule_conditions(segment.rule_sql) %}
    -- segment {{ segment.segment_id }}
    select
        lead_id,
        {{ sql_string(segment.segment_id) }} as segment_id,
        coalesce(({{ segment.rule_sql }}), false) as is_member,
        {% if inputs | length > 0 -%}
        {%- for column in inputs -%}
        {#- fractions at 4 decimals, so every engine writes the same text -#}
        {%- set value = 'cast(' ~ column ~ ' as numeric(18, 4))' if feature_columns[column] == 'fraction' else column %}
        '{{ column }}=' || coalesce({{ dbt.cast(value, dbt.type_string()) }}, 'null')
        {%- if not loop.last %} || '; ' || {% endif -%}
        {%- endfor %}
        {%- else %}''{% endif %} as rule_inputs,
        {% for condition in conditions -%}
        case when coalesce(({{ condition }}), false) then '' else {{ sql_string(condition ~ '; ') }} end
        {%- if not loop.last %} || {% endif %}
        {%- endfor %} as failed_conditions
    from features
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        lead_id,
        cast(null as {{ dbt.type_string() }}) as segment_id,
        false as is_member,
        cast(null as {{ dbt.type_string() }}) as rule_inputs,
        cast(null as {{ dbt.type_string() }}) as failed_conditions
    from features
    where 1 = 0
    {%- endfor %}
),

{% if is_incremental() %}
previous_members as (
    select lead_id, segment_id
    from {{ this }}
    where
        is_member
        and as_of_date = (select max(as_of_date) from {{ this }} where as_of_date < {{ as_of_date() }})
),
{% else %}
previous_members as (
    select
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_string() }}) as segment_id
    where 1 = 0
),
{% endif %}

kept as (
    select
        evaluated.lead_id,
        evaluated.segment_id,
        evaluated.is_member,
        evaluated.rule_inputs,
        case when evaluated.is_member then null else evaluated.failed_conditions end as failed_conditions
    from evaluated
    left join previous_members
        on previous_members.lead_id = evaluated.lead_id and previous_members.segment_id = evaluated.segment_id
    where evaluated.is_member or previous_members.lead_id is not null
    union all
    -- previous members who are no longer a lead on this date (merged into another person, or forgotten)
    select
        previous_members.lead_id,
        previous_members.segment_id,
        false as is_member,
        cast(null as {{ dbt.type_string() }}) as rule_inputs,
        'the lead is no longer in the data (merged or deleted); ' as failed_conditions
    from previous_members
    left join features on features.lead_id = previous_members.lead_id
    where features.lead_id is null
),

final as (
    select
        {{ as_of_date() }} as as_of_date,
        cast(segment_id as {{ dbt.type_string() }}) as segment_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        is_member,
        cast(rule_inputs as {{ dbt.type_string() }}) as rule_inputs,
        cast(
            case when failed_conditions is not null
                then substr(failed_conditions, 1, {{ dbt.length('failed_conditions') }} - 2) end
            as {{ dbt.type_string() }}
        ) as failed_conditions
    from kept
)

select * from final
