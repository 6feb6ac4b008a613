{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per snapshot date per content category the person read in the 90 days
    before the snapshot: the share of attention by category (seed `page_categories` maps
    page paths to categories), the psychographic proxy web data supports. The home page is
    navigation, not interest, and is left out; bot sessions too. Shares of a lead and date
    sum to 1. -#}
with

snapshots as (
    {{ feature_snapshots() }}
),

page_views as (
    select
        events.lead_id,
        snapshots.as_of_date,
        events.page_category
    from {{ ref('int_lead_events') }} as events
    inner join snapshots
        on events.event_at < snapshots.as_of_at
        and events.event_at >= {{ dbt.dateadd('day', -90, 'snapshots.as_of_at') }}
    where
        events.event_type = 'page_view'
        and not events.is_bot
        and events.page_category is not null
        and events.page_category <> 'home'
),

by_category as (
    select lead_id, as_of_date, page_category, count(*) as page_views_90d
    from page_views
    group by lead_id, as_of_date, page_category
),

final as (
    select
        lead_id,
        as_of_date,
        cast(page_category as {{ dbt.type_string() }}) as page_category,
        cast(page_views_90d as bigint) as page_views_90d,
        cast(
            1.0 * page_views_90d / sum(page_views_90d) over (partition by lead_id, as_of_date)
            as {{ type_double() }}
        ) as attention_share,
        cast(
            row_number() over (
                partition by lead_id, as_of_date order by page_views_90d desc, page_category asc
            ) as bigint
        ) as interest_rank
    from by_category
)

select * from final
