{#- One row per lead per segment spell. Every active rule of seed `segment_definitions` is
    evaluated against int_lead_features_wide; adding a segment is one seed row.

    First version: the current membership as of the as-of date, so a spell starts
    (`entered_at`) at the as-of date and is open (`exited_at` null, `is_current`). Keeping
    real spells across days (entered when first seen, closed when the rule stops matching)
    is the next step (incremental or snapshot). -#}
{%- set segments = active_rules('segment_definitions', ['segment_id', 'rule_sql'], 'segment_id') -%}

with

features as (
    select * from {{ ref('int_lead_features_wide') }}
),

segment_definitions as (
    select segment_id from {{ ref('segment_definitions') }}
    where is_active
),

matches as (
    {%- for segment in segments %}
    -- segment {{ segment.segment_id }}
    select lead_id, {{ sql_string(segment.segment_id) }} as segment_id
    from features
    where ({{ segment.rule_sql }})
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select lead_id, cast(null as {{ dbt.type_string() }}) as segment_id
    from features
    where 1 = 0
    {%- endfor %}
),

final as (
    select
        {{ dbt.hash(dbt.concat(["matches.lead_id", "'|'", "matches.segment_id", "'|'", dbt.cast(as_of_date(), dbt.type_string())])) }}
            as segment_membership_id,
        matches.lead_id,
        cast(matches.segment_id as {{ dbt.type_string() }}) as segment_id,
        {{ as_of_date() }} as as_of_date,
        true as is_current,
        {{ as_of_timestamp() }} as entered_at,
        cast(null as {{ dbt.type_timestamp() }}) as exited_at
    from matches
    inner join segment_definitions on segment_definitions.segment_id = matches.segment_id
)

select * from final
