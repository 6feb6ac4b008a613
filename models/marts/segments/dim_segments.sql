{#- One row per segment of seed `segment_definitions` (active or not), with its current
    member count. kind is 'rule' here; clustering adds 'cluster' segments later. -#}
with

definitions as (
    select * from {{ ref('segment_definitions') }}
),

members as (
    select segment_id, count(*) as member_count
    from {{ ref('fct_segment_membership') }}
    where is_current
    group by segment_id
),

final as (
    select
        cast(definitions.segment_id as {{ dbt.type_string() }}) as segment_id,
        cast(definitions.segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(definitions.description as {{ dbt.type_string() }}) as description,
        cast('rule' as {{ dbt.type_string() }}) as kind,
        cast(definitions.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(definitions.rule_sql as {{ dbt.type_string() }}) as definition,
        cast(definitions.owner as {{ dbt.type_string() }}) as owner,
        cast(coalesce(members.member_count, 0) as bigint) as member_count,
        definitions.is_active
    from definitions
    left join members on members.segment_id = definitions.segment_id
)

select * from final
