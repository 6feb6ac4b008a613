{{ config(tags=['after_ml']) }}

{#- One row per segment for BI: current size, size 7 and 30 days before the latest evaluation
    (from the spells), who entered and left in the last 7 days, how the members convert
    (share already converted to an opportunity in the CRM, share at customer accounts, mean
    lead score), and the over-segmentation guard: below `segment_min_size` members, or a
    near-duplicate of another segment (fct_segment_overlap). -#}
with

segments as (
    select * from {{ ref('dim_segments') }}
),

membership as (
    select * from {{ ref('fct_segment_membership') }}
),

latest as (
    select max(last_member_as_of_date) as latest_date from membership
),

leads as (
    select lead_id, is_converted, is_customer from {{ ref('dim_leads') }}
),

scores as (
    select lead_id, lead_score
    from {{ ref('fct_lead_scores') }}
    where as_of_date = {{ as_of_date() }}
),

sizes as (
    select
        membership.segment_id,
        count(case when membership.is_current then 1 end) as member_count,
        {%- for days in [7, 30] %}
        count(
            case
                when membership.entered_at <= {{ dbt.dateadd('day', -1 * days, 'latest.latest_date') }}
                    and (membership.exited_at is null
                        or membership.exited_at > {{ dbt.dateadd('day', -1 * days, 'latest.latest_date') }})
                then 1
            end
        ) as member_count_{{ days }}d_ago,
        {%- endfor %}
        count(
            case when membership.entered_at > {{ dbt.dateadd('day', -7, 'latest.latest_date') }} then 1 end
        ) as entered_last_7d,
        count(
            case when membership.exited_at > {{ dbt.dateadd('day', -7, 'latest.latest_date') }} then 1 end
        ) as exited_last_7d
    from membership
    cross join latest
    group by membership.segment_id
),

outcomes as (
    select
        membership.segment_id,
        avg(case when leads.is_converted then 1.0 else 0.0 end) as converted_share,
        avg(case when leads.is_customer then 1.0 else 0.0 end) as customer_share,
        avg(scores.lead_score) as mean_lead_score
    from membership
    inner join leads on leads.lead_id = membership.lead_id
    left join scores on scores.lead_id = membership.lead_id
    where membership.is_current
    group by membership.segment_id
),

duplicates as (
    select segment_id, min(other_segment_id) as near_duplicate_of
    from {{ ref('fct_segment_overlap') }}
    where is_near_duplicate
    group by segment_id
),

final as (
    select
        cast(segments.segment_id as {{ dbt.type_string() }}) as segment_id,
        cast(segments.segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(segments.kind as {{ dbt.type_string() }}) as kind,
        cast(segments.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(coalesce(sizes.member_count, 0) as bigint) as member_count,
        cast(coalesce(sizes.member_count_7d_ago, 0) as bigint) as member_count_7d_ago,
        cast(coalesce(sizes.member_count_30d_ago, 0) as bigint) as member_count_30d_ago,
        cast(coalesce(sizes.entered_last_7d, 0) as bigint) as entered_last_7d,
        cast(coalesce(sizes.exited_last_7d, 0) as bigint) as exited_last_7d,
        cast(outcomes.converted_share as {{ type_double() }}) as converted_share,
        cast(outcomes.customer_share as {{ type_double() }}) as customer_share,
        cast(outcomes.mean_lead_score as {{ type_double() }}) as mean_lead_score,
        segments.is_active and coalesce(sizes.member_count, 0) < {{ var('segment_min_size') }} as is_below_min_size,
        cast(duplicates.near_duplicate_of as {{ dbt.type_string() }}) as near_duplicate_of
    from segments
    left join sizes on sizes.segment_id = segments.segment_id
    left join outcomes on outcomes.segment_id = segments.segment_id
    left join duplicates on duplicates.segment_id = segments.segment_id
)

select * from final
