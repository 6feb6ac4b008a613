{{
    config(
        materialized='incremental',
        unique_key='visitor_id',
        incremental_strategy=replace_keys_strategy(),
        full_refresh=replace_keys_full_refresh(),
        on_schema_change='append_new_columns',
    )
}}

{#- Page views and (non-email) tracks of each visitor (anonymous id, else user id), in
    order, cut into sessions: a new session starts after `session_gap_minutes` without an
    event, or when an event arrives with a UTM campaign different from the visitor's current
    one (the last campaign seen; events without UTM keep it). One row per event.

    Incremental, Snowplow-style: a run looks for events not yet in the table whose event time
    lies within `web_lookback_days` before the latest event already processed (and inside
    the `web_window_start`/`web_window_end` window when set, to rebuild one day). Every
    visitor with such an event is re-sessionized over its whole history (delete+insert by
    visitor), so a late event re-opens, merges or splits that visitor's sessions exactly as a
    full refresh would. Events arriving later than the lookback wait for a full refresh. -#}
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
    where coalesce(anonymous_id, user_id) is not null
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
        coalesce(anonymous_id, user_id) is not null
        and coalesce(event_name, '') not in ({{ "'" ~ email_event_names() | join("', '") ~ "'" }})
),

unioned as (
    select * from page_events
    union all
    select * from track_events
),

-- The visitor is the browser (anonymous id); an event with only a user id (a server-side
-- call) is its own visitor `user:<id>`.
all_events as (
    select
        *,
        case
            when anonymous_id is not null then 'anon:' || anonymous_id
            else 'user:' || user_id
        end as visitor_id
    from unioned
),

{% if is_incremental() %}

processed as (
    select event_id, event_at from {{ this }}
),

new_events as (
    select all_events.visitor_id
    from all_events
    left join processed on processed.event_id = all_events.event_id
    where
        processed.event_id is null
        {% if var('web_window_start') %}
        -- a window (one day rebuilt or backfilled alone): its days and the
        -- lookback before them
        and all_events.event_at >= {{ dbt.dateadd('day', -1 * var('web_lookback_days'), "cast('" ~ var('web_window_start') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
        {% else %}
        -- no window: the lookback before the latest event already processed (an empty table
        -- takes everything)
        and all_events.event_at >= coalesce(
            (
                select {{ dbt.dateadd('day', -1 * var('web_lookback_days'), 'max(event_at)') }}
                from processed
            ),
            cast('1900-01-01' as {{ dbt.type_timestamp() }})
        )
        {% endif %}
        {% if var('web_window_end') %}
        and all_events.event_at < cast('{{ var('web_window_end') }}' as {{ dbt.type_timestamp() }})
        {% endif %}
),

touched_visitors as (
    select distinct visitor_id from new_events
),

events as (
    select all_events.*
    from all_events
    inner join touched_visitors on touched_visitors.visitor_id = all_events.visitor_id
),

{% else %}

events as (
    select * from all_events
),

{% endif %}

-- The windows share as few sorts as possible (this model sorts every event of the history
-- on a full refresh): by visitor in event order (twice), by visitor and campaign presence,
-- and by session.
-- Within a visitor the order is total (event time, source, id), so running counts over it
-- give each event's place in its session without a window per session.
ordered as (
    select
        *,
        lag(event_at) over visitor_order as previous_event_at,
        row_number() over visitor_order as event_rank,
        sum(case when event_type = 'page_view' then 1 else 0 end) over (
            partition by visitor_id order by event_at, event_source, event_id
            rows between unbounded preceding and current row
        ) as page_views_so_far,
        -- The campaign in force before an event with a campaign is the one of the visitor's
        -- previous event that had one (events without UTM keep the current campaign).
        lag(utm_campaign) over (
            partition by visitor_id, utm_campaign is null
            order by event_at, event_source, event_id
        ) as previous_campaign
    from events
    window visitor_order as (partition by visitor_id order by event_at, event_source, event_id)
),

flagged as (
    select
        *,
        case
            when previous_event_at is null then 1
            when {{ dbt.datediff('previous_event_at', 'event_at', 'second') }}
                > {{ var('session_gap_minutes') }} * 60 then 1
            when utm_campaign is not null
                and (previous_campaign is null or utm_campaign <> previous_campaign) then 1
            else 0
        end as is_session_start
    from ordered
),

-- Running values as of the latest session start: events are in time order, so the latest
-- start's time, rank and page count are the session's.
numbered as (
    select
        *,
        sum(is_session_start) over session_so_far as session_number,
        max(case when is_session_start = 1 then event_at end) over session_so_far
            as session_started_at,
        max(case when is_session_start = 1 then event_rank end) over session_so_far
            as session_start_rank,
        max(
            case
                when is_session_start = 1
                    then page_views_so_far - case when event_type = 'page_view' then 1 else 0 end
            end
        ) over session_so_far as page_views_before_session
    from flagged
    window session_so_far as (
        partition by visitor_id order by event_at, event_source, event_id
        rows between unbounded preceding and current row
    )
),

with_session_start as (
    select
        *,
        event_rank - session_start_rank + 1 as event_number_in_session,
        case
            when event_type = 'page_view' then page_views_so_far - page_views_before_session
        end as page_number_in_session
    from numbered
),

final as (
    select
        event_id,
        {{ dbt.hash(dbt.concat(["visitor_id", "'|'", dbt.cast("session_started_at", dbt.type_string())])) }}
            as session_id,
        visitor_id,
        anonymous_id,
        user_id,
        session_number,
        event_number_in_session,
        count(*) over (partition by visitor_id, session_number)
        - event_number_in_session + 1 as event_number_from_end,
        page_number_in_session,
        sum(case when event_type = 'page_view' then 1 else 0 end) over (
            partition by visitor_id, session_number
        ) - page_number_in_session + 1 as page_number_from_end,
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
        session_started_at,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}) as processed_at
    from with_session_start
)

select * from final
