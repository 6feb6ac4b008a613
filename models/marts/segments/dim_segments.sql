{{ config(tags=['after_ml']) }}

{#- One row per segment: the rule segments of seed `segment_definitions` (active or not) and
    the cluster segments of the latest clustering run (source ml.cluster_profiles: the
    personas, with a generated name and profile), with their current member count. -#}
with

definitions as (
    select * from {{ ref('segment_definitions') }}
),

cluster_profiles as (
    select profiles.*
    from {{ source('ml', 'cluster_profiles') }} as profiles
    where profiles.as_of_date = (
        select max(latest.as_of_date) from {{ source('ml', 'cluster_profiles') }} as latest
    )
),

members as (
    select segment_id, count(*) as member_count
    from {{ ref('fct_segment_membership') }}
    where is_current
    group by segment_id
),

segments as (
    select
        segment_id,
        segment_name,
        description,
        'rule' as kind,
        segment_type,
        basis,
        rule_sql as definition,
        owner,
        activation_destinations,
        is_active
    from definitions
    union all
    select
        segment_id,
        segment_name,
        description,
        'cluster' as kind,
        'cluster' as segment_type,
        'implicit' as basis,
        profile as definition,
        'leadseg.ml.clustering' as owner,
        cast(null as {{ dbt.type_string() }}) as activation_destinations,
        true as is_active
    from cluster_profiles
),

final as (
    select
        cast(segments.segment_id as {{ dbt.type_string() }}) as segment_id,
        cast(segments.segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(segments.description as {{ dbt.type_string() }}) as description,
        cast(segments.kind as {{ dbt.type_string() }}) as kind,
        cast(segments.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(segments.basis as {{ dbt.type_string() }}) as basis,
        cast(segments.definition as {{ dbt.type_string() }}) as definition,
        cast(segments.owner as {{ dbt.type_string() }}) as owner,
        cast(segments.activation_destinations as {{ dbt.type_string() }}) as activation_destinations,
        cast(coalesce(members.member_count, 0) as bigint) as member_count,
        segments.is_active
    from segments
    left join members on members.segment_id = segments.segment_id
)

select * from final
