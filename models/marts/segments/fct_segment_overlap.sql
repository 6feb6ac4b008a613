{{ config(tags=['after_ml']) }}

{#- One row per ordered pair of segments with current members in common: how many, the share
    of each segment the overlap is, and the Jaccard index. The overlap matrix for BI, and the
    over-segmentation guard: a pair whose Jaccard index (shared over either) reaches
    `segment_near_duplicate_jaccard` is flagged `is_near_duplicate`: two names for almost the
    same audience. A narrow segment inside a broad one (re-engaged inside active this week) is
    a subset by design and is not flagged. -#}
with

current_members as (
    select segment_id, lead_id
    from {{ ref('fct_segment_membership') }}
    where is_current
),

sizes as (
    select segment_id, count(*) as member_count
    from current_members
    group by segment_id
),

shared as (
    select
        left_members.segment_id,
        right_members.segment_id as other_segment_id,
        count(*) as shared_member_count
    from current_members as left_members
    inner join current_members as right_members
        on right_members.lead_id = left_members.lead_id
        and right_members.segment_id <> left_members.segment_id
    group by left_members.segment_id, right_members.segment_id
),

final as (
    select
        cast(shared.segment_id as {{ dbt.type_string() }}) as segment_id,
        cast(shared.other_segment_id as {{ dbt.type_string() }}) as other_segment_id,
        cast(shared.shared_member_count as bigint) as shared_member_count,
        cast(segment_sizes.member_count as bigint) as member_count,
        cast(other_sizes.member_count as bigint) as other_member_count,
        cast(1.0 * shared.shared_member_count / segment_sizes.member_count as {{ type_double() }})
            as share_of_segment,
        cast(
            1.0 * shared.shared_member_count
            / (segment_sizes.member_count + other_sizes.member_count - shared.shared_member_count)
            as {{ type_double() }}
        ) as jaccard_index,
        1.0 * shared.shared_member_count
            / (segment_sizes.member_count + other_sizes.member_count - shared.shared_member_count)
            >= {{ var('segment_near_duplicate_jaccard') }} as is_near_duplicate
    from shared
    inner join sizes as segment_sizes on segment_sizes.segment_id = shared.segment_id
    inner join sizes as other_sizes on other_sizes.segment_id = shared.other_segment_id
)

select * from final
