{{ config(materialized='table') }}

{#- Page views and (non-email) tracks of each anonymous visitor, in order, cut into sessions:
    a new session starts after `session_gap_minutes` without an event, or when an event
    arrives with a UTM campaign different from the visitor's current one (the last campaign
    seen; events without UTM keep it). One row per event. -#}
with

pages as (
    select * from {{ ref('stg_segment__pages') }}
),

tracks as (
    select * from {{ ref('stg_segment__tracks') }}
),

page_events as (
    select
        event_id,
        anonymous_id,
        user_id,
        'pages' as event_source,
        'page_view' as event_type,
        'page_viewed' as event_name,
        cast(null as {{ dbt.type_string() }}) as form_id,
        page_url,
        page_path,
        referrer,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        user_agent,
        event_at
    from pages
    where anonymous_id is not null
),

-- Email-spec events are sent by the email tool, not by the visitor's browser: no session.
track_events as (
    select
        event_id,
        anonymous_id,
        user_id,
        'tracks' as event_source,
        'track' as event_type,
        event_name,
        form_id,
        page_url,
        page_path,
        referrer,
        {{ url_host('referrer') }} as referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        user_agent,
        event_at
    from tracks
    where
        anonymous_id is not null
        and coalesce(event_name, '') not in ({{ "'" ~ email_event_names() | join("', '") ~ "'" }})
),

events as (
    select * from page_events
    union all
    select * from track_events
),

ordered as (
    select
        *,
        lag(event_at) over (
            partition by anonymous_id order by event_at, event_source, event_id
        ) as previous_event_at,
        count(utm_campaign) over (
            partition by anonymous_id order by event_at, event_source, event_id
            rows between unbounded preceding and current row
        ) as campaign_group
    from events
),

with_current_campaign as (
    select
        *,
        max(utm_campaign) over (partition by anonymous_id, campaign_group) as current_campaign
    from ordered
),

with_previous_campaign as (
    select
        *,
        lag(current_campaign) over (
            partition by anonymous_id order by event_at, event_source, event_id
        ) as previous_campaign
    from with_current_campaign
),

flagged as (
    select
        *,
        case
            when previous_event_at is null then 1
            when {{ dbt.datediff('previous_event_at', 'event_at', 'second') }}
                > {{ var('session_gap_minutes') }} * 60 then 1
            when utm_campaign is not null and utm_campaign is distinct from previous_campaign then 1
            else 0
        end as is_session_start
    from with_previous_campaign
),

numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by anonymous_id order by event_at, event_source, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from flagged
),

with_session_start as (
    select
        *,
        min(event_at) over (partition by anonymous_id, session_number) as session_started_at
    from numbered
),

final as (
    select
        event_id,
        {{ dbt.hash(dbt.concat(["anonymous_id", "'|'", dbt.cast("session_started_at", dbt.type_string())])) }}
            as session_id,
        anonymous_id,
        user_id,
        session_number,
        row_number() over (
            partition by anonymous_id, session_number order by event_at, event_source, event_id
        ) as event_number_in_session,
        row_number() over (
            partition by anonymous_id, session_number order by event_at desc, event_source desc, event_id desc
        ) as event_number_from_end,
        case when event_type = 'page_view' then row_number() over (
            partition by anonymous_id, session_number, event_type order by event_at, event_id
        ) end as page_number_in_session,
        case when event_type = 'page_view' then row_number() over (
            partition by anonymous_id, session_number, event_type order by event_at desc, event_id desc
        ) end as page_number_from_end,
        event_source,
        event_type,
        event_name,
        form_id,
        page_url,
        page_path,
        referrer,
        referrer_host,
        {{ url_host('page_url') }} as page_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        user_agent,
        is_session_start = 1 as is_session_start,
        event_at,
        session_started_at
    from with_session_start
)

select * from final
